package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/model"
	"caseboard/store/demo"
)

// docInOrder is a document's JSON with its lists in the order given
// (format first); a list not named is left out.
func docInOrder(t *testing.T, doc *model.Document, order ...string) []byte {
	t.Helper()
	lists := map[string]any{"accounts": doc.Accounts, "users": doc.Users, "cases": doc.Cases,
		"escalations": doc.Escalations, "time_entries": doc.TimeEntries, "events": doc.Events}
	var b bytes.Buffer
	b.WriteString(`{"format": 1`)
	for _, name := range order {
		v, err := json.MarshalIndent(lists[name], "", " ")
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(",\n\"" + name + "\": ")
		b.Write(v)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

var listOrders = [][]string{
	{"accounts", "users", "cases", "escalations", "time_entries", "events"}, // as exports write it
	{"accounts", "cases", "escalations", "events", "time_entries", "users"}, // keys sorted (jq -S)
	{"events", "time_entries", "escalations", "cases", "users", "accounts"}, // backwards
	{"cases", "events", "accounts", "escalations", "users", "time_entries"},
}

// demoDocument is the demo desk after a day of its simulator: every
// stage of a case, escalations, time entries, and the events of all.
func demoDocument(t *testing.T, now time.Time) *model.Document {
	t.Helper()
	res, err := demo.Build(model.DefaultPolicy(), demo.Options{Seed: 11, Now: now, Cases: 300})
	if err != nil {
		t.Fatal(err)
	}
	doc := res.Desk.Document(model.DefaultPolicy())
	if len(doc.Events) == 0 || len(doc.Escalations) == 0 || len(doc.TimeEntries) == 0 {
		t.Fatalf("the demo desk lacks events (%d), escalations (%d) or time entries (%d)",
			len(doc.Events), len(doc.Escalations), len(doc.TimeEntries))
	}
	return doc
}

// exportOf is a store's whole export.
func exportOf(t *testing.T, s *Store) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.ExportJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestImportJSONAnyListOrder: a document with events (the demo desk's),
// its lists in any order, imports to the same store as the export's
// order gives, each case checked against the replay of its events; and a
// refused document names the same problems, by list and record, in every
// order.
func TestImportJSONAnyListOrder(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)
	doc := demoDocument(t, now)
	var want string
	for i, order := range listOrders {
		s := openDir(t, t.TempDir())
		res, err := s.ImportJSON(bytes.NewReader(docInOrder(t, doc, order...)), "", now)
		if err != nil {
			t.Fatalf("order %v: %v", order, err)
		}
		if res.Cases != len(doc.Cases) || res.Events != len(doc.Events) || res.Escalations != len(doc.Escalations) {
			t.Fatalf("order %v: imported %+v of %d cases, %d events, %d escalations", order, res,
				len(doc.Cases), len(doc.Events), len(doc.Escalations))
		}
		got := exportOf(t, s)
		s.Close()
		if i == 0 {
			want = got
			continue
		}
		if got != want {
			t.Errorf("order %v: the store differs from the export order's:\n%s", order, firstLineDiff(want, got))
		}
	}

	// A case that is not what its events give, an unknown plan and an
	// owner who is not a user: no replay check when another problem is
	// found, so the case is refused alone first.
	bad := *doc
	bad.Cases = append([]model.CaseRecord(nil), doc.Cases...)
	bad.Cases[7].Title = "not what its events say"
	for _, order := range listOrders {
		s := openDir(t, t.TempDir())
		_, err := s.ImportJSON(bytes.NewReader(docInOrder(t, &bad, order...)), "", now)
		var ie *ImportError
		if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Where != "cases[7]" ||
			!strings.Contains(ie.Problems[0].Msg, "is not what replaying its events gives (title:") {
			t.Fatalf("order %v: %v", order, err)
		}
		s.Close()
	}
	// An escalation that is not what its case's events give.
	bad.Cases = doc.Cases
	bad.Escalations = append([]model.EscalationRecord(nil), doc.Escalations...)
	bad.Escalations[2].Justification = "rewritten after the fact"
	for _, order := range listOrders {
		s := openDir(t, t.TempDir())
		_, err := s.ImportJSON(bytes.NewReader(docInOrder(t, &bad, order...)), "", now)
		var ie *ImportError
		want := "is not what replaying the events of case " + model.CaseNumber(bad.Escalations[2].Case) + " gives"
		if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Where != "escalations[2]" || ie.Problems[0].Msg != want {
			t.Fatalf("order %v: %v", order, err)
		}
		s.Close()
	}
	bad.Escalations = doc.Escalations
	bad.Cases = append([]model.CaseRecord(nil), doc.Cases...)
	bad.Accounts = append([]model.AccountRecord(nil), doc.Accounts...)
	bad.Accounts[1].Plan = "gold"
	ghost := "ghost"
	bad.Cases[3].Owner = &ghost
	var msg string
	for i, order := range listOrders {
		s := openDir(t, t.TempDir())
		empty := rawImportKeys(t, s)
		_, err := s.ImportJSON(bytes.NewReader(docInOrder(t, &bad, order...)), "", now)
		if err == nil {
			t.Fatalf("order %v: imported", order)
		}
		if i == 0 {
			msg = err.Error()
			if !strings.HasPrefix(msg, "import refused, nothing written: 2 problems\naccounts[1].plan: ") ||
				!strings.Contains(msg, "\ncases[3].owner: \"ghost\" is not a user") {
				t.Fatalf("problems: %s", msg)
			}
		} else if err.Error() != msg {
			t.Errorf("order %v: %s\nthe export order's: %s", order, err, msg)
		}
		if n := len(rawImportKeys(t, s)); n != len(empty) {
			t.Errorf("order %v: a refused import left %d keys, the store had %d", order, n, len(empty))
		}
		s.Close()
	}
}

func firstLineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range w {
		if i >= len(g) || w[i] != g[i] {
			gl := "(end)"
			if i < len(g) {
				gl = g[i]
			}
			return "line " + strconv.Itoa(i+1) + ":\n  want " + w[i] + "\n  got  " + gl
		}
	}
	return "got has more lines"
}

// TestImportJSONCasesOnly: a document of cases alone (no accounts or
// users lists) imports into a store holding its accounts and users, and
// a document whose cases come before the accounts they name still finds
// them.
func TestImportJSONCasesOnly(t *testing.T) {
	s := openDir(t, t.TempDir())
	defer s.Close()
	if _, err := s.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	add := bigAddition(50)
	res, err := s.ImportJSON(bytes.NewReader(docInOrder(t, add, "cases", "time_entries")), "maria", t0)
	if err != nil || res.Cases != 50 || res.TimeEntries != 3 {
		t.Fatalf("cases only: %+v, %v", res, err)
	}
	c, err := s.Case(5049)
	if err != nil || c.Account != "acme" || c.Plan == "" {
		t.Fatalf("case 5049: %+v, %v", c, err)
	}
	later := &model.Document{Format: 1,
		Accounts: []model.AccountRecord{{ID: "late", Name: "Late Ltd", Plan: "basic", Region: "emea"}},
		Cases: []model.CaseRecord{{Number: 9001, Account: "late", Severity: 3, Title: "Login loop", Status: "new",
			OpenedAt: "2026-11-02T09:00:00Z"}}}
	if _, err := s.ImportJSON(bytes.NewReader(docInOrder(t, later, "cases", "accounts")), "maria", t0); err != nil {
		t.Fatalf("cases before their account: %v", err)
	}
	if c, err := s.Case(9001); err != nil || c.Region != "emea" {
		t.Fatalf("case 9001 did not take its account's region: %+v, %v", c, err)
	}
}

// TestImportJSONBadDocumentWritesNothing: a document cut short in the
// middle of its cases, read from a pipe (kept in a file of the data
// directory meanwhile), is refused with its position after thousands of
// records were checked and spooled: every key of the store is what it
// was, and neither the spool nor the copy of the document is left.
func TestImportJSONBadDocumentWritesNothing(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir)
	defer s.Close()
	if _, err := s.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	before := rawImportKeys(t, s)
	whole := docInOrder(t, bigAddition(5000), "cases", "time_entries")
	cut := whole[:len(whole)*3/4]
	pr, pw := io.Pipe()
	go func() {
		pw.Write(cut)
		pw.Close()
	}()
	_, err := s.ImportJSON(pr, "maria", t0)
	if err == nil || !strings.Contains(err.Error(), "the document ends too early") {
		t.Fatalf("a cut document: %v", err)
	}
	after := rawImportKeys(t, s)
	if len(after) != len(before) {
		t.Fatalf("the refused import changed the store: %d keys, were %d", len(after), len(before))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("key %q changed", k)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "import.*"))
	if len(left) > 0 {
		t.Fatalf("the refused import left %v", left)
	}
	// The whole document, from a pipe, then imports.
	res, err := s.ImportJSON(io.MultiReader(bytes.NewReader(whole)), "maria", t0)
	if err != nil || res.Cases != 5000 || !res.Staged {
		t.Fatalf("the whole document: %+v, %v", res, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "import.*")); len(left) > 0 {
		t.Fatalf("the import left %v", left)
	}
	if _, err := os.Stat(filepath.Join(dir, importSpoolName)); !os.IsNotExist(err) {
		t.Fatalf("the import left its spool: %v", err)
	}
}
