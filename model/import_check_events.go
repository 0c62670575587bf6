package model

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// eventCheck is what the check of the document's own events keeps
// between them.
type eventCheck struct {
	own   bool          // the document has events: no imported ones
	seqs  map[int64]int // seq -> index + 1
	cases map[int64]bool
}

// checkEvent keeps one of the document's events as it is, after checking
// it; endEvents then checks that each case with events is what replaying
// them gives.
func (ck *DocCheck) checkEvent(i int, r *EventRecord) {
	ec := &ck.events
	if !ec.own {
		ec.own = true
		ec.seqs, ec.cases = map[int64]int{}, map[int64]bool{}
		ck.tot.Events = 0
		ck.eventSeq = ck.lastSeq
		ck.fail(ck.w.DropImported())
	}
	ev := Event{Seq: r.Seq, Actor: r.Actor, Kind: r.Kind, Before: r.Before, After: r.After}
	var err error
	switch {
	case !ValidNumber(r.Seq):
		ck.bad("events", i, "seq", "%d is not a seq (1 to %d)", r.Seq, MaxNumber)
	case ec.seqs[r.Seq] > 0:
		ck.bad("events", i, "seq", "%d appears twice (also %s)", r.Seq, ck.where("events", ec.seqs[r.Seq]-1))
	case r.Seq <= ck.lastSeq:
		ck.bad("events", i, "seq", "%d is not above the store's last event (%d)", r.Seq, ck.lastSeq)
	default:
		ec.seqs[r.Seq] = i + 1
	}
	if ev.At, err = ParseInstant(r.At); err != nil {
		ck.bad("events", i, "at", "%v", err)
	}
	if ev.RecordedAt, err = ParseInstant(r.RecordedAt); err != nil {
		ck.bad("events", i, "recorded_at", "%v", err)
	}
	if strings.TrimSpace(r.Actor) == "" {
		ck.bad("events", i, "actor", "missing")
	}
	if !ValidEventKind(r.Kind) {
		ck.bad("events", i, "kind", "%q is not an event kind", r.Kind)
	}
	for _, f := range []struct {
		name string
		v    []byte
	}{{"before", r.Before}, {"after", r.After}} {
		v := bytes.TrimSpace(f.v)
		if len(v) > 0 && !bytes.Equal(v, []byte("null")) && v[0] != '{' {
			ck.bad("events", i, f.name, "must be an object or null")
		}
	}
	if r.Case != nil {
		ev.Case = *r.Case
		if _, inDoc := ck.cases[ev.Case]; !inDoc {
			ck.bad("events", i, "case", "%d is not a case of this document", ev.Case)
		} else {
			ec.cases[ev.Case] = true
		}
	}
	ck.tot.Events++
	ck.eventSeq = max(ck.eventSeq, ev.Seq)
	ck.fail(ck.w.Event(&ev, false))
}

// endEvents checks, when the document has events and no other problem,
// that each case with events is what replaying them gives, escalations
// too; the events and records are read back from the writer one case at
// a time.
func (ck *DocCheck) endEvents() {
	ec := &ck.events
	if !ec.own || ck.problems() || ck.err != nil {
		return
	}
	nums := make([]int64, 0, len(ec.cases))
	for n := range ec.cases {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for _, n := range nums {
		if err := ck.replayCheck(n); err != nil {
			ck.fail(err)
			return
		}
	}
}

// replayCheck is endEvents for case n.
func (ck *DocCheck) replayCheck(n int64) error {
	ci := int(ck.cases[n].i)
	evs, err := ck.w.EventsOf(n)
	if err != nil {
		return err
	}
	slices.SortStableFunc(evs, func(a, b Event) int { return cmp.Compare(a.Seq, b.Seq) })
	rc, res, err := ReplayCase(evs)
	if err != nil {
		ck.bad("cases", ci, "", "its events do not replay: %v", err)
		return nil
	}
	c, err := ck.w.CaseOf(n)
	if err != nil {
		return err
	}
	rec := CaseToRecord(c, ck.p)
	want, _ := marshalCompact(&rec)
	got, gerr := ck.normCase(rc)
	if gerr != nil || !bytes.Equal(got, want) {
		ck.bad("cases", ci, "", "is not what replaying its events gives (%s)", firstDiff(want, got))
		return nil
	}
	docEscs, err := ck.w.EscalationsOf(n)
	if err != nil {
		return err
	}
	if len(res) != len(docEscs) {
		ck.bad("cases", ci, "", "its events give %d escalations, the document has %d", len(res), len(docEscs))
		return nil
	}
	loc := ck.p.RegionZone(c.Region)
	for k := range docEscs {
		er := EscalationToRecord(&docEscs[k], loc)
		want, _ := marshalCompact(&er)
		if !bytes.Equal(normEsc(&res[k], loc), want) {
			ck.bad("escalations", int(ck.escIdx[n][k]), "", "is not what replaying the events of case %s gives", CaseNumber(n))
		}
	}
	return nil
}

// normCase is a case record with defaults filled, in canonical form.
func (ck *DocCheck) normCase(r *CaseRecord) ([]byte, error) {
	c, err := CaseFromRecord(r)
	if err != nil {
		return nil, err
	}
	if a, ok := ck.account(c.Account); ok {
		if c.Plan == "" {
			c.Plan = a.Plan
		}
		if c.Region == "" {
			c.Region = a.Region
		}
	}
	rec := CaseToRecord(&c, ck.p)
	return marshalCompact(&rec)
}

func normEsc(r *EscalationRecord, loc *time.Location) []byte {
	e, err := EscalationFromRecord(r)
	if err != nil {
		return []byte("invalid")
	}
	rec := EscalationToRecord(&e, loc)
	b, _ := marshalCompact(&rec)
	return b
}

// firstDiff names the first field where two compact records differ.
func firstDiff(want, got []byte) string {
	if got == nil {
		return "the replayed case is invalid"
	}
	wk, wv := ObjectFields(want)
	gk, gv := ObjectFields(got)
	for i := range wk {
		if i >= len(gk) || !bytes.Equal(wv[i], gv[i]) {
			g := "nothing"
			if i < len(gv) {
				g = string(gv[i])
			}
			return fmt.Sprintf("%s: %s here, %s from the events", wk[i], wv[i], g)
		}
	}
	return "they differ"
}
