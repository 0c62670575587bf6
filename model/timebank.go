package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// HoursMinutes writes minutes as the time bank does: "1h00m", "0h45m".
func HoursMinutes(min int) string {
	sign := ""
	if min < 0 {
		sign, min = "-", -min
	}
	return fmt.Sprintf("%s%dh%02dm", sign, min/60, min%60)
}

// largestName is how a plan names itself as the largest ("TAM Enterprise"
// says "Enterprise is the largest plan").
func largestName(spec TAMPlanSpec) string { return strings.TrimPrefix(spec.Name, "TAM ") }

func (x *actx) logTime(a LogTime) (*Change, error) {
	verb, obj := a.Verb(), a.Account
	acct, ok := x.v.Account(a.Account)
	if !ok {
		return nil, RuleRefusal(verb, obj, "no such account")
	}
	if err := x.permit(CapTimeLog, verb, obj, target{account: &acct}); err != nil {
		return nil, err
	}
	if acct.TAMPlan == "" || acct.TAMPlan == TAMNone {
		return nil, RuleRefusal(verb, obj, "no TAM plan")
	}
	spec, ok := x.p.TAMPlans[acct.TAMPlan]
	if !ok {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("TAM plan %q is not in the policy", acct.TAMPlan))
	}
	tam := x.actor
	if x.user.Role != TAM {
		tam = acct.TAM
		if tam == "" {
			return nil, RuleRefusal(verb, obj, "the account has no TAM")
		}
	}
	if a.ID <= 0 {
		return nil, RuleRefusal(verb, obj, "the entry has no id")
	}
	if _, taken := x.v.TimeEntry(a.ID); taken {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("time entry %d exists", a.ID))
	}
	if a.Minutes <= 0 {
		return nil, RuleRefusal(verb, obj, "the minutes must be positive")
	}
	if err := CheckEntryMinutes(a.Minutes); err != nil {
		return nil, RuleRefusal(verb, obj, err.Error())
	}
	if !ValidCategory(a.Category) {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%q is not a category (%s)", a.Category, strings.Join(categories, ", ")))
	}
	mode := a.Mode
	if mode == "" {
		mode = ModeConsultative
	}
	switch mode {
	case ModeConsultative:
	case ModeManaged:
		if !spec.Managed {
			return nil, RuleRefusal(verb, obj, spec.Name+" has no managed services")
		}
	default:
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%q is not a mode (consultative, managed)", mode))
	}
	today := DateOf(x.now, x.p.TAMZone)
	date := a.Date
	if date.IsZero() {
		date = today
	}
	if today.Before(date) {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%s is in the future (today is %s)", date, today))
	}
	if a.Case != 0 {
		c, ok := x.v.Case(a.Case)
		if !ok {
			return nil, RuleRefusal(verb, obj, fmt.Sprintf("case %s does not exist", CaseNumber(a.Case)))
		}
		if c.Account != acct.ID {
			return nil, RuleRefusal(verb, obj, fmt.Sprintf("case %s belongs to %s", CaseNumber(a.Case), c.Account))
		}
	}
	project := strings.TrimSpace(a.Project)
	var projects []ProjectDelta
	if a.Category == CatImplementation {
		if project == "" {
			return nil, RuleRefusal(verb, obj, "implementation guidance needs a project (--project NAME)")
		}
		// Compared as "over what is left" so that no sum can wrap.
		if cap := int(x.p.ImplementationCap / time.Minute); a.Minutes > cap-x.v.ProjectUsed(acct.ID, project) {
			return nil, &Refusal{Msg: ProjectCapMessage(x.p, project)}
		}
		projects = []ProjectDelta{{Account: acct.ID, Project: project, Minutes: a.Minutes}}
	}
	month := date.MonthOf()
	used := x.v.BankUsed(acct.ID, month)
	if a.Minutes > spec.BankMinutes()-used {
		left := spec.BankMinutes() - used
		if left < 0 {
			left = 0
		}
		next := largestName(spec) + " is the largest plan"
		if n, ok := x.p.TAMPlans[spec.Next]; ok && spec.Next != "" {
			next = "the next package is " + n.Name
		}
		return nil, &Refusal{Msg: fmt.Sprintf("bank exhausted: %s left this month; %s", HoursMinutes(left), next)}
	}
	e := TimeEntry{ID: a.ID, Account: acct.ID, TAM: tam, Date: date, Minutes: a.Minutes, Category: a.Category,
		Mode: mode, Case: a.Case, Project: project, Note: a.Note}
	_, after := x.diff(nil, func() any { return TimeEntryToRecord(&e, x.p) })
	return &Change{TimeEntries: []TimeEntry{e}, Bank: []BankDelta{{Account: acct.ID, Month: month, Minutes: a.Minutes}},
		Projects: projects, Events: []Event{x.event("time-logged", a.Case, x.now, nil, after)},
		Message: fmt.Sprintf("logged %s for %s (%s left in %s)", HoursMinutes(a.Minutes), acct.ID,
			HoursMinutes(spec.BankMinutes()-used-a.Minutes), month)}, nil
}

// ProjectCapMessage is the refusal of implementation guidance that would
// take a project past the policy's cap (time log and import say the same).
func ProjectCapMessage(p *Policy, project string) string {
	return fmt.Sprintf("implementation guidance for %s would pass %s: hand it to professional services",
		project, spanWords(p.ImplementationCap))
}

func (x *actx) voidTime(a VoidTime) (*Change, error) {
	verb, obj := a.Verb(), fmt.Sprint(a.ID)
	e, ok := x.v.TimeEntry(a.ID)
	if !ok {
		return nil, RuleRefusal(verb, obj, "no such entry")
	}
	acct, _ := x.v.Account(e.Account)
	if err := x.permit(CapVoid, verb, obj, target{account: &acct, entryTAM: e.TAM}); err != nil {
		return nil, err
	}
	if !e.Counts() {
		return nil, RuleRefusal(verb, obj, "it was voided at "+WhenFrom(e.VoidedAt, x.now, x.p.HomeZone(), "ET"))
	}
	if strings.TrimSpace(a.Reason) == "" {
		return nil, RuleRefusal(verb, obj, "a reason is needed")
	}
	ne := e
	ne.VoidedAt, ne.VoidReason = x.now, a.Reason
	fields := []string{"id", "voided_at", "void_reason"}
	before := x.fields(func() any { return TimeEntryToRecord(&e, x.p) }, fields...)
	after := x.fields(func() any { return TimeEntryToRecord(&ne, x.p) }, fields...)
	ch := &Change{TimeEntries: []TimeEntry{ne}, Bank: []BankDelta{{Account: e.Account, Month: e.Date.MonthOf(), Minutes: -e.Minutes}},
		Events:  []Event{x.event("time-voided", e.Case, x.now, before, after)},
		Message: fmt.Sprintf("voided time entry %d (%s)", e.ID, HoursMinutes(e.Minutes))}
	if e.Category == CatImplementation && e.Project != "" {
		ch.Projects = []ProjectDelta{{Account: e.Account, Project: e.Project, Minutes: -e.Minutes}}
	}
	return ch, nil
}

// CategoryTotal is the counted minutes of one category.
type CategoryTotal struct {
	Category string
	Minutes  int
}

// BankStatus is an account's time bank at an instant.
type BankStatus struct {
	Account string
	Plan    TAMPlanSpec
	Month   Month
	// Bank, Used and Remaining are minutes of the month.
	Bank, Used, Remaining int
	// Refill is the next month's first instant; UntilRefill the time to it,
	// also as whole days and the hours left over.
	Refill          time.Time
	UntilRefill     time.Duration
	DaysToRefill    int
	HoursToRefill   int
	ElapsedFraction float64
	// Pace is the even pace at now in minutes (bank x elapsed fraction);
	// OverPace is Used - Pace (positive: burning faster than even).
	Pace     float64
	OverPace float64
	// Exhaustion is the projected date the bank runs out (in the TAM
	// zone); HasExhaustion is false when it falls after the month's end.
	Exhaustion    Date
	HasExhaustion bool
	// ByCategory holds every category's counted minutes, in categories order.
	ByCategory []CategoryTotal
}

// BankSummary sums an account's counted entries of now's month (in the
// TAM zone; entries of other accounts and months are ignored) and projects
// the month's burn. An account without a plan in the policy has a zero bank.
func BankSummary(acct Account, entries []TimeEntry, p *Policy, now time.Time) BankStatus {
	loc := p.TAMZone
	m := DateOf(now, loc).MonthOf()
	spec := p.TAMPlans[acct.TAMPlan]
	st := BankStatus{Account: acct.ID, Plan: spec, Month: m, Bank: spec.BankMinutes()}
	byCat := map[string]int{}
	for i := range entries {
		e := &entries[i]
		if e.Account != acct.ID || !e.Counts() || e.Date.MonthOf() != m {
			continue
		}
		st.Used += e.Minutes
		byCat[e.Category] += e.Minutes
	}
	for _, c := range categories {
		st.ByCategory = append(st.ByCategory, CategoryTotal{Category: c, Minutes: byCat[c]})
	}
	st.Remaining = st.Bank - st.Used
	start, end := m.Start(loc), m.End(loc)
	st.Refill = end
	st.UntilRefill = end.Sub(now)
	st.DaysToRefill = int(st.UntilRefill / (24 * time.Hour))
	st.HoursToRefill = int(st.UntilRefill % (24 * time.Hour) / time.Hour)
	elapsed := now.Sub(start)
	st.ElapsedFraction = float64(elapsed) / float64(end.Sub(start))
	st.Pace = float64(st.Bank) * st.ElapsedFraction
	st.OverPace = float64(st.Used) - st.Pace
	switch {
	case st.Bank > 0 && st.Used >= st.Bank:
		st.Exhaustion, st.HasExhaustion = DateOf(now, loc), true
	case st.Used > 0 && elapsed > 0:
		// used/elapsed is the average burn; the bank is reached after
		// elapsed x bank/used from the month's start.
		at := start.Add(time.Duration(float64(elapsed) * float64(st.Bank) / float64(st.Used)))
		if at.Before(end) {
			st.Exhaustion, st.HasExhaustion = DateOf(at, loc), true
		}
	}
	return st
}

// NewCasesSince lists the cases of a TAM's accounts opened after since,
// oldest first (the TAM's new-case alerts).
func NewCasesSince(cases []Case, accounts []Account, tam string, since time.Time) []Case {
	mine := map[string]bool{}
	for _, a := range accounts {
		if a.TAM == tam && tam != "" {
			mine[a.ID] = true
		}
	}
	var out []Case
	for _, c := range cases {
		if mine[c.Account] && c.OpenedAt.After(since) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].OpenedAt.Equal(out[j].OpenedAt) {
			return out[i].OpenedAt.Before(out[j].OpenedAt)
		}
		return out[i].Number < out[j].Number
	})
	return out
}
