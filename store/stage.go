package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// An import too large for one transaction is written in place, once, in
// as many transactions as it takes, with an undo journal:
//
//  1. one transaction writes meta/import, the journal: the values before
//     the import of the few keys it overwrites (the number sequences, the
//     event sequence, the bank and project totals it adds to); every other
//     key an import writes is new (model.DocCheck refuses a record the
//     store holds, and each index key names a new case);
//  2. every key of the import, readers waiting meanwhile (pubMu): this
//     process is the only one with the store open, so nobody sees a part;
//  3. one transaction deletes meta/import: the commit point.
//
// An import that fails in step 2 is undone at once; Open undoes one whose
// process died before step 3 (undoImport): every key outside othersKeys
// whose Badger version is above the journal's was written by the import
// (the other writers wait for writeMu meanwhile), so it is deleted, or
// set back to its journaled value. The undo can itself be cut short and
// run again.
//
// Stores written by caseboard before this protocol staged the keys under
// stage/ and published with meta/import = "published": Open still
// finishes or clears such an import (recoverStaged).

const published = "published"

// othersKeys are the prefixes of what other writers keep while an import
// is written (they do not wait for writeMu: delivery logs, the outbox,
// acks): the undo never touches them. Every other key written after the
// journal is the import's, whatever its prefix (an index added later is
// undone without being listed here).
var othersKeys = []string{pHook, pAlert, pAlertSeq, pOutbox, pHookLog, pAck, kAlertSeq}

// importMayWrite reports whether k is outside othersKeys.
func importMayWrite(k []byte) bool {
	for _, p := range othersKeys {
		if bytes.HasPrefix(k, []byte(p)) {
			return false
		}
	}
	return true
}

// importJournal is meta/import's value while an import is written.
type importJournal struct {
	// Keep is every key the import overwrites, with its value before (nil:
	// it had none).
	Keep []journalKey `json:"keep"`
}

type journalKey struct {
	K []byte `json:"k"`
	V []byte `json:"v"` // nil: absent before the import
}

// recoverImport undoes an import cut short, or finishes or clears one of
// the staged protocol.
func (s *Store) recoverImport() error {
	var journal []byte
	var version uint64
	var staged bool
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(kImport))
		switch {
		case err == nil:
			version = item.Version()
			if journal, err = item.ValueCopy(nil); err != nil {
				return err
			}
		case !errors.Is(err, badger.ErrKeyNotFound):
			return err
		}
		staged = exists(txn, []byte(pStage))
		return nil
	})
	if err != nil {
		return fmt.Errorf("look for an interrupted import: %w", err)
	}
	switch {
	case journal != nil && string(journal) == published:
		s.log.Warn("finishing an import interrupted after its commit")
		return s.copyStaged()
	case journal != nil:
		var j importJournal
		if err := json.Unmarshal(journal, &j); err != nil {
			return &DamagedError{Dir: s.dir, Why: fmt.Sprintf("its import journal is unreadable (%v)", err)}
		}
		s.log.Warn("undoing an import interrupted before its commit")
		return s.undoImport(&j, version)
	case staged:
		s.log.Warn("clearing the staging of an import interrupted before its commit")
		return s.dropStaging()
	}
	return nil
}

// writeJournaled writes a large import in place (steps 1-3 above): keep
// are the keys it overwrites, emit writes every key. written, when set,
// runs after step 2 (tests kill the process there, or fail the import).
func (s *Store) writeJournaled(keep [][]byte, emit func(set func(k, v []byte) error) error, written func() error) error {
	j := importJournal{Keep: make([]journalKey, 0, len(keep))}
	var version uint64
	if err := s.db.Update(func(txn *badger.Txn) error {
		for _, k := range keep {
			jk := journalKey{K: k}
			item, err := txn.Get(k)
			switch {
			case err == nil:
				if jk.V, err = item.ValueCopy(nil); err != nil {
					return err
				}
				if jk.V == nil {
					jk.V = []byte{}
				}
			case !errors.Is(err, badger.ErrKeyNotFound):
				return err
			}
			j.Keep = append(j.Keep, jk)
		}
		b, err := json.Marshal(&j)
		if err != nil {
			return err
		}
		return txn.Set([]byte(kImport), b)
	}); err != nil {
		return fmt.Errorf("write the import's journal: %w", err)
	}
	if err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(kImport))
		if err == nil {
			version = item.Version()
		}
		return err
	}); err != nil {
		return fmt.Errorf("read the import's journal: %w", err)
	}

	if err := s.writeCommitted(&j, version, emit, written); err != nil {
		return err
	}
	s.flatten("import") // readers need not wait for it
	return nil
}

// writeCommitted is steps 2 and 3, readers waiting, and the undo of a
// write that fails.
func (s *Store) writeCommitted(j *importJournal, version uint64, emit func(set func(k, v []byte) error) error, written func() error) error {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	err := s.writeInPlace(emit)
	if err == nil && written != nil {
		err = written()
	}
	if err == nil {
		err = s.db.Update(func(txn *badger.Txn) error { return txn.Delete([]byte(kImport)) })
	}
	if err == nil {
		return nil
	}
	if uerr := s.undoImport(j, version); uerr != nil {
		// What was written stays until the next Open undoes it; this
		// process must not read or write a store holding part of an
		// import.
		s.log.Error("undo a failed import", "err", uerr)
		s.closeAfterFailedUndo()
		return fmt.Errorf("write the import: %w (and it could not be undone here: %v; the store is closed, and the next caseboard to open it undoes it)", err, uerr)
	}
	return fmt.Errorf("write the import: %w", err)
}

// writeInPlace writes what emit gives in batches, checking every few MB
// that the disk keeps caseboard's margin (the estimate made before is
// not a promise: others write to the disk too).
func (s *Store) writeInPlace(emit func(set func(k, v []byte) error) error) error {
	defer holdHeap()()
	wb := s.db.NewWriteBatch()
	wb.SetMaxPendingTxns(importPendingTxns)
	defer wb.Cancel()
	n, next := 0, 0
	err := emit(func(k, v []byte) error {
		if n >= next {
			if err := s.checkSpace(); err != nil {
				return err
			}
			next = n + 4<<20
		}
		n += len(k) + len(v)
		return wb.Set(k, v)
	})
	if err == nil {
		err = wb.Flush()
	}
	return err
}

// undoImport takes back every key an import wrote after its journal (of
// Badger version v) and deletes the journal.
func (s *Store) undoImport(j *importJournal, v uint64) error {
	start := time.Now()
	keep := make(map[string][]byte, len(j.Keep))
	for _, jk := range j.Keep {
		keep[string(jk.K)] = jk.V
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if item.Version() <= v || !importMayWrite(item.Key()) {
				continue
			}
			k := item.KeyCopy(nil)
			if _, ok := keep[string(k)]; ok {
				continue
			}
			n++
			if err := wb.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("undo the import: %w", err)
	}
	for _, jk := range j.Keep {
		var err error
		if jk.V == nil {
			err = wb.Delete(jk.K)
		} else {
			err = wb.Set(jk.K, jk.V)
		}
		if err != nil {
			return fmt.Errorf("undo the import: %w", err)
		}
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("undo the import: %w", err)
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Delete([]byte(kImport)) }); err != nil {
		return fmt.Errorf("undo the import: %w", err)
	}
	s.log.Info("import undone", "keys", n, "took", time.Since(start))
	return nil
}

func (s *Store) dropStaging() error {
	if err := s.db.DropPrefix([]byte(pStage)); err != nil {
		return fmt.Errorf("clear import staging: %w", err)
	}
	return nil
}

// copyStaged finishes an import of the staged protocol published before a
// crash: it moves the staged keys to their places; readers wait meanwhile.
func (s *Store) copyStaged() error {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	err := s.writeInPlace(func(set func(k, v []byte) error) error {
		return s.db.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pStage), PrefetchValues: true, PrefetchSize: 256})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				item := it.Item()
				k := bytes.Clone(item.Key()[len(pStage):])
				v, err := item.ValueCopy(nil)
				if err != nil {
					return err
				}
				if err := set(k, v); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("copy the published import: %w", err)
	}
	if err := s.dropStaging(); err != nil {
		return err
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Delete([]byte(kImport)) }); err != nil {
		return fmt.Errorf("finish the import: %w", err)
	}
	s.flatten("import")
	return nil
}

// flatten moves every table of the store to its last level, after a
// write of the whole desk (a large import, a restore). Such a write
// leaves megabytes in the upper levels, which only the compactors of a
// long-lived process (a board, serve) move down, and a short command's
// close merges its few keys (spanning c/ to meta/) with every table of
// the first level below: at 100k cases 3-4 MB rewritten per note, against
// its own few KB on a flat tree. It only speeds later commands up, so a
// failure is logged, not returned.
func (s *Store) flatten(after string) { flattenDB(s.db, s.log, after) }

func flattenDB(db *badger.DB, log *slog.Logger, after string) {
	start := time.Now()
	if err := db.Flatten(2); err != nil {
		log.Warn("flatten the tables", "after", after, "err", err)
		return
	}
	log.Info("tables flattened", "after", after, "took", time.Since(start))
}

// closeAfterFailedUndo closes a store whose failed import could not be
// undone (under writeMu and pubMu): reads and writes get ErrClosed.
func (s *Store) closeAfterFailedUndo() {
	s.closed = true
	s.feed.closeAll()
	s.dbClosed = true
	if err := s.closeDB(); err != nil {
		s.log.Warn("close after a failed undo", "err", err)
	}
}
