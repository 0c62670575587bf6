package store

import (
	"errors"
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// Every alert raised stays (al/ID: it is never raised again), so a desk
// a year old holds hundreds of thousands; a board wants the newest few
// hundred. raise writes each alert's id under its sequence number too:
//
//	aq/SEQ   the id of the SEQ-th alert raised
//
// so that RecentAlerts reads the newest n by key, backwards. A store of
// schema 3 has none: the first open that may write builds it (schema 4;
// the auto-close index's build raises the schema after it); until then
// RecentAlerts reads every alert, as before.

// alertIndexSchema is the first schema with aq/.
const alertIndexSchema = 4

// checkAlertIndex builds the index of a store older than it when this
// open may write, and notes whether the index can be used.
func (s *Store) checkAlertIndex(schema int64, write bool) error {
	return s.checkIndex("alerts' index", "alerts", alertIndexSchema, &s.aqReady, s.buildAlertIndex, schema, write)
}

// buildAlertIndex writes aq/ from every stored alert. It can be cut short
// anywhere: the schema is raised only after it, so an open after a crash
// builds it again from the start.
func (s *Store) buildAlertIndex() (int, error) {
	if err := s.deleteKeys(pAlertSeq); err != nil {
		return 0, err
	}
	add := s.db.NewWriteBatch()
	defer add.Cancel()
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		return eachJSON(txn, []byte(pAlert), func(a *storedAlert) error {
			n++
			return add.Set(alertSeqKey(a.Seq), []byte(a.Alert.ID))
		})
	})
	if err == nil {
		err = add.Flush()
	}
	return n, err
}

// RecentAlerts is the newest n alerts raised (fewer when fewer were), in
// raise order: what a board shows, read by key however many the store
// holds.
func (s *Store) RecentAlerts(n int) ([]model.Alert, error) {
	if n <= 0 {
		return nil, nil
	}
	if !s.aqReady.Load() {
		all, err := s.Alerts()
		if len(all) > n {
			all = all[len(all)-n:]
		}
		return all, err
	}
	var out []model.Alert
	err := s.view(func(txn *badger.Txn) error {
		ids, err := newestAlertIDs(txn, n)
		if err != nil {
			return err
		}
		out = make([]model.Alert, 0, len(ids))
		for i := len(ids) - 1; i >= 0; i-- {
			var a storedAlert
			ok, err := getJSON(txn, alertKey(ids[i]), &a)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("alert %s is indexed but not stored", model.Inert(ids[i]))
			}
			out = append(out, a.Alert)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrClosed) {
			return nil, err
		}
		return nil, fmt.Errorf("read the newest alerts: %w", err)
	}
	return out, nil
}

// RecentAcks is the ids of the newest n alerts that user acknowledged, in
// raise order: what a board holding those alerts needs, read by key
// however many the user acknowledged over the years.
func (s *Store) RecentAcks(user string, n int) ([]string, error) {
	if !s.aqReady.Load() {
		return s.Acks(user)
	}
	var out []string
	err := s.view(func(txn *badger.Txn) error {
		ids, err := newestAlertIDs(txn, n)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := txn.Get(ackKey(user, id)); err == nil {
				out = append(out, id)
			} else if !errors.Is(err, badger.ErrKeyNotFound) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the acknowledgements of %s: %w", model.Inert(user), err)
	}
	slices.Reverse(out)
	return out, nil
}

// newestAlertIDs is the ids of the newest n alerts, newest first (aq/
// read backwards).
func newestAlertIDs(txn *badger.Txn, n int) ([]string, error) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pAlertSeq), Reverse: true, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	var ids []string
	for it.Seek(cat(pAlertSeq, []byte{0xff})); it.Valid() && len(ids) < n; it.Next() {
		v, err := it.Item().ValueCopy(nil)
		if err != nil {
			return nil, err
		}
		ids = append(ids, string(v))
	}
	return ids, nil
}
