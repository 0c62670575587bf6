package store

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

func TestHeldByServe(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(Options{Dir: dir, Role: "serve", Addr: "127.0.0.1:23234"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, err = Open(Options{Dir: dir})
	var he *HeldError
	if !errors.As(err, &he) || he.Role != "serve" || he.PID != os.Getpid() {
		t.Fatalf("got %v", err)
	}
	want := "the store " + dir + " is held by caseboard serve (pid " + itoa(os.Getpid()) + ", listening on 127.0.0.1:23234)"
	if err.Error() != want {
		t.Fatalf("got  %q\nwant %q", err.Error(), want)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestStaleHolderIgnored: a holder file left by a crash names a process
// that is gone, or whose pid now belongs to another live program; nobody
// holds Badger's lock, so the store opens either way.
func TestStaleHolderIgnored(t *testing.T) {
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip("no true(1)")
	}
	for name, pid := range map[string]int{"dead pid": gone.Process.Pid, "pid reused by a live process": os.Getpid()} {
		dir := t.TempDir()
		h := &holderFile{path: filepath.Join(dir, holderName), info: Holder{PID: pid, Role: "board"}}
		h.write()
		s, err := Open(Options{Dir: dir, HeldWait: time.Second})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.Close()
	}
}

func TestHeldByCommandWaits(t *testing.T) {
	dir := t.TempDir()
	a := openDir(t, dir)
	go func() {
		time.Sleep(300 * time.Millisecond)
		a.Close()
	}()
	start := time.Now()
	b, err := Open(Options{Dir: dir, Role: "board", HeldWait: 5 * time.Second})
	if err != nil {
		t.Fatalf("waiting for a command: %v", err)
	}
	defer b.Close()
	if time.Since(start) < 250*time.Millisecond {
		t.Fatal("did not wait")
	}
	if h, _ := readHolder(dir); h.Role != "board" {
		t.Fatalf("holder %+v", h)
	}
	// Now held by a board: a command is refused at once.
	_, err = Open(Options{Dir: dir, Role: "command", HeldWait: 5 * time.Second})
	var he *HeldError
	if !errors.As(err, &he) || he.Role != "board" {
		t.Fatalf("got %v", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir)
	s.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte(kSchema), encInt(SchemaVersion+1)) })
	s.Close()
	_, err := Open(Options{Dir: dir})
	want := fmt.Sprintf("store %s was written by a newer caseboard (schema %d); this one reads up to %d", dir, SchemaVersion+1, SchemaVersion)
	if err == nil || err.Error() != want {
		t.Fatalf("got %v", err)
	}
}

// TestHeldByNamesOnlyALiveHolder: HeldBy, which a command asks before it
// opens anything, names a board or serve only while it holds Badger's
// lock; a stale holder file (dead pid, or a live pid without the lock),
// a short command and a store nobody holds name nobody.
func TestHeldByNamesOnlyALiveHolder(t *testing.T) {
	dir := t.TempDir()
	if _, ok := HeldBy(dir); ok {
		t.Fatal("an empty directory is held")
	}
	a, err := Open(Options{Dir: dir, Role: "serve", Addr: "127.0.0.1:23234"})
	if err != nil {
		t.Fatal(err)
	}
	he, ok := HeldBy(dir)
	want := "the store " + dir + " is held by caseboard serve (pid " + itoa(os.Getpid()) + ", listening on 127.0.0.1:23234)"
	if !ok || he.Error() != want {
		t.Fatalf("held by serve: %v %v, want %q", he, ok, want)
	}
	a.Close()
	if _, ok := HeldBy(dir); ok {
		t.Fatal("held after the serve closed")
	}

	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	for name, pid := range map[string]int{"dead pid": gone.Process.Pid, "live pid, lock free": os.Getpid()} {
		d := t.TempDir()
		h := &holderFile{path: filepath.Join(d, holderName), info: Holder{PID: pid, Role: "board"}}
		if err := h.write(); err != nil {
			t.Fatal(err)
		}
		if he, ok := HeldBy(d); ok {
			t.Errorf("%s: held by %v", name, he)
		}
	}

	c := openDir(t, t.TempDir())
	defer c.Close()
	if he, ok := HeldBy(c.Dir()); ok {
		t.Errorf("a short command's store: held by %v", he)
	}
}
