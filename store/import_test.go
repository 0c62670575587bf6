package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseDocumentUnknownField(t *testing.T) {
	doc := strings.Replace(sampleDoc, `"severity": 3,`, `"sevrity": 3,`, 1)
	_, err := ParseDocument(strings.NewReader(doc))
	if err == nil || !strings.Contains(err.Error(), `cases[1]: unknown field "sevrity"`) || !strings.Contains(err.Error(), "line 22, column 49") {
		t.Fatalf("got %v", err)
	}
	_, err = ParseDocument(strings.NewReader(`{"format": 1, "extra": []}`))
	if err == nil || !strings.Contains(err.Error(), `unknown field "extra"`) {
		t.Fatalf("got %v", err)
	}
	_, err = ParseDocument(strings.NewReader(`{"cases": [{"number": "x"}]}`))
	if err == nil || !strings.Contains(err.Error(), "cases[0].number") {
		t.Fatalf("got %v", err)
	}
	_, err = ParseDocument(strings.NewReader(`{} {}`))
	if err == nil || !strings.Contains(err.Error(), "after the document") {
		t.Fatalf("got %v", err)
	}
}

func TestImportRefusesBadRecords(t *testing.T) {
	cases := []struct{ name, from, to, want string }{
		{"bad enum", `"status": "in-progress"`, `"status": "opne"`, `cases[0].status: "opne" is not a status`},
		{"bad time", `"opened_at": "2026-11-20T10:00:00-05:00"`, `"opened_at": "yesterday"`, `cases[0].opened_at: "yesterday" is not an RFC 3339 time`},
		{"duplicate number", `"number": 1043`, `"number": 1042`, `cases[1].number: 1042 appears twice (also cases[0])`},
		{"unknown account", `"account": "acme", "severity": 3`, `"account": "umbrella", "severity": 3`, `cases[1].account: "umbrella" is not an account`},
		{"closed without reason", `"close_reason": "duplicate", "duplicate_of": 1042`, `"duplicate_of": 1042`, `cases[1].close_reason: a closed case needs a close reason`},
		{"owner not a user", `"owner": "sam"`, `"owner": "nobody"`, `cases[0].owner: "nobody" is not a user`},
		{"duplicate_of missing", `"duplicate_of": 1042}`, `"duplicate_of": 999}`, `cases[1].duplicate_of: 999 is not a case`},
		{"bad plan", `"plan": "premium",
                "region"`, `"plan": "gold",
                "region"`, `accounts[0].plan: "gold" is not a plan`},
		{"bad category", `"category": "cadence-call"`, `"category": "merchandising"`, `time_entries[0].category: "merchandising" is not a category`},
		{"no manager", `"role": "manager"`, `"role": "specialist"`, `users: an import into an empty store must include a manager`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(sampleDoc, c.from) {
				t.Fatalf("fixture lacks %q", c.from)
			}
			s := openMem(t)
			before := exportBytes(t, s)
			_, err := s.Import(mustParse(t, strings.Replace(sampleDoc, c.from, c.to, 1)), "maria", t0)
			var ie *ImportError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v\nwant %s", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "import refused, nothing written: ") {
				t.Fatalf("summary line: %v", err)
			}
			if after := exportBytes(t, s); !bytes.Equal(before, after) {
				t.Fatal("a refused import changed the store")
			}
		})
	}
}

func TestImportReportsEveryProblem(t *testing.T) {
	doc := strings.Replace(sampleDoc, `"status": "in-progress"`, `"status": "opne"`, 1)
	doc = strings.Replace(doc, `"category": "cadence-call"`, `"category": "x"`, 1)
	s := openMem(t)
	_, err := s.Import(mustParse(t, doc), "maria", t0)
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 2 || !strings.HasPrefix(err.Error(), "import refused, nothing written: 2 problems\n") {
		t.Fatalf("got %v", err)
	}
}

func TestImportDuplicateOfStore(t *testing.T) {
	s := openMem(t)
	if _, err := s.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	before := exportBytes(t, s)
	_, err := s.Import(mustParse(t, sampleDoc), "maria", t0)
	for _, want := range []string{`accounts[0].id: account "acme" already exists`, `cases[0].number: case 00001042 already exists`, `time_entries[0].id: time entry 7 already exists`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("got %v, want %s", err, want)
		}
	}
	if !bytes.Equal(before, exportBytes(t, s)) {
		t.Fatal("store changed")
	}
}

func TestImportEventsMustReplay(t *testing.T) {
	a := openMem(t)
	if _, err := a.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	exp := string(exportBytes(t, a))
	bad := strings.Replace(exp, `"title": "Index rebuild stuck"`, `"title": "Index rebuild done"`, 1)
	b := openMem(t)
	_, err := b.Import(mustParse(t, bad), "maria", t0)
	if err == nil || !strings.Contains(err.Error(), "cases[0]: is not what replaying its events gives (title:") {
		t.Fatalf("got %v", err)
	}
}

func TestCSVRoundTripAndInert(t *testing.T) {
	s := openMem(t)
	if _, err := s.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	var cases, entries bytes.Buffer
	if err := s.ExportCSV(&cases, CSVCases); err != nil {
		t.Fatal(err)
	}
	if err := s.ExportCSV(&entries, CSVTimeEntries); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cases.String(), "number,account,severity,title,status,") {
		t.Fatalf("header %q", cases.String())
	}
	if !strings.Contains(cases.String(), `,'=cmd|' /C calc'!A0,`) || !strings.Contains(entries.String(), "'-1 tricky") {
		t.Fatalf("formula cells not made inert:\n%s\n%s", cases.String(), entries.String())
	}
	// Into a store with the accounts and users but no cases.
	b := openMem(t)
	doc := mustParse(t, sampleDoc)
	doc.Cases, doc.Escalations, doc.TimeEntries = nil, nil, nil
	if _, err := b.Import(doc, "maria", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportCSV(bytes.NewReader(cases.Bytes()), "maria", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportCSV(bytes.NewReader(entries.Bytes()), "maria", t0); err != nil {
		t.Fatal(err)
	}
	var cases2, entries2 bytes.Buffer
	b.ExportCSV(&cases2, CSVCases)
	b.ExportCSV(&entries2, CSVTimeEntries)
	if cases.String() != cases2.String() || entries.String() != entries2.String() {
		t.Fatalf("CSV round trip differs:\n%s\n%s", cases.String(), cases2.String())
	}
	_, err := b.ImportCSV(strings.NewReader("number,account,severity,title,status,opened_at\n5000,nope,2,x,new,2026-11-20T10:00:00Z\n"), "maria", t0)
	if err == nil || !strings.Contains(err.Error(), `row 2.account: "nope" is not an account`) {
		t.Fatalf("got %v", err)
	}
}

func TestBackupRestore(t *testing.T) {
	a := openMem(t)
	if _, err := a.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := a.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	want := exportBytes(t, a)
	b := openMem(t)
	if err := b.Restore(bytes.NewReader(buf.Bytes()), false); err != nil {
		t.Fatal(err)
	}
	if got := exportBytes(t, b); !bytes.Equal(got, want) {
		t.Fatal("restore differs")
	}
	if err := b.Restore(bytes.NewReader(buf.Bytes()), false); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore over data: %v", err)
	}
	if err := b.Restore(bytes.NewReader(buf.Bytes()), true); err != nil {
		t.Fatal(err)
	}
	if got := exportBytes(t, b); !bytes.Equal(got, want) {
		t.Fatal("forced restore differs")
	}
	if n, _ := b.NextCaseNumber(); n <= 1043 {
		t.Fatalf("number after restore %d", n)
	}
}
