package store

import (
	"errors"
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

// Restore loads a backup. A store that holds records is refused unless
// force, which empties it first. Subscribers are told to resync.
func (s *Store) Restore(r io.Reader, force bool) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if err := s.checkSpace(); err != nil {
		return err
	}
	empty, err := s.Empty()
	if err != nil {
		return err
	}
	if !empty && !force {
		return fmt.Errorf("the store %s is not empty: restore --force replaces everything in it", s.where())
	}
	if err := s.releaseSequences(); err != nil {
		return err
	}
	s.pubMu.Lock()
	err = s.db.DropAll()
	if err == nil {
		err = s.db.Load(r, 256)
	}
	s.pubMu.Unlock()
	if err != nil {
		err = fmt.Errorf("restore: %w", err)
	}
	// Whatever was loaded: check the schema and finish anything staged,
	// then take the sequences again.
	if ierr := s.init(); ierr != nil {
		err = errors.Join(err, ierr)
	}
	s.feed.resync()
	return err
}
