package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"
	"golang.org/x/sys/unix"
)

// DamagedError is a store whose files are damaged (a garbled memtable log,
// a MANIFEST that lost entries or cannot be read, a table missing,
// truncated or garbled): opening it would lose acknowledged writes without
// a word, or crash.
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
	return verifyFiles(dir, bo, true)
}

// verifyFiles checks the store's files before Badger opens them, since
// Badger does not say when they are damaged: it replays a memtable log
// only up to its first bad entry (then truncates the rest), replays a
// MANIFEST only up to its last whole entry and deletes the tables no entry
// names, skips a table whose checksum fails, and panics in a goroutine of
// its own (which no caller can recover) on a truncated table. Here every
// memtable log may end only in a torn write (walcheck.go); the MANIFEST
// must be readable (a last entry cut short is a change set whose write
// never completed: Badger drops it, never having acted on it); every table
// it names must exist and open with its checksums verified, in this
// goroutine, where a panic is recovered; and a table it does not name may
// hold only writes that are elsewhere (manifestcheck.go). Nothing is
// changed but the record of verified tables (verified.go), when record is
// set: a table whose stamp is the one recorded when it was last verified
// is not read again. It reports whether the store holds tables (so that
// it is not new).
func verifyFiles(dir string, bo badger.Options, record bool) (hasTables bool, err error) {
	damaged := func(format string, a ...any) error {
		return &DamagedError{Dir: dir, Why: firstLine(fmt.Sprintf(format, a...))}
	}
	onDisk, err := tableIDs(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil // a new store
	}
	if err != nil {
		return false, fmt.Errorf("open the store %s: %w", dir, err)
	}
	if err := checkWALs(dir, nil, damaged); err != nil {
		return false, err
	}
	b, err := os.ReadFile(filepath.Join(dir, badger.ManifestFilename))
	if errors.Is(err, os.ErrNotExist) {
		if len(onDisk) > 0 {
			// Badger creates the MANIFEST before any table; without it,
			// it would start a new one and delete every table.
			return true, damaged("its MANIFEST is missing (the store has %s)", plural(len(onDisk), "table"))
		}
		return false, nil // a new store
	}
	if err != nil {
		return false, fmt.Errorf("open the store %s: %w", dir, err)
	}
	fp, err := os.Open(filepath.Join(dir, badger.ManifestFilename))
	if err != nil {
		return false, fmt.Errorf("open the store %s: %w", dir, err)
	}
	defer fp.Close()
	m, end, err := badger.ReplayManifestFile(fp, bo.ExternalMagicVersion, bo)
	if err != nil {
		return false, damaged("its MANIFEST cannot be read (%v)", err)
	}
	var known, verified map[uint64]tableStamp
	if record {
		known, verified = readVerified(dir), make(map[uint64]tableStamp, len(m.Tables))
	}
	for id, tm := range m.Tables {
		name := table.NewFilename(id, dir)
		if !onDisk[id] {
			return true, damaged("table %s is missing", filepath.Base(name))
		}
		if tm.KeyID != 0 {
			continue // encrypted (caseboard does not encrypt): Badger checks it
		}
		// The stamp is taken before the table is read: a write after it
		// gives the file another stamp, and the next open reads it again.
		ts, settled, serr := stampTable(name, id, time.Now())
		if record && serr == nil {
			if k, ok := known[id]; ok && k == ts {
				verified[id] = ts
				continue // verified before, and not changed since
			}
		}
		if err := verifyTable(name, tm.Compression, bo, nil); err != nil {
			return true, damaged("table %s: %v", filepath.Base(name), err)
		}
		if record && serr == nil && settled {
			verified[id] = ts
		}
	}
	if err := checkUnreferenced(dir, m, b[:min(end, int64(len(b)))], onDisk, bo, damaged); err != nil {
		return true, err
	}
	// Written only when it changes, and only where this process may write
	// (a command that only reads, on a directory it cannot write, checks
	// the tables it does not find recorded in full every time). A record
	// that cannot be written costs the next open a full check, no more.
	if record && !sameVerified(known, verified) && !bo.ReadOnly && writable(dir) {
		_ = writeVerified(dir, verified)
	}
	return len(m.Tables) > 0 || len(onDisk) > 0, nil
}

// verifyTable opens one table read-only with every block's checksum
// verified, recovering the panics Badger's table code raises on a
// truncated file, and calls keys (if not nil) with each key it holds (with
// its version) and whether that version is a delete.
func verifyTable(name string, compression options.CompressionType, bo badger.Options, keys func(key []byte, deleted bool)) (err error) {
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
		Compression: compression,
	}
	t, err := table.OpenTable(mf, topt)
	if err != nil {
		// OpenTable closes the file itself when the checksum fails.
		closed = strings.Contains(err.Error(), "failed to verify checksum")
		return err
	}
	// Never DecrRef the table to zero: at zero references Badger deletes
	// its file. The iterator takes a reference of its own and gives it back.
	if keys != nil {
		it := t.NewIterator(0)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			keys(it.Key(), it.Value().Meta&bitDelete != 0)
		}
	}
	return nil
}

// bitDelete marks a delete in a table's value meta (badger's value.go).
const bitDelete = 1 << 0

// firstLine keeps the first line of s (Badger's panics span several).
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i]) + " ..."
	}
	return s
}
