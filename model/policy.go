package model

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

//go:embed policy.toml
var defaultPolicyTOML []byte

// DefaultPolicyTOML returns the embedded default policy file.
func DefaultPolicyTOML() []byte { return append([]byte(nil), defaultPolicyTOML...) }

// Policy is every number of the support process: targets, calendars,
// holidays, escalation and follow-up rules, and the TAM plans. It is
// immutable after Load and safe to share between goroutines.
type Policy struct {
	// DueSoon is how close to due a running clock must be to be "due soon".
	DueSoon time.Duration
	// ReopenWindow is how long after closing a case may be reopened.
	ReopenWindow time.Duration
	// Targets holds initial-response targets by plan, index severity-1.
	Targets map[Plan][4]time.Duration
	// AroundTheClock marks severities (index severity) timed 24x7 from the call.
	AroundTheClock [5]bool
	// Holidays are the rules shared by every calendar that observes holidays.
	Holidays []Holiday
	// Regions maps a region id to its calendar of hours of operation.
	Regions map[Region]*Calendar
	// Always is the 24x7 calendar (no holidays).
	Always *Calendar
	// EscalationHours is the calendar of the manager's escalation clocks.
	EscalationHours *Calendar
	// EscalationFollowup is the time the manager has to follow up.
	EscalationFollowup time.Duration
	// EligibleAfterDays is the age (in business days) a case needs before
	// it may be escalated, index severity-1; 0 means never.
	EligibleAfterDays [4]int
	// FollowupDays are the business days after waiting-customer at which
	// follow-ups 1 and 2 are due.
	FollowupDays [2]int
	// AutoCloseDays is the business days after waiting-customer at which an
	// unanswered case closes (once both follow-ups were logged).
	AutoCloseDays int
	// TAMZone is the zone of the time bank's months and dates.
	TAMZone *time.Location
	// ImplementationCap is the implementation guidance one project may take.
	ImplementationCap time.Duration
	// TAMPlans maps a TAM plan id to its bank.
	TAMPlans map[TAMPlan]TAMPlanSpec
}

// TAMPlanSpec is one TAM package.
type TAMPlanSpec struct {
	ID      TAMPlan
	Name    string
	Hours   int
	Managed bool
	Next    TAMPlan
}

// BankMinutes is the monthly bank of the plan in minutes.
func (s TAMPlanSpec) BankMinutes() int { return s.Hours * 60 }

// PolicyError is a problem in a policy file, naming the key.
type PolicyError struct {
	File string
	Key  string
	Msg  string
}

func (e *PolicyError) Error() string {
	where := "policy"
	if e.File != "" {
		where = "policy " + e.File
	}
	if e.Key == "" {
		return where + ": " + e.Msg
	}
	return where + ": " + e.Key + ": " + e.Msg
}

// DefaultPolicy parses the embedded policy. It cannot fail at run time: the
// embedded file is checked by the tests.
func DefaultPolicy() *Policy {
	p, err := ParsePolicy(defaultPolicyTOML, "")
	if err != nil {
		panic("embedded policy: " + err.Error())
	}
	return p
}

type rawShift struct {
	Days  []string `toml:"days"`
	Open  string   `toml:"open"`
	Close string   `toml:"close"`
}

type rawRegion struct {
	Name        string     `toml:"name"`
	Zone        string     `toml:"zone"`
	Label       string     `toml:"label"`
	BusinessDay string     `toml:"business_day"`
	Holidays    *bool      `toml:"holidays"`
	Shifts      []rawShift `toml:"shifts"`
}

type rawHoliday struct {
	Name    string `toml:"name"`
	Date    string `toml:"date"`
	Month   int    `toml:"month"`
	Weekday string `toml:"weekday"`
	Nth     int    `toml:"nth"`
}

type rawPolicy struct {
	DueSoon        string                `toml:"due_soon"`
	ReopenWindow   string                `toml:"reopen_window"`
	Targets        map[string][]string   `toml:"targets"`
	AroundTheClock []int                 `toml:"around_the_clock"`
	Holidays       []rawHoliday          `toml:"holidays"`
	Regions        map[string]*rawRegion `toml:"regions"`
	Escalation     *struct {
		Zone              string     `toml:"zone"`
		Label             string     `toml:"label"`
		Holidays          *bool      `toml:"holidays"`
		Shifts            []rawShift `toml:"shifts"`
		Followup          string     `toml:"followup"`
		EligibleAfterDays []int      `toml:"eligible_after_days"`
	} `toml:"escalation"`
	CustomerFollowup *struct {
		FollowupDays  []int `toml:"followup_days"`
		AutoCloseDays *int  `toml:"auto_close_days"`
	} `toml:"customer_followup"`
	TAM *struct {
		Zone              string `toml:"zone"`
		ImplementationCap string `toml:"implementation_cap"`
		Plans             map[string]*struct {
			Name    string  `toml:"name"`
			Hours   int     `toml:"hours"`
			Managed bool    `toml:"managed"`
			Next    *string `toml:"next"`
		} `toml:"plans"`
	} `toml:"tam"`
}

// tomlKeyError matches the TOML decoder's type errors:
// `toml: line 10 (last key "due_soon"): incompatible types: ...`.
var tomlKeyError = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "((?:[^"\\]|\\.)*)"\): (.*)$`)

// ParsePolicy reads a policy file's bytes. file names it in errors ("" for
// the embedded default). Every error names the key and the problem.
func ParsePolicy(data []byte, file string) (p *Policy, err error) {
	fail := func(key, format string, args ...any) error {
		return &PolicyError{File: file, Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	var raw rawPolicy
	md, derr := toml.Decode(string(data), &raw)
	if derr != nil {
		var pe toml.ParseError
		if errors.As(derr, &pe) {
			return nil, fail(pe.LastKey, "line %d: %s", pe.Position.Line, oneLine(pe.Message))
		}
		// Type mismatches are plain errors that carry the key in their text:
		// take it out so the key comes first, like every other error.
		msg := oneLine(derr.Error())
		if m := tomlKeyError.FindStringSubmatch(msg); m != nil {
			key, uerr := strconv.Unquote(`"` + m[2] + `"`)
			if uerr != nil {
				key = m[2]
			}
			if m[1] != "" {
				return nil, fail(key, "line %s: %s", m[1], m[3])
			}
			return nil, fail(key, "%s", m[3])
		}
		return nil, fail("", "%s", strings.TrimPrefix(msg, "toml: "))
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fail(und[0].String(), "unknown key")
	}
	p = &Policy{
		Targets:  map[Plan][4]time.Duration{},
		Regions:  map[Region]*Calendar{},
		TAMPlans: map[TAMPlan]TAMPlanSpec{},
	}
	if p.DueSoon, err = policyDuration(raw.DueSoon, "due_soon", fail); err != nil {
		return nil, err
	}
	if p.ReopenWindow, err = policyDuration(raw.ReopenWindow, "reopen_window", fail); err != nil {
		return nil, err
	}
	if raw.Targets == nil {
		return nil, fail("targets", "missing")
	}
	for name := range raw.Targets {
		if _, ok := ParsePlan(name); !ok {
			return nil, fail("targets."+name, "unknown plan (plans: basic, plus, premium)")
		}
	}
	for _, plan := range plans {
		vals, ok := raw.Targets[string(plan)]
		key := "targets." + string(plan)
		if !ok {
			return nil, fail(key, "missing")
		}
		if len(vals) != 4 {
			return nil, fail(key, "needs 4 targets (severities 1 to 4), has %d", len(vals))
		}
		var t [4]time.Duration
		for i, v := range vals {
			if t[i], err = policyDuration(v, fmt.Sprintf("%s[%d]", key, i), fail); err != nil {
				return nil, err
			}
		}
		p.Targets[plan] = t
	}
	for i, s := range raw.AroundTheClock {
		if s < 1 || s > 4 {
			return nil, fail(fmt.Sprintf("around_the_clock[%d]", i), "severity %d is not 1 to 4", s)
		}
		p.AroundTheClock[s] = true
	}
	for i, h := range raw.Holidays {
		hol, herr := parseHoliday(h)
		if herr != nil {
			return nil, fail(fmt.Sprintf("holidays[%d]", i), "%s", herr)
		}
		p.Holidays = append(p.Holidays, hol)
	}
	if len(raw.Regions) == 0 {
		return nil, fail("regions", "missing: at least one region is needed")
	}
	for id, r := range raw.Regions {
		key := "regions." + id
		if !validID(id) {
			return nil, fail(key, "region ids are lower-case letters, digits and '-'")
		}
		if r.BusinessDay == "" {
			return nil, fail(key+".business_day", "missing")
		}
		bd, berr := policyDuration(r.BusinessDay, key+".business_day", fail)
		if berr != nil {
			return nil, berr
		}
		cal, cerr := newCalendar(key, r.Name, r.Zone, r.Label, r.Holidays, r.Shifts, p.Holidays, fail)
		if cerr != nil {
			return nil, cerr
		}
		cal.BusinessDay = bd
		if cal.Name == "" {
			cal.Name = id
		}
		p.Regions[Region(id)] = cal
	}
	if raw.Escalation == nil {
		return nil, fail("escalation", "missing")
	}
	e := raw.Escalation
	if p.EscalationHours, err = newCalendar("escalation", "escalation hours", e.Zone, e.Label, e.Holidays, e.Shifts, p.Holidays, fail); err != nil {
		return nil, err
	}
	if p.EscalationFollowup, err = policyDuration(e.Followup, "escalation.followup", fail); err != nil {
		return nil, err
	}
	if len(e.EligibleAfterDays) != 4 {
		return nil, fail("escalation.eligible_after_days", "needs 4 values (severities 1 to 4), has %d", len(e.EligibleAfterDays))
	}
	for i, d := range e.EligibleAfterDays {
		if d < 0 {
			return nil, fail(fmt.Sprintf("escalation.eligible_after_days[%d]", i), "must not be negative")
		}
		p.EligibleAfterDays[i] = d
	}
	if raw.CustomerFollowup == nil {
		return nil, fail("customer_followup", "missing")
	}
	cf := raw.CustomerFollowup
	if len(cf.FollowupDays) != 2 {
		return nil, fail("customer_followup.followup_days", "needs 2 values (follow-ups 1 and 2), has %d", len(cf.FollowupDays))
	}
	if cf.FollowupDays[0] <= 0 || cf.FollowupDays[1] < cf.FollowupDays[0] {
		return nil, fail("customer_followup.followup_days", "must be positive and in order")
	}
	p.FollowupDays = [2]int{cf.FollowupDays[0], cf.FollowupDays[1]}
	if cf.AutoCloseDays == nil {
		return nil, fail("customer_followup.auto_close_days", "missing")
	}
	if *cf.AutoCloseDays <= 0 {
		return nil, fail("customer_followup.auto_close_days", "must be positive")
	}
	p.AutoCloseDays = *cf.AutoCloseDays
	if raw.TAM == nil {
		return nil, fail("tam", "missing")
	}
	if raw.TAM.Zone == "" {
		return nil, fail("tam.zone", "missing")
	}
	if p.TAMZone, err = time.LoadLocation(raw.TAM.Zone); err != nil {
		return nil, fail("tam.zone", "unknown time zone %q", raw.TAM.Zone)
	}
	if p.ImplementationCap, err = policyDuration(raw.TAM.ImplementationCap, "tam.implementation_cap", fail); err != nil {
		return nil, err
	}
	if len(raw.TAM.Plans) == 0 {
		return nil, fail("tam.plans", "missing: at least one TAM plan is needed")
	}
	for id, tp := range raw.TAM.Plans {
		key := "tam.plans." + id
		if !validID(id) || id == string(TAMNone) {
			return nil, fail(key, "TAM plan ids are lower-case letters, digits and '-', and not \"none\"")
		}
		if tp.Hours <= 0 {
			return nil, fail(key+".hours", "must be positive")
		}
		if tp.Hours > MaxPlanHours {
			return nil, fail(key+".hours", "%d is more than %d", tp.Hours, MaxPlanHours)
		}
		if tp.Next == nil {
			return nil, fail(key+".next", "missing (\"\" for the largest plan)")
		}
		spec := TAMPlanSpec{ID: TAMPlan(id), Name: tp.Name, Hours: tp.Hours, Managed: tp.Managed, Next: TAMPlan(*tp.Next)}
		if spec.Name == "" {
			spec.Name = id
		}
		p.TAMPlans[TAMPlan(id)] = spec
	}
	for id, spec := range p.TAMPlans {
		if spec.Next == "" {
			continue
		}
		next, ok := p.TAMPlans[spec.Next]
		if !ok {
			return nil, fail("tam.plans."+string(id)+".next", "unknown TAM plan %q", spec.Next)
		}
		if next.Hours <= spec.Hours {
			return nil, fail("tam.plans."+string(id)+".next", "the next package must have more hours")
		}
	}
	p.Always = &Calendar{Name: "24x7", Label: "UTC", loc: time.UTC, always: true, BusinessDay: 24 * time.Hour}
	return p, nil
}

// RegionIDs lists the policy's regions in a stable order.
func (p *Policy) RegionIDs() []Region {
	ids := make([]Region, 0, len(p.Regions))
	for id := range p.Regions {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Target is the initial-response target of a plan and severity.
func (p *Policy) Target(plan Plan, sev int) time.Duration {
	if sev < 1 || sev > 4 {
		return 0
	}
	return p.Targets[plan][sev-1]
}

// ResponseCalendar is the calendar of a case's initial-response clock.
func (p *Policy) ResponseCalendar(region Region, sev int) *Calendar {
	if sev >= 1 && sev <= 4 && p.AroundTheClock[sev] {
		return p.Always
	}
	if c, ok := p.Regions[region]; ok {
		return c
	}
	return p.Always
}

// RegionCalendar is the hours-of-operation calendar of a region (24x7 if
// the policy does not know the region).
func (p *Policy) RegionCalendar(region Region) *Calendar {
	if c, ok := p.Regions[region]; ok {
		return c
	}
	return p.Always
}

// EscalationCalendar is the calendar of an escalation's manager clocks.
func (p *Policy) EscalationCalendar(sev int) *Calendar {
	if sev >= 1 && sev <= 4 && p.AroundTheClock[sev] {
		return p.Always
	}
	return p.EscalationHours
}

func policyDuration(s, key string, fail func(string, string, ...any) error) (time.Duration, error) {
	if s == "" {
		return 0, fail(key, "missing")
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fail(key, "%q is not a duration (like \"90m\" or \"4h\")", s)
	}
	if d <= 0 {
		return 0, fail(key, "must be positive, is %s", s)
	}
	if d%time.Minute != 0 {
		return 0, fail(key, "must be a whole number of minutes, is %s", s)
	}
	return d, nil
}

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

func parseHoliday(h rawHoliday) (Holiday, error) {
	hol := Holiday{Name: h.Name}
	if h.Date != "" {
		if h.Month != 0 || h.Weekday != "" || h.Nth != 0 {
			return hol, errors.New("give either date, or month, weekday and nth, not both")
		}
		var m, d int
		if len(h.Date) != 5 || h.Date[2] != '-' {
			return hol, fmt.Errorf("date %q is not MM-DD", h.Date)
		}
		m, err1 := strconv.Atoi(h.Date[:2])
		d, err2 := strconv.Atoi(h.Date[3:])
		if err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), 2024) {
			return hol, fmt.Errorf("date %q is not MM-DD", h.Date)
		}
		hol.Month, hol.Day = time.Month(m), d
		return hol, nil
	}
	if h.Month < 1 || h.Month > 12 {
		return hol, errors.New("needs a date (\"12-25\") or a month from 1 to 12 with weekday and nth")
	}
	wd, ok := weekdayNames[strings.ToLower(h.Weekday)]
	if !ok {
		return hol, fmt.Errorf("weekday %q is not a day of the week", h.Weekday)
	}
	if h.Nth == 0 || h.Nth < -1 || h.Nth > 5 {
		return hol, fmt.Errorf("nth %d must be 1 to 5, or -1 for the last", h.Nth)
	}
	hol.Month, hol.Weekday, hol.Nth = time.Month(h.Month), wd, h.Nth
	return hol, nil
}

// parseClock reads "HH:MM" into seconds after midnight. maxHour lets a
// close time be written past midnight ("26:00").
func parseClock(s string, maxHour int) (int, bool) {
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || len(hh) != 2 || len(mm) != 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || h > maxHour || m < 0 || m > 59 {
		return 0, false
	}
	return h*3600 + m*60, true
}

func newCalendar(key, name, zone, label string, observe *bool, shifts []rawShift, holidays []Holiday, fail func(string, string, ...any) error) (*Calendar, error) {
	if zone == "" {
		return nil, fail(key+".zone", "missing")
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fail(key+".zone", "unknown time zone %q", zone)
	}
	if observe == nil {
		return nil, fail(key+".holidays", "missing (true or false)")
	}
	if len(shifts) == 0 {
		return nil, fail(key+".shifts", "missing: at least one shift is needed")
	}
	cal := &Calendar{Name: name, Label: label, loc: loc}
	if cal.Label == "" {
		cal.Label = zone
	}
	if *observe {
		cal.holidays = holidays
	}
	type span struct{ from, to int } // seconds of the week, from Sunday 00:00
	var spans []span
	for i, s := range shifts {
		sk := fmt.Sprintf("%s.shifts[%d]", key, i)
		open, ok := parseClock(s.Open, 23)
		if !ok {
			return nil, fail(sk+".open", "%q is not a time of day HH:MM", s.Open)
		}
		closeAt, ok := parseClock(s.Close, 47)
		if !ok {
			return nil, fail(sk+".close", "%q is not a time HH:MM", s.Close)
		}
		if closeAt <= open {
			closeAt += 24 * 3600 // closes the next day
		}
		if closeAt-open > 24*3600 {
			return nil, fail(sk, "shift longer than 24 h (%s to %s)", s.Open, s.Close)
		}
		if len(s.Days) == 0 {
			return nil, fail(sk+".days", "missing")
		}
		for _, d := range s.Days {
			wd, ok := weekdayNames[strings.ToLower(d)]
			if !ok {
				return nil, fail(sk+".days", "%q is not a day of the week", d)
			}
			cal.shifts[wd] = append(cal.shifts[wd], shift{open: open, close: closeAt})
			base := int(wd) * 86400
			spans = append(spans, span{base + open, base + closeAt})
		}
	}
	// Overlap: compare every pair on the week's circle.
	const week = 7 * 86400
	for i := range spans {
		for j := i + 1; j < len(spans); j++ {
			a, b := spans[i], spans[j]
			for _, shiftB := range []int{-week, 0, week} {
				if a.from < b.to+shiftB && b.from+shiftB < a.to {
					return nil, fail(key+".shifts", "overlapping shifts")
				}
			}
		}
	}
	for wd := range cal.shifts {
		sort.Slice(cal.shifts[wd], func(i, j int) bool { return cal.shifts[wd][i].open < cal.shifts[wd][j].open })
	}
	return cal, nil
}

func validID(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
