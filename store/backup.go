package store

import (
	"fmt"
	"io"

	"github.com/dgraph-io/badger/v4"
)

// Backup writes a full backup (Badger's format) of the store.
func (s *Store) Backup(w io.Writer) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if _, err := s.db.Backup(w, 0); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// Empty reports whether the store holds no records.
func (s *Store) Empty() (bool, error) {
	empty := true
	err := s.view(func(txn *badger.Txn) error {
		for _, p := range []string{pAccount, pUser, pCase, pEntry, pEvent, pEsc} {
			if exists(txn, []byte(p)) {
				empty = false
			}
		}
		return nil
	})
	return empty, err
}
