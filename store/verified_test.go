package store

import (
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4/table"
)

// recordedTables runs Open's check of the files (not Open itself: a
// command's close writes, and compacts tables into new ones) until dir's
// verified.json names every table on disk (a table is recorded once its
// last change is older than a tick of the filesystem's clock), within a
// deadline; it returns the record.
func recordedTables(t *testing.T, dir string) map[uint64]tableStamp {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := verifyUnlocked(dir, badgerOptions(Options{Dir: dir}, slog.New(slog.DiscardHandler))); err != nil {
			t.Fatal(err)
		}
		onDisk, err := tableIDs(dir)
		if err != nil {
			t.Fatal(err)
		}
		rec := readVerified(dir)
		all := len(onDisk) > 0
		for id := range onDisk {
			if _, ok := rec[id]; !ok {
				all = false
			}
		}
		if all {
			return rec
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s of opens, %s records %d of %d tables", verifiedName, len(rec), len(onDisk))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestVerifiedTablesRecorded: opening a store records its tables' stamps
// in verified.json, 0600, a JSON list of id, size, inode, mtime and ctime
// matching each table file; a check that finds every table recorded
// leaves it as it is; the data directory still counts as a store's.
func TestVerifiedTablesRecorded(t *testing.T) {
	dir := damagedFixture(t)
	rec := recordedTables(t, dir)
	path := filepath.Join(dir, verifiedName)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s is %v, want 0600", verifiedName, fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	var raw verifiedRecord
	if err := json.Unmarshal(b, &raw); err != nil || raw.Version != verifiedVersion || len(raw.Tables) != len(rec) {
		t.Fatalf("%s: %v %s", verifiedName, err, b)
	}
	for id, ts := range rec {
		st, err := os.Stat(table.NewFilename(id, dir))
		if err != nil || st.Size() != ts.Size || st.ModTime().UnixNano() != ts.Mtime {
			t.Errorf("table %d: recorded %+v, on disk %v %v", id, ts, st, err)
		}
	}
	if _, err := verifyUnlocked(dir, badgerOptions(Options{Dir: dir}, slog.New(slog.DiscardHandler))); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(path); string(b2) != string(b) {
		t.Errorf("an open that changed no table rewrote the record:\n%s\n%s", b, b2)
	}
	// And Open itself reads the recorded store.
	s := openDir(t, dir)
	s.Close()
	if err := prepareDir(dir); err != nil {
		t.Errorf("the data directory with its record: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if isVerifiedTemp(e.Name()) {
			t.Errorf("a temporary record left behind: %s", e.Name())
		}
	}
}

// TestDamagedAfterRecordRefused: a store whose tables were verified and
// recorded, then damaged in place (a data block garbled with the table's
// size and mtime set back as they were; a table truncated, its mtime set
// back): Open still refuses it in one line, every file as it was.
func TestDamagedAfterRecordRefused(t *testing.T) {
	for name, hurt := range map[string]func(t *testing.T, f string){
		"garbled data block, size and mtime kept": func(t *testing.T, f string) {
			fh, err := os.OpenFile(f, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			st, _ := fh.Stat()
			buf := make([]byte, 16)
			off := st.Size() / 4
			fh.ReadAt(buf, off)
			for i := range buf {
				buf[i] ^= 0x5a
			}
			if _, err := fh.WriteAt(buf, off); err != nil {
				t.Fatal(err)
			}
		},
		"truncated table, mtime kept": func(t *testing.T, f string) {
			st, _ := os.Stat(f)
			if err := os.Truncate(f, st.Size()*2/3); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := damagedFixture(t)
			rec := recordedTables(t, dir)
			f := biggest(t, dir, "*.sst")
			before, _ := os.Stat(f)
			hurt(t, f)
			if err := os.Chtimes(f, before.ModTime(), before.ModTime()); err != nil {
				t.Fatal(err)
			}
			if after, _ := os.Stat(f); !after.ModTime().Equal(before.ModTime()) {
				t.Fatalf("the mtime was not set back")
			}
			if len(readVerified(dir)) != len(rec) {
				t.Fatal("the record changed")
			}
			refusedDamaged(t, dir)
		})
	}
}

// TestRecordedTableNotRead: a table whose stamp is the recorded one is not
// read again. Shown with a table garbled and its new stamp written into
// the record (what no user can do without setting back the clock, see
// tableStamp): verifyFiles passes it; without the record it is refused.
func TestRecordedTableNotRead(t *testing.T) {
	dir := damagedFixture(t)
	rec := recordedTables(t, dir)
	f := biggest(t, dir, "*.sst")
	id, _ := table.ParseFileID(filepath.Base(f))
	b, _ := os.ReadFile(f)
	for i := len(b) / 4; i < len(b)/4+16; i++ {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	ts, _, err := stampTable(f, id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rec[id] = ts
	if err := writeVerified(dir, rec); err != nil {
		t.Fatal(err)
	}
	bo := badgerOptions(Options{Dir: dir}, slog.New(slog.DiscardHandler))
	if _, err := verifyFiles(dir, bo, true); err != nil {
		t.Errorf("a recorded table was read again: %v", err)
	}
	if _, err := verifyFiles(dir, bo, false); err == nil {
		t.Error("the garbled table passed a full check")
	}
}

// TestReadOnlyDamagedAfterRecordRefused: a store on a filesystem mounted
// read-only after its tables were recorded and one of them garbled in
// place (mtime set back): a command that only reads is refused in one
// line, and nothing can be or is written (the record stays as it was).
func TestReadOnlyDamagedAfterRecordRefused(t *testing.T) {
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mnt).CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" || os.Geteuid() == 0 {
			t.Fatalf("mount a tmpfs: %v %s", err, out)
		}
		t.Skipf("needs root to mount a tmpfs read-only (%v)", err)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	good := damagedFixture(t)
	dir := filepath.Join(mnt, "s")
	if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
		t.Fatal(err)
	}
	rec := recordedTables(t, dir)
	f := biggest(t, dir, "*.sst")
	before, _ := os.Stat(f)
	b, _ := os.ReadFile(f)
	for i := len(b) / 4; i < len(b)/4+16; i++ {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(f, before.ModTime(), before.ModTime())
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount ro: %v %s", err, out)
	}
	s, err := Open(Options{Dir: dir, Read: true})
	var d *DamagedError
	if err == nil {
		s.Close()
		t.Fatal("the damaged read-only store opened")
	}
	if !errors.As(err, &d) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("%T: %v (want the damaged line)", err, err)
	}
	if !sameVerified(readVerified(dir), rec) {
		t.Error("the record changed")
	}
}
