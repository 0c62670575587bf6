package store

import (
	"strings"
	"testing"
)

// TestParseDocumentRefusesDuplicateKeys: a key twice in any object of
// the document is refused with its position (JSON would keep the last).
func TestParseDocumentRefusesDuplicateKeys(t *testing.T) {
	cases := []struct{ name, from, to, want string }{
		{"in a case", `"severity": 2,`, `"severity": 2, "severity": 4,`, `line 13, column 64: cases[0]: field "severity" appears twice`},
		{"in a contact", `"kind": "contact",`, `"kind": "contact", "kind": "x",`, `line 5, column 70: accounts[0].contacts[0]: field "kind" appears twice`},
		{"in an update", `"by": "maria",`, `"by": "maria", "by": "sam",`, `escalations[0].updates[0]: field "by" appears twice`},
		{"in the document", `"format": 1,`, `"format": 1, "format": 1,`, `line 2, column 16: field "format" appears twice`},
		{"spelt with an escape", `"severity": 2,`, `"severity": 2, "sev\u0065rity": 4,`, `cases[0]: field "severity" appears twice`},
		{"in time entries", `"minutes": 60,`, `"minutes": 60, "minutes": 9223372036854775807,`, `time_entries[0]: field "minutes" appears twice`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(sampleDoc, c.from) {
				t.Fatalf("fixture lacks %q", c.from)
			}
			_, err := ParseDocument(strings.NewReader(strings.Replace(sampleDoc, c.from, c.to, 1)))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v\nwant %s", err, c.want)
			}
		})
	}
	// In an event's before or after, too.
	a := openMem(t)
	if _, err := a.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	exp := string(exportBytes(t, a))
	bad := strings.Replace(exp, `"after": {`, `"after": {"id": "x", `, 1)
	_, err := ParseDocument(strings.NewReader(bad))
	if err == nil || !strings.Contains(err.Error(), `events[0].after: field "id" appears twice`) {
		t.Fatalf("duplicate in an event's after: %v", err)
	}
}
