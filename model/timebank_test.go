package model

import (
	"testing"
	"time"
)

func TestBankMonthBoundaries(t *testing.T) {
	f := newFixture(t)
	// 23:30 ET on 30 November is 04:30Z on 1 December: still November.
	late := time.Date(2026, 11, 30, 23, 30, 0, 0, et)
	ch := f.mustDo("tina", LogTime{Account: "initech", Minutes: 60, Category: "cadence-call"}, late)
	if e := ch.TimeEntries[0]; e.Date != (Date{2026, time.November, 30}) || ch.Bank[0].Month != (Month{2026, time.November}) {
		t.Fatalf("late entry %+v bank %+v", e, ch.Bank)
	}
	// 19:30 ET on 30 November is 00:30Z on 1 December: November too.
	ch = f.mustDo("tina", LogTime{Account: "initech", Minutes: 60, Category: "cadence-call"}, time.Date(2026, 12, 1, 0, 30, 0, 0, time.UTC))
	if ch.Bank[0].Month != (Month{2026, time.November}) {
		t.Fatalf("00:30Z entry month %v", ch.Bank[0].Month)
	}
	// 00:00 ET on 1 December is December: the refill.
	ch = f.mustDo("tina", LogTime{Account: "initech", Minutes: 60, Category: "cadence-call"}, time.Date(2026, 12, 1, 0, 0, 0, 0, et))
	if ch.Bank[0].Month != (Month{2026, time.December}) {
		t.Fatalf("midnight entry month %v", ch.Bank[0].Month)
	}
}

func TestBankRefillNothingCarried(t *testing.T) {
	f := newFixture(t)
	// TAM 10: 600 minutes. November: 120 used, 480 unused.
	nov := time.Date(2026, 11, 30, 23, 59, 59, 0, et)
	f.mustDo("tina", LogTime{Account: "initech", Minutes: 120, Category: "cadence-call"}, nov)
	f.mustDo("tina", LogTime{Account: "initech", Minutes: 420, Category: "metrics-reporting"}, nov)
	f.refused("tina", LogTime{Account: "initech", Minutes: 61, Category: "cadence-call"}, nov,
		"bank exhausted: 1h00m left this month; the next package is TAM 20")
	f.mustDo("tina", LogTime{Account: "initech", Minutes: 60, Category: "cadence-call"}, nov) // exactly the bank
	f.refused("tina", LogTime{Account: "initech", Minutes: 1, Category: "cadence-call"}, nov,
		"bank exhausted: 0h00m left this month; the next package is TAM 20")
	// December refills at 00:00 ET to 600, never 600 plus anything left.
	dec := time.Date(2026, 12, 1, 0, 0, 0, 0, et)
	f.refused("tina", LogTime{Account: "initech", Minutes: 601, Category: "cadence-call"}, dec,
		"bank exhausted: 10h00m left this month; the next package is TAM 20")
	f.mustDo("tina", LogTime{Account: "initech", Minutes: 600, Category: "cadence-call"}, dec)
	// Late logging counts against its own month: November is full.
	f.refused("tina", LogTime{Account: "initech", Minutes: 1, Category: "cadence-call", Date: Date{2026, 11, 3}},
		dec.Add(time.Hour), "bank exhausted: 0h00m left this month; the next package is TAM 20")
}

func TestBankRefusals(t *testing.T) {
	f := newFixture(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, et)
	f.refused("tom", LogTime{Account: "umbrella", Minutes: 60, Category: "platform-administration", Mode: ModeManaged}, now,
		"cannot log time for umbrella: TAM 20 has no managed services")
	f.refused("tom", LogTime{Account: "globex", Minutes: 60, Category: "cadence-call"}, now, "cannot log time for globex: no TAM plan")
	f.refused("tom", LogTime{Account: "umbrella", Minutes: 20*60 + 1, Category: "cadence-call"}, now,
		"bank exhausted: 20h00m left this month; the next package is TAM Enterprise")
	f.refused("tina", LogTime{Account: "acme", Minutes: 50*60 + 1, Category: "cadence-call"}, now,
		"bank exhausted: 50h00m left this month; Enterprise is the largest plan")
	f.mustDo("tina", LogTime{Account: "acme", Minutes: 60, Category: "platform-administration", Mode: ModeManaged}, now)
	f.refused("tom", LogTime{Account: "acme", Minutes: 60, Category: "cadence-call"}, now, "tom may not log time for acme: tom is not the TAM of acme")
	f.refused("sam", LogTime{Account: "acme", Minutes: 60, Category: "cadence-call"}, now, "sam may not log time for acme: a specialist may not")
	f.refused("tina", LogTime{Account: "acme", Minutes: 0, Category: "cadence-call"}, now, "cannot log time for acme: the minutes must be positive")
	f.refused("tina", LogTime{Account: "acme", Minutes: 30, Category: "merchandising"}, now,
		`cannot log time for acme: "merchandising" is not a category (cadence-call, escalation-management, metrics-reporting, platform-administration, connectivity, ui-features, implementation-guidance, data-validation, education-coaching)`)
	f.refused("tina", LogTime{Account: "acme", Minutes: 30, Category: "cadence-call", Mode: "remote"}, now,
		`cannot log time for acme: "remote" is not a mode (consultative, managed)`)
	f.refused("tina", LogTime{Account: "acme", Minutes: 30, Category: "cadence-call", Date: Date{2026, 11, 21}}, now,
		"cannot log time for acme: 2026-11-21 is in the future (today is 2026-11-20)")
	f.refused("tina", LogTime{Account: "nope", Minutes: 30, Category: "cadence-call"}, now, "cannot log time for nope: no such account")
	g := f.open("globex", 2, now)
	f.refused("tina", LogTime{Account: "acme", Minutes: 30, Category: "cadence-call", Case: g}, now,
		"cannot log time for acme: case 00000001 belongs to globex")
	f.refused("tina", LogTime{Account: "acme", Minutes: 30, Category: "cadence-call", Case: 9}, now,
		"cannot log time for acme: case 00000009 does not exist")
	f.refused("tina", LogTime{Account: "acme", Minutes: 30, Category: CatImplementation}, now,
		"cannot log time for acme: implementation guidance needs a project (--project NAME)")
	// 8 hours per project of an account across all months; exactly 8 h passes.
	f.mustDo("tina", LogTime{Account: "acme", Minutes: 300, Category: CatImplementation, Project: "search-ui", Date: Date{2026, 10, 5}}, now)
	f.mustDo("tina", LogTime{Account: "acme", Minutes: 180, Category: CatImplementation, Project: "search-ui"}, now)
	f.refused("tina", LogTime{Account: "acme", Minutes: 1, Category: CatImplementation, Project: "search-ui"}, now,
		"implementation guidance for search-ui would pass 8 hours: hand it to professional services")
	f.mustDo("tina", LogTime{Account: "acme", Minutes: 60, Category: CatImplementation, Project: "sso"}, now)
	// A manager logs for the account's TAM.
	ch := f.mustDo("maria", LogTime{Account: "acme", Minutes: 15, Category: "cadence-call", Case: f.open("acme", 3, now)}, now)
	if e := ch.TimeEntries[0]; e.TAM != "tina" || e.Mode != ModeConsultative || ch.Events[0].Case != e.Case {
		t.Fatalf("manager entry %+v", e)
	}
	checkReplay(t, f)
}

func TestVoidTime(t *testing.T) {
	f := newFixture(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, et)
	id := f.mustDo("tina", LogTime{Account: "initech", Minutes: 480, Category: CatImplementation, Project: "p1"}, now).TimeEntries[0].ID
	f.mustDo("tina", LogTime{Account: "initech", Minutes: 120, Category: "cadence-call"}, now)
	f.refused("tina", LogTime{Account: "initech", Minutes: 1, Category: "cadence-call"}, now, "bank exhausted: 0h00m left this month; the next package is TAM 20")
	tomID := f.mustDo("tom", LogTime{Account: "umbrella", Minutes: 30, Category: "cadence-call"}, now).TimeEntries[0].ID
	f.refused("tom", VoidTime{ID: id, Reason: "wrong"}, now, "tom may not void time entry 1: it is an entry of tina")
	f.refused("tina", VoidTime{ID: tomID, Reason: "wrong"}, now, "tina may not void time entry 4: it is an entry of tom")
	f.refused("sam", VoidTime{ID: id, Reason: "wrong"}, now, "sam may not void time entry 1: a specialist may not")
	f.refused("tina", VoidTime{ID: id}, now, "cannot void time entry 1: a reason is needed")
	f.refused("tina", VoidTime{ID: 99, Reason: "x"}, now, "cannot void time entry 99: no such entry")
	ch := f.mustDo("tina", VoidTime{ID: id, Reason: "logged on the wrong account"}, now)
	if ev := ch.Events[0]; string(ev.Before) != `{"id":1,"voided_at":null,"void_reason":null}` ||
		string(ev.After) != `{"id":1,"voided_at":"2026-11-20T10:00:00-05:00","void_reason":"logged on the wrong account"}` {
		t.Fatalf("void event %s -> %s", ev.Before, ev.After)
	}
	f.refused("maria", VoidTime{ID: id, Reason: "again"}, now, "cannot void time entry 1: it was voided at Fri 20 Nov 10:00 ET")
	f.mustDo("maria", VoidTime{ID: tomID, Reason: "duplicate"}, now)
	// The voided entry no longer counts: the whole bank and project are free.
	f.mustDo("tina", LogTime{Account: "initech", Minutes: 480, Category: CatImplementation, Project: "p1"}, now)
	var entries []TimeEntry
	for _, e := range f.d.TimeEntries {
		entries = append(entries, *e)
	}
	if st := BankSummary(*f.d.Accounts["initech"], entries, f.p, now); st.Used != 600 || st.Remaining != 0 {
		t.Fatalf("summary %+v", st)
	}
}

// TestBankSummaryProjection works September 2026 by hand: 30 days of
// EDT, so the month is 720 h (no DST change inside it).
func TestBankSummaryProjection(t *testing.T) {
	p := DefaultPolicy()
	acct := Account{ID: "initech", TAMPlan: "tam10", TAM: "tina"} // 600 min
	now := time.Date(2026, 9, 11, 0, 0, 0, 0, et)                 // 240 h elapsed of 720
	entries := []TimeEntry{
		{ID: 1, Account: "initech", Date: Date{2026, 9, 2}, Minutes: 120, Category: "cadence-call"},
		{ID: 2, Account: "initech", Date: Date{2026, 9, 9}, Minutes: 180, Category: "connectivity"},
		{ID: 3, Account: "initech", Date: Date{2026, 9, 10}, Minutes: 500, Category: "connectivity", VoidedAt: now},
		{ID: 4, Account: "initech", Date: Date{2026, 8, 31}, Minutes: 500, Category: "connectivity"},
		{ID: 5, Account: "acme", Date: Date{2026, 9, 10}, Minutes: 500, Category: "connectivity"},
	}
	st := BankSummary(acct, entries, p, now)
	// used = 120 + 180 = 300 (voided, August and other accounts left out)
	// elapsed fraction = 240 / 720 = 1/3; even pace = 600 x 1/3 = 200 min;
	// over pace = 300 - 200 = 100 min.
	// burn = 300 min / 240 h; the bank (600) is reached at 480 h after
	// 1 Sep 00:00 = 21 Sep 00:00 EDT, before the month's end: 2026-09-21.
	// refill: 1 Oct 00:00 - 11 Sep 00:00 = 20 days 0 hours.
	if st.Used != 300 || st.Remaining != 300 || st.Bank != 600 {
		t.Fatalf("used %d remaining %d bank %d", st.Used, st.Remaining, st.Bank)
	}
	if st.Pace != 200 || st.OverPace != 100 {
		t.Fatalf("pace %v over %v", st.Pace, st.OverPace)
	}
	if !st.HasExhaustion || st.Exhaustion != (Date{2026, 9, 21}) {
		t.Fatalf("exhaustion %v %v", st.HasExhaustion, st.Exhaustion)
	}
	if st.DaysToRefill != 20 || st.HoursToRefill != 0 || !st.Refill.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, et)) {
		t.Fatalf("refill %d d %d h at %v", st.DaysToRefill, st.HoursToRefill, st.Refill)
	}
	if st.ByCategory[0] != (CategoryTotal{"cadence-call", 120}) || st.ByCategory[4] != (CategoryTotal{"connectivity", 180}) {
		t.Fatalf("by category %+v", st.ByCategory)
	}
	// 100 min in 240 h: 600 reached at 1440 h, after the month: none.
	st = BankSummary(acct, entries[:1][:0:0], p, now)
	if st.HasExhaustion || st.Used != 0 {
		t.Fatalf("empty month: %+v", st)
	}
	st = BankSummary(acct, []TimeEntry{{Account: "initech", Date: Date{2026, 9, 1}, Minutes: 100, Category: "cadence-call"}}, p, now)
	if st.HasExhaustion {
		t.Fatalf("slow month exhausts on %v", st.Exhaustion)
	}
	// Used up: today.
	st = BankSummary(acct, []TimeEntry{{Account: "initech", Date: Date{2026, 9, 1}, Minutes: 600, Category: "cadence-call"}}, p, now.Add(5*time.Hour))
	if !st.HasExhaustion || st.Exhaustion != (Date{2026, 9, 11}) || st.Remaining != 0 {
		t.Fatalf("used up: %+v", st)
	}
}

func TestNewCasesSince(t *testing.T) {
	f := newFixture(t)
	a := f.open("acme", 2, t0)
	f.open("globex", 2, t0.Add(time.Minute))
	b := f.open("initech", 3, t0.Add(2*time.Minute))
	var cases []Case
	for _, n := range f.d.CaseNumbers() {
		cases = append(cases, f.caseOf(n))
	}
	var accts []Account
	for _, ac := range f.d.Accounts {
		accts = append(accts, *ac)
	}
	got := NewCasesSince(cases, accts, "tina", t0.Add(-time.Second))
	if len(got) != 2 || got[0].Number != a || got[1].Number != b {
		t.Fatalf("new cases %+v", got)
	}
	if got := NewCasesSince(cases, accts, "tina", t0); len(got) != 1 || got[0].Number != b {
		t.Fatalf("since t0: %+v", got)
	}
}
