package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// Closed cases stay on disk until asked for (issue 25): LoadDesk reads the
// open cases (through o/) and gives the desk an archive, closedArchive,
// that reads the closed ones by key (c/NUM), in number order (c/) or
// newest first through the closed index:
//
//	cl/ AT12 NUM   every closed case, AT its closed_at (8-byte unix seconds,
//	               sign bit flipped, then 4-byte nanoseconds): keys sort by
//	               instant, then number; the Closed tab reads them backwards
//
// putCase and emitImport keep it in the transaction that writes the case
// (caseIndexes). A store of schema 2 has none: the first open that may
// write builds it (schema 3); until then a desk is loaded whole, as before.

// closedSchema is the first schema with the closed index.
const closedSchema = 3

// closedKey is the closed index key of a case closed at at.
func closedKey(at time.Time, n int64) []byte {
	k := cat(pClosed, be64(nil, uint64(at.Unix())^1<<63))
	k = append(k, be64(nil, uint64(at.Nanosecond()))[4:]...)
	return append(k, num(n)...)
}

// closedIndex moves case c's closed index key from where old (nil: a new
// case) had it to where c has it.
func closedIndex(set func(k, v []byte) error, del func(k []byte) error, old, c *model.Case) error {
	var was, now []byte
	if old != nil && !old.IsOpen() {
		was = closedKey(old.ClosedAt, old.Number)
	}
	if !c.IsOpen() {
		now = closedKey(c.ClosedAt, c.Number)
	}
	if was != nil && !bytes.Equal(was, now) {
		if err := del(was); err != nil {
			return err
		}
	}
	if now != nil && !bytes.Equal(was, now) {
		return set(now, nil)
	}
	return nil
}

// buildClosedIndex writes the closed index from every case (a store of
// schema 2). It can be cut short anywhere: the schema is raised only
// after it (checkAutoCloseIndex), so an open after a crash builds it
// again from the start.
func (s *Store) buildClosedIndex() (int, error) {
	if err := s.deleteKeys(pClosed); err != nil {
		return 0, err
	}
	add := s.db.NewWriteBatch()
	defer add.Cancel()
	n := 0
	in := interner{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pCase), PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var c model.Case
			if err := it.Item().Value(func(b []byte) error { return decodeCase(b, &c, in) }); err != nil {
				return fmt.Errorf("read %q: %w", it.Item().Key(), err)
			}
			if !c.IsOpen() {
				n++
				if err := add.Set(closedKey(c.ClosedAt, c.Number), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil {
		err = add.Flush()
	}
	return n, err
}

// checkClosedIndex builds the closed index of a store older than it when
// this open may write, and notes whether the index can be used.
func (s *Store) checkClosedIndex(schema int64, write bool) error {
	return s.checkIndex("closed-case index", "closed", closedSchema, &s.clReady, s.buildClosedIndex, schema, write)
}

// checkIndex notes in ready whether an index that stores of schema since
// and later have can be used; in an older store, when this open may
// write, it is built first (build gives how many records it indexed,
// logged as what).
func (s *Store) checkIndex(name, what string, since int64, ready *atomic.Bool, build func() (int, error), schema int64, write bool) error {
	if schema >= since {
		ready.Store(true)
		return nil
	}
	ready.Store(false)
	if !write {
		return nil
	}
	start := time.Now()
	n, err := build()
	if err != nil {
		return fmt.Errorf("build the %s: %w", name, err)
	}
	ready.Store(true)
	s.log.Info(name+" built", what, n, "took", time.Since(start), "from_schema", schema)
	return nil
}

// closedArchive is a loaded desk's way to its closed cases (model.ClosedCases).
type closedArchive struct{ s *Store }

// ClosedCase implements model.ClosedCases.
func (a closedArchive) ClosedCase(n int64) (*model.Case, []model.Escalation, bool, error) {
	var ok bool
	var es []model.Escalation
	var c *model.Case
	err := a.s.view(func(txn *badger.Txn) error {
		var err error
		if c, ok, err = txnCase(txn, n, interner{}); err != nil || !ok {
			return err
		}
		es, err = txnEscalations(txn, n)
		return err
	})
	if err != nil || !ok {
		return nil, nil, false, err
	}
	return c, es, true, nil
}

// txnCase reads case n (not there: ok false).
func txnCase(txn *badger.Txn, n int64, in interner) (c *model.Case, ok bool, err error) {
	item, err := txn.Get(caseKey(n))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	c = &model.Case{}
	if err := item.Value(func(b []byte) error { return decodeCase(b, c, in) }); err != nil {
		return nil, false, fmt.Errorf("read case %d: %w", n, err)
	}
	return c, true, nil
}

// txnEscalations reads case n's escalations, in order.
func txnEscalations(txn *badger.Txn, n int64) ([]model.Escalation, error) {
	var es []model.Escalation
	err := eachJSON(txn, escPrefix(n), func(e *model.Escalation) error {
		if len(e.Updates) == 0 {
			e.Updates = nil
		}
		es = append(es, *e)
		return nil
	})
	return es, err
}

// EachClosed implements model.ClosedCases: the cases (c/) and the
// escalations (x/) are read side by side, both in number order, a batch
// at a time (closedBatch), each batch in a read transaction of its own
// and handed to fn outside it, so that fn may read the store.
func (a closedArchive) EachClosed(fn func(*model.Case, []model.Escalation) bool) error {
	type found struct {
		c  *model.Case
		es []model.Escalation
	}
	from := caseKey(0)
	in := interner{}
	for {
		var batch []found
		var next []byte
		err := a.s.view(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pCase), PrefetchValues: true, PrefetchSize: 64})
			defer it.Close()
			xi := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pEsc)})
			defer xi.Close()
			xi.Seek(cat(pEsc, from[len(pCase):]))
			for it.Seek(from); it.Valid(); it.Next() {
				if len(batch) == closedBatch {
					next = it.Item().KeyCopy(nil)
					return nil
				}
				c := &model.Case{}
				if err := it.Item().Value(func(b []byte) error { return decodeCase(b, c, in) }); err != nil {
					return fmt.Errorf("read %q: %w", it.Item().Key(), err)
				}
				if c.IsOpen() {
					continue
				}
				var es []model.Escalation
				for ; xi.Valid(); xi.Next() {
					m := decNum(xi.Item().Key()[len(pEsc):])
					if m > c.Number {
						break
					}
					if m < c.Number {
						continue
					}
					var e model.Escalation
					if err := xi.Item().Value(func(b []byte) error { return json.Unmarshal(b, &e) }); err != nil {
						return fmt.Errorf("read %q: %w", xi.Item().Key(), err)
					}
					if len(e.Updates) == 0 {
						e.Updates = nil
					}
					es = append(es, e)
				}
				batch = append(batch, found{c, es})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, f := range batch {
			if !fn(f.c, f.es) {
				return nil
			}
		}
		if next == nil {
			return nil
		}
		from = next
	}
}

// closedBatch is how many closed cases EachClosed reads per transaction
// (a variable: a test makes batches small).
var closedBatch = 4096

// NewestClosed implements model.ClosedCases, through the closed index read
// backwards.
func (a closedArchive) NewestClosed(after model.ClosedMark, limit int) ([]*model.Case, error) {
	var out []*model.Case
	err := a.s.view(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pClosed), Reverse: true})
		defer it.Close()
		var from []byte
		if after == (model.ClosedMark{}) {
			from = cat(pClosed, bytes.Repeat([]byte{0xff}, 21))
		} else {
			from = closedKey(after.At, after.Number)
		}
		in := interner{}
		for it.Seek(from); it.Valid() && len(out) < limit; it.Next() {
			k := it.Item().Key()
			if bytes.Equal(k, from) {
				continue
			}
			c, ok, err := txnCase(txn, decNum(k[len(k)-8:]), in)
			if err != nil {
				return err
			}
			if ok && !c.IsOpen() {
				out = append(out, c)
			}
		}
		return nil
	})
	return out, err
}

// ClosedSince implements model.ClosedCases, through the closed index read
// forwards from t.
func (a closedArchive) ClosedSince(t time.Time, fn func(*model.Case, []model.Escalation) bool) error {
	type found struct {
		c  *model.Case
		es []model.Escalation
	}
	var list []found
	err := a.s.view(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pClosed)})
		defer it.Close()
		in := interner{}
		for it.Seek(closedKey(t, 0)); it.Valid(); it.Next() {
			k := it.Item().Key()
			n := decNum(k[len(k)-8:])
			c, ok, err := txnCase(txn, n, in)
			if err != nil {
				return err
			}
			if !ok || c.IsOpen() {
				continue
			}
			es, err := txnEscalations(txn, n)
			if err != nil {
				return err
			}
			list = append(list, found{c, es})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range list { // outside the transaction: fn may read the store
		if !fn(f.c, f.es) {
			break
		}
	}
	return nil
}

// loadOpenCases decodes the open cases, the two halves of the open
// cases' numbers (from the lowest open to the highest: the closed ones
// before them would leave one goroutine idle) each in a goroutine of its
// own (as loadCases): each walks the
// open-case index (o/) of its half and the cases (c/) side by side, a few
// steps forward when the next open case is near, a seek when it is not,
// never decoding a closed case.
func loadOpenCases(txn *badger.Txn) ([][]*model.Case, error) {
	first, last, ok := numRange(txn, pOpen)
	if !ok {
		return nil, nil
	}
	return inHalves(first, last, func(from, to int64) ([]*model.Case, error) {
		return decodeOpen(txn, from, to)
	})
}

// decodeOpen decodes the open cases numbered in [from, to).
func decodeOpen(txn *badger.Txn, from, to int64) ([]*model.Case, error) {
	oi := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pOpen)})
	defer oi.Close()
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pCase)})
	defer it.Close()
	in := interner{}
	var slab []model.Case
	var out []*model.Case
	started := false
	for oi.Seek(openKey(from)); oi.Valid(); oi.Next() {
		n := decNum(oi.Item().Key()[len(pOpen):])
		if n >= to {
			break
		}
		k := caseKey(n)
		if !started {
			it.Seek(k)
			started = true
		}
		for step := 0; it.Valid() && bytes.Compare(it.Item().Key(), k) < 0; step++ {
			if step == 4 {
				it.Seek(k)
				break
			}
			it.Next()
		}
		if !it.Valid() || !bytes.Equal(it.Item().Key(), k) {
			continue // an index key without its case: skipped, as OpenCases does
		}
		if len(slab) == cap(slab) {
			slab = make([]model.Case, 0, caseSlab)
		}
		slab = slab[:len(slab)+1]
		c := &slab[len(slab)-1]
		if err := it.Item().Value(func(b []byte) error { return decodeCase(b, c, in) }); err != nil {
			return nil, fmt.Errorf("read %q: %w", it.Item().Key(), err)
		}
		out = append(out, c)
		it.Next()
	}
	return out, nil
}

// lastCaseNumber is the highest case number stored (0 when none).
func lastCaseNumber(txn *badger.Txn) int64 {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pCase), Reverse: true})
	defer it.Close()
	it.Seek(caseKey(math.MaxInt64))
	if !it.Valid() {
		return 0
	}
	return decNum(it.Item().Key()[len(pCase):])
}
