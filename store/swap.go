package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// Swapping a staged store in. Badger's files sit directly in the data
// directory beside caseboard's own, so the swap is a series of renames,
// steered by a journal (DIR/restore.swap) that names the step under way:
//
//	out       move the live store's files into DIR/restore.old
//	in        move the staged files (DIR/restore.staging/db) into DIR
//	back-out  (undoing) move the files in DIR back to the staging
//	back-in   (undoing) move restore.old's files back into DIR
//
// Each step moves every Badger file from one directory to another, so it
// can be run again after a crash until it is done; the journal is written
// (and synced) before a step starts, and removed when the last one ends.
// It is written only once the staged store is whole, verified and synced,
// so Open after a crash at any instant finishes the steps the journal
// names: the store is the old one or the new one, never a mixture.
// restore.old is removed only after the new store opened.

const (
	oldName  = "restore.old"
	swapName = "restore.swap"
)

const (
	stepOut     = "out"
	stepIn      = "in"
	stepBackOut = "back-out"
	stepBackIn  = "back-in"
)

// isBadgerFile: what a step moves (LOCK stays: Badger's lock is a flock
// of the directory, and it rewrites the file when it opens).
func isBadgerFile(name string) bool {
	switch {
	case strings.HasPrefix(name, "MANIFEST"), strings.HasPrefix(name, "KEYREGISTRY"), name == "DISCARD":
		return true
	}
	ext := filepath.Ext(name)
	return ext == ".sst" || ext == ".vlog" || ext == ".mem"
}

// swapIn replaces the live store with the staged one in dbDir, under
// writeMu. Readers wait (pubMu) while no store is open. If the new store
// will not open, the old one is put back.
func (s *Store) swapIn(dbDir string) error {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	// While this process swaps, it holds a flock of the staging directory:
	// another process that finds the journal then waits instead of
	// finishing the swap itself (the kernel drops the flock if this one
	// dies, and then the next Open does finish it).
	unlock, err := flockDir(filepath.Join(s.dir, stagingName), unix.LOCK_EX)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer unlock()
	if err := writeJournal(s.dir, stepOut); err != nil {
		return err
	}
	if hook := restoreHook; hook != nil {
		hook("journal")
	}
	if err := s.releaseSequences(); err != nil {
		s.log.Warn("restore: release the sequences", "err", err)
	}
	if err := s.db.Close(); err != nil {
		s.log.Warn("restore: close the old store", "err", err)
	}
	if hook := restoreHook; hook != nil {
		hook("closed")
	}
	if err := runSwap(s.dir, stepOut); err != nil {
		// A rename within the directory failed: the journal stays, and
		// the next Open finishes the steps.
		s.abandon()
		return err
	}
	err = s.reopen()
	if err == nil {
		// The new store is open: the old files can go.
		_ = os.RemoveAll(filepath.Join(s.dir, oldName))
		return nil
	}
	var held *HeldError
	if errors.As(err, &held) || isLockErr(err) {
		// Another process opened the restored store in the instant between
		// the swap and this reopen: it is whole and in use, so it stays.
		s.abandon()
		return fmt.Errorf("restore: the backup was restored, but another process took the store before this one reopened it: %w", err)
	}
	s.log.Error("restore: the restored store did not open; putting the old one back", "err", err)
	berr := writeJournal(s.dir, stepBackOut)
	if berr == nil {
		berr = runSwap(s.dir, stepBackOut)
	}
	if berr == nil {
		berr = s.reopen()
	}
	if berr != nil {
		// Neither opens: what the journal names is left for the next Open.
		s.abandon()
		return errors.Join(fmt.Errorf("restore: %w", err), berr)
	}
	return fmt.Errorf("restore: the restored store did not open (the old one is back): %w", err)
}

// abandon marks the store closed after a swap that could not finish (the
// journal stays for the next Open), and gives up the holder file so that
// the next Open does not wait for this process.
func (s *Store) abandon() {
	s.closed = true
	s.feed.closeAll()
	if s.holder != nil {
		_ = s.holder.remove()
	}
}

// reopen opens the directory's store again in s (settling the journal
// first), and takes the holder file and the sequences again.
func (s *Store) reopen() error {
	db, had, err := openHeld(s.opts, s.log)
	if err != nil {
		return err
	}
	s.db, s.hadTables = db, had
	if err := s.holder.write(); err != nil {
		s.log.Warn("restore: rewrite the holder file", "err", err)
	}
	if err := s.init(); err != nil {
		_ = s.releaseSequences()
		_ = s.db.Close()
		return err
	}
	return nil
}

// restoreHook lets the crash test pause a restore at a step.
var restoreHook func(step string)

// settleSwap finishes the steps an interrupted swap's journal names. It
// reports busy (and does nothing) while another process is swapping (it
// holds the staging directory's flock) or holds the store.
func settleSwap(dir string) (busy bool, err error) {
	step, err := readJournal(dir)
	if err != nil || step == "" {
		return false, err
	}
	unlockStaging, err := flockDir(filepath.Join(dir, stagingName), unix.LOCK_EX|unix.LOCK_NB)
	switch {
	case errors.Is(err, unix.EWOULDBLOCK):
		return true, nil
	case errors.Is(err, os.ErrNotExist):
		unlockStaging = func() {}
	case err != nil:
		return false, fmt.Errorf("open the store %s: %w", dir, err)
	}
	defer unlockStaging()
	unlockDir, err := flockDir(dir, unix.LOCK_EX|unix.LOCK_NB)
	switch {
	case errors.Is(err, unix.EWOULDBLOCK):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("open the store %s: %w", dir, err)
	}
	defer unlockDir()
	return false, runSwap(dir, step)
}

// flockDir takes a flock of a directory; unlock releases it.
func flockDir(dir string, how int) (unlock func(), err error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(d.Fd()), how); err != nil {
		d.Close()
		return nil, err
	}
	return func() {
		_ = unix.Flock(int(d.Fd()), unix.LOCK_UN)
		d.Close()
	}, nil
}

// runSwap runs the steps from step on and removes the journal.
func runSwap(dir, step string) error {
	old := filepath.Join(dir, oldName)
	staged := filepath.Join(dir, stagingName, stagedDB)
	var plan []string
	switch step {
	case stepOut:
		plan = []string{stepOut, stepIn}
	case stepIn:
		plan = []string{stepIn}
	case stepBackOut:
		plan = []string{stepBackOut, stepBackIn}
	case stepBackIn:
		plan = []string{stepBackIn}
	default:
		return &DamagedError{Dir: dir, Why: fmt.Sprintf("its restore journal %s names no step (%q)", swapName, step)}
	}
	for i, st := range plan {
		if i > 0 {
			if err := writeJournal(dir, st); err != nil {
				return err
			}
		}
		var err error
		switch st {
		case stepOut:
			err = moveBadgerFiles(dir, old)
		case stepIn:
			err = moveBadgerFiles(staged, dir)
		case stepBackOut:
			err = moveBadgerFiles(dir, staged)
		case stepBackIn:
			err = moveBadgerFiles(old, dir)
		}
		if err != nil {
			return fmt.Errorf("restore: step %s: %w", st, err)
		}
	}
	if err := os.Remove(filepath.Join(dir, swapName)); err != nil {
		return fmt.Errorf("restore: remove the journal: %w", err)
	}
	return syncPath(dir)
}

// moveBadgerFiles renames every Badger file of from into to (made if
// missing), then syncs both directories.
func moveBadgerFiles(from, to string) error {
	if err := os.MkdirAll(to, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(from)
	if errors.Is(err, os.ErrNotExist) {
		return nil // already moved, and removed
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !isBadgerFile(e.Name()) {
			continue
		}
		if err := os.Rename(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return err
		}
		if hook := restoreHook; hook != nil {
			hook("moved " + e.Name())
		}
	}
	if err := syncPath(to); err != nil {
		return err
	}
	return syncPath(from)
}

// writeJournal replaces the journal atomically with step, synced.
func writeJournal(dir, step string) error {
	path := filepath.Join(dir, swapName)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("restore: write the journal: %w", err)
	}
	_, err = f.WriteString(step + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("restore: write the journal: %w", err)
	}
	return syncPath(dir)
}

// readJournal gives the step an interrupted swap was at ("" for none).
func readJournal(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, swapName))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("open the store %s: read its restore journal: %w", dir, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// clearRestoreLeftovers removes what a restore that did not reach its
// swap (or finished it) left behind, and a dead import's spool and copy
// of its document; called with the store open, so no other process is
// restoring or importing.
func clearRestoreLeftovers(dir string) error {
	names := []string{stagingName, oldName, swapName + ".tmp", importSpoolName}
	inputs, _ := filepath.Glob(filepath.Join(dir, importInputName+"*"))
	for _, in := range inputs {
		names = append(names, filepath.Base(in))
	}
	for _, name := range names {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("clear the leftovers of a restore: %w", err)
		}
	}
	return nil
}
