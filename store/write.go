package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// maxAttempts is how often a write is tried when Badger reports a
// conflict. Writers are serialized, so conflicts should not happen; the
// retry is kept as a second line of defence.
const maxAttempts = 5

// ErrClosed is returned by writes on a closed store.
var ErrClosed = errors.New("the store is closed")

// Do numbers a new case (model.NewCase) or time entry (model.LogTime),
// checks the action with model.Do over one read-write transaction and
// writes what it changes in that same transaction. A *model.Refusal comes
// back as is, and nothing is written.
func (s *Store) Do(actor string, a model.Action, now time.Time) (*model.Change, error) {
	switch x := a.(type) {
	case model.NewCase:
		if x.Number == 0 {
			n, err := s.next(func() *badger.Sequence { return s.caseSeq })
			if err != nil {
				return nil, fmt.Errorf("number the new case: %w", err)
			}
			x.Number = n
		}
		a = x
	case model.LogTime:
		if x.ID == 0 {
			n, err := s.next(func() *badger.Sequence { return s.entrySeq })
			if err != nil {
				return nil, fmt.Errorf("number the time entry: %w", err)
			}
			x.ID = n
		}
		a = x
	}
	return s.Apply(func(v model.View) (*model.Change, error) {
		return model.Do(v, s.policy, actor, a, now)
	})
}

// NextCaseNumber hands out a new case number: never reused, even after a
// crash (the lease is stored before a number is used), with gaps allowed.
func (s *Store) NextCaseNumber() (int64, error) {
	return s.next(func() *badger.Sequence { return s.caseSeq })
}

// NextEntryID hands out a new time entry id, like NextCaseNumber.
func (s *Store) NextEntryID() (int64, error) {
	return s.next(func() *badger.Sequence { return s.entrySeq })
}

func (s *Store) next(seq func() *badger.Sequence) (int64, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	if seq() == nil {
		if err := s.takeSequences(); err != nil {
			return 0, err
		}
	}
	for {
		n, err := seq().Next()
		if err != nil {
			return 0, err
		}
		if n > 0 {
			return int64(n), nil
		}
	}
}

// Apply runs fn over a View of one read-write transaction and writes the
// Change it returns in that transaction: the records, the bank and project
// totals, and the events (numbered from the event counter, RecordedAt the
// real time unless set). An error from fn (a *model.Refusal) is returned
// as is, with nothing written; a nil Change writes nothing.
//
// Writers are serialized by a mutex, so that events are numbered in commit
// order and subscribers receive changes in that order. Badger's conflict
// detection stays on: a conflicting commit is retried with a fresh
// transaction (fn runs again).
func (s *Store) Apply(fn func(v model.View) (*model.Change, error)) (*model.Change, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if err := s.checkSpace(); err != nil {
		return nil, err
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		ch, err := s.applyOnce(fn)
		if err != nil || ch == nil {
			s.alerts.drop()
		}
		if errors.Is(err, badger.ErrConflict) {
			s.log.Warn("write conflict, retrying", "attempt", attempt+1)
			continue
		}
		if err != nil || ch == nil {
			return ch, err
		}
		s.feed.publish(model.Update{Change: ch})
		s.alerts.publish()
		return ch, nil
	}
	return nil, fmt.Errorf("the store stayed busy: %d attempts conflicted with other writes; try again", maxAttempts)
}

func (s *Store) applyOnce(fn func(v model.View) (*model.Change, error)) (*model.Change, error) {
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	v := &txnView{txn: txn}
	ch, err := fn(v)
	if err != nil {
		return nil, err
	}
	if v.err != nil {
		return nil, fmt.Errorf("read the store: %w", v.err)
	}
	if ch == nil {
		return nil, nil
	}
	if !s.acReady.Load() && len(ch.Cases) > 0 {
		// The auto-close index holds another policy's due instants:
		// whatever this write keeps of it, the next open builds it again.
		if err := txn.Delete([]byte(kAutoClose)); err != nil {
			return nil, err
		}
	}
	if err := writeChange(txn, ch, s.policy, time.Now().Truncate(time.Second)); err != nil {
		if errors.Is(err, badger.ErrTxnTooBig) {
			return nil, fmt.Errorf("the change is too large for one transaction: %w", err)
		}
		return nil, err
	}
	if err := s.raiseForChange(txn, v, ch); err != nil {
		return nil, err
	}
	if err := txn.Commit(); err != nil {
		return nil, err
	}
	return ch, nil
}

// writeChange writes a Change into txn, mirroring model.Desk.Apply; p is
// the policy of the auto-close index's due instants.
func writeChange(txn *badger.Txn, ch *model.Change, p *model.Policy, recorded time.Time) error {
	for i := range ch.Cases {
		if err := putCase(txn, p, &ch.Cases[i]); err != nil {
			return err
		}
	}
	for i := range ch.Escalations {
		e := &ch.Escalations[i]
		last, ok, err := lastEscalation(txn, e.Case)
		if err != nil {
			return err
		}
		count := 0
		if ok {
			count = last.Seq
		}
		if e.Seq < 1 || e.Seq > count {
			e.Seq = count + 1
		}
		if err := txn.Set(escKey(e.Case, e.Seq), encode(e)); err != nil {
			return err
		}
	}
	for i := range ch.Accounts {
		if err := txn.Set(accountKey(ch.Accounts[i].ID), encode(&ch.Accounts[i])); err != nil {
			return err
		}
	}
	for i := range ch.Users {
		if err := txn.Set(userKey(ch.Users[i].ID), encode(&ch.Users[i])); err != nil {
			return err
		}
	}
	for _, id := range ch.RemoveUsers {
		if err := txn.Delete(userKey(id)); err != nil {
			return err
		}
	}
	for i := range ch.TimeEntries {
		e := &ch.TimeEntries[i]
		if err := txn.Set(entryKey(e.ID), encode(e)); err != nil {
			return err
		}
		if err := txn.Set(entryAcctKey(e.Account, e.ID), nil); err != nil {
			return err
		}
	}
	for _, b := range ch.Bank {
		if err := addInt(txn, bankKey(b.Account, b.Month.String()), int64(b.Minutes)); err != nil {
			return err
		}
	}
	for _, p := range ch.Projects {
		if err := addInt(txn, projectKey(p.Account, p.Project), int64(p.Minutes)); err != nil {
			return err
		}
	}
	if len(ch.Events) == 0 {
		return nil
	}
	seq, err := getInt(txn, []byte(kEventSeq))
	if err != nil {
		return err
	}
	for i := range ch.Events {
		ev := &ch.Events[i]
		seq++
		ev.Seq = seq
		if ev.RecordedAt.IsZero() {
			ev.RecordedAt = recorded
		}
		if err := putEvent(txn.Set, ev); err != nil {
			return err
		}
	}
	return txn.Set([]byte(kEventSeq), encInt(seq))
}

func putEvent(set func(k, v []byte) error, ev *model.Event) error {
	if err := set(eventKey(ev.Seq), encode(ev)); err != nil {
		return err
	}
	if ev.Case != 0 {
		return set(caseEventKey(ev.Case, ev.Seq), nil)
	}
	return nil
}

// putCase writes a case and keeps the open-case, owner and auto-close
// indexes.
func putCase(txn *badger.Txn, p *model.Policy, c *model.Case) error {
	var old model.Case
	had, err := getJSON(txn, caseKey(c.Number), &old)
	if err != nil {
		return err
	}
	if had && old.IsOpen() && old.Owner != "" && (old.Owner != c.Owner || !c.IsOpen()) {
		if err := txn.Delete(ownerKey(old.Owner, c.Number)); err != nil {
			return err
		}
	}
	if err := txn.Set(caseKey(c.Number), encode(c)); err != nil {
		return err
	}
	was := &old
	if !had {
		was = nil
	}
	return caseIndexes(txn.Set, txn.Delete, p, was, c)
}

// caseIndexes writes c's index keys; old is what the store held of the
// case before (nil: nothing), whose auto-close key moves or goes.
func caseIndexes(set func(k, v []byte) error, del func(k []byte) error, p *model.Policy, old, c *model.Case) error {
	if err := autoCloseIndex(set, del, p, old, c); err != nil {
		return err
	}
	if err := closedIndex(set, del, old, c); err != nil {
		return err
	}
	if !c.IsOpen() {
		return del(openKey(c.Number))
	}
	if err := set(openKey(c.Number), nil); err != nil {
		return err
	}
	if c.Owner != "" {
		return set(ownerKey(c.Owner, c.Number), nil)
	}
	return nil
}

func addInt(txn *badger.Txn, key []byte, d int64) error {
	n, err := getInt(txn, key)
	if err != nil {
		return err
	}
	return txn.Set(key, encInt(n+d))
}
