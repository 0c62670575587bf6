package cli

import (
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestBinaryRestoreRefusals: the built binary's `restore FILE --force` of
// what is not a whole backup: exit 1, one line naming the file and what
// is wrong, no panic, the store exactly as before (it used to be emptied).
func TestBinaryRestoreRefusals(t *testing.T) {
	bin := buildBinary(t)
	tmp := t.TempDir()
	data := filepath.Join(tmp, "desk")
	if r := runBin(t, bin, "", "--data", data, "import", filepath.Join("testdata", "desk.json")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	// The process's own auto-close runs before any acting command: let it.
	runBin(t, bin, "", "--data", data, "--as", "maria", "case", "take", "99999999")
	before := runBin(t, bin, "", "--data", data, "export")
	bak := filepath.Join(tmp, "desk.bak")
	if r := runBin(t, bin, "", "--data", data, "backup", bak); r.code != 0 {
		t.Fatal(r.stderr)
	}
	good, _ := os.ReadFile(bak)
	junk := make([]byte, 100<<10)
	rand.New(rand.NewSource(1)).Read(junk)
	files := map[string][]byte{
		"random.bin": junk, "empty.bak": nil, "cut.bak": good[:len(good)*2/3],
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ file, want string }{
		{filepath.Join("testdata", "desk.json"), "is a JSON document, not a backup: add it with caseboard import"},
		{filepath.Join(tmp, "random.bin"), "is not a caseboard backup"},
		{filepath.Join(tmp, "empty.bak"), "is empty"},
		{filepath.Join(tmp, "cut.bak"), "is cut short"},
	} {
		r := runBin(t, bin, "", "--data", data, "restore", c.file, "--force", "--as", "maria")
		faultLine(t, "restore "+c.file, r, "caseboard: restore refused, nothing changed: "+c.file+" "+c.want)
		t.Logf("%s", strings.TrimSpace(r.stderr))
	}
	r := runBin(t, bin, string(junk), "--data", data, "restore", "-", "--force", "--as", "maria")
	faultLine(t, "restore - of junk", r, "caseboard: restore refused, nothing changed: standard input is not a caseboard backup")
	if after := runBin(t, bin, "", "--data", data, "export"); after.code != 0 || after.stdout != before.stdout {
		t.Errorf("the store changed: exit %d %s", after.code, after.stderr)
	}
	if r := runBin(t, bin, "", "--data", data, "restore", bak, "--force", "--as", "maria"); r.code != 0 {
		t.Errorf("restore of the good backup: %+v", r)
	}
	if after := runBin(t, bin, "", "--data", data, "export"); after.stdout != before.stdout {
		t.Error("the good backup restored differs")
	}
}

// bigDeskJSON is a desk of n new cases, each with a title of size random
// hex digits (which no compression shrinks).
func bigDeskJSON(n, size int) string {
	rng := rand.New(rand.NewSource(int64(n)))
	var b strings.Builder
	b.WriteString(`{"format": 1, "accounts": [{"id": "acme", "name": "Acme", "plan": "plus", "region": "na", "tam_plan": "none", "contacts": []}],
"users": [{"id": "maria", "name": "Maria", "role": "manager", "region": "na", "keys": []}], "cases": [`)
	raw := make([]byte, size/2)
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(",\n")
		}
		rng.Read(raw)
		fmt.Fprintf(&b, `{"number": %d, "account": "acme", "severity": 3, "title": "%s", "status": "new", "opened_at": "2026-11-20T10:00:00-05:00"}`,
			i, hex.EncodeToString(raw))
	}
	b.WriteString("]}\n")
	return b.String()
}

// TestBinaryDiskFullBigImportAndRestore: an import or a restore larger
// than the free space, on a real tmpfs where the free space is above the
// 32 MB margin: the one disk-full line, exit 1, nothing written (a 40 MB
// import with 34 MB free died with SIGBUS; a restore emptied the store).
func TestBinaryDiskFullBigImportAndRestore(t *testing.T) {
	bin := buildBinary(t)
	tmp := t.TempDir()
	big := filepath.Join(tmp, "big.json")
	if err := os.WriteFile(big, []byte(bigDeskJSON(20000, 2000)), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("import", func(t *testing.T) {
		dir, mounted := mountTmpfs(t, "size=36m")
		if !mounted {
			t.Skip("needs root to mount a tmpfs (CI=true fails instead)")
		}
		data := filepath.Join(dir, "s")
		t.Logf("free before: %d KB (the new store takes some)", freeKB(t, dir))
		r := runBin(t, bin, "", "--data", data, "import", big)
		faultLine(t, "a 40 MB import with 34 MB free", r, "caseboard: the disk holding "+data+" is full: ")
		if !strings.Contains(r.stderr, "nothing was written") {
			t.Errorf("%q does not say nothing was written", r.stderr)
		}
		t.Logf("%s", strings.TrimSpace(r.stderr))
		if r := runBin(t, bin, "", "--data", data, "import", filepath.Join("testdata", "desk.json")); r.code != 0 {
			t.Errorf("a small import after the refused one: %+v", r)
		}
		if r := runBin(t, bin, "", "--data", data, "export"); r.code != 0 || !strings.Contains(r.stdout, `"acme"`) || strings.Contains(r.stdout, `"number": 20000`) {
			t.Errorf("after the refused import: exit %d %s", r.code, r.stderr)
		}
	})

	t.Run("restore", func(t *testing.T) {
		// The backup of a 20 MB desk, made on the ordinary disk.
		src := filepath.Join(tmp, "src")
		half := filepath.Join(tmp, "half.json")
		if err := os.WriteFile(half, []byte(bigDeskJSON(10000, 2000)), 0o600); err != nil {
			t.Fatal(err)
		}
		if r := runBin(t, bin, "", "--data", src, "import", half); r.code != 0 {
			t.Fatal(r.stderr)
		}
		bak := filepath.Join(tmp, "big.bak")
		if r := runBin(t, bin, "", "--data", src, "backup", bak); r.code != 0 {
			t.Fatal(r.stderr)
		}
		fi, _ := os.Stat(bak)
		dir, mounted := mountTmpfs(t, "size=40m")
		if !mounted {
			t.Skip("needs root to mount a tmpfs (CI=true fails instead)")
		}
		data := filepath.Join(dir, "s")
		if r := runBin(t, bin, "", "--data", data, "import", filepath.Join("testdata", "desk.json")); r.code != 0 {
			t.Fatal(r.stderr)
		}
		runBin(t, bin, "", "--data", data, "--as", "maria", "case", "take", "99999999")
		before := runBin(t, bin, "", "--data", data, "export")
		t.Logf("backup %d MB, free before: %d KB", fi.Size()>>20, freeKB(t, dir))
		for _, args := range [][]string{{"restore", bak, "--force", "--as", "maria"}, {"restore", "-", "--force", "--as", "maria"}} {
			stdin := ""
			if args[1] == "-" {
				b, _ := os.ReadFile(bak)
				stdin = string(b)
			}
			r := runBin(t, bin, stdin, append([]string{"--data", data}, args...)...)
			faultLine(t, strings.Join(args, " ")+" on a full disk", r, "caseboard: the disk holding "+data+" is full: ")
			t.Logf("%s", strings.TrimSpace(r.stderr))
			if after := runBin(t, bin, "", "--data", data, "export"); after.code != 0 || after.stdout != before.stdout {
				t.Errorf("%v: the store changed (exit %d %s)", args, after.code, after.stderr)
			}
			if _, err := os.Stat(filepath.Join(data, "restore.staging")); err == nil {
				t.Errorf("%v: the staging was left behind", args)
			}
		}
	})
}

func freeKB(t *testing.T, dir string) uint64 {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return uint64(st.Bavail) * uint64(st.Bsize) >> 10
}
