package serve_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"caseboard/cli"
)

// serveOnce runs `caseboard serve` through the command tree; with a bad
// host key it must return at once (StartServe is tried first, so a serve
// that would start fails the test instead of blocking it).
func serveOnce(t *testing.T, d *desk) result {
	t.Helper()
	if _, err := cli.StartServe(&cli.Env{DataDir: d.dir, Clock: time.Now}, cli.ServeFlags{Listen: "127.0.0.1:0", MaxSessions: 4, IdleTimeout: time.Minute}); err == nil {
		t.Fatal("serve started")
	}
	return run(t, &cli.Env{}, "", "--data", d.dir, "serve", "--listen", "127.0.0.1:0")
}

// TestHostKeyReadableByOthersRefused: a host key of mode 0644 (or 0640)
// stops serve with one line naming the chmod to run, exit 1; the key is
// left as it was and the store is not held.
func TestHostKeyReadableByOthersRefused(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 4) // generates the key
	if err := sv.Shutdown(); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(d.dir, cli.HostKeyName)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604} {
		if err := os.Chmod(key, mode); err != nil {
			t.Fatal(err)
		}
		r := serveOnce(t, d)
		if r.code != 1 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 ||
			!strings.HasPrefix(r.stderr, "caseboard: host key "+key+" is readable by others") ||
			!strings.HasSuffix(r.stderr, ": run chmod 600 "+key+"\n") {
			t.Errorf("mode %04o: %+v", mode, r)
		}
		if info, err := os.Stat(key); err != nil || info.Mode().Perm() != mode {
			t.Errorf("mode %04o: the key was changed: %v %v", mode, info.Mode(), err)
		}
	}
	if err := os.Chmod(key, 0o600); err != nil {
		t.Fatal(err)
	}
	// Refused without taking the store: a command runs locally.
	if r := run(t, &cli.Env{}, "", "--data", d.dir, "version"); r.code != 0 {
		t.Errorf("after the refusals: %+v", r)
	}
	startServe(t, d, 4)
}

// TestHostKeyUnparsableNamed: a host key that is not a key names the file.
func TestHostKeyUnparsableNamed(t *testing.T) {
	d := setupDesk(t, nil)
	key := filepath.Join(d.dir, cli.HostKeyName)
	if err := os.WriteFile(key, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := serveOnce(t, d)
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "caseboard: host key "+key+": cannot parse: ") {
		t.Errorf("an unparsable host key: %+v", r)
	}
	if b, _ := os.ReadFile(key); string(b) != "not a key\n" {
		t.Error("the unparsable key was replaced")
	}
}

// TestHostKeyGenerated0600: with umask 0 the generated host key is still
// 0600, and a second start reuses it (the same host key is offered).
func TestHostKeyGenerated0600(t *testing.T) {
	d := setupDesk(t, nil)
	old := syscall.Umask(0)
	sv := startServe(t, d, 4)
	syscall.Umask(old)
	key := filepath.Join(d.dir, cli.HostKeyName)
	info, err := os.Stat(key)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("generated host key: mode %04o, want 0600", info.Mode().Perm())
	}
	first, _ := os.ReadFile(key)
	if err := sv.Shutdown(); err != nil {
		t.Fatal(err)
	}
	startServe(t, d, 4)
	if again, _ := os.ReadFile(key); string(again) != string(first) {
		t.Error("the host key was generated again")
	}
	left, _ := filepath.Glob(key + ".tmp*")
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
