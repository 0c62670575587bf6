package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"caseboard/store"
)

// mountTmpfs mounts a tmpfs with the given options on a new directory
// (root only). Under CI=true a test that needs it fails without it.
func mountTmpfs(t *testing.T, opts string) (string, bool) {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err == nil {
			t.Cleanup(func() { exec.Command("umount", dir).Run() })
			t.Logf("mounted tmpfs -o %s on %s", opts, dir)
			return dir, true
		} else {
			t.Logf("mount -t tmpfs -o %s: %v %s", opts, err, out)
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("cannot mount a tmpfs (-o %s): CI runs as root and must", opts)
	}
	return dir, false
}

// oneLine checks a fault: exit 1 and exactly one line on stderr, no Go
// panic or trace.
func faultLine(t *testing.T, what string, r result, want string) {
	t.Helper()
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "goroutine") {
		t.Errorf("%s: exit %d, stderr %q; want exit 1 and one line with %q", what, r.code, r.stderr, want)
	}
}

// TestBinaryOperationalFaults runs the built binary against each fault.
func TestBinaryOperationalFaults(t *testing.T) {
	bin := buildBinary(t)
	desk := filepath.Join("testdata", "desk.json")

	t.Run("held by a process that is not caseboard", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "desk")
		st, err := store.Open(store.Options{Dir: data, Role: "board"})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		sleep := exec.Command("sleep", "60")
		if err := sleep.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { sleep.Process.Kill(); sleep.Wait() }()
		b, _ := json.Marshal(store.Holder{PID: sleep.Process.Pid, Role: "board"})
		os.WriteFile(filepath.Join(data, "holder.json"), b, 0o600)
		r := runBin(t, bin, "", "--data", data, "--as", "maria", "case", "new", "--account", "acme", "--severity", "3", "--title", "x")
		faultLine(t, "held", r, "pid "+strconv.Itoa(sleep.Process.Pid))
	})

	t.Run("data directory is a file", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "notadir")
		os.WriteFile(f, []byte("x"), 0o600)
		faultLine(t, "file as --data", runBin(t, bin, "", "--data", f, "import", desk), "not a directory")
		if b, _ := os.ReadFile(f); string(b) != "x" {
			t.Error("the file was changed")
		}
	})

	t.Run("data directory not writable", func(t *testing.T) {
		dir, mounted := mountTmpfs(t, "ro,size=2m")
		if !mounted {
			os.Chmod(dir, 0o500) // not root: permissions hold
			t.Log("used chmod 0500 (not root)")
		}
		faultLine(t, "read-only --data", runBin(t, bin, "", "--data", filepath.Join(dir, "s"), "import", desk), "read-only file system")
	})

	t.Run("reads on a read-only data directory", func(t *testing.T) {
		dir, mounted := mountTmpfs(t, "size=64m")
		data := filepath.Join(dir, "s")
		if r := runBin(t, bin, "", "--data", data, "import", desk); r.code != 0 {
			t.Fatal(r.stderr)
		}
		if r := runBin(t, bin, "", "--data", data, "--as", "maria", "case", "note", "1042", "before"); r.code != 0 {
			t.Fatal(r.stderr)
		}
		if mounted {
			if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
				t.Fatalf("remount ro: %v %s", err, out)
			}
		} else {
			os.Chmod(data, 0o500) // not root: permissions hold
			defer os.Chmod(data, 0o700)
			t.Log("used chmod 0500 (not root)")
		}
		warn := "caseboard: warning: cannot write the log in " + data + ": "
		for _, c := range []struct {
			args []string
			out  string
		}{
			{[]string{"queue"}, "Index rebuild stuck"},
			{[]string{"case", "show", "1042"}, "before"},
			{[]string{"export"}, `"format": 1`},
			{[]string{"user", "list"}, "maria"},
		} {
			r := runBin(t, bin, "", append([]string{"--data", data}, c.args...)...)
			if r.code != 0 || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, warn) || !strings.Contains(r.stdout, c.out) {
				t.Errorf("%v on a read-only store: exit %d, stderr %q, stdout %.200q; want exit 0, one warning line and %q",
					c.args, r.code, r.stderr, r.stdout, c.out)
			}
		}
		// A write is still refused in one line, nothing written.
		faultLine(t, "a note on a read-only store", runBin(t, bin, "", "--data", data, "--as", "maria", "case", "note", "1042", "after"), "read-only file system")
	})

	t.Run("disk full", func(t *testing.T) {
		dir, mounted := mountTmpfs(t, "size=2m")
		if !mounted {
			t.Skip("needs root to mount a 2 MB tmpfs (CI=true fails instead)")
		}
		data := filepath.Join(dir, "s")
		faultLine(t, "import on a full disk", runBin(t, bin, "", "--data", data, "import", desk), "is full")
		r := runBin(t, bin, "", "--data", data, "export")
		if r.code != 0 || strings.Contains(r.stdout, "acme") {
			t.Errorf("after the refused import: export exit %d, %s%s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("corrupted store files", func(t *testing.T) {
		good := filepath.Join(t.TempDir(), "good")
		if r := runBin(t, bin, "", "--data", good, "import", desk); r.code != 0 {
			t.Fatal(r.stderr)
		}
		for _, c := range []struct{ glob, how string }{
			{"MANIFEST", "garble"}, {"MANIFEST", "truncate"}, {"*.sst", "garble"}, {"*.sst", "truncate"}, {"*.vlog", "garble"}, {"KEYREGISTRY", "garble"},
		} {
			data := filepath.Join(t.TempDir(), "bad")
			exec.Command("cp", "-a", good, data).Run()
			files, _ := filepath.Glob(filepath.Join(data, c.glob))
			if len(files) == 0 {
				t.Errorf("no %s in the store", c.glob)
				continue
			}
			f := files[0]
			tables, _ := filepath.Glob(filepath.Join(data, "*.sst"))
			b, _ := os.ReadFile(f)
			if c.how == "truncate" {
				b = b[:len(b)/2]
			} else {
				for i := len(b) / 3; i < len(b) && i < len(b)/3+64; i++ {
					b[i] ^= 0xa5
				}
			}
			os.WriteFile(f, b, 0o600)
			for _, args := range [][]string{{"queue"}, {"--as", "maria", "case", "new", "--account", "acme", "--severity", "3", "--title", "x"}} {
				r := runBin(t, bin, "", append([]string{"--data", data}, args...)...)
				what := c.how + " " + c.glob + ": " + strings.Join(args, " ")
				if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || strings.Contains(r.stderr, "goroutine") || r.stdout != "" {
					t.Errorf("%s: exit %d, want 1 with one line:\n%.600s", what, r.code, r.stderr)
					continue
				}
				// A damaged MANIFEST or table is found before Badger opens
				// the store (it would drop tables silently, or panic).
				if c.glob != "*.vlog" && c.glob != "KEYREGISTRY" &&
					!strings.HasPrefix(r.stderr, "caseboard: the store "+data+" is damaged: ") ||
					c.glob != "*.vlog" && c.glob != "KEYREGISTRY" &&
						!strings.HasSuffix(r.stderr, "; restore it from a backup (caseboard restore FILE)\n") {
					t.Errorf("%s: %q does not say the store is damaged", what, r.stderr)
				}
				t.Logf("%s: %s", what, strings.TrimSpace(r.stderr))
			}
			// Nothing was deleted by the refused opens: the damaged file and
			// every table are still there for a closer look (a truncated
			// MANIFEST too: it loses entries Badger had acted on, and the
			// tables it no longer names are refused, not deleted).
			if after, _ := filepath.Glob(filepath.Join(data, "*.sst")); len(after) != len(tables) && (c.glob == "*.sst" || c.glob == "MANIFEST") {
				t.Errorf("%s %s: %d tables before, %d after", c.how, c.glob, len(tables), len(after))
			}
		}
	})

	t.Run("policy file with errors", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "bad.toml")
		pol, _ := os.ReadFile("../model/policy.toml")
		os.WriteFile(p, []byte(strings.Replace(string(pol), `zone = "America/New_York"`, `zone = "America/Nowhere"`, 1)), 0o600)
		data := filepath.Join(t.TempDir(), "desk")
		faultLine(t, "bad policy", runBin(t, bin, "", "--data", data, "--policy", p, "import", desk), "America/Nowhere")
		if _, err := os.Stat(data); err == nil {
			t.Error("a bad policy still created the store")
		}
	})
}
