package cli

import (
	"encoding/json"
	"testing"
	"time"
)

// TestTimeCannotBeForged: an action with --now in the past keeps its real
// recorded_at; commands that only read, at a --now years ahead (when every
// waiting case would auto-close), write nothing.
func TestTimeCannotBeForged(t *testing.T) {
	st := deskStore(t)
	before := time.Now().Add(-time.Second)
	must(t, st, "case", "note", "1044", "backdated", "--as=lee", "--now=2026-11-20T10:00:00-05:00")
	must(t, st, "case", "new", "--account", "acme", "--severity", "3", "--title", "old", "--as=maria", "--now=2020-01-01T00:00:00Z")
	after := time.Now().Add(time.Second)
	var doc struct {
		Events []struct {
			Kind       string `json:"kind"`
			At         string `json:"at"`
			RecordedAt string `json:"recorded_at"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(export(t, st)), &doc); err != nil {
		t.Fatal(err)
	}
	last := doc.Events[len(doc.Events)-2:]
	for _, ev := range last {
		rec, err := time.Parse(time.RFC3339, ev.RecordedAt)
		if err != nil || rec.Before(before.Truncate(time.Second)) || rec.After(after) {
			t.Errorf("%s at %s: recorded_at %s is not the real clock (%s .. %s)", ev.Kind, ev.At, ev.RecordedAt, before, after)
		}
	}
	if last[0].At == last[0].RecordedAt {
		t.Errorf("the backdated note's at %s equals its recorded_at", last[0].At)
	}
	future := "--now=2031-06-01T12:00:00Z"
	snapshot := export(t, st)
	for _, args := range [][]string{
		{"queue"}, {"queue", "--json"}, {"case", "show", "1044"}, {"case", "list"}, {"account", "show", "acme"},
		{"account", "list"}, {"user", "list"}, {"time", "list", "--account", "contoso"}, {"timebank", "--account", "contoso"},
		{"report", "sla", "--from", "2026-11-01", "--to", "2031-05-31"}, {"report", "weekly", "--account", "contoso"},
		{"report", "hours", "--account", "contoso", "--from", "2026-11-01", "--to", "2031-05-31", "--format", "csv"},
		{"export"}, {"queue", "--as=maria"}, {"case", "show", "1044", "--as=lee"},
	} {
		must(t, st, append(args, future)...)
		if got := export(t, st); got != snapshot {
			t.Fatalf("%v at %s wrote to the store", args, future)
		}
	}
}
