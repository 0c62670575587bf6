package model

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"
)

// Run longer with: go test ./model/ -run Replay -replay-steps 20000 -replay-seed 7
// (the package before the flags, or go test takes them for the binary).
var replaySteps = flag.Int("replay-steps", 2000, "steps of the random replay property test")
var replaySeed = flag.Int64("replay-seed", 12, "seed of the random replay property test")

// checkReplay asserts that replaying each case's events rebuilds the case
// and its escalations exactly.
func checkReplay(t *testing.T, f *fixture) {
	t.Helper()
	byCase := map[int64][]Event{}
	for _, ev := range f.d.Events {
		if ev.Case != 0 {
			byCase[ev.Case] = append(byCase[ev.Case], ev)
		}
	}
	for _, n := range f.d.CaseNumbers() {
		c := f.caseOf(n)
		rec, escs, err := ReplayCase(byCase[n])
		if err != nil {
			t.Fatalf("replay %d: %v", n, err)
		}
		want, _ := json.Marshal(CaseToRecord(&c, f.p))
		got, _ := json.Marshal(rec)
		if string(got) != string(want) {
			t.Fatalf("replay of %d:\n got %s\nwant %s", n, got, want)
		}
		var wantEscs []EscalationRecord
		for i := range f.d.Escalations[n] {
			wantEscs = append(wantEscs, EscalationToRecord(&f.d.Escalations[n][i], f.p.RegionZone(c.Region)))
		}
		we, _ := json.Marshal(wantEscs)
		ge, _ := json.Marshal(escs)
		if string(we) != string(ge) {
			t.Fatalf("replay of %d escalations:\n got %s\nwant %s", n, ge, we)
		}
	}
}

// checkInvariants asserts that no case is in a state the lifecycle forbids.
func checkInvariants(t *testing.T, f *fixture, step int) {
	t.Helper()
	for _, n := range f.d.CaseNumbers() {
		c := f.caseOf(n)
		bad := func(why string) { t.Fatalf("step %d: case %d %s: %+v", step, n, why, c) }
		if _, ok := ParseStatus(string(c.Status)); !ok {
			bad("unknown status")
		}
		if c.Severity < 1 || c.Severity > 4 {
			bad("bad severity")
		}
		if c.IsOpen() != c.ClosedAt.IsZero() || c.IsOpen() != (c.CloseReason == "") {
			bad("closed_at/close_reason disagree with the status")
		}
		if (c.CloseReason == ReasonDuplicate) != (c.DuplicateOf != 0) || c.DuplicateOf == c.Number {
			bad("duplicate_of")
		}
		switch c.Status {
		case StatusNew:
			if c.Owner != "" || !c.RespondedAt.IsZero() {
				bad("new but owned or responded")
			}
		case StatusAssigned:
			if c.Owner == "" || !c.RespondedAt.IsZero() {
				bad("assigned without owner or with a response")
			}
		case StatusInProgress, StatusWaitingCustomer, StatusWaitingDevelopment, StatusFixAvailable:
			if c.Owner == "" || c.RespondedAt.IsZero() {
				bad("working status without owner or response")
			}
		}
		if c.Status == StatusWaitingCustomer && c.WaitingSince.IsZero() {
			bad("waiting without waiting_since")
		}
		if !c.Followup2At.IsZero() && c.Followup1At.IsZero() {
			bad("follow-up 2 without 1")
		}
		es := f.d.Escalations[n]
		for i := range es {
			if es[i].Seq != i+1 {
				bad("escalation seq")
			}
			if i < len(es)-1 && es[i].Open() {
				bad("an earlier escalation is still open")
			}
			if es[i].Open() != es[i].EndedAt.IsZero() {
				bad("escalation ended_at disagrees with its status")
			}
		}
		if len(es) > 0 && es[len(es)-1].Open() && !c.IsOpen() {
			bad("closed with an open escalation")
		}
	}
	for k, used := range f.d.Bank {
		sum := 0
		for _, e := range f.d.TimeEntries {
			if e.Account == k.Account && e.Date.MonthOf() == k.Month && e.Counts() {
				sum += e.Minutes
			}
		}
		if sum != used {
			t.Fatalf("step %d: bank %v is %d, entries sum %d", step, k, used, sum)
		}
		a := f.d.Accounts[k.Account]
		if spec, ok := f.p.TAMPlans[a.TAMPlan]; ok && used > spec.BankMinutes() && a.TAMPlan == "enterprise" {
			t.Fatalf("step %d: bank %v over: %d", step, k, used)
		}
	}
}

// TestReplayProperty drives a desk with random actions by random actors
// (most refused, which is part of the test: a refusal must change
// nothing), checking after every step that no case is in a forbidden
// state and that replaying each case's events rebuilds it.
func TestReplayProperty(t *testing.T) {
	f := newFixture(t)
	rng := rand.New(rand.NewSource(*replaySeed))
	actors := []string{"maria", "max", "sam", "lee", "eve", "tina", "tom", "wally", System}
	accounts := []string{"acme", "globex", "umbrella", "initech"}
	now := t0
	statuses := Statuses()
	texts := []string{"", "call back", "ok", "agreed", "patch in QA", "=cmd|' /C calc'!A0", "\x1b[31mred"}
	allowed, refused := 0, 0
	// weights of the action kinds below, by case label.
	weights := []int{3, 1, 2, 2, 2, 3, 1, 3, 3, 1, 2, 4, 2, 1, 3, 3, 2, 3, 1, 3, 2, 4}
	for step := 0; step < *replaySteps; step++ {
		now = now.Add(time.Duration(rng.Intn(180)) * time.Minute)
		if rng.Intn(20) == 0 {
			now = now.Add(time.Duration(rng.Intn(72)) * time.Hour)
		}
		nums := f.d.CaseNumbers()
		pick := func() int64 {
			if len(nums) == 0 || rng.Intn(30) == 0 {
				return int64(rng.Intn(5) + 1)
			}
			return nums[rng.Intn(len(nums))]
		}
		past := func() time.Time {
			if rng.Intn(2) == 0 {
				return time.Time{}
			}
			return now.Add(-time.Duration(rng.Intn(600)) * time.Minute)
		}
		actor := actors[rng.Intn(len(actors))]
		var a Action
		switch weighted(rng, weights) {
		case 0, 1:
			a = NewCase{Account: accounts[rng.Intn(len(accounts))], Severity: rng.Intn(5), Title: texts[rng.Intn(len(texts))],
				Contact: "Ana Ruiz", RefersTo: int64(rng.Intn(3))}
		case 2:
			a = TakeCase{Number: pick()}
		case 3:
			a = AssignCase{Number: pick(), To: actors[rng.Intn(len(actors))]}
		case 4:
			a = CallCase{Number: pick(), At: past()}
		case 5:
			a = RespondCase{Number: pick(), At: past()}
		case 6:
			a = NoteCase{Number: pick(), Text: texts[rng.Intn(len(texts))]}
		case 7, 8:
			a = SetStatus{Number: pick(), To: statuses[rng.Intn(len(statuses))]}
		case 9:
			a = ChangeSeverity{Number: pick(), To: rng.Intn(5) + 1, AgreedBy: texts[rng.Intn(len(texts))]}
		case 10:
			a = ReplyCase{Number: pick(), At: past()}
		case 11:
			a = FollowupCase{Number: pick(), At: past()}
		case 12:
			reasons := []string{ReasonResolved, ReasonNoResponse, ReasonDuplicate, ""}
			a = CloseCase{Number: pick(), Reason: reasons[rng.Intn(len(reasons))], DuplicateOf: pick()}
		case 13:
			a = ReopenCase{Number: pick()}
		case 14:
			actor = System
			cases := make([]Case, 0, len(nums))
			for _, n := range nums {
				cases = append(cases, f.caseOf(n))
			}
			due := DueAutoCloses(cases, func(n int64) bool { e, ok := f.d.Escalation(n); return ok && e.Open() }, f.p, now)
			if len(due) > 0 {
				a = AutoCloseCase{Number: due[0]}
			} else {
				a = AutoCloseCase{Number: pick()}
			}
		case 15:
			bys := []string{"sam", "tina", "tom", "wally", "contact:Ana Ruiz", "csm:Kim", "boss:X", ""}
			a = Escalate{Number: pick(), By: bys[rng.Intn(len(bys))], Channel: []string{"phone", "portal", "fax"}[rng.Intn(3)],
				Justification: texts[rng.Intn(len(texts))]}
		case 16:
			a = EscalationFollowup{Number: pick(), At: past()}
		case 17:
			a = AcceptEscalation{Number: pick(), Every: time.Duration(rng.Intn(4)) * 2 * time.Hour}
		case 18:
			a = DeclineEscalation{Number: pick(), Reason: texts[rng.Intn(len(texts))]}
		case 19:
			a = UpdateEscalation{Number: pick(), Summary: texts[rng.Intn(len(texts))]}
		case 20:
			if rng.Intn(2) == 0 {
				a = DeescalateEscalation{Number: pick(), Reason: texts[rng.Intn(len(texts))]}
			} else {
				a = CloseEscalation{Number: pick(), Outcome: []string{"root-cause", "timeline", "fix", "nope"}[rng.Intn(4)],
					Summary: texts[rng.Intn(len(texts))]}
			}
		case 21:
			if rng.Intn(2) == 0 && len(f.d.TimeEntries) > 0 {
				a = VoidTime{ID: int64(rng.Intn(len(f.d.TimeEntries)) + 1), Reason: texts[rng.Intn(len(texts))]}
			} else {
				if rng.Intn(2) == 0 {
					actor = "maria"
				}
				a = LogTime{Account: accounts[rng.Intn(len(accounts))], Minutes: rng.Intn(300) - 10,
					Category: Categories()[rng.Intn(len(Categories()))], Mode: []string{"", "", "", "managed"}[rng.Intn(4)],
					Case: int64(rng.Intn(3)) * int64(rng.Intn(2)), Project: []string{"", "search-ui", "sso"}[rng.Intn(3)],
					Date: DateOf(now.Add(-time.Duration(rng.Intn(40*24))*time.Hour), f.p.TAMZone)}
			}
		}
		// Most of the time the case's owner (or a manager) acts, so that
		// enough actions pass to reach every status.
		if n := caseNumberOf(a); n != 0 && rng.Intn(10) < 7 && actor != System {
			actor = "maria"
			if c, ok := f.d.Case(n); ok && c.Owner != "" && rng.Intn(2) == 0 {
				actor = c.Owner
			}
		}
		before := len(f.d.Events)
		switch x := a.(type) {
		case NewCase:
			x.Number = f.d.NextCaseNumber()
			a = x
		case LogTime:
			x.ID = f.d.NextEntryID()
			a = x
		}
		snapshot := deskSnapshot(f.d)
		ch, err := Do(f.d, f.p, actor, a, now)
		if deskSnapshot(f.d) != snapshot {
			t.Fatalf("step %d %s %T: Do changed what it read", step, actor, a)
		}
		if err == nil {
			f.d.Apply(ch, now)
		}
		if err != nil {
			refused++
			if _, ok := err.(*Refusal); !ok {
				t.Fatalf("step %d %s %T: %v is not a refusal", step, actor, a, err)
			}
			if len(f.d.Events) != before {
				t.Fatalf("step %d: a refusal changed the desk", step)
			}
		} else {
			allowed++
			if len(f.d.Events) == before {
				t.Fatalf("step %d %s %T: allowed without an event", step, actor, a)
			}
		}
		checkInvariants(t, f, step)
		if step%50 == 0 || step == *replaySteps-1 {
			checkReplay(t, f)
		}
	}
	if allowed < *replaySteps/10 {
		t.Fatalf("only %d of %d actions allowed: the generator is too weak", allowed, allowed+refused)
	}
	kinds := map[string]int{}
	for _, ev := range f.d.Events {
		kinds[ev.Kind]++
	}
	t.Log(kinds)
	t.Log(fmt.Sprintf("%d allowed, %d refused, %d cases", allowed, refused, len(f.d.Cases)))
}

func weighted(rng *rand.Rand, w []int) int {
	sum := 0
	for _, x := range w {
		sum += x
	}
	r := rng.Intn(sum)
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

func caseNumberOf(a Action) int64 {
	switch a := a.(type) {
	case TakeCase:
		return a.Number
	case AssignCase:
		return a.Number
	case CallCase:
		return a.Number
	case RespondCase:
		return a.Number
	case SetStatus:
		return a.Number
	case ChangeSeverity:
		return a.Number
	case ReplyCase:
		return a.Number
	case FollowupCase:
		return a.Number
	case CloseCase:
		return a.Number
	case ReopenCase:
		return a.Number
	case EscalationFollowup:
		return a.Number
	case AcceptEscalation:
		return a.Number
	case DeclineEscalation:
		return a.Number
	case UpdateEscalation:
		return a.Number
	case DeescalateEscalation:
		return a.Number
	case CloseEscalation:
		return a.Number
	}
	return 0
}

// deskSnapshot prints every record of a desk (values, not pointers).
func deskSnapshot(d *Desk) string {
	var b strings.Builder
	for _, n := range d.CaseNumbers() {
		fmt.Fprintf(&b, "%+v\n%+v\n", *d.Cases[n], d.Escalations[n])
	}
	for _, m := range []any{d.Bank, d.Projects} {
		fmt.Fprintf(&b, "%v\n", m)
	}
	ids := make([]string, 0)
	for id := range d.Accounts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, "%+v\n", *d.Accounts[id])
	}
	ids = ids[:0]
	for id := range d.Users {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, "%+v\n", *d.Users[id])
	}
	eids := make([]int64, 0, len(d.TimeEntries))
	for id := range d.TimeEntries {
		eids = append(eids, id)
	}
	sort.Slice(eids, func(i, j int) bool { return eids[i] < eids[j] })
	for _, id := range eids {
		fmt.Fprintf(&b, "%+v\n", *d.TimeEntries[id])
	}
	fmt.Fprintf(&b, "%d events\n", len(d.Events))
	return b.String()
}
