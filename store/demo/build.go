package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"caseboard/model"
)

// Options shape the demo desk.
type Options struct {
	// Seed makes the desk; the same seed and Now give the same desk.
	Seed uint64
	// Now is the desk's present: every fact lies at or before it.
	Now time.Time
	// Cases is how many cases to open (default 150).
	Cases int
}

// Result is a built desk, with the steps the rules refused (a demo built
// against the current rules should have none; tests check it).
type Result struct {
	Desk    *model.Desk
	Refused []string
}

// step is one scheduled action of a script.
type step struct {
	at    time.Time
	actor string
	act   func(n int64) model.Action
	// must marks the steps whose refusal ends the script (later steps
	// build on them).
	must bool
}

// script is the life of one case (or one TAM's month), in time order.
type script struct {
	number int64
	steps  []step
	dead   bool
}

// Build makes the demo desk through the model's actions.
func Build(p *model.Policy, o Options) (*Result, error) {
	if o.Cases == 0 {
		o.Cases = 150
	}
	now := o.Now.Truncate(time.Second)
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	desk := model.NewDesk()
	res := &Result{Desk: desk}
	start := now.Add(-45 * 24 * time.Hour)

	// The team and the accounts, as the first manager would add them.
	do := func(actor string, a model.Action, at time.Time) error {
		_, err := desk.Do(p, actor, a, at, at)
		return err
	}
	for i, u := range users {
		actor := Manager
		if i == 0 {
			actor = ""
		}
		if err := do(actor, model.AddUser{User: u}, start); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.ID, err)
		}
	}
	for _, a := range accounts {
		if err := do(Manager, model.AddAccount{Account: a.Account}, start.Add(time.Minute)); err != nil {
			return nil, fmt.Errorf("demo account %s: %w", a.ID, err)
		}
	}

	b := &builder{p: p, rng: rng, now: now, desk: desk}
	var scripts []*script
	for i := 0; i < o.Cases; i++ {
		scripts = append(scripts, b.caseScript(i, o.Cases))
	}
	scripts = append(scripts, b.timeScripts()...)

	type item struct {
		s *script
		i int
	}
	var all []item
	for _, s := range scripts {
		for i := range s.steps {
			if s.steps[i].at.After(now) {
				s.steps = s.steps[:i]
				break
			}
		}
		for i := range s.steps {
			all = append(all, item{s, i})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].s.steps[all[i].i].at.Before(all[j].s.steps[all[j].i].at) })
	for _, it := range all {
		s, st := it.s, it.s.steps[it.i]
		if s.dead {
			continue
		}
		a := st.act(s.number)
		if nc, ok := a.(model.NewCase); ok {
			nc.Number = desk.NextCaseNumber()
			s.number = nc.Number
			a = nc
		}
		if err := do(st.actor, a, st.at); err != nil {
			res.Refused = append(res.Refused, fmt.Sprintf("%s %T: %v", st.at.Format(time.RFC3339), a, err))
			if st.must {
				s.dead = true
			}
		}
	}
	return res, nil
}

type builder struct {
	open, ended int // escalations given each open or ended outcome in turn
	desk        *model.Desk
	p           *model.Policy
	rng         *rand.Rand
	now         time.Time
}

func (b *builder) pick(xs []string) string { return xs[b.rng.IntN(len(xs))] }

func (b *builder) minutes(lo, hi int) time.Duration {
	return time.Duration(lo+b.rng.IntN(hi-lo+1)) * time.Minute
}

func (b *builder) specialist(r model.Region) string {
	var ids []string
	for _, u := range users {
		if u.Role == model.Specialist && u.Region == r {
			ids = append(ids, u.ID)
		}
	}
	return b.pick(ids)
}

func (b *builder) manager(r model.Region) string {
	if r == model.EMEA {
		return "omar"
	}
	return Manager
}

// The stages a demo case ends in, with their weights.
var stages = []struct {
	name   string
	weight int
}{
	{"new", 10}, {"assigned", 10}, {"in-progress", 18}, {"waiting-customer", 15},
	{"waiting-development", 8}, {"fix-available", 6}, {"closed", 25}, {"duplicate", 3}, {"reopened", 5},
}

func (b *builder) stage(i int) string {
	// Spread the first cases over every stage, so every status is present
	// whatever the seed; then draw by weight.
	if i < len(stages) {
		return stages[i].name
	}
	total := 0
	for _, s := range stages {
		total += s.weight
	}
	r := b.rng.IntN(total)
	for _, s := range stages {
		if r < s.weight {
			return s.name
		}
		r -= s.weight
	}
	return "closed"
}

func (b *builder) severity(i int) int {
	if i < 4 {
		return i + 1
	}
	r := b.rng.IntN(100)
	switch {
	case r < 10:
		return 1
	case r < 35:
		return 2
	case r < 70:
		return 3
	}
	return 4
}

// caseScript writes the life of the i-th demo case.
func (b *builder) caseScript(i, total int) *script {
	acct := accounts[b.rng.IntN(len(accounts))].Account
	sev := b.severity(i)
	stage := b.stage(i)
	spec := b.specialist(acct.Region)
	mgr := b.manager(acct.Region)
	cal := b.p.ResponseCalendar(acct.Region, sev)
	target := b.p.Target(acct.Plan, sev)

	// Young cases wait in the queue, placed by when their response is due:
	// most in good time, some due soon, a few breached. Older ones have
	// moved on.
	var opened time.Time
	switch stage {
	case "new", "assigned":
		var dueIn time.Duration
		switch r := b.rng.IntN(10); {
		case r < 2:
			dueIn = -b.minutes(5, 6*60)
		case r < 4:
			dueIn = b.minutes(2, 28)
		default:
			dueIn = b.minutes(35, max(36, int(target/time.Minute)))
		}
		opened = openedFor(cal, target, b.now.Add(dueIn))
	default:
		opened = b.now.Add(-b.minutes(2*24*60, 30*24*60))
	}
	s := &script{}
	add := func(at time.Time, actor string, must bool, act func(n int64) model.Action) time.Time {
		s.steps = append(s.steps, step{at: at, actor: actor, act: act, must: must})
		return at
	}
	contact := acct.Contacts[0].Name
	title := b.pick(titles[sev])
	add(opened, spec, true, func(int64) model.Action {
		return model.NewCase{Account: acct.ID, Severity: sev, Title: title, Contact: contact}
	})
	if stage == "new" {
		return s
	}
	if stage == "duplicate" {
		add(opened.Add(b.minutes(10, 120)), mgr, true, func(n int64) model.Action {
			return model.CloseCase{Number: n, Reason: model.ReasonDuplicate, DuplicateOf: b.duplicateOf(n)}
		})
		return s
	}
	taken := add(opened.Add(b.minutes(3, 45)), spec, true, func(n int64) model.Action { return model.TakeCase{Number: n} })
	start := opened
	if sev >= 1 && b.p.AroundTheClock[sev] {
		// Severity 1: the customer phones after logging; a few have not yet.
		if stage == "assigned" && b.rng.IntN(2) == 0 {
			return s
		}
		start = add(taken.Add(b.minutes(1, 15)), spec, true, func(n int64) model.Action { return model.CallCase{Number: n} })
	}
	if stage == "assigned" {
		return s
	}
	// Most first responses meet the target; some are late.
	frac := 0.15 + 0.8*b.rng.Float64()
	due := cal.Add(start, time.Duration(float64(target)*frac).Truncate(time.Minute))
	if b.rng.IntN(7) == 0 {
		due = cal.Add(start, target+b.minutes(10, 180))
	}
	if !due.After(taken) {
		due = taken.Add(b.minutes(2, 20))
	}
	t := add(due, spec, true, func(n int64) model.Action { return model.RespondCase{Number: n} })
	if b.rng.IntN(5) < 2 {
		note := b.pick(notes)
		t = add(t.Add(b.minutes(5, 90)), spec, false, func(n int64) model.Action { return model.NoteCase{Number: n, Text: note} })
	}
	region := b.p.RegionCalendar(acct.Region)
	status := func(at time.Time, to model.Status) time.Time {
		return add(at, spec, true, func(n int64) model.Action { return model.SetStatus{Number: n, To: to} })
	}
	// Escalations ride on older, open cases of severities 1-3.
	if sev <= 3 && (stage == "in-progress" || stage == "waiting-development" || stage == "fix-available" || stage == "closed") && b.rng.IntN(3) == 0 {
		t = b.escalation(s, add, acct, sev, opened, t, spec, mgr, stage == "closed")
	}
	switch stage {
	case "in-progress":
		if b.rng.IntN(2) == 0 {
			w := status(t.Add(b.minutes(30, 300)), model.StatusWaitingCustomer)
			add(region.AddDays(w, 1).Add(-b.minutes(10, 120)), spec, false, func(n int64) model.Action { return model.ReplyCase{Number: n} })
		}
	case "waiting-customer":
		// Set to waiting within the last few business days: the process
		// would have closed anything older for no response.
		wAt := t.Add(b.minutes(30, 600))
		if limit := b.now.Add(-b.minutes(60, 50*60)); wAt.Before(limit) {
			wAt = limit
		}
		for region.AddDays(wAt, b.p.AutoCloseDays).Before(b.now) {
			wAt = wAt.Add(6 * time.Hour)
		}
		w := status(wAt, model.StatusWaitingCustomer)
		fu1 := region.AddDays(w, b.p.FollowupDays[0]).Add(-b.minutes(5, 90))
		add(fu1, spec, false, func(n int64) model.Action { return model.FollowupCase{Number: n} })
		fu2 := region.AddDays(w, b.p.FollowupDays[1]).Add(-b.minutes(5, 90))
		add(fu2, spec, false, func(n int64) model.Action { return model.FollowupCase{Number: n} })
	case "waiting-development":
		status(t.Add(b.minutes(60, 2000)), model.StatusWaitingDevelopment)
	case "fix-available":
		w := status(t.Add(b.minutes(60, 2000)), model.StatusWaitingDevelopment)
		status(w.Add(b.minutes(24*60, 7*24*60)), model.StatusFixAvailable)
	case "closed", "reopened":
		c := add(t.Add(b.minutes(60, 5*24*60)), spec, true, func(n int64) model.Action {
			return model.CloseCase{Number: n, Reason: model.ReasonResolved}
		})
		if stage == "reopened" {
			add(c.Add(b.minutes(60, 3*24*60)), spec, true, func(n int64) model.Action { return model.ReopenCase{Number: n} })
		}
	}
	return s
}

// duplicateOf picks another case already on the desk for a duplicate.
func (b *builder) duplicateOf(n int64) int64 {
	nums := b.desk.CaseNumbers()
	for tries := 0; tries < 8 && len(nums) > 1; tries++ {
		if m := nums[b.rng.IntN(len(nums))]; m != n {
			return m
		}
	}
	return 0
}

// escalation adds an escalation at some step or outcome to a case script
// and returns when the case's own life may go on.
func (b *builder) escalation(s *script, add func(time.Time, string, bool, func(int64) model.Action) time.Time,
	acct model.Account, sev int, opened, after time.Time, spec, mgr string, mustEnd bool) time.Time {
	days := b.p.EligibleAfterDays[sev-1]
	eligible := b.p.ResponseCalendar(acct.Region, sev).AddDays(opened, days)
	at := eligible.Add(b.minutes(30, 3*24*60))
	if at.Before(after) {
		at = after.Add(b.minutes(10, 120))
	}
	// The first escalations take every step and outcome in turn, so the
	// demo shows each whatever the seed; later ones are drawn. A case
	// that closes later ends its escalation first.
	var outcome int
	switch {
	case mustEnd && b.ended < 3:
		outcome = []int{2, 4, 5}[b.ended]
		b.ended++
	case mustEnd:
		outcome = []int{2, 4, 5}[b.rng.IntN(3)]
	case b.open < 3:
		outcome = []int{0, 1, 3}[b.open]
		b.open++
	default:
		outcome = b.rng.IntN(6)
	}
	open := outcome <= 1 || outcome == 3
	if open && at.Before(b.now.Add(-36*time.Hour)) {
		// An escalation still open is a matter of the last day or so; one
		// still waiting for the manager, of the last hour or two.
		at = b.now.Add(-b.minutes(20, 36*60))
		if outcome == 0 {
			at = b.now.Add(-b.minutes(10, 100))
		}
		if at.Before(eligible) || at.Before(after) {
			return after // too young to escalate: leave the case be
		}
	}
	by := "contact:" + acct.Contacts[0].Name
	if b.rng.IntN(3) == 0 {
		by = spec
	}
	channel := model.ChannelPortal
	if b.rng.IntN(2) == 0 {
		channel = model.ChannelPhone
	}
	just := b.pick(justifications)
	req := add(at, spec, true, func(n int64) model.Action {
		return model.Escalate{Number: n, By: by, Channel: channel, Justification: just}
	})
	escCal := b.p.EscalationCalendar(sev)
	if outcome == 0 { // requested: waiting for the manager's follow-up
		return req
	}
	fu := escCal.Add(req, b.minutes(10, 75))
	if outcome == 1 { // followed up, not decided yet
		return add(fu, mgr, true, func(n int64) model.Action { return model.EscalationFollowup{Number: n} })
	}
	if outcome == 2 {
		reason := "Within the standard process: a workaround is in place."
		return add(fu, mgr, true, func(n int64) model.Action { return model.DeclineEscalation{Number: n, Reason: reason} })
	}
	every := []time.Duration{2 * time.Hour, 4 * time.Hour, 24 * time.Hour}[b.rng.IntN(3)]
	t := add(fu, mgr, true, func(n int64) model.Action { return model.AcceptEscalation{Number: n, Every: every} })
	rounds := 1 + b.rng.IntN(3)
	if outcome == 3 {
		rounds = 40 // still accepted: the manager keeps updating, up to now
	}
	for k := 0; k < rounds; k++ {
		next := escCal.Add(t, every-b.minutes(5, 30))
		if next.After(b.now) {
			break
		}
		summary := b.pick(updates)
		t = add(next, mgr, false, func(n int64) model.Action {
			return model.UpdateEscalation{Number: n, Summary: summary}
		})
	}
	switch outcome {
	case 3: // still accepted: the update clock runs
		return t
	case 4:
		reason := "Customer could not provide a test environment as committed."
		return add(t.Add(b.minutes(60, 24*60)), mgr, true, func(n int64) model.Action {
			return model.DeescalateEscalation{Number: n, Reason: reason}
		})
	}
	oc := model.Outcomes()[b.rng.IntN(len(model.Outcomes()))]
	return add(t.Add(b.minutes(60, 24*60)), mgr, true, func(n int64) model.Action {
		return model.CloseEscalation{Number: n, Outcome: oc, Summary: "Final summary sent: " + model.OutcomeName(oc) + "."}
	})
}

// timeScripts log last month's and this month's TAM time, each account up
// to its share of the bank (Initech exactly at its bank).
func (b *builder) timeScripts() []*script {
	var out []*script
	loc := b.p.TAMZone
	today := model.DateOf(b.now, loc)
	thisMonth := today.MonthOf()
	lastMonth := model.DateOf(thisMonth.Start(loc).Add(-time.Hour), loc).MonthOf()
	cats := []string{"cadence-call", "escalation-management", "metrics-reporting", "platform-administration",
		"connectivity", "ui-features", "data-validation", "education-coaching"}
	for _, a := range accounts {
		spec, ok := b.p.TAMPlans[a.TAMPlan]
		if !ok || a.bankUse == 0 {
			continue
		}
		for _, m := range []model.Month{lastMonth, thisMonth} {
			s := &script{}
			share := a.bankUse
			last := m.End(loc).Add(-time.Hour)
			if m == thisMonth {
				last = b.now
			} else {
				share = 0.5 + 0.4*b.rng.Float64()
			}
			budget := int(float64(spec.BankMinutes()) * share)
			first := m.Start(loc)
			days := int(last.Sub(first).Hours()/24) + 1
			used := 0
			for used < budget {
				mins := 30 + 15*b.rng.IntN(7)
				if used+mins > budget {
					mins = budget - used
				}
				day := model.DateOf(first.Add(time.Duration(b.rng.IntN(days))*24*time.Hour), loc)
				at := day.Start(loc).Add(17 * time.Hour)
				if at.After(b.now) {
					day, at = today, b.now
				}
				cat := b.pick(cats)
				entry := model.LogTime{Account: a.ID, Minutes: mins, Category: cat, Mode: model.ModeConsultative,
					Date: day, Note: "Weekly cadence and follow-ups"}
				if used == 0 {
					entry.Category, entry.Note = "cadence-call", "Monthly planning call"
				}
				s.steps = append(s.steps, step{at: at, actor: a.TAM, act: func(int64) model.Action { return entry }})
				used += mins
			}
			sort.SliceStable(s.steps, func(i, j int) bool { return s.steps[i].at.Before(s.steps[j].at) })
			out = append(out, s)
		}
	}
	return out
}

// openedFor finds when a case must have been logged for its response to be
// due at due: the latest start whose due is not after it (a bisection on
// the calendar; starts out of hours share a due, so the latest is kept).
func openedFor(cal *model.Calendar, target time.Duration, due time.Time) time.Time {
	lo, hi := due.Add(-60*24*time.Hour), due
	for hi.Sub(lo) > time.Minute {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Minute)
		if cal.Add(mid, target).After(due) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo
}
