package store

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// initReadOnly is init for a store opened read-only (a command that only
// reads, on a directory it cannot write): it checks the schema and that
// no import was left half done, since neither can be repaired here. No
// number sequence is taken (that writes a lease), so nothing can be
// written through this Store.
func (s *Store) initReadOnly() error {
	var schema int64 = -1
	var pub, staged bool
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(kSchema))
		switch {
		case errors.Is(err, badger.ErrKeyNotFound):
		case err != nil:
			return err
		default:
			if err := item.Value(func(v []byte) error {
				schema, err = decInt(v)
				return err
			}); err != nil {
				return err
			}
		}
		if _, err := txn.Get([]byte(kImport)); err == nil {
			pub = true
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		staged = exists(txn, []byte(pStage))
		return nil
	})
	switch {
	case err != nil:
		return fmt.Errorf("read the store's schema: %w", err)
	case schema < 0 && s.hadTables:
		return &DamagedError{Dir: s.dir, Why: "its schema record is missing (tables were lost)"}
	case schema > SchemaVersion:
		return fmt.Errorf("store %s was written by a newer caseboard (schema %d); this one reads up to %d",
			s.where(), schema, SchemaVersion)
	case pub || staged:
		return fmt.Errorf("the store %s holds an import that was interrupted, and its directory cannot be written: run a command where it can, to finish or clear it", s.dir)
	}
	s.clReady.Store(schema < 0 || schema >= closedSchema)
	s.aqReady.Store(schema < 0 || schema >= alertIndexSchema)
	return nil
}

// ReadOnly reports whether the store was opened read-only (Options.Read
// on a directory this process cannot write).
func (s *Store) ReadOnly() bool { return s.readOnly }
