package store

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// The auto-close index lets a command find the cases due to close for no
// response without reading every open case: ac/ DUE NUM for every case
// model.AutoCloseDue says may auto-close, DUE its due instant under the
// store's policy (8-byte big-endian unix seconds, sign bit flipped so
// that the keys sort by instant). putCase and emitImport keep it in the
// transaction that writes the case.
//
// Due instants depend on the policy (the auto-close days, the region
// calendars), so meta/autoclose holds the rule the index was built under
// (autoCloseRule). Open builds the index again when the rule is not the
// store's policy's (a store of schema 1 has neither: it was written
// before the index). A store opened with another policy and not rebuilt
// (a command that only reads) keeps its index only while it writes no
// case: its first write deletes meta/autoclose, so the next open rebuilds.

// autoCloseKey is the index key of case n, due at due.
func autoCloseKey(due time.Time, n int64) []byte {
	return cat(pAutoClose, be64(nil, uint64(due.Unix())^1<<63), num(n))
}

// autoCloseUpTo is the first key after every case due in the second of t.
func autoCloseUpTo(t time.Time) []byte {
	return cat(pAutoClose, be64(nil, (uint64(t.Unix())^1<<63)+1))
}

// autoCloseRule names what the index's due instants were computed from.
func autoCloseRule(p *model.Policy) string {
	var b strings.Builder
	fmt.Fprintf(&b, "v1 policy %s auto_close_days %d", p.Digest, p.AutoCloseDays)
	for _, id := range p.RegionIDs() {
		cal := p.RegionCalendar(id)
		fmt.Fprintf(&b, " %s:%s:%s", id, cal.Location(), cal.BusinessDay)
	}
	return b.String()
}

// autoCloseIndex moves case c's index key from where old (nil: a new
// case) had it to where c has it.
func autoCloseIndex(set func(k, v []byte) error, del func(k []byte) error, p *model.Policy, old, c *model.Case) error {
	var was []byte
	if old != nil {
		if due, ok := model.AutoCloseDue(old, p); ok {
			was = autoCloseKey(due, old.Number)
		}
	}
	var now []byte
	if due, ok := model.AutoCloseDue(c, p); ok {
		now = autoCloseKey(due, c.Number)
	}
	if was != nil && string(was) != string(now) {
		if err := del(was); err != nil {
			return err
		}
	}
	if now != nil && string(was) != string(now) {
		return set(now, nil)
	}
	return nil
}

// AutoCloseCandidates reads the open cases that may be due to auto-close
// at now under p, in number order: those the index holds due at or
// before now. Whether each is due (its escalation, the exact instant) is
// model.DueAutoCloses' answer. Under a policy whose due instants the
// index does not hold, it reads every open case (OpenCases).
func (s *Store) AutoCloseCandidates(p *model.Policy, now time.Time) ([]model.Case, error) {
	if !s.acReady.Load() || autoCloseRule(p) != autoCloseRule(s.policy) {
		return s.OpenCases()
	}
	var out []model.Case
	end := autoCloseUpTo(now)
	err := s.view(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pAutoClose)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			if string(k) >= string(end) {
				break
			}
			var c model.Case
			ok, err := getJSON(txn, caseKey(decNum(k[len(k)-8:])), &c)
			if err != nil {
				return err
			}
			if ok && c.IsOpen() {
				out = append(out, c)
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, err
}

// readAutoCloseRule is the rule meta/autoclose holds ("" when none).
func readAutoCloseRule(txn *badger.Txn) (string, error) {
	item, err := txn.Get([]byte(kAutoClose))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	v, err := item.ValueCopy(nil)
	return string(v), err
}

// checkAutoCloseIndex notes whether the index holds the store's policy's
// due instants, and when it does not and the store may write, builds it
// again (and raises a schema 1 store to SchemaVersion).
func (s *Store) checkAutoCloseIndex(schema int64, write bool) error {
	want := autoCloseRule(s.policy)
	var have string
	if err := s.db.View(func(txn *badger.Txn) (err error) {
		have, err = readAutoCloseRule(txn)
		return err
	}); err != nil {
		return fmt.Errorf("read the auto-close index's rule: %w", err)
	}
	ready := schema >= SchemaVersion && have == want
	s.acReady.Store(ready)
	if ready || !write {
		return nil
	}
	start := time.Now()
	n, err := s.buildAutoCloseIndex(want)
	if err != nil {
		return fmt.Errorf("build the auto-close index: %w", err)
	}
	s.acReady.Store(true)
	s.log.Info("auto-close index built", "cases", n, "took", time.Since(start), "from_schema", schema)
	return nil
}

// buildAutoCloseIndex writes the index from the open cases. It can be
// cut short anywhere: meta/autoclose goes first and comes back last, so
// an open after a crash builds it again from the start.
func (s *Store) buildAutoCloseIndex(rule string) (int, error) {
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Delete([]byte(kAutoClose)) }); err != nil {
		return 0, err
	}
	if err := s.deleteKeys(pAutoClose); err != nil {
		return 0, err
	}
	add := s.db.NewWriteBatch()
	defer add.Cancel()
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		return eachKey(txn, []byte(pOpen), func(rest []byte) error {
			var c model.Case
			ok, err := getJSON(txn, caseKey(decNum(rest)), &c)
			if err != nil || !ok {
				return err
			}
			if due, ok := model.AutoCloseDue(&c, s.policy); ok {
				n++
				return add.Set(autoCloseKey(due, c.Number), nil)
			}
			return nil
		})
	})
	if err == nil {
		err = add.Flush()
	}
	if err != nil {
		return 0, err
	}
	return n, s.db.Update(func(txn *badger.Txn) error {
		if err := txn.Set([]byte(kSchema), encInt(SchemaVersion)); err != nil {
			return err
		}
		return txn.Set([]byte(kAutoClose), []byte(rule))
	})
}

// deleteKeys deletes every key under prefix, in batches (an index about
// to be built again; DropPrefix would stop every write meanwhile).
func (s *Store) deleteKeys(prefix string) error {
	drop := s.db.NewWriteBatch()
	defer drop.Cancel()
	if err := s.db.View(func(txn *badger.Txn) error {
		return eachKey(txn, []byte(prefix), func(rest []byte) error {
			return drop.Delete(cat(prefix, rest))
		})
	}); err != nil {
		return err
	}
	return drop.Flush()
}
