package model

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// discardWriter takes a checked import's records and keeps none.
type discardWriter struct{ cases int }

func (w *discardWriter) Account(*Account) error                    { return nil }
func (w *discardWriter) User(*User) error                          { return nil }
func (w *discardWriter) Case(*Case) error                          { w.cases++; return nil }
func (w *discardWriter) Escalation(*Escalation) error              { return nil }
func (w *discardWriter) Entry(*TimeEntry) error                    { return nil }
func (w *discardWriter) Event(*Event, bool) error                  { return nil }
func (w *discardWriter) DropImported() error                       { return nil }
func (w *discardWriter) CaseOf(int64) (*Case, error)               { return nil, fmt.Errorf("not kept") }
func (w *discardWriter) EventsOf(int64) ([]Event, error)           { return nil, nil }
func (w *discardWriter) EscalationsOf(int64) ([]Escalation, error) { return nil, nil }

// liveHeap is the heap's live bytes after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestDocCheckKeepsLittleOfEachCase: the import check of 60,000 cases
// given in chunks of 1,024 (the parser's; each chunk's records are let go
// after it) keeps a few dozen bytes of each case (its number, account and
// region), not the records: a 100,000-case document held whole took ~70
// MB (700 bytes a case) before its check streamed.
func TestDocCheckKeepsLittleOfEachCase(t *testing.T) {
	const n, chunk = 60000, 1024
	l := deskLookup()
	w := &discardWriter{}
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	ck := NewDocCheck(DefaultPolicy(), l, w, CheckOptions{Now: now, Actor: "maria"})
	ck.End("accounts")
	ck.End("users")
	before := liveHeap()
	owner := "sam"
	recs := make([]CaseRecord, chunk)
	for start := 0; start < n; start += chunk {
		recs = recs[:min(chunk, n-start)]
		for i := range recs {
			num := int64(100 + start + i)
			recs[i] = CaseRecord{Number: num, Account: "acme", Severity: 1 + i%4, Status: "assigned", Owner: &owner,
				Title:    fmt.Sprintf("Checkout page times out for the customers of store %d in the evening", num),
				OpenedAt: now.Add(-time.Duration(num) * time.Minute).Format(time.RFC3339)}
		}
		ck.Cases(recs)
	}
	recs = nil
	after := liveHeap()
	ck.EndPass()
	_, problems, err := ck.Finish()
	if err != nil || len(problems) > 0 || w.cases != n {
		t.Fatalf("%d cases written, problems %v, %v", w.cases, problems, err)
	}
	per := float64(int64(after)-int64(before)) / n
	t.Logf("%.0f bytes kept a case", per)
	if per > 100 {
		t.Errorf("the check keeps %.0f bytes a case (%d cases), want at most 100", per, n)
	}
	runtime.KeepAlive(ck)
}

// TestImportEventSeqsTwice: an event's seq given twice is found whether
// the events come in rising order (an export's) or not, and names the
// first with that seq.
func TestImportEventSeqsTwice(t *testing.T) {
	var evs []EventRecord
	for _, seq := range []int64{41, 43, 42, 43, 41, 44, 42, 45} {
		evs = append(evs, EventRecord{Seq: seq, At: "2026-11-20T10:00:00-05:00", RecordedAt: "2026-11-20T10:00:00-05:00",
			Actor: "maria", Kind: "noted"})
	}
	_, problems, err := CheckDocument(&Document{Format: 1, Events: evs}, DefaultPolicy(), deskLookup(), CheckOptions{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Where+": "+p.Msg)
	}
	want := []string{
		"events[3].seq: 43 appears twice (also events[1])",
		"events[4].seq: 41 appears twice (also events[0])",
		"events[6].seq: 42 appears twice (also events[2])",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("problems:\n%q\nwant:\n%q", got, want)
	}
}
