package model

import (
	_ "embed"
	"sort"
	"time"
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
	// Alerts is the [alerts] section (alerts_policy.go).
	Alerts AlertPolicy
	// Digest is the SHA-256 (hex) of the file the policy was parsed from:
	// what a store computed under one policy (its auto-close index) it
	// can tell apart from another's.
	Digest string

	// plans and regions repeat Targets and Regions as short lists, set by
	// ParsePolicy: ordering a queue asks them twice a case, and comparing
	// a few short strings is several times cheaper than hashing one.
	plans   []planTargets
	regions []regionCalendar
}

type planTargets struct {
	plan    Plan
	targets [4]time.Duration
}

type regionCalendar struct {
	region Region
	cal    *Calendar
}

// index fills plans and regions from the maps (a handful of each).
func (p *Policy) index() {
	if len(p.Targets) > 8 || len(p.Regions) > 8 {
		return // long lists: the maps answer
	}
	for plan, t := range p.Targets {
		p.plans = append(p.plans, planTargets{plan, t})
	}
	for r, c := range p.Regions {
		p.regions = append(p.regions, regionCalendar{r, c})
	}
}

// regionCal is the region's calendar, or nil.
func (p *Policy) regionCal(r Region) *Calendar {
	if p.regions != nil {
		for i := range p.regions {
			if p.regions[i].region == r {
				return p.regions[i].cal
			}
		}
		return nil
	}
	return p.Regions[r]
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

// HomeZone is the zone of instants that belong to no case.
func (p *Policy) HomeZone() *time.Location { return p.TAMZone }

// RegionZone is the zone a case of the region writes its instants in.
func (p *Policy) RegionZone(r Region) *time.Location {
	if c, ok := p.Regions[r]; ok {
		return c.Location()
	}
	return p.HomeZone()
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
	if p.plans != nil {
		for i := range p.plans {
			if p.plans[i].plan == plan {
				return p.plans[i].targets[sev-1]
			}
		}
		return 0
	}
	return p.Targets[plan][sev-1]
}

// ResponseCalendar is the calendar of a case's initial-response clock.
func (p *Policy) ResponseCalendar(region Region, sev int) *Calendar {
	if sev >= 1 && sev <= 4 && p.AroundTheClock[sev] {
		return p.Always
	}
	if c := p.regionCal(region); c != nil {
		return c
	}
	return p.Always
}

// RegionCalendar is the hours-of-operation calendar of a region (24x7 if
// the policy does not know the region).
func (p *Policy) RegionCalendar(region Region) *Calendar {
	if c := p.regionCal(region); c != nil {
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
