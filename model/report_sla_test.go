package model_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

// at reads an RFC 3339 instant or fails the test.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad instant %q: %v", s, err)
	}
	return v
}

func date(t testing.TB, s string) model.Date {
	t.Helper()
	d, err := model.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// handDesk is a desk of fifteen cases and five escalations, built directly
// as records, whose SLA report for Mon 16 - Fri 20 November 2026 seen at
// Fri 20 Nov 20:00 ET (2026-11-21T01:00Z) is worked out by hand below.
//
// Default policy. Targets (h), severity 1..4: basic 4 8 12 24, plus 2 4 12
// 24, premium 1 2 6 12. NA: Mon-Fri 06:00-21:00 ET (EST, -05:00 all
// week). EMEA: 11:00-02:00 next day, GMT. Severity 1: 24x7 from the call.
// Escalation follow-up: 60 min, 08:00-17:00 ET Mon-Fri (24x7 for sev 1).
//
//	#   plan/region/sev     start               due                  response            counted?
//	1   basic na 2 (8h)     Mon 10:00 ET        Mon 18:00            Mon 12:00           met      work 120  wall 120
//	2   premium na 2 (2h)   Mon 20:00 ET        Tue 07:00 (1h+1h)    Tue 07:00 (at due)  met      work 120  wall 660
//	3   plus na 3 (12h)     Tue 09:00 ET        Tue 21:00            Wed 06:30           BREACHED work 750 (720+30) wall 1290, late 570
//	4   premium na 1 (1h)   call Wed 10:30 ET   Wed 11:30            Wed 11:00           met      work 30   wall 30
//	5   plus na 1 (2h)      call Thu 22:00 ET   Fri 00:00            none, open          BREACHED late 20h = 1200 (to now)
//	6   basic na 4 (24h)    Thu 08:00 ET        Fri 17:00 (13h+11h)  Fri 16:00           met      work 1380 (780+600) wall 1920
//	7   premium na 3 (6h)   Fri 16:00 ET        Mon 23 07:00         none                out of range
//	8   premium na 2 (2h)   Fri 19:00 ET        Fri 21:00            none                not yet due at 20:00: not counted
//	9   plus na 2 (4h)      Wed 09:00 ET        Wed 13:00            Wed 14:00           BREACHED work 300 wall 300, late 60
//	    (was severity 3: due Wed 21:00, it would have been met; it counts as severity 2)
//	10  plus emea 2 (4h)    Mon 12:00Z          Mon 16:00Z           Mon 14:30Z          met      work 150  wall 150
//	11  basic emea 3 (12h)  Tue 20:00Z          Wed 17:00Z (6h+6h)   none, closed Thu 10:00Z  BREACHED late 17h = 1020
//	12  basic na 3 (12h)    Mon 07:00 ET        Mon 19:00            none, closed Mon 08:00 before due: not counted
//	13  premium na 1        no call yet         -                    -                   call required: not counted
//	14  plus na 2 (4h)      Fri 13 10:00 ET     Fri 13 14:00         Fri 13 11:00        out of range
//	15  premium emea 2 (2h) Fri 23:30Z          Sat 01:30Z = Fri 20:30 ET   Sat 01:00Z (= now)  met  work 90 wall 90
//	    (its due is 21 Nov in UTC but 20 Nov in ET: the ET date puts it in range)
//
// Counted: 10 (1 2 3 4 5 6 9 10 11 15); met 6 (1 2 4 6 10 15); breached 4
// (3 5 9 11); attainment 6/10 = 60.0%.
//
//	severity 1: 4 met, 5 breached          2 due, 1 met  50.0%
//	severity 2: 1 2 10 15 met, 9 breached  5 due, 4 met  80.0%
//	severity 3: 3 11 breached              2 due, 0 met   0.0%
//	severity 4: 6 met                      1 due, 1 met 100.0%
//	basic:   1 6 met, 11 breached          3 due, 2 met  66.7%
//	plus:    10 met, 3 5 9 breached        4 due, 1 met  25.0%
//	premium: 2 4 15 met                    3 due, 3 met 100.0%
//	emea:    10 15 met, 11 breached        3 due, 2 met  66.7%
//	na:      1 2 4 6 met, 3 5 9 breached   7 due, 4 met  57.1% (400/7 = 57.14)
//
// Time to first response, the 8 answered (1 2 3 4 6 9 10 15), nearest rank
// (median rank ceil(0.5 x 8) = 4, p90 rank ceil(0.9 x 8) = 8):
//
//	working sorted: 30 90 120 120 150 300 750 1380  -> median 120, p90 1380
//	wall sorted:    30 90 120 150 300 660 1290 1920 -> median 150, p90 1920
//
// Escalations (requested Mon 16 - Fri 20 Nov):
//
//	E1 on 3 (sev 3) Wed 09:00 ET, followed up 09:40 (due 10:00), accepted    met      wall 40  work 40
//	E2 on 5 (sev 1, 24x7) Fri 02:00 ET, declined 03:30, no follow-up logged  breached wall 90  work 90
//	E3 on 9 (sev 2) Thu 16:30 ET (30m Thu + 30m Fri: due Fri 08:30),
//	   followed up Fri 08:15, closed                                         met      wall 945 work 45
//	E4 on 1 (sev 2) Fri 18:00 ET, requested (due Mon 23 09:00)               not yet due: neither
//	E5 on 14 Thu 12 Nov                                                      out of range
//
// Requested 4; accepted 2 (E1, E3 which was accepted then closed);
// declined 1; closed 1; de-escalated 0; still open 2 (E1, E4). Follow-up
// met 2, breached 1. Wall 40 90 945: median (rank 2) 90, p90 (rank 3) 945;
// working 40 45 90: median 45, p90 90.
func handDesk(t testing.TB) *model.Desk {
	d := model.NewDesk()
	add := func(n int64, plan model.Plan, region model.Region, sev int, opened, phoned, responded, closed string) {
		c := &model.Case{Number: n, Account: "acme", Severity: sev, Title: "case", Status: model.StatusInProgress,
			Plan: plan, Region: region, OpenedAt: at(t, opened)}
		if region == model.EMEA {
			c.Account = "umbrella"
		}
		if phoned != "" {
			c.PhonedAt = at(t, phoned)
		}
		if responded != "" {
			c.RespondedAt = at(t, responded)
		} else {
			c.Status = model.StatusNew
		}
		if closed != "" {
			c.Status, c.ClosedAt, c.CloseReason = model.StatusClosed, at(t, closed), model.ReasonResolved
		}
		d.Cases[n] = c
	}
	const na, emea = model.NA, model.EMEA
	add(1, model.Basic, na, 2, "2026-11-16T10:00:00-05:00", "", "2026-11-16T12:00:00-05:00", "")
	add(2, model.Premium, na, 2, "2026-11-16T20:00:00-05:00", "", "2026-11-17T07:00:00-05:00", "")
	add(3, model.Plus, na, 3, "2026-11-17T09:00:00-05:00", "", "2026-11-18T06:30:00-05:00", "")
	add(4, model.Premium, na, 1, "2026-11-18T10:00:00-05:00", "2026-11-18T10:30:00-05:00", "2026-11-18T11:00:00-05:00", "")
	add(5, model.Plus, na, 1, "2026-11-19T21:50:00-05:00", "2026-11-19T22:00:00-05:00", "", "")
	add(6, model.Basic, na, 4, "2026-11-19T08:00:00-05:00", "", "2026-11-20T16:00:00-05:00", "")
	add(7, model.Premium, na, 3, "2026-11-20T16:00:00-05:00", "", "", "")
	add(8, model.Premium, na, 2, "2026-11-20T19:00:00-05:00", "", "", "")
	add(9, model.Plus, na, 2, "2026-11-18T09:00:00-05:00", "", "2026-11-18T14:00:00-05:00", "")
	add(10, model.Plus, emea, 2, "2026-11-16T12:00:00Z", "", "2026-11-16T14:30:00Z", "")
	add(11, model.Basic, emea, 3, "2026-11-17T20:00:00Z", "", "", "2026-11-19T10:00:00Z")
	add(12, model.Basic, na, 3, "2026-11-16T07:00:00-05:00", "", "", "2026-11-16T08:00:00-05:00")
	add(13, model.Premium, na, 1, "2026-11-19T09:00:00-05:00", "", "", "")
	add(14, model.Plus, na, 2, "2026-11-13T10:00:00-05:00", "", "2026-11-13T11:00:00-05:00", "")
	add(15, model.Premium, emea, 2, "2026-11-20T23:30:00Z", "", "2026-11-21T01:00:00Z", "")

	esc := func(n int64, status, requested, followed, decided, ended string) {
		e := model.Escalation{Case: n, Seq: len(d.Escalations[n]) + 1, Status: status, RequestedAt: at(t, requested),
			RequestedBy: "contact:Ana", Channel: model.ChannelPhone}
		for _, x := range []struct {
			s string
			p *time.Time
		}{{followed, &e.FollowedUpAt}, {decided, &e.DecidedAt}, {ended, &e.EndedAt}} {
			if x.s != "" {
				*x.p = at(t, x.s)
			}
		}
		d.Escalations[n] = append(d.Escalations[n], e)
	}
	esc(3, model.EscAccepted, "2026-11-18T09:00:00-05:00", "2026-11-18T09:40:00-05:00", "2026-11-18T09:40:00-05:00", "")
	esc(5, model.EscDeclined, "2026-11-20T02:00:00-05:00", "", "2026-11-20T03:30:00-05:00", "2026-11-20T03:30:00-05:00")
	esc(9, model.EscClosed, "2026-11-19T16:30:00-05:00", "2026-11-20T08:15:00-05:00", "2026-11-20T08:20:00-05:00", "2026-11-20T12:00:00-05:00")
	esc(1, model.EscRequested, "2026-11-20T18:00:00-05:00", "", "", "")
	esc(14, model.EscClosed, "2026-11-12T10:00:00-05:00", "2026-11-12T10:10:00-05:00", "2026-11-12T10:10:00-05:00", "2026-11-12T15:00:00-05:00")
	return d
}

var handNow = "2026-11-21T01:00:00Z" // Fri 20 Nov 20:00 ET

func handReport(t *testing.T, f model.SLAFilter) *model.SLAReportData {
	t.Helper()
	return model.SLAReport(handDesk(t), model.DefaultPolicy(), date(t, "2026-11-16"), date(t, "2026-11-20"), f, at(t, handNow))
}

func checkAttainment(t *testing.T, what string, a model.Attainment, due, met int, pct float64) {
	t.Helper()
	got, ok := a.Percent()
	if a.Due != due || a.Met != met || a.Breached != due-met || !ok || got != pct {
		t.Errorf("%s: got due %d met %d breached %d %.1f%% (ok %v), want due %d met %d breached %d %.1f%%",
			what, a.Due, a.Met, a.Breached, got, ok, due, met, due-met, pct)
	}
}

func TestSLAReportByHand(t *testing.T) {
	r := handReport(t, model.SLAFilter{})
	checkAttainment(t, "all", r.All, 10, 6, 60.0)
	sev := []struct {
		due, met int
		pct      float64
	}{{2, 1, 50.0}, {5, 4, 80.0}, {2, 0, 0.0}, {1, 1, 100.0}}
	for i, w := range sev {
		checkAttainment(t, "severity "+r.BySeverity[i].Key, r.BySeverity[i], w.due, w.met, w.pct)
	}
	checkAttainment(t, "basic", r.ByPlan[0], 3, 2, 66.7)
	checkAttainment(t, "plus", r.ByPlan[1], 4, 1, 25.0)
	checkAttainment(t, "premium", r.ByPlan[2], 3, 3, 100.0)
	if r.ByRegion[0].Key != "emea" || r.ByRegion[1].Key != "na" {
		t.Fatalf("regions %q %q", r.ByRegion[0].Key, r.ByRegion[1].Key)
	}
	checkAttainment(t, "emea", r.ByRegion[0], 3, 2, 66.7)
	checkAttainment(t, "na", r.ByRegion[1], 7, 4, 57.1)

	if w := (model.Percentiles{N: 8, Median: 120, P90: 1380}); r.Working != w {
		t.Errorf("working %+v, want %+v", r.Working, w)
	}
	if w := (model.Percentiles{N: 8, Median: 150, P90: 1920}); r.Wall != w {
		t.Errorf("wall %+v, want %+v", r.Wall, w)
	}

	var counted, breached []int64
	for _, x := range r.Responses {
		counted = append(counted, x.Case)
	}
	late := map[int64]int{}
	for _, x := range r.Breaches {
		breached = append(breached, x.Case)
		late[x.Case] = x.LateMinutes
	}
	if got, want := fmtNums(counted), "1 2 3 4 5 6 9 10 11 15"; got != want {
		t.Errorf("counted %s, want %s", got, want)
	}
	if got, want := fmtNums(breached), "3 5 9 11"; got != want {
		t.Errorf("breached %s, want %s", got, want)
	}
	for n, w := range map[int64]int{3: 570, 5: 1200, 9: 60, 11: 1020} {
		if late[n] != w {
			t.Errorf("case %d late %d min, want %d", n, late[n], w)
		}
	}

	e := r.Escalations
	want := model.EscalationStats{Opened: 4, Accepted: 2, Declined: 1, Closed: 1, Deescalated: 0, Open: 2,
		FollowupMet: 2, FollowupBreached: 1,
		FollowupWall:    model.Percentiles{N: 3, Median: 90, P90: 945},
		FollowupWorking: model.Percentiles{N: 3, Median: 45, P90: 90}}
	if e != want {
		t.Errorf("escalations\n got %+v\nwant %+v", e, want)
	}
}

func fmtNums(ns []int64) string {
	var b strings.Builder
	for i, n := range ns {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(n, 10))
	}
	return b.String()
}

func TestSLAReportFilters(t *testing.T) {
	// EMEA only: cases 10 (met), 11 and 15 as above; no escalations.
	r := handReport(t, model.SLAFilter{Region: model.EMEA})
	checkAttainment(t, "emea all", r.All, 3, 2, 66.7)
	if r.Escalations.Opened != 0 {
		t.Errorf("emea escalations %d, want 0", r.Escalations.Opened)
	}
	// Account acme is every NA case: 7 due, 4 met.
	r = handReport(t, model.SLAFilter{Account: "acme"})
	checkAttainment(t, "acme all", r.All, 7, 4, 57.1)
	// A TAM who sees no account sees nothing.
	r = handReport(t, model.SLAFilter{Visible: func(string) bool { return false }})
	if !r.Empty() || r.Escalations.Opened != 0 {
		t.Errorf("invisible accounts counted: %+v", r.All)
	}
}

// A response exactly at its due instant is met (case 2 above: due and
// answered Tue 17 Nov 07:00 ET); one second later is breached, by a
// minute (lateness rounds up).
func TestSLAResponseAtDueIsMet(t *testing.T) {
	d := handDesk(t)
	p := model.DefaultPolicy()
	day := date(t, "2026-11-17")
	// That day: case 2 (met at due) and case 3 (due Tue 21:00, breached).
	r := model.SLAReport(d, p, day, day, model.SLAFilter{}, at(t, handNow))
	if r.All.Due != 2 || r.All.Met != 1 || r.Responses[0].Case != 2 || !r.Responses[0].Met ||
		!r.Responses[0].RespondedAt.Equal(r.Responses[0].Due) {
		t.Fatalf("at due: %+v %+v", r.All, r.Responses)
	}
	d.Cases[2].RespondedAt = at(t, "2026-11-17T07:00:01-05:00")
	r = model.SLAReport(d, p, day, day, model.SLAFilter{}, at(t, handNow))
	if r.All.Breached != 2 || r.Breaches[0].Case != 2 || r.Breaches[0].LateMinutes != 1 {
		t.Fatalf("a second late: %+v %+v", r.All, r.Breaches)
	}
}

// A case whose severity changed counts under its final severity, with its
// due recomputed from its original timestamps: case 9, logged Wed 09:00
// and answered 14:00, was met as severity 3 (due 21:00) and is breached as
// severity 2 (due 13:00).
func TestSLASeverityChangeCountsUnderFinalSeverity(t *testing.T) {
	d := handDesk(t)
	p := model.DefaultPolicy()
	day := date(t, "2026-11-18")
	find := func(r *model.SLAReportData) model.SLAResponse {
		for _, x := range r.Responses {
			if x.Case == 9 {
				return x
			}
		}
		t.Fatal("case 9 not counted")
		return model.SLAResponse{}
	}
	d.Cases[9].Severity = 3
	x := find(model.SLAReport(d, p, day, day, model.SLAFilter{}, at(t, handNow)))
	if !x.Met || x.Severity != 3 || !x.Due.Equal(at(t, "2026-11-18T21:00:00-05:00")) {
		t.Fatalf("as severity 3: %+v", x)
	}
	d.Cases[9].Severity = 2 // changed with the customer's agreement
	r := model.SLAReport(d, p, day, day, model.SLAFilter{}, at(t, handNow))
	x = find(r)
	if x.Met || x.Severity != 2 || !x.Due.Equal(at(t, "2026-11-18T13:00:00-05:00")) || x.LateMinutes != 60 {
		t.Fatalf("as severity 2: %+v", x)
	}
	// That day: case 4 (severity 1, met), case 9, and case 11 (EMEA
	// severity 3, due Wed 17:00Z); case 9 no longer among severity 3.
	if r.BySeverity[1].Due != 1 || r.BySeverity[1].Breached != 1 || r.BySeverity[2].Due != 1 {
		t.Errorf("by severity: %+v", r.BySeverity)
	}
}

func TestSLAEmptyRangeSaysSo(t *testing.T) {
	r := model.SLAReport(handDesk(t), model.DefaultPolicy(), date(t, "2026-10-01"), date(t, "2026-10-31"),
		model.SLAFilter{}, at(t, handNow))
	if !r.Empty() {
		t.Fatalf("not empty: %+v", r.All)
	}
	const msg = "no initial responses were due from 2026-10-01 to 2026-10-31"
	var md, js bytes.Buffer
	if err := r.RenderMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := r.RenderJSON(&js); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(md.String()), msg) {
		t.Errorf("markdown does not say %q:\n%s", msg, md.String())
	}
	if strings.Contains(md.String(), "0.0%") || strings.Contains(md.String(), "| **All**") {
		t.Errorf("markdown prints zeros as if meaningful:\n%s", md.String())
	}
	if !strings.Contains(js.String(), `"message": "`+msg+`"`) || !strings.Contains(js.String(), `"attainment_percent": null`) {
		t.Errorf("json does not say so:\n%s", js.String())
	}
}

func TestSLAMarkdownAndCSVMakeTextSafe(t *testing.T) {
	d := handDesk(t)
	for _, n := range []int64{3, 5} {
		d.Cases[n].Account = "=HYPERLINK(\"http://x\")|evil\x1b[31m"
	}
	r := model.SLAReport(d, model.DefaultPolicy(), date(t, "2026-11-16"), date(t, "2026-11-20"), model.SLAFilter{}, at(t, handNow))
	var md, cv bytes.Buffer
	if err := r.RenderMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := r.RenderCSV(&cv); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "\x1b") || !strings.Contains(md.String(), `\|evil^[[31m`) {
		t.Errorf("markdown not made safe:\n%s", md.String())
	}
	if strings.Contains(cv.String(), "\x1b") || strings.Contains(cv.String(), ",=HYPERLINK") ||
		!strings.Contains(cv.String(), `,"'=HYPERLINK(""http://x"")|evil^[[31m",`) {
		t.Errorf("csv not made safe:\n%s", cv.String())
	}
}

func TestPercentilesByNearestRank(t *testing.T) {
	// One sample: both are it. Ten samples 1..10: median rank 5 -> 5,
	// p90 rank 9 -> 9. Eleven: median rank 6, p90 rank ceil(9.9) = 10.
	d := model.NewDesk()
	p := model.DefaultPolicy()
	base := at(t, "2026-11-16T10:00:00-05:00") // Mon, NA basic sev 4: due Tue 19:00... all met
	for i := 1; i <= 11; i++ {
		d.Cases[int64(i)] = &model.Case{Number: int64(i), Account: "a", Severity: 4, Plan: model.Basic, Region: model.NA,
			Status: model.StatusInProgress, OpenedAt: base, RespondedAt: base.Add(time.Duration(i) * time.Minute)}
	}
	r := model.SLAReport(d, p, date(t, "2026-11-17"), date(t, "2026-11-17"), model.SLAFilter{}, at(t, handNow))
	if w := (model.Percentiles{N: 11, Median: 6, P90: 10}); r.Wall != w || r.Working != w {
		t.Errorf("11 samples: wall %+v working %+v, want %+v", r.Wall, r.Working, w)
	}
	delete(d.Cases, 11)
	r = model.SLAReport(d, p, date(t, "2026-11-17"), date(t, "2026-11-17"), model.SLAFilter{}, at(t, handNow))
	if w := (model.Percentiles{N: 10, Median: 5, P90: 9}); r.Wall != w {
		t.Errorf("10 samples: %+v, want %+v", r.Wall, w)
	}
}

// A report seen at an earlier now does not know what happened after it:
// case 3 (due Tue 17 Nov 21:00 ET, answered Wed 06:30) seen at Wed 06:00
// is an unanswered breach, 9 hours late; seen at Tue 20:00 it is not yet
// due and not counted.
func TestSLAFactsAfterNowAreNotKnown(t *testing.T) {
	d := handDesk(t)
	p := model.DefaultPolicy()
	day := date(t, "2026-11-17")
	r := model.SLAReport(d, p, day, day, model.SLAFilter{Account: "acme"}, at(t, "2026-11-18T06:00:00-05:00"))
	if len(r.Breaches) != 1 || r.Breaches[0].Case != 3 || r.Breaches[0].Responded() || r.Breaches[0].LateMinutes != 540 {
		t.Errorf("at Wed 06:00: %+v", r.Breaches)
	}
	r = model.SLAReport(d, p, day, day, model.SLAFilter{Account: "acme"}, at(t, "2026-11-17T20:00:00-05:00"))
	if r.All.Due != 1 || r.Responses[0].Case != 2 {
		t.Errorf("at Tue 20:00: %+v %+v", r.All, r.Responses)
	}
}
