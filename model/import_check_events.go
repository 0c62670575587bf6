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
	own   bool // the document has events: no imported ones
	seqs  seqSet
	cases map[int64]bool
}

// seqSet is the events' seqs met so far, with their indexes: those met
// in rising order (an export's) in a sorted slice, 12 bytes each; the
// others in a map.
type seqSet struct {
	rising []seqAt
	others map[int64]int32
}

type seqAt struct {
	seq int64
	i   int32
}

// index is the index of the event with seq, if one was met.
func (ss *seqSet) index(seq int64) (int, bool) {
	if k, ok := slices.BinarySearchFunc(ss.rising, seq, func(a seqAt, s int64) int { return cmp.Compare(a.seq, s) }); ok {
		return int(ss.rising[k].i), true
	}
	i, ok := ss.others[seq]
	return int(i), ok
}

// add records seq at index i (not met before).
func (ss *seqSet) add(seq int64, i int) {
	if n := len(ss.rising); n == 0 || ss.rising[n-1].seq < seq {
		ss.rising = append(ss.rising, seqAt{seq, int32(i)})
		return
	}
	if ss.others == nil {
		ss.others = map[int64]int32{}
	}
	ss.others[seq] = int32(i)
}

// checkEvent keeps one of the document's events as it is, after checking
// it; endEvents then checks that each case with events is what replaying
// them gives.
func (ck *DocCheck) checkEvent(i int, r *EventRecord) {
	ec := &ck.events
	if !ec.own {
		ec.own = true
		ec.cases = map[int64]bool{}
		ck.tot.Events = 0
		ck.eventSeq = ck.lastSeq
		ck.fail(ck.w.DropImported())
	}
	ev := Event{Seq: r.Seq, Actor: r.Actor, Kind: r.Kind, Before: r.Before, After: r.After}
	var err error
	prev, twice := ec.seqs.index(r.Seq)
	switch {
	case !ValidNumber(r.Seq):
		ck.bad("events", i, "seq", "%d is not a seq (1 to %d)", r.Seq, MaxNumber)
	case twice:
		ck.bad("events", i, "seq", "%d appears twice (also %s)", r.Seq, ck.where("events", prev))
	case r.Seq <= ck.lastSeq:
		ck.bad("events", i, "seq", "%d is not above the store's last event (%d)", r.Seq, ck.lastSeq)
	default:
		ec.seqs.add(r.Seq, i)
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
	ck.meetHistory(r.Kind, r.Before, r.After)
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
	ck.settle()
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
