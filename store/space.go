package store

import (
	"errors"
	"fmt"
	"syscall"
)

// minFree is the free space a write needs on the store's filesystem.
// Badger writes through mmapped files that it sizes up front (memtable
// logs, value logs, tables) without reserving the blocks: on a full
// filesystem a write into them is a SIGBUS that kills the process, with
// nothing to recover. Refusing to write below this margin (two memtables)
// turns a full disk into one clear line, before anything is written.
const minFree = 32 << 20

// DiskFullError is a write refused for want of space: nothing was written.
type DiskFullError struct {
	Dir        string
	Free, Need uint64
}

func (e *DiskFullError) Error() string {
	return fmt.Sprintf("the disk holding %s is full: %d KB free, caseboard needs %d MB to write safely; nothing was written",
		e.Dir, e.Free>>10, (e.Need+(1<<20)-1)>>20)
}

// checkSpace refuses a write when the filesystem holding the store has
// less than minFree available (never for an in-memory store).
func (s *Store) checkSpace() error { return s.checkSpaceFor(minFree) }

// checkSpaceFor refuses a write that needs more than what is available
// (need includes the margin).
func (s *Store) checkSpaceFor(need uint64) error {
	free, ok := s.freeSpace()
	if ok && free < need {
		return &DiskFullError{Dir: s.dir, Free: free, Need: need}
	}
	return nil
}

func (s *Store) freeSpace() (uint64, bool) {
	if s.opts.InMemory || s.dir == "" {
		return 0, false
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(s.dir, &st); err != nil {
		return 0, false // cannot tell: let Badger report what happens
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}

// writeErr turns a full disk met while writing (ENOSPC) into the one line
// of a *DiskFullError; need is what the write needed without the margin.
func (s *Store) writeErr(err error, need uint64) error {
	var full *DiskFullError
	if errors.As(err, &full) {
		// Met on the way (the margin ran out): say what the whole write
		// needs.
		full.Need = max(full.Need, need+minFree)
		return full
	}
	if errors.Is(err, syscall.ENOSPC) {
		free, _ := s.freeSpace()
		return &DiskFullError{Dir: s.dir, Free: free, Need: need + minFree}
	}
	return err
}
