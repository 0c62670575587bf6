package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/table"
	"golang.org/x/sys/unix"
)

// ownFiles are what caseboard itself keeps beside Badger's files in a data
// directory; lost+found is what a freshly made filesystem holds.
var ownFiles = map[string]bool{
	LogName: true, holderName: true, "caseboard.sock": true, "caseboard.sock.path": true,
	"ssh_host_ed25519": true, "ssh_host_ed25519.pub": true, "lost+found": true,
	stagingName: true, oldName: true, swapName + ".tmp": true, verifiedName: true,
}

// isOwnFile reports whether name is one of caseboard's own files, the old
// logs the rotation keeps (caseboard-2006-01-02T15-04-05.000.log) and a
// temporary file of the verified tables' record included.
func isOwnFile(name string) bool {
	if ownFiles[name] || isVerifiedTemp(name) {
		return true
	}
	ts, ok := strings.CutPrefix(name, "caseboard-")
	if ts, ok = strings.CutSuffix(ts, ".log"); !ok {
		return false
	}
	_, err := time.Parse(logBackupTime, ts)
	return err == nil
}

// NoStoreError is a command that only reads given a directory holding no
// store: reads never create one (a typo in a nightly script would
// otherwise print an empty desk and succeed).
type NoStoreError struct {
	Dir string
	// Board: the board was asked for, which has a demo to offer.
	Board bool
}

func (e *NoStoreError) Error() string {
	demo := ""
	if e.Board {
		demo = ", or try caseboard --demo"
	}
	return fmt.Sprintf("no store at %s (create one with caseboard user add ... or caseboard import FILE%s)", e.Dir, demo)
}

// CheckStore reports, as a *NoStoreError, that dir is missing or holds no
// store (no Badger MANIFEST, no restore swap under way); it creates
// nothing.
func CheckStore(dir string) error {
	fi, err := os.Stat(filepath.Join(dir, badger.ManifestFilename))
	if errors.Is(err, os.ErrNotExist) {
		// In the middle of a restore's swap the MANIFEST may be moved
		// aside: the journal says a store is there, which Open settles.
		if _, jerr := os.Stat(filepath.Join(dir, swapName)); jerr == nil {
			return nil
		}
		// Tables without a MANIFEST are a damaged store, not none: Open
		// says so (verifyFiles) rather than "no store".
		if ssts, _ := filepath.Glob(filepath.Join(dir, "*.sst")); len(ssts) > 0 {
			return nil
		}
	}
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &NoStoreError{Dir: dir}
	case errors.Is(err, unix.ENOTDIR):
		return fmt.Errorf("the data directory %s: not a directory", dir)
	case err != nil:
		return fmt.Errorf("the data directory %s: %w", dir, err)
	case !fi.Mode().IsRegular():
		return &NoStoreError{Dir: dir}
	}
	return nil
}

// prepareDir makes sure dir can be a data directory, creating it (0700)
// when missing. A directory that holds other files and no store is
// refused before anything is written into it: `--data ~` must not strew a
// database among someone's files. A directory that is ours is tightened
// to 0700: it holds the whole desk, for nobody else on the machine.
func prepareDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create the data directory: %w", err)
		}
		// MkdirAll's mode passes through the umask, which can only take
		// bits away; Chmod makes it exact whatever the umask.
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("create the data directory: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("the data directory %s: %w", dir, err)
	}
	foreign := ""
	for _, e := range entries {
		switch {
		case e.Name() == badger.ManifestFilename, e.Name() == swapName:
			tighten(dir)
			return nil // a Badger store (or one in the middle of a restore's swap): ours
		case isTable(e.Name()):
			tighten(dir)
			return nil // a Badger store (its MANIFEST may be lost: verifyFiles says so)
		case !isOwnFile(e.Name()) && foreign == "":
			foreign = e.Name()
		}
	}
	if foreign != "" {
		return fmt.Errorf("the data directory %s holds other files (%s) and no caseboard store: give an empty or new directory", dir, foreign)
	}
	tighten(dir)
	return nil
}

// tighten takes the group's and others' bits off a data directory that is
// ours. It is best effort: a read-only filesystem, or a directory another
// user owns (read by root), stays as it is and is still read.
func tighten(dir string) {
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o077 != 0 {
		_ = os.Chmod(dir, fi.Mode().Perm()&0o700)
	}
}

// writable reports whether this process may create files in dir (false
// on a read-only filesystem, or without write permission).
func writable(dir string) bool {
	return unix.Access(dir, unix.W_OK) == nil
}

// isTable reports a Badger table's file name.
func isTable(name string) bool {
	_, ok := table.ParseFileID(name)
	return ok
}
