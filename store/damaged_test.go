package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

// damagedFixture is a closed on-disk store whose data sits in tables
// (Badger flushes its memtable on close) big enough to have many blocks.
func damagedFixture(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "s")
	s := openDir(t, dir)
	for i := 0; i < 4; i++ {
		if err := s.db.Update(func(txn *badger.Txn) error {
			for j := 0; j < 2000; j++ {
				k := fmt.Sprintf("zz/fill/%d/%05d", i, j)
				if err := txn.Set([]byte(k), []byte(strings.Repeat(k, 8))); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
	return to
}

func biggest(t *testing.T, dir, glob string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, glob))
	var best string
	var size int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Size() > size {
			best, size = f, fi.Size()
		}
	}
	if best == "" {
		t.Fatalf("no %s in %s", glob, dir)
	}
	return best
}

// TestDamagedStoreRefused: a data block of a table garbled (its checksum
// fails), a table truncated, a MANIFEST cut in the middle of its last entry
// (a compaction Badger had acted on: its input table is gone) or cut back
// to its header (the table on disk is named by no entry, its writes
// nowhere else): Open gives a *DamagedError naming the store and a backup
// to restore, in one line, and leaves every file as it was. The undamaged
// copy opens.
func TestDamagedStoreRefused(t *testing.T) {
	good := damagedFixture(t)
	damage := map[string]func(t *testing.T, dir string){
		"garbled data block": func(t *testing.T, dir string) {
			f := biggest(t, dir, "*.sst")
			b, _ := os.ReadFile(f)
			for i := len(b) / 4; i < len(b)/4+16; i++ {
				b[i] ^= 0x5a
			}
			os.WriteFile(f, b, 0o600)
		},
		"truncated table": func(t *testing.T, dir string) {
			f := biggest(t, dir, "*.sst")
			b, _ := os.ReadFile(f)
			os.WriteFile(f, b[:len(b)*2/3], 0o600)
		},
		"MANIFEST cut in an entry": func(t *testing.T, dir string) {
			f := filepath.Join(dir, badger.ManifestFilename)
			b, _ := os.ReadFile(f)
			os.WriteFile(f, b[:len(b)-3], 0o600)
		},
		"MANIFEST cut to its header": func(t *testing.T, dir string) {
			f := filepath.Join(dir, badger.ManifestFilename)
			b, _ := os.ReadFile(f)
			os.WriteFile(f, b[:8], 0o600)
		},
	}
	for name, hurt := range damage {
		t.Run(name, func(t *testing.T) {
			dir := copySparse(t, good)
			hurt(t, dir)
			refusedDamaged(t, dir)
		})
	}
	s, err := Open(Options{Dir: copyDir(t, good)})
	if err != nil {
		t.Fatalf("the undamaged store: %v", err)
	}
	s.Close()
}
