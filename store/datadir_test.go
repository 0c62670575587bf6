package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForeignDirectoryRefused: a directory with other files and no store
// is refused, and nothing is written into it; an empty, a new, and a
// store's own directory open.
func TestForeignDirectoryRefused(t *testing.T) {
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, "notes.txt"), []byte("mine"), 0o600)
	if _, _, err := OpenLog(home); err == nil || !strings.Contains(err.Error(), "holds other files (notes.txt)") {
		t.Fatalf("OpenLog on a foreign directory: %v", err)
	}
	if _, err := Open(Options{Dir: home}); err == nil || !strings.Contains(err.Error(), "no caseboard store") {
		t.Fatalf("Open on a foreign directory: %v", err)
	}
	if entries, _ := os.ReadDir(home); len(entries) != 1 {
		t.Fatalf("the foreign directory now holds %d entries", len(entries))
	}
	for _, dir := range []string{t.TempDir(), filepath.Join(t.TempDir(), "new", "desk")} {
		s, err := Open(Options{Dir: dir})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		s.Close()
		s, err = Open(Options{Dir: dir}) // again: now a store
		if err != nil {
			t.Fatalf("%s reopened: %v", dir, err)
		}
		s.Close()
	}
}

// TestImportIDsFollowTheRules: an import takes the ids the rules take
// (model.ValidID), not looser ones: "Acme Corp" could never be added by
// `account add`, so it is refused here too, with its position.
func TestImportIDsFollowTheRules(t *testing.T) {
	s := openMem(t)
	doc := mustParse(t, `{"accounts": [{"id": "Acme Corp", "name": "Acme", "plan": "basic", "region": "na", "tam_plan": "none"}],
	  "users": [{"id": "maria", "name": "Maria", "role": "manager"}]}`)
	_, err := s.Import(doc, "", t0)
	if err == nil || !strings.Contains(err.Error(), `accounts[0].id: "Acme Corp" is not an id`) {
		t.Fatalf("import of id \"Acme Corp\": %v", err)
	}
}
