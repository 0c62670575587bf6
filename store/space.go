package store

import (
	"fmt"
	"syscall"
)

// minFree is the free space a write needs on the store's filesystem.
// Badger writes through mmapped files that it sizes up front (memtable
// logs, value logs) without reserving the blocks: on a full filesystem a
// write into them is a SIGBUS that kills the process, with nothing to
// recover. Refusing to write below this margin (two memtables) turns a
// full disk into one clear line, before anything is written.
const minFree = 32 << 20

// checkSpace refuses a write when the filesystem holding the store has
// less than minFree available (never for an in-memory store).
func (s *Store) checkSpace() error {
	if s.opts.InMemory || s.dir == "" {
		return nil
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(s.dir, &st); err != nil {
		return nil // cannot tell: let Badger report what happens
	}
	free := uint64(st.Bavail) * uint64(st.Bsize)
	if free < minFree {
		return fmt.Errorf("the disk holding %s is full: %d KB free, caseboard needs %d MB to write safely; nothing was written",
			s.dir, free>>10, minFree>>20)
	}
	return nil
}
