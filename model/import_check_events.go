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
	im := &importedEvents{p: ck.p, at: ck.o.Now, recorded: ck.o.RecordedAt, actor: ck.o.Actor, first: seq + 1}
	region := make(map[int64]Region, len(plan.Cases))
	for i := range plan.Cases {
		region[plan.Cases[i].Number] = plan.Cases[i].Region
	}
	im.escZones = make([]*time.Location, len(plan.Escalations))
	for i := range plan.Escalations {
		reg, ok := region[plan.Escalations[i].Case]
		if !ok {
			reg = ck.caseRegion(plan.Escalations[i].Case)
		}
		im.escZones[i] = ck.p.RegionZone(reg)
	}
	plan.imported = im
	plan.EventSeq = seq + int64(len(plan.Accounts)+len(plan.Users)+len(plan.Cases)+len(plan.Escalations)+len(plan.Entries))
}

// importedEvents makes the "imported" event of each record of a plan, one
// at a time when the plan is written (100,000 of them held at once were
// the largest part of a big import's memory).
type importedEvents struct {
	p            *Policy
	at, recorded time.Time
	actor        string
	first        int64            // the first event's seq
	escZones     []*time.Location // each escalation's case's zone
}

// EventCount is how many events the plan writes.
func (plan *ImportPlan) EventCount() int {
	if plan.imported != nil {
		return len(plan.Accounts) + len(plan.Users) + len(plan.Cases) + len(plan.Escalations) + len(plan.Entries)
	}
	return len(plan.Events)
}

// EachEvent calls fn with every event the plan writes, in seq order: the
// document's own, or one "imported" event per record (accounts, users,
// cases, escalations, time entries) whose after is the record as
// imported. The event is fn's only during the call.
func (plan *ImportPlan) EachEvent(fn func(*Event) error) error {
	im := plan.imported
	if im == nil {
		for i := range plan.Events {
			if err := fn(&plan.Events[i]); err != nil {
				return err
			}
		}
		return nil
	}
	seq := im.first
	add := func(n int64, v any) error {
		after, _ := marshalCompact(v)
		ev := Event{Seq: seq, At: im.at, RecordedAt: im.recorded, Actor: im.actor, Case: n, Kind: "imported", After: after}
		seq++
		return fn(&ev)
	}
	for i := range plan.Accounts {
		r := AccountToRecord(&plan.Accounts[i])
		if err := add(0, &r); err != nil {
			return err
		}
	}
	for i := range plan.Users {
		r := UserToRecord(&plan.Users[i])
		if err := add(0, &r); err != nil {
			return err
		}
	}
	for i := range plan.Cases {
		c := &plan.Cases[i]
		r := CaseToRecord(c, im.p)
		if err := add(c.Number, &r); err != nil {
			return err
		}
	}
	for i := range plan.Escalations {
		e := &plan.Escalations[i]
		r := EscalationToRecord(e, im.escZones[i])
		if err := add(e.Case, &r); err != nil {
			return err
		}
	}
	for i := range plan.Entries {
		r := TimeEntryToRecord(&plan.Entries[i], im.p)
		if err := add(0, &r); err != nil {
			return err
		}
	}
	return nil
}
