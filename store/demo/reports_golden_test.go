package demo_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"caseboard/model"
	"caseboard/store/demo"

	xgolden "github.com/charmbracelet/x/exp/golden"
)

// goldenNow is the demo desk's present: Wed 25 Nov 2026 10:30 ET.
var goldenNow = time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)

// golden compares got with testdata/TestName/name (x/exp/golden; -update
// rewrites it), one subtest per file so that each file is named for its
// test.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	t.Run(strings.TrimSuffix(name, ".golden"), func(t *testing.T) {
		xgolden.RequireEqual(t, got)
	})
}

func render(t *testing.T, f func(io.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReportsGolden renders every report of the demo desk (seed 1) at a
// fixed now (here beside the demo desk: model's own tests import no
// store package).
func TestReportsGolden(t *testing.T) {
	p := model.DefaultPolicy()
	res, err := demo.Build(p, demo.Options{Seed: 1, Now: goldenNow})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Desk
	from, to := date(t, "2026-11-01"), date(t, "2026-11-25")
	sla := model.SLAReport(d, p, from, to, model.SLAFilter{}, goldenNow)
	if sla.Empty() {
		t.Fatal("the demo desk had no response due in November")
	}
	golden(t, "sla.md.golden", render(t, sla.RenderMarkdown))
	golden(t, "sla.csv.golden", render(t, sla.RenderCSV))
	golden(t, "sla.json.golden", render(t, sla.RenderJSON))
	emea := model.SLAReport(d, p, from, to, model.SLAFilter{Region: model.EMEA, Account: "umbrella"}, goldenNow)
	golden(t, "sla-emea-umbrella.md.golden", render(t, emea.RenderMarkdown))

	w47, _ := model.ParseWeek("2026-W47") // the last whole week before now
	wk, err := model.WeeklyReport(d, p, "acme", w47, goldenNow)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "weekly-acme.md.golden", render(t, wk.RenderMarkdown))
	golden(t, "weekly-acme.csv.golden", render(t, wk.RenderCSV))
	// The week of now agrees with the time bank the board shows.
	cur, _ := model.WeeklyReport(d, p, "acme", model.WeekOf(model.DateOf(goldenNow, p.TAMZone)), goldenNow)
	var entries []model.TimeEntry
	for _, e := range d.TimeEntries {
		entries = append(entries, *e)
	}
	bank := model.BankSummary(*d.Accounts["acme"], entries, p, goldenNow)
	if cur.MonthToDate != bank.Used || cur.Remaining != bank.Remaining || cur.Bank != bank.Bank {
		t.Errorf("weekly %d used %d remaining of %d; BankSummary %d used %d remaining of %d",
			cur.MonthToDate, cur.Remaining, cur.Bank, bank.Used, bank.Remaining, bank.Bank)
	}
	hr, err := model.HoursReport(d, p, "acme", date(t, "2026-10-01"), to, goldenNow)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "hours-acme.md.golden", render(t, hr.RenderMarkdown))
	golden(t, "hours-acme.csv.golden", render(t, hr.RenderCSV))
}

func date(t testing.TB, s string) model.Date {
	t.Helper()
	d, err := model.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
