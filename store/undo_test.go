package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// rawImportKeys is every key and value of the store (nothing else writes
// to it in these tests): what an undone import must leave as it found it.
func rawImportKeys(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			out[string(it.Item().KeyCopy(nil))] = string(v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// bigAddition is a document too large for one transaction that adds to
// what sampleDoc put in the store: new cases of acme (open, owned,
// closed), an escalation of the stored case 1042, and time entries that
// raise acme's bank and project totals.
func bigAddition(n int) *model.Document {
	doc := &model.Document{Format: 1}
	owner := "sam"
	for i := 0; i < n; i++ {
		c := model.CaseRecord{Number: int64(5000 + i), Account: "acme", Severity: 1 + i%4,
			Title: fmt.Sprintf("Batch job %d fails overnight", i), Status: "new",
			OpenedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339)}
		if i%3 == 1 {
			c.Status, c.Owner = "assigned", &owner
		}
		doc.Cases = append(doc.Cases, c)
	}
	doc.TimeEntries = []model.TimeEntryRecord{
		{ID: 100, Account: "acme", TAM: "tina", Date: "2026-11-05", Minutes: 30, Category: "cadence-call"},
		{ID: 101, Account: "acme", TAM: "tina", Date: "2026-11-06", Minutes: 45, Category: "implementation-guidance", Project: ptr("search-v2")},
		{ID: 102, Account: "acme", TAM: "tina", Date: "2026-10-06", Minutes: 20, Category: "cadence-call"},
	}
	return doc
}

func ptr[T any](v T) *T { return &v }

// TestFailedLargeImportIsUndone: a large import into a store holding a
// desk fails after every key of it is written (the test's hook): the
// store is then what it was, to the byte, under every prefix an import
// writes (records, indexes, events, bank and project totals), the
// import's error is returned, and the store goes on: the same import
// then succeeds, and a case is numbered above it.
func TestFailedLargeImportIsUndone(t *testing.T) {
	s := openDir(t, t.TempDir())
	if _, err := s.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	beforeRaw := rawImportKeys(t, s)
	beforeExport := exportBytes(t, s)
	boom := errors.New("the test's failure after the write")
	_, err := s.importDoc(bigAddition(5000), "maria", t0, importOptions{written: func() error { return boom }})
	if !errors.Is(err, boom) {
		t.Fatalf("the failed import said %v", err)
	}
	afterRaw := rawImportKeys(t, s)
	for k, v := range beforeRaw {
		if w, ok := afterRaw[k]; !ok || w != v {
			t.Errorf("key %q: %q before, %q after the undo (present %v)", k, v, w, ok)
		}
	}
	for k := range afterRaw {
		if _, ok := beforeRaw[k]; !ok {
			t.Errorf("key %q left by the undone import", k)
		}
	}
	if !bytes.Equal(beforeExport, exportBytes(t, s)) {
		t.Fatal("the export changed after an undone import")
	}
	if _, err := os.Stat(filepath.Join(s.dir, importSpoolName)); !os.IsNotExist(err) {
		t.Fatalf("the failed import left its spool: %v", err)
	}
	res, err := s.Import(bigAddition(5000), "maria", t0)
	if err != nil || !res.Staged {
		t.Fatalf("the same import after the undo: %+v, %v", res, err)
	}
	if n, _ := s.NextCaseNumber(); n <= 9999 {
		t.Fatalf("next case number %d after importing up to 9999", n)
	}
	used, err := s.BankUsed("acme", model.Month{Year: 2026, Month: time.November})
	if err != nil || used != 60+90+30+45 {
		t.Fatalf("acme's November bank after the import: %d, %v", used, err)
	}
	if _, err := s.Case(9999); err != nil {
		t.Fatalf("case 9999 after the import: %v", err)
	}
	if _, err := os.Stat(filepath.Join(s.dir, importSpoolName)); !os.IsNotExist(err) {
		t.Fatalf("the import left its spool: %v", err)
	}
}
