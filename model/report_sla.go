package model

import "time"

// SLAFilter narrows an SLA report. Zero values select everything.
type SLAFilter struct {
	Region  Region
	Account string
	// Visible, when set, hides the cases of accounts it refuses (a TAM
	// reading with --as sees the accounts they own).
	Visible func(account string) bool
}

func (f SLAFilter) keeps(c *Case) bool {
	return (f.Region == "" || c.Region == f.Region) &&
		(f.Account == "" || c.Account == f.Account) &&
		(f.Visible == nil || f.Visible(c.Account))
}

// Attainment counts the initial responses of one group.
type Attainment struct {
	// Key names the group: "all", a severity "1".."4", a plan id or a
	// region id.
	Key      string
	Due      int
	Met      int
	Breached int
}

// Percent is 100 x met / due, to one decimal; ok is false when nothing
// was due (a percentage of nothing means nothing).
func (a Attainment) Percent() (pct float64, ok bool) {
	if a.Due == 0 {
		return 0, false
	}
	return percent1(a.Met, a.Due), true
}

func (a Attainment) plus(met bool) Attainment {
	a.Due++
	if met {
		a.Met++
	} else {
		a.Breached++
	}
	return a
}

// SLAResponse is one initial-response clock counted by a report.
type SLAResponse struct {
	Case     int64
	Account  string
	Severity int
	Plan     Plan
	Region   Region
	Start    time.Time
	Due      time.Time
	// RespondedAt is zero for a case never answered (or closed unanswered)
	// whose due has passed.
	RespondedAt time.Time
	Met         bool
	// WorkingMinutes (calendar-covered time) and WallMinutes run from the
	// clock's start to the response, rounded down; 0 when unanswered.
	WorkingMinutes int
	WallMinutes    int
	// LateMinutes is how late a breach is, rounded up: the response (or,
	// unanswered, now or the closing) minus due. 0 when met.
	LateMinutes int
}

// Responded reports whether a first response was given.
func (r SLAResponse) Responded() bool { return !r.RespondedAt.IsZero() }

// EscalationStats sums the escalations requested in a report's range, with
// their outcomes as they stand at now.
type EscalationStats struct {
	// Opened is the number requested in the range; the rest count among
	// those. Accepted counts every escalation accepted at some point
	// (now accepted, closed or de-escalated).
	Opened, Accepted, Declined, Closed, Deescalated, Open int
	// FollowupMet and FollowupBreached judge the manager's follow-up
	// (logged, or implied by accepting or declining) against its
	// 60-minute clock; one not yet due and not logged is in neither.
	FollowupMet, FollowupBreached int
	// FollowupWall and FollowupWorking are the times from request to
	// follow-up, in whole minutes (working: escalation hours, 24x7 for
	// around-the-clock severities).
	FollowupWall, FollowupWorking Percentiles
}

// SLAReportData is the initial-response SLA report of a date range.
type SLAReportData struct {
	From, To Date
	Now      time.Time
	Region   Region
	Account  string
	// All is every counted response; BySeverity holds severities 1-4,
	// ByPlan the plans in plans order, ByRegion the policy's regions.
	All        Attainment
	BySeverity []Attainment
	ByPlan     []Attainment
	ByRegion   []Attainment
	// Working and Wall are the times to first response of the answered
	// counted clocks.
	Working, Wall Percentiles
	// Responses lists every counted clock by case number; Breaches those
	// breached, in the same order.
	Responses []SLAResponse
	Breaches  []SLAResponse
	// Escalations covers the escalations requested in the range.
	Escalations EscalationStats
	// Err is why the report could not read every case (the closed cases
	// on disk): the figures are then incomplete and must not be shown.
	Err error

	policy *Policy
}

// Empty reports whether no initial response was due in the range.
func (r *SLAReportData) Empty() bool { return r.All.Due == 0 }

// SLAReport computes the initial-response report of the cases on d for the
// days from..to (both included, dates in the policy's home zone) as seen at
// now.
//
// A clock is counted when its due instant's date is in the range and it is
// decided at now: answered (met when the response is at or before due,
// breached after), or past due unanswered (breached; a case closed
// unanswered after its due is breached too). A clock not yet due and not
// answered is left out, as is one that never ran: a severity-1 case still
// waiting for its call, or a case closed unanswered before its due. Facts
// after now are not yet known and are ignored. Clocks come from the case's
// current facts, so a case whose severity changed counts under its final
// severity with its recomputed due.
func SLAReport(d *Desk, p *Policy, from, to Date, f SLAFilter, now time.Time) *SLAReportData {
	r := &SLAReportData{From: from, To: to, Now: now, Region: f.Region, Account: f.Account, policy: p,
		All: Attainment{Key: "all"}}
	home := p.HomeZone()
	bySev := map[int]Attainment{}
	byPlan := map[Plan]Attainment{}
	byRegion := map[Region]Attainment{}
	var working, wall []int
	var esc escalationAcc
	r.Err = d.EachCase(func(c *Case, es []Escalation) bool {
		if !f.keeps(c) {
			return true
		}
		esc.add(c, es, p, from, to, now, home)
		resp, ok := countedResponse(c, p, from, to, now, home)
		if !ok {
			return true
		}
		r.Responses = append(r.Responses, resp)
		if !resp.Met {
			r.Breaches = append(r.Breaches, resp)
		}
		r.All = r.All.plus(resp.Met)
		bySev[c.Severity] = bySev[c.Severity].plus(resp.Met)
		byPlan[c.Plan] = byPlan[c.Plan].plus(resp.Met)
		byRegion[c.Region] = byRegion[c.Region].plus(resp.Met)
		if resp.Responded() {
			working = append(working, resp.WorkingMinutes)
			wall = append(wall, resp.WallMinutes)
		}
		return true
	})
	for sev := 1; sev <= 4; sev++ {
		r.BySeverity = append(r.BySeverity, keyed(bySev[sev], string(rune('0'+sev))))
	}
	for _, pl := range plans {
		r.ByPlan = append(r.ByPlan, keyed(byPlan[pl], string(pl)))
	}
	for _, rg := range p.RegionIDs() {
		r.ByRegion = append(r.ByRegion, keyed(byRegion[rg], string(rg)))
	}
	r.Working, r.Wall = percentilesOf(working), percentilesOf(wall)
	r.Escalations = esc.stats()
	return r
}

func keyed(a Attainment, key string) Attainment {
	a.Key = key
	return a
}

// countedResponse judges a case's initial-response clock for the report;
// ok is false when the clock is not counted (see SLAReport).
func countedResponse(c *Case, p *Policy, from, to Date, now time.Time, home *time.Location) (SLAResponse, bool) {
	// Facts after now are not known yet: see the case as it stood at now.
	seen := *c
	if seen.RespondedAt.After(now) {
		seen.RespondedAt = time.Time{}
	}
	if seen.PhonedAt.After(now) {
		seen.PhonedAt = time.Time{}
	}
	if seen.ClosedAt.After(now) {
		seen.ClosedAt, seen.Status = time.Time{}, StatusInProgress
	}
	cl := ResponseClock(&seen, p)
	if cl.CallRequired || !DateOf(cl.Due, home).within(from, to) {
		return SLAResponse{}, false
	}
	r := SLAResponse{Case: c.Number, Account: c.Account, Severity: c.Severity, Plan: c.Plan, Region: c.Region,
		Start: cl.Start, Due: cl.Due}
	switch {
	case !cl.Running() && !cl.Cancelled:
		// Answered.
		r.RespondedAt = cl.StoppedAt
		r.Met = !cl.StoppedAt.After(cl.Due)
		r.WorkingMinutes = floorMinutes(cl.Calendar.Covered(cl.Start, cl.StoppedAt))
		r.WallMinutes = floorMinutes(cl.StoppedAt.Sub(cl.Start))
		if !r.Met {
			r.LateMinutes = ceilMinutes(cl.StoppedAt.Sub(cl.Due))
		}
	case cl.Cancelled:
		// Closed unanswered: a breach only if the due passed first.
		if !cl.StoppedAt.After(cl.Due) {
			return SLAResponse{}, false
		}
		r.LateMinutes = ceilMinutes(cl.StoppedAt.Sub(cl.Due))
	default:
		// Unanswered and open: breached once now is past due.
		if !now.After(cl.Due) {
			return SLAResponse{}, false
		}
		r.LateMinutes = ceilMinutes(now.Sub(cl.Due))
	}
	return r, true
}

// escalationAcc sums the escalations requested in the range, of the
// cases the filter keeps, one case at a time.
type escalationAcc struct {
	st            EscalationStats
	wall, working []int
}

func (a *escalationAcc) add(c *Case, es []Escalation, p *Policy, from, to Date, now time.Time, home *time.Location) {
	st := &a.st
	for i := range es {
		e := &es[i]
		if e.RequestedAt.After(now) || !DateOf(e.RequestedAt, home).within(from, to) {
			continue
		}
		st.Opened++
		switch e.Status {
		case EscRequested:
			st.Open++
		case EscAccepted:
			st.Accepted++
			st.Open++
		case EscDeclined:
			st.Declined++
		case EscClosed:
			st.Accepted++
			st.Closed++
		case EscDeescalated:
			st.Accepted++
			st.Deescalated++
		}
		cal := p.EscalationCalendar(c.Severity)
		due := cal.Add(e.RequestedAt, p.EscalationFollowup)
		fu := e.FollowedUpAt
		if fu.IsZero() {
			fu = e.DecidedAt // accepting or declining implies it
		}
		if fu.IsZero() || fu.After(now) {
			if now.After(due) {
				st.FollowupBreached++
			}
			continue
		}
		if fu.After(due) {
			st.FollowupBreached++
		} else {
			st.FollowupMet++
		}
		a.wall = append(a.wall, floorMinutes(fu.Sub(e.RequestedAt)))
		a.working = append(a.working, floorMinutes(cal.Covered(e.RequestedAt, fu)))
	}
}

func (a *escalationAcc) stats() EscalationStats {
	st := a.st
	st.FollowupWall, st.FollowupWorking = percentilesOf(a.wall), percentilesOf(a.working)
	return st
}
