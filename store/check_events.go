package store

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"

	"caseboard/model"
)

var eventKinds = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`opened taken assigned called responded noted status
		severity replied followed-up closed auto-closed reopened escalated escalation-followed-up
		accepted declined updated de-escalated escalation-closed time-logged time-voided user-added
		user-removed user-key-added user-key-removed account-added account-changed contact-added imported`) {
		m[k] = true
	}
	return m
}()

// checkEvents keeps the document's events as they are, after checking
// them and that each case with events is what replaying them gives.
func (ck *checker) checkEvents(plan *importPlan, lastSeq int64) {
	d := ck.doc
	seqs := map[int64]int{}
	byCase := map[int64][]model.Event{}
	for i := range d.Events {
		r := &d.Events[i]
		ev := model.Event{Seq: r.Seq, Actor: r.Actor, Kind: r.Kind, Before: r.Before, After: r.After}
		var err error
		switch {
		case !model.ValidNumber(r.Seq):
			ck.bad("events", i, "seq", "%d is not a seq (1 to %d)", r.Seq, model.MaxNumber)
		case seqs[r.Seq] > 0:
			ck.bad("events", i, "seq", "%d appears twice (also %s)", r.Seq, ck.where("events", seqs[r.Seq]-1))
		case r.Seq <= lastSeq:
			ck.bad("events", i, "seq", "%d is not above the store's last event (%d)", r.Seq, lastSeq)
		default:
			seqs[r.Seq] = i + 1
		}
		if ev.At, err = model.ParseInstant(r.At); err != nil {
			ck.bad("events", i, "at", "%v", err)
		}
		if ev.RecordedAt, err = model.ParseInstant(r.RecordedAt); err != nil {
			ck.bad("events", i, "recorded_at", "%v", err)
		}
		if strings.TrimSpace(r.Actor) == "" {
			ck.bad("events", i, "actor", "missing")
		}
		if !eventKinds[r.Kind] {
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
		plan.events = append(plan.events, ev)
		plan.eventSeq = max(plan.eventSeq, ev.Seq)
	}
	sort.SliceStable(plan.events, func(i, j int) bool { return plan.events[i].Seq < plan.events[j].Seq })
	if plan.eventSeq < lastSeq {
		plan.eventSeq = lastSeq
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
		rc, res, err := model.ReplayCase(evs)
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
		loc := ck.s.policy.RegionZone(ck.caseVals[ci].Region)
		for k, ei := range docEscs {
			if !bytes.Equal(normEsc(&res[k], loc), normEsc(&d.Escalations[ei], loc)) {
				ck.bad("escalations", ei, "", "is not what replaying the events of case %s gives", model.CaseNumber(n))
			}
		}
	}
}

// normCase is a case record with defaults filled, in canonical form.
func (ck *checker) normCase(r *model.CaseRecord) ([]byte, error) {
	c, err := model.CaseFromRecord(r)
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
	rec := model.CaseToRecord(&c, ck.s.policy)
	return compact(&rec), nil
}

func normEsc(r *model.EscalationRecord, loc *time.Location) []byte {
	e, err := model.EscalationFromRecord(r)
	if err != nil {
		return []byte("invalid")
	}
	rec := model.EscalationToRecord(&e, loc)
	return compact(&rec)
}

// firstDiff names the first field where two compact records differ.
func firstDiff(want, got []byte) string {
	if got == nil {
		return "the replayed case is invalid"
	}
	wk, wv := model.ObjectFields(want)
	gk, gv := model.ObjectFields(got)
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
func (ck *checker) importedEvents(plan *importPlan, seq int64) {
	rec := time.Now().Truncate(time.Second)
	p := ck.s.policy
	add := func(n int64, v any) {
		seq++
		plan.events = append(plan.events, model.Event{Seq: seq, At: ck.now, RecordedAt: rec,
			Actor: ck.actor, Case: n, Kind: "imported", After: compact(v)})
	}
	for i := range plan.accounts {
		r := model.AccountToRecord(&plan.accounts[i])
		add(0, &r)
	}
	for i := range plan.users {
		r := model.UserToRecord(&plan.users[i])
		add(0, &r)
	}
	region := map[int64]model.Region{}
	for i := range plan.cases {
		c := &plan.cases[i]
		region[c.Number] = c.Region
		r := model.CaseToRecord(c, p)
		add(c.Number, &r)
	}
	for i := range plan.escalations {
		e := &plan.escalations[i]
		reg, ok := region[e.Case]
		if !ok {
			reg = ck.caseRegion(e.Case)
		}
		r := model.EscalationToRecord(e, p.RegionZone(reg))
		add(e.Case, &r)
	}
	for i := range plan.entries {
		r := model.TimeEntryToRecord(&plan.entries[i], p)
		add(0, &r)
	}
	plan.eventSeq = seq
}
