package model

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"
)

// checkEvents keeps the document's events as they are, after checking
// them and that each case with events is what replaying them gives.
func (ck *docCheck) checkEvents(plan *ImportPlan, lastSeq int64) {
	d := ck.doc
	seqs := map[int64]int{}
	byCase := map[int64][]Event{}
	for i := range d.Events {
		r := &d.Events[i]
		ev := Event{Seq: r.Seq, Actor: r.Actor, Kind: r.Kind, Before: r.Before, After: r.After}
		var err error
		switch {
		case !ValidNumber(r.Seq):
			ck.bad("events", i, "seq", "%d is not a seq (1 to %d)", r.Seq, MaxNumber)
		case seqs[r.Seq] > 0:
			ck.bad("events", i, "seq", "%d appears twice (also %s)", r.Seq, ck.where("events", seqs[r.Seq]-1))
		case r.Seq <= lastSeq:
			ck.bad("events", i, "seq", "%d is not above the store's last event (%d)", r.Seq, lastSeq)
		default:
			seqs[r.Seq] = i + 1
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
				byCase[ev.Case] = append(byCase[ev.Case], ev)
			}
		}
		plan.Events = append(plan.Events, ev)
		plan.EventSeq = max(plan.EventSeq, ev.Seq)
	}
	sort.SliceStable(plan.Events, func(i, j int) bool { return plan.Events[i].Seq < plan.Events[j].Seq })
	if plan.EventSeq < lastSeq {
		plan.EventSeq = lastSeq
	}
	if len(ck.problems) > 0 {
		return
	}
	escs := map[int64][]int{}
	for i := range d.Escalations {
		escs[d.Escalations[i].Case] = append(escs[d.Escalations[i].Case], i)
	}
	nums := make([]int64, 0, len(byCase))
	for n := range byCase {
		nums = append(nums, n)
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	for _, n := range nums {
		evs := byCase[n]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Seq < evs[j].Seq })
		ci := ck.cases[n]
		rc, res, err := ReplayCase(evs)
		if err != nil {
			ck.bad("cases", ci, "", "its events do not replay: %v", err)
			continue
		}
		got, gerr := ck.normCase(rc)
		want, _ := ck.normCase(&d.Cases[ci])
		if gerr != nil || !bytes.Equal(got, want) {
			ck.bad("cases", ci, "", "is not what replaying its events gives (%s)", firstDiff(want, got))
			continue
		}
		docEscs := escs[n]
		if len(res) != len(docEscs) {
			ck.bad("cases", ci, "", "its events give %d escalations, the document has %d", len(res), len(docEscs))
			continue
		}
		loc := ck.p.RegionZone(ck.caseVals[ci].Region)
		for k, ei := range docEscs {
			if !bytes.Equal(normEsc(&res[k], loc), normEsc(&d.Escalations[ei], loc)) {
				ck.bad("escalations", ei, "", "is not what replaying the events of case %s gives", CaseNumber(n))
			}
		}
	}
}

// normCase is a case record with defaults filled, in canonical form.
func (ck *docCheck) normCase(r *CaseRecord) ([]byte, error) {
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

// importedEvents records one "imported" event per record.
func (ck *docCheck) importedEvents(plan *ImportPlan, seq int64) {
	p := ck.p
	add := func(n int64, v any) {
		seq++
		after, _ := marshalCompact(v)
		plan.Events = append(plan.Events, Event{Seq: seq, At: ck.o.Now, RecordedAt: ck.o.RecordedAt,
			Actor: ck.o.Actor, Case: n, Kind: "imported", After: after})
	}
	for i := range plan.Accounts {
		r := AccountToRecord(&plan.Accounts[i])
		add(0, &r)
	}
	for i := range plan.Users {
		r := UserToRecord(&plan.Users[i])
		add(0, &r)
	}
	region := map[int64]Region{}
	for i := range plan.Cases {
		c := &plan.Cases[i]
		region[c.Number] = c.Region
		r := CaseToRecord(c, p)
		add(c.Number, &r)
	}
	for i := range plan.Escalations {
		e := &plan.Escalations[i]
		reg, ok := region[e.Case]
		if !ok {
			reg = ck.caseRegion(e.Case)
		}
		r := EscalationToRecord(e, p.RegionZone(reg))
		add(e.Case, &r)
	}
	for i := range plan.Entries {
		r := TimeEntryToRecord(&plan.Entries[i], p)
		add(0, &r)
	}
	plan.EventSeq = seq
}
