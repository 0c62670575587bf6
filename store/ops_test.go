package store

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// withUmask runs f under the given umask (process-wide: these tests do not
// run in parallel) and puts the old one back.
func withUmask(mask int, f func()) {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	f()
}

// TestReadOpenNeverCreates: Options.Read on a missing directory, or on an
// existing one without a store, is a *NoStoreError with the one line, and
// leaves the directory as it was (missing, or empty).
func TestReadOpenNeverCreates(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "typo")
	empty := t.TempDir()
	for _, dir := range []string{missing, empty} {
		_, err := Open(Options{Dir: dir, Read: true, HeldWait: time.Second})
		var none *NoStoreError
		want := "no store at " + dir + " (create one with caseboard user add ... or caseboard import FILE)"
		if !errors.As(err, &none) || err.Error() != want {
			t.Errorf("read open of %s: %v; want %q", dir, err, want)
		}
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the missing directory was created: %v", err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("the empty directory now holds %d entries", len(entries))
	}
	// A store opens for reading, and a write open still creates one.
	s := openDir(t, missing)
	s.Close()
	r, err := Open(Options{Dir: missing, Read: true, HeldWait: time.Second})
	if err != nil {
		t.Fatalf("read open of a store: %v", err)
	}
	r.Close()
}

// TestDataDirModes: under umask 0000 a new data directory is 0700 and
// caseboard's own files in it (the log, the holder file) are 0600; an
// existing store directory left 0755 is tightened to 0700 when it is
// opened. (Badger's files follow the umask, which cli.Main sets to 0077:
// the built-binary TestBinaryFileModes checks them.)
func TestDataDirModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "desk")
	withUmask(0, func() {
		logger, lf, err := OpenLog(dir)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Open(Options{Dir: dir, Logger: logger, HeldWait: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(mustParse(t, sampleDoc), "", t0); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"", LogName, holderName} {
			fi, err := os.Stat(filepath.Join(dir, name))
			want := os.FileMode(0o600)
			if name == "" {
				want = 0o700
			}
			if err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s/%s: %v %v, want mode %v", dir, name, fi.Mode(), err, want)
			}
		}
		s.Close()
		lf.Close()
	})
	os.Chmod(dir, 0o755)
	s := openDir(t, dir)
	s.Close()
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("an existing store directory of mode 0755 is %v after an open, want 0700", fi.Mode().Perm())
	}
}

// TestLogRotatesBySize: the log is cut at its size and only Backups old
// files are kept, each 0600 (even under umask 0000), each a file a data
// directory may hold.
func TestLogRotatesBySize(t *testing.T) {
	dir := t.TempDir()
	const maxBytes = 1 << 20
	withUmask(0, func() {
		logger, lf, err := OpenLogOptions(dir, LogOptions{MaxMB: 1, Backups: 2})
		if err != nil {
			t.Fatal(err)
		}
		pad := strings.Repeat("x", 200)
		for i := 0; i < 20000; i++ { // about 5 MB
			logger.Info("forwarded command", "n", i, "pad", pad)
		}
		lf.Close()
	})
	var logs []string
	deadline := time.Now().Add(10 * time.Second)
	for {
		// lumberjack removes the oldest files in a goroutine of its own.
		logs, _ = filepath.Glob(filepath.Join(dir, "caseboard*.log"))
		if len(logs) <= 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(logs) != 3 {
		t.Fatalf("%d log files (%v), want the log and 2 old ones", len(logs), logs)
	}
	for _, p := range logs {
		fi, _ := os.Stat(p)
		if fi.Size() > maxBytes {
			t.Errorf("%s: %d bytes, more than %d", filepath.Base(p), fi.Size(), maxBytes)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
		if !isOwnFile(filepath.Base(p)) {
			t.Errorf("%s is not taken as caseboard's own file", filepath.Base(p))
		}
		t.Logf("%s: %d bytes", filepath.Base(p), fi.Size())
	}
	// A directory holding only logs (no store yet) is still ours.
	s, err := Open(Options{Dir: dir, HeldWait: time.Second})
	if err != nil {
		t.Fatalf("a directory with rotated logs: %v", err)
	}
	s.Close()
}

// TestBadgerInfoNotLogged: opening, writing and closing a store logs no
// Badger INFO line (they were three quarters of the log); Badger's
// warnings still reach it.
func TestBadgerInfoNotLogged(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		s, err := Open(Options{Dir: dir, Logger: logger, HeldWait: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, err := s.Import(mustParse(t, sampleDoc), "", t0); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
	}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if strings.Contains(line, "from=badger") && !strings.Contains(line, "level=WARN") && !strings.Contains(line, "level=ERROR") {
			t.Errorf("a Badger line below WARN: %s", line)
		}
	}
	badgerLogger{logger}.Warningf("disk slow")
	if !strings.Contains(buf.String(), `level=WARN msg="disk slow" from=badger`) {
		t.Errorf("Badger's warning was not logged: %s", buf.String())
	}
	t.Logf("log of two opens and an import: %d bytes, %d lines", buf.Len(), strings.Count(buf.String(), "\n"))
}

// TestHeldWithoutHolderFileNamesPid: a store whose Badger lock is taken
// with no holder file beside it (not a caseboard process) is still named
// after the wait, by the pid in Badger's lock file, in the one wording.
func TestHeldWithoutHolderFileNamesPid(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir)
	s.Close()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = Open(Options{Dir: dir, HeldWait: 200 * time.Millisecond})
	want := "the store " + dir + " is held by another program (pid " + itoa(os.Getpid()) + ")"
	var he *HeldError
	if !errors.As(err, &he) || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}
