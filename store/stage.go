package store

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// An import too large for one transaction is written in three steps:
//
//  1. every key, with its final value, is written under the staging prefix
//     (stage/KEY) in as many transactions as it takes; readers never look
//     there;
//  2. one transaction sets meta/import = "published": this is the commit
//     point;
//  3. the staged keys are copied to their places and the staging prefix
//     dropped, then meta/import is deleted. Readers wait (pubMu) during
//     this step.
//
// Open finishes step 3 when it finds meta/import (the copy is idempotent),
// and drops the staging prefix when it does not: an import killed before
// its commit point leaves nothing visible.

const published = "published"

// recoverImport finishes a published import or clears a dead one's staging.
func (s *Store) recoverImport() error {
	var pub, staged bool
	err := s.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get([]byte(kImport))
		switch {
		case err == nil:
			pub = true
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
	case pub:
		s.log.Warn("finishing an import interrupted after its commit")
		return s.copyStaged()
	case staged:
		s.log.Warn("clearing the staging of an import interrupted before its commit")
		return s.dropStaging()
	}
	return nil
}

func (s *Store) dropStaging() error {
	if err := s.db.DropPrefix([]byte(pStage)); err != nil {
		return fmt.Errorf("clear import staging: %w", err)
	}
	return nil
}

// stager writes the keys of a large import under the staging prefix,
// checking every few MB that the disk keeps caseboard's margin (the
// estimate made before is not a promise: others write to the disk too).
type stager struct {
	wb      *badger.WriteBatch
	s       *Store
	n, next int
}

func (st *stager) set(k, v []byte) error {
	if st.n >= st.next {
		if err := st.s.checkSpace(); err != nil {
			return err
		}
		st.next = st.n + 4<<20
	}
	st.n += len(k) + len(v)
	sk := make([]byte, 0, len(pStage)+len(k))
	sk = append(append(sk, pStage...), k...)
	return st.wb.Set(sk, v)
}

// publishStaged is the commit point, then the copy. emit, when not nil,
// writes the same keys and values again from what was staged (the import
// plan still in memory): the copy then need not read the staged tables
// back (through their mmap, all of them resident at once, and every block
// decompressed again). Open's recovery after a crash has no plan and
// copies from the staging.
func (s *Store) publishStaged(emit func(set func(k, v []byte) error) error) error {
	if err := s.db.Update(func(txn *badger.Txn) error {
		return txn.Set([]byte(kImport), []byte(published))
	}); err != nil {
		return fmt.Errorf("publish the import: %w", err)
	}
	if emit == nil {
		return s.copyStaged()
	}
	return s.placeStaged(emit)
}

// copyStaged moves staged keys to their places; readers wait meanwhile.
func (s *Store) copyStaged() error {
	return s.placeStaged(func(set func(k, v []byte) error) error {
		return s.db.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pStage), PrefetchValues: true, PrefetchSize: 256})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				item := it.Item()
				k := append([]byte(nil), item.Key()[len(pStage):]...)
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
}

// placeStaged writes what emit gives in place, drops the staging and
// ends the publication; readers wait meanwhile.
func (s *Store) placeStaged(emit func(set func(k, v []byte) error) error) error {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	defer holdHeap()()
	wb := s.db.NewWriteBatch()
	wb.SetMaxPendingTxns(importPendingTxns)
	defer wb.Cancel()
	err := emit(wb.Set)
	if err == nil {
		err = wb.Flush()
	}
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
// write of the whole desk (a staged import, a restore). Such a write
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
