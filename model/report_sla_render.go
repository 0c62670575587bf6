package model

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// EmptySLAMessage is what an SLA report says when nothing was due.
func (r *SLAReportData) EmptySLAMessage() string {
	return fmt.Sprintf("no initial responses were due from %s to %s", r.From, r.To)
}

// emptyEscalationsMessage is what it says when nothing was escalated.
func (r *SLAReportData) emptyEscalationsMessage() string {
	return fmt.Sprintf("no escalations were requested from %s to %s", r.From, r.To)
}

// when writes an instant in the zone of a case's region.
func (r *SLAReportData) when(t time.Time, region Region) string {
	cal := r.policy.RegionCalendar(region)
	if cal.AlwaysOpen() {
		return When(t, r.policy.HomeZone(), homeLabel(r.policy))
	}
	return When(t, cal.Location(), cal.Label)
}

func (r *SLAReportData) regionName(rg Region) string {
	if c, ok := r.policy.Regions[rg]; ok && c.Name != "" {
		return c.Name
	}
	return string(rg)
}

// RenderMarkdown writes the report as Markdown.
func (r *SLAReportData) RenderMarkdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# Initial-response SLA report, %s to %s\n\n", r.From, r.To)
	scope := "all regions, all accounts"
	switch {
	case r.Region != "" && r.Account != "":
		scope = fmt.Sprintf("region %s, account %s", MarkdownCell(r.regionName(r.Region)), MarkdownCell(r.Account))
	case r.Region != "":
		scope = fmt.Sprintf("region %s, all accounts", MarkdownCell(r.regionName(r.Region)))
	case r.Account != "":
		scope = fmt.Sprintf("all regions, account %s", MarkdownCell(r.Account))
	}
	fmt.Fprintf(b, "Initial responses due from %s to %s (dates in %s), %s, as of %s.\n",
		r.From, r.To, homeLabel(r.policy), scope, When(r.Now, r.policy.HomeZone(), homeLabel(r.policy)))
	fmt.Fprintf(b, "Counted: responses given, and responses past due without one; a response at its due instant is met.\n\n")
	if r.Empty() {
		fmt.Fprintf(b, "%s.\n\n", upperFirst(r.EmptySLAMessage()))
	} else {
		r.markdownAttainment(b)
		r.markdownTimes(b)
		r.markdownBreaches(b)
	}
	r.markdownEscalations(b)
	return b.Flush()
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func (r *SLAReportData) markdownAttainment(b *bufio.Writer) {
	fmt.Fprintf(b, "## Attainment\n\n| Group | Due | Met | Breached | Attainment |\n|---|---:|---:|---:|---:|\n")
	row := func(name string, a Attainment) {
		if a.Due == 0 {
			return // a group with nothing due says nothing
		}
		pct, _ := a.Percent()
		fmt.Fprintf(b, "| %s | %d | %d | %d | %.1f%% |\n", name, a.Due, a.Met, a.Breached, pct)
	}
	row("**All**", r.All)
	for _, a := range r.BySeverity {
		row("Severity "+a.Key, a)
	}
	for _, a := range r.ByPlan {
		row(MarkdownCell(Plan(a.Key).Title()), a)
	}
	for _, a := range r.ByRegion {
		row(MarkdownCell(r.regionName(Region(a.Key))), a)
	}
	b.WriteString("\n")
}

func (r *SLAReportData) markdownTimes(b *bufio.Writer) {
	fmt.Fprintf(b, "## Time to first response\n\n")
	if r.Working.N == 0 {
		fmt.Fprintf(b, "No counted case was answered.\n\n")
		return
	}
	fmt.Fprintf(b, "| Measure | Responses | Median | 90th percentile |\n|---|---:|---:|---:|\n")
	fmt.Fprintf(b, "| Working time | %d | %s | %s |\n", r.Working.N, HoursMinutes(r.Working.Median), HoursMinutes(r.Working.P90))
	fmt.Fprintf(b, "| Wall time | %d | %s | %s |\n\n", r.Wall.N, HoursMinutes(r.Wall.Median), HoursMinutes(r.Wall.P90))
	fmt.Fprintf(b, "Working time is the time the case's calendar covers (region hours; around the clock for severity 1). Percentiles by nearest rank, in whole minutes.\n\n")
}

func (r *SLAReportData) markdownBreaches(b *bufio.Writer) {
	fmt.Fprintf(b, "## Breaches\n\n")
	if len(r.Breaches) == 0 {
		fmt.Fprintf(b, "None.\n\n")
		return
	}
	fmt.Fprintf(b, "| Case | Account | Severity | Plan | Region | Due | Responded | Late |\n|---|---|---:|---|---|---|---|---:|\n")
	for _, x := range r.Breaches {
		resp := "not answered"
		if x.Responded() {
			resp = r.when(x.RespondedAt, x.Region)
		}
		fmt.Fprintf(b, "| %s | %s | %d | %s | %s | %s | %s | %s |\n", CaseNumber(x.Case), MarkdownCell(x.Account),
			x.Severity, MarkdownCell(x.Plan.Title()), MarkdownCell(string(x.Region)), r.when(x.Due, x.Region), resp,
			HoursMinutes(x.LateMinutes))
	}
	b.WriteString("\n")
}

func (r *SLAReportData) markdownEscalations(b *bufio.Writer) {
	e := r.Escalations
	fmt.Fprintf(b, "## Escalations\n\n")
	if e.Opened == 0 {
		fmt.Fprintf(b, "%s.\n", upperFirst(r.emptyEscalationsMessage()))
		return
	}
	fmt.Fprintf(b, "| Requested | Accepted | Declined | Closed | De-escalated | Still open |\n|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| %d | %d | %d | %d | %d | %d |\n\n", e.Opened, e.Accepted, e.Declined, e.Closed, e.Deescalated, e.Open)
	fmt.Fprintf(b, "Manager's follow-up within %s: %d met, %d breached.\n\n", FormatDuration(r.policy.EscalationFollowup),
		e.FollowupMet, e.FollowupBreached)
	if e.FollowupWall.N == 0 {
		fmt.Fprintf(b, "No follow-up logged yet.\n")
		return
	}
	fmt.Fprintf(b, "| Request to follow-up | Follow-ups | Median | 90th percentile |\n|---|---:|---:|---:|\n")
	fmt.Fprintf(b, "| Escalation hours | %d | %s | %s |\n", e.FollowupWorking.N, HoursMinutes(e.FollowupWorking.Median), HoursMinutes(e.FollowupWorking.P90))
	fmt.Fprintf(b, "| Wall time | %d | %s | %s |\n", e.FollowupWall.N, HoursMinutes(e.FollowupWall.Median), HoursMinutes(e.FollowupWall.P90))
}

// SLACSVHeader is the header row of the SLA report's CSV: one row per
// counted initial response.
func SLACSVHeader() []string { return append([]string(nil), slaCSVHeader...) }

var slaCSVHeader = []string{"case", "account", "severity", "plan", "region", "start", "due", "responded_at",
	"result", "working_minutes", "wall_minutes", "late_minutes"}

// RenderCSV writes one row per counted initial response (RFC 4180), the
// breaches marked "breached". Aggregates are in the Markdown and JSON
// forms; a spreadsheet recomputes them from these rows. An empty range
// gives the header alone (cli says so on stderr).
func (r *SLAReportData) RenderCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(slaCSVHeader); err != nil {
		return err
	}
	for _, x := range r.Responses {
		loc := r.policy.RegionZone(x.Region)
		result, responded, working, wall := "met", "", "", ""
		if !x.Met {
			result = "breached"
		}
		if x.Responded() {
			responded = FormatInstant(x.RespondedAt, loc)
			working, wall = strconv.Itoa(x.WorkingMinutes), strconv.Itoa(x.WallMinutes)
		}
		rec := []string{strconv.FormatInt(x.Case, 10), CSVText(Inert(x.Account)), strconv.Itoa(x.Severity),
			CSVText(string(x.Plan)), CSVText(string(x.Region)), FormatInstant(x.Start, loc), FormatInstant(x.Due, loc),
			responded, result, working, wall, strconv.Itoa(x.LateMinutes)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// The JSON form of the SLA report (keys in this order).
type slaReportJSON struct {
	From        string               `json:"from"`
	To          string               `json:"to"`
	Now         string               `json:"now"`
	Region      *string              `json:"region"`
	Account     *string              `json:"account"`
	Message     *string              `json:"message"`
	All         attainmentJSON       `json:"all"`
	BySeverity  []attainmentJSON     `json:"by_severity"`
	ByPlan      []attainmentJSON     `json:"by_plan"`
	ByRegion    []attainmentJSON     `json:"by_region"`
	FirstResp   firstResponseJSON    `json:"first_response"`
	Breaches    []responseJSON       `json:"breaches"`
	Responses   []responseJSON       `json:"responses"`
	Escalations escalationsStatsJSON `json:"escalations"`
}

type attainmentJSON struct {
	Key      string   `json:"key"`
	Due      int      `json:"due"`
	Met      int      `json:"met"`
	Breached int      `json:"breached"`
	Percent  *float64 `json:"attainment_percent"`
}

type percentilesJSON struct {
	Count  int  `json:"count"`
	Median *int `json:"median_minutes"`
	P90    *int `json:"p90_minutes"`
}

type firstResponseJSON struct {
	Working percentilesJSON `json:"working"`
	Wall    percentilesJSON `json:"wall"`
}

type responseJSON struct {
	Case           int64   `json:"case"`
	Account        string  `json:"account"`
	Severity       int     `json:"severity"`
	Plan           string  `json:"plan"`
	Region         string  `json:"region"`
	Start          string  `json:"start"`
	Due            string  `json:"due"`
	RespondedAt    *string `json:"responded_at"`
	Result         string  `json:"result"`
	WorkingMinutes *int    `json:"working_minutes"`
	WallMinutes    *int    `json:"wall_minutes"`
	LateMinutes    int     `json:"late_minutes"`
}

type escalationsStatsJSON struct {
	Requested        int             `json:"requested"`
	Accepted         int             `json:"accepted"`
	Declined         int             `json:"declined"`
	Closed           int             `json:"closed"`
	Deescalated      int             `json:"de_escalated"`
	Open             int             `json:"open"`
	FollowupMet      int             `json:"followup_met"`
	FollowupBreached int             `json:"followup_breached"`
	FollowupWorking  percentilesJSON `json:"followup_working"`
	FollowupWall     percentilesJSON `json:"followup_wall"`
}

func toAttainmentJSON(a Attainment) attainmentJSON {
	out := attainmentJSON{Key: a.Key, Due: a.Due, Met: a.Met, Breached: a.Breached}
	if pct, ok := a.Percent(); ok {
		out.Percent = &pct
	}
	return out
}

func toPercentilesJSON(p Percentiles) percentilesJSON {
	out := percentilesJSON{Count: p.N}
	if p.N > 0 {
		med, p90 := p.Median, p.P90
		out.Median, out.P90 = &med, &p90
	}
	return out
}

func (r *SLAReportData) toResponseJSON(x SLAResponse) responseJSON {
	loc := r.policy.RegionZone(x.Region)
	out := responseJSON{Case: x.Case, Account: x.Account, Severity: x.Severity, Plan: string(x.Plan),
		Region: string(x.Region), Start: FormatInstant(x.Start, loc), Due: FormatInstant(x.Due, loc),
		Result: "met", LateMinutes: x.LateMinutes}
	if !x.Met {
		out.Result = "breached"
	}
	if x.Responded() {
		at := FormatInstant(x.RespondedAt, loc)
		working, wall := x.WorkingMinutes, x.WallMinutes
		out.RespondedAt, out.WorkingMinutes, out.WallMinutes = &at, &working, &wall
	}
	return out
}

// RenderJSON writes the report as one JSON document (two-space indent,
// HTML escaping off). message is set, and attainment percentages null,
// when nothing was due.
func (r *SLAReportData) RenderJSON(w io.Writer) error {
	out := slaReportJSON{From: r.From.String(), To: r.To.String(), Now: FormatInstant(r.Now, r.policy.HomeZone()),
		Region: optString(string(r.Region)), Account: optString(r.Account), All: toAttainmentJSON(r.All),
		BySeverity: []attainmentJSON{}, ByPlan: []attainmentJSON{}, ByRegion: []attainmentJSON{},
		FirstResp: firstResponseJSON{Working: toPercentilesJSON(r.Working), Wall: toPercentilesJSON(r.Wall)},
		Breaches:  []responseJSON{}, Responses: []responseJSON{}}
	if r.Empty() {
		msg := r.EmptySLAMessage()
		out.Message = &msg
	}
	for _, a := range r.BySeverity {
		out.BySeverity = append(out.BySeverity, toAttainmentJSON(a))
	}
	for _, a := range r.ByPlan {
		out.ByPlan = append(out.ByPlan, toAttainmentJSON(a))
	}
	for _, a := range r.ByRegion {
		out.ByRegion = append(out.ByRegion, toAttainmentJSON(a))
	}
	for _, x := range r.Breaches {
		out.Breaches = append(out.Breaches, r.toResponseJSON(x))
	}
	for _, x := range r.Responses {
		out.Responses = append(out.Responses, r.toResponseJSON(x))
	}
	e := r.Escalations
	out.Escalations = escalationsStatsJSON{Requested: e.Opened, Accepted: e.Accepted, Declined: e.Declined,
		Closed: e.Closed, Deescalated: e.Deescalated, Open: e.Open, FollowupMet: e.FollowupMet,
		FollowupBreached: e.FollowupBreached, FollowupWorking: toPercentilesJSON(e.FollowupWorking),
		FollowupWall: toPercentilesJSON(e.FollowupWall)}
	b, err := MarshalDocument(out)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
