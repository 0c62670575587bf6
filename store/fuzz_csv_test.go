package store

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

const csvBase = `{"users": [{"id": "boss", "name": "B", "role": "manager"}],
	"accounts": [{"id": "base", "name": "Base", "plan": "basic", "region": "emea", "tam_plan": "tam10", "tam": null}]}`

// csvTitles reads the title column of an exported cases CSV, undoing the
// formula guard as the import does.
func csvTitles(t *testing.T, b []byte) map[string]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("the exported CSV does not parse: %v", err)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[0]] = uninert(r[3])
	}
	return out
}

// TestCSVTextRoundTrip: text cells that look like formulas, or like an
// already guarded formula, come back from export + import exactly.
func TestCSVTextRoundTrip(t *testing.T) {
	titles := []string{"=HYPERLINK(\"http://evil.example\",\"x\")", "+1", "-1", "@SUM(A1)", "'=x", "''=x", "'hello", "'", "''", "plain", "a|b", "\x1b[2J"}
	s := openMem(t)
	if _, err := s.Import(mustParse(t, csvBase), "boss", t0); err != nil {
		t.Fatal(err)
	}
	var in bytes.Buffer
	w := csv.NewWriter(&in)
	w.Write([]string{"number", "account", "severity", "title", "status", "opened_at"})
	for i, ti := range titles {
		w.Write([]string{strconv.Itoa(1 + i), "base", "3", inert(ti), "new", "2026-11-20T10:00:00Z"})
	}
	w.Flush()
	if _, err := s.ImportCSV(&in, "boss", t0); err != nil {
		t.Fatal(err)
	}
	for i, want := range titles {
		c, err := s.Case(int64(1 + i))
		if err != nil {
			t.Fatal(err)
		}
		if c.Title != want {
			t.Errorf("case %d: title %q came back as %q", i+1, want, c.Title)
		}
	}
	var out bytes.Buffer
	if err := s.ExportCSV(&out, CSVCases); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		for _, cell := range strings.Split(line, ",") {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("a cell starts a formula: %q in %q", cell, line)
			}
		}
	}
}

// FuzzImportCSV: any CSV either imports whole or is refused with the store
// unchanged; nothing panics; an accepted import exports text cells that
// never start a formula and read back as stored.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("number,account,severity,title,status,opened_at\n5000,base,2,x,new,2026-11-20T10:00:00Z\n"))
	f.Add([]byte("number,account,severity,title,status,opened_at\n5001,base,2,'=HYPERLINK(1),new,2026-11-20T10:00:00Z\n"))
	f.Add([]byte("number,account,severity,title,status,owner,opened_at,closed_at,close_reason\n5002,base,3,\"a,\"\"b\",closed,boss,2026-11-20T10:00:00Z,2026-11-21T10:00:00Z,resolved\n"))
	f.Add([]byte("id,account,tam,date,minutes,category,mode,note\n900,base,boss,2026-11-03,60,cadence-call,consultative,-1 tricky\n"))
	f.Add([]byte("number\n"))
	f.Add([]byte("number,number\n1,2\n"))
	f.Add([]byte("\"unterminated\n"))
	s, err := Open(Options{InMemory: true})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(mustParse(f, csvBase), "boss", t0); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		before := exportBytes(t, s)
		if _, err := s.ImportCSV(bytes.NewReader(data), "boss", t0); err != nil {
			if after := exportBytes(t, s); !bytes.Equal(before, after) {
				t.Fatalf("a refused CSV import changed the store: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := s.ExportCSV(&out, CSVCases); err != nil {
			t.Fatal(err)
		}
		cases, err := s.Cases()
		if err != nil {
			t.Fatal(err)
		}
		titles := csvTitles(t, out.Bytes())
		for _, c := range cases {
			if got := titles[strconv.FormatInt(c.Number, 10)]; got != c.Title {
				t.Fatalf("case %d: stored title %q exports as %q", c.Number, c.Title, got)
			}
		}
	})
}
