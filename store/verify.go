package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"
	"golang.org/x/sys/unix"
)

// DamagedError is a store whose files are damaged (a truncated or garbled
// MANIFEST or table): opening it would lose data without a word, or crash.
type DamagedError struct {
	Dir string
	Why string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("the store %s is damaged: %s; restore it from a backup (caseboard restore FILE)", e.Dir, e.Why)
}

// errDirLocked: another process holds the directory's lock.
var errDirLocked = errors.New("Cannot acquire directory lock (held by another process)")

// verifyUnlocked runs verifyFiles under a shared flock of the directory,
// so that no process changes the files meanwhile; errDirLocked when one
// holds it (isLockErr recognizes it like Badger's own).
func verifyUnlocked(dir string, bo badger.Options) (bool, error) {
	d, err := os.Open(dir)
	if err != nil {
		return false, fmt.Errorf("open the store %s: %w", dir, err)
	}
	defer d.Close()
	if err := unix.Flock(int(d.Fd()), unix.LOCK_SH|unix.LOCK_NB); err != nil {
		if errors.Is(err, unix.EWOULDBLOCK) {
			return false, errDirLocked
		}
		return false, fmt.Errorf("open the store %s: %w", dir, err)
	}
	defer unix.Flock(int(d.Fd()), unix.LOCK_UN)
	return verifyFiles(dir, bo)
}

// verifyFiles checks the store's files before Badger opens them, since
// Badger does not say when they are damaged: it replays a MANIFEST only up
// to its last whole entry (then deletes the tables the lost entries named),
// skips a table whose checksum fails, and panics in a goroutine of its own
// (which no caller can recover) on a truncated table. Here the MANIFEST
// must be whole, every table it names must exist, and each must open with
// its checksums verified, in this goroutine, where a panic is recovered.
// It reports whether the store holds tables (so that it is not new).
func verifyFiles(dir string, bo badger.Options) (hasTables bool, err error) {
	damaged := func(format string, a ...any) error {
		return &DamagedError{Dir: dir, Why: firstLine(fmt.Sprintf(format, a...))}
	}
	fp, err := os.Open(filepath.Join(dir, badger.ManifestFilename))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil // a new store
	}
	if err != nil {
		return false, fmt.Errorf("open the store %s: %w", dir, err)
	}
	defer fp.Close()
	fi, err := fp.Stat()
	if err != nil {
		return false, fmt.Errorf("open the store %s: %w", dir, err)
	}
	m, end, err := badger.ReplayManifestFile(fp, bo.ExternalMagicVersion, bo)
	if err != nil {
		return false, damaged("its MANIFEST cannot be read (%v)", err)
	}
	if end != fi.Size() {
		// Badger writes each MANIFEST entry with one write: a process
		// killed mid-way does not leave half of one.
		return false, damaged("its MANIFEST is cut short (%d of %d bytes are whole entries)", end, fi.Size())
	}
	for id, tm := range m.Tables {
		name := table.NewFilename(id, dir)
		if _, err := os.Stat(name); err != nil {
			return true, damaged("table %s is missing", filepath.Base(name))
		}
		if tm.KeyID != 0 {
			continue // encrypted (caseboard does not encrypt): Badger checks it
		}
		if err := verifyTable(name, tm, bo); err != nil {
			return true, damaged("table %s: %v", filepath.Base(name), err)
		}
	}
	ssts, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
	return len(m.Tables) > 0 || len(ssts) > 0, nil
}

// verifyTable opens one table read-only with every block's checksum
// verified, recovering the panics Badger's table code raises on a
// truncated file.
func verifyTable(name string, tm badger.TableManifest, bo badger.Options) (err error) {
	mf, err := z.OpenMmapFile(name, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	closed := false
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("it is truncated or garbled (Badger could not read it)")
		}
		if !closed {
			_ = z.Munmap(mf.Data)
			_ = mf.Fd.Close()
		}
	}()
	topt := table.Options{
		ReadOnly:    true,
		ChkMode:     options.OnTableRead,
		BlockSize:   bo.BlockSize,
		Compression: tm.Compression,
	}
	t, err := table.OpenTable(mf, topt)
	if err != nil {
		// OpenTable closes the file itself when the checksum fails.
		closed = strings.Contains(err.Error(), "failed to verify checksum")
		return err
	}
	_ = t // not DecrRef: at zero references Badger deletes the table's file
	return nil
}

// firstLine keeps the first line of s (Badger's panics span several).
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i]) + " ..."
	}
	return s
}
