package model_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"caseboard/model"
)

func TestParseWeek(t *testing.T) {
	for _, c := range []struct{ in, mon, sun string }{
		{"2026-W49", "2026-11-30", "2026-12-06"},
		{"2026-W01", "2025-12-29", "2026-01-04"},
		{"2026-W53", "2026-12-28", "2027-01-03"}, // 2026 has 53 weeks (it starts on a Thursday)
		{"2027-W01", "2027-01-04", "2027-01-10"},
	} {
		w, err := model.ParseWeek(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if w.String() != c.in || w.Monday().String() != c.mon || w.Sunday().String() != c.sun {
			t.Errorf("%s: %s, %s to %s; want %s to %s", c.in, w, w.Monday(), w.Sunday(), c.mon, c.sun)
		}
		if model.WeekOf(w.Sunday()) != w || model.WeekOf(w.Monday()) != w {
			t.Errorf("%s: WeekOf does not round-trip", c.in)
		}
	}
	for _, bad := range []string{"2027-W53", "2026-W00", "2026W49", "2026-w49", "2026-W4", "2026-W499", "abcd-W01", "2026-W+1"} {
		if _, err := model.ParseWeek(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// hoursDesk has acme (TAM 20, tina) with entries around the turn of
// November 2026: ISO week 2026-W49 runs Mon 30 Nov to Sun 6 Dec.
func hoursDesk(t testing.TB) *model.Desk {
	d := model.NewDesk()
	d.Accounts["acme"] = &model.Account{ID: "acme", Name: "Acme | Corp", Plan: model.Premium, Region: model.NA,
		TAMPlan: "tam20", TAM: "tina"}
	d.Accounts["globex"] = &model.Account{ID: "globex", Name: "Globex", Plan: model.Basic, Region: model.NA,
		TAMPlan: model.TAMNone}
	add := func(id int64, account, day string, minutes int, cat, note string) *model.TimeEntry {
		e := &model.TimeEntry{ID: id, Account: account, TAM: "tina", Date: date(t, day), Minutes: minutes,
			Category: cat, Mode: model.ModeConsultative, Note: note}
		d.TimeEntries[id] = e
		return e
	}
	add(1, "acme", "2026-11-02", 120, "cadence-call", "November kickoff")
	add(2, "acme", "2026-11-29", 60, "metrics-reporting", "Sunday before the week")
	add(3, "acme", "2026-11-30", 90, "cadence-call", "=HYPERLINK(\"http://evil.example\",\"click\")")
	add(4, "acme", "2026-12-01", 45, "escalation-management", "case 42 | follow-up\x1b]0;pwned\x07 done")
	e := add(5, "acme", "2026-12-03", 30, "connectivity", "@SUM(1+1)")
	e.Case = 42
	v := add(6, "acme", "2026-12-04", 240, "data-validation", "logged on the wrong account")
	v.VoidedAt, v.VoidReason = at(t, "2026-12-04T15:00:00-05:00"), "-wrong account"
	add(7, "acme", "2026-12-07", 15, "cadence-call", "next week")
	add(8, "globex", "2026-12-02", 30, "cadence-call", "not acme")
	return d
}

var hoursNow = "2026-12-07T12:00:00-05:00" // Mon 7 Dec

// Week 2026-W49 crosses from November into December: its entries are 3
// (Mon 30 Nov), 4, 5 and the voided 6; its month to date is December's,
// up to Sun 6 Dec: 45 + 30 = 75 min (entry 3 is November's, 6 is voided,
// 7 is after the week). Remaining of TAM 20: 1200 - 75 = 1125 min.
func TestWeeklyReportCrossingAMonth(t *testing.T) {
	w, _ := model.ParseWeek("2026-W49")
	r, err := model.WeeklyReport(hoursDesk(t), model.DefaultPolicy(), "acme", w, at(t, hoursNow))
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, e := range r.Entries {
		ids = append(ids, e.ID)
	}
	if got := fmtNums(ids); got != "3 4 5 6" {
		t.Errorf("entries %s, want 3 4 5 6", got)
	}
	if r.Month.String() != "2026-12" || r.MonthToDate != 75 || r.Bank != 1200 || r.Remaining != 1125 {
		t.Errorf("month %s mtd %d bank %d remaining %d; want 2026-12 75 1200 1125", r.Month, r.MonthToDate, r.Bank, r.Remaining)
	}
	// The week's counted total: 90 + 45 + 30 = 165 (the voided 240 is not).
	if r.Total != 165 {
		t.Errorf("total %d, want 165", r.Total)
	}
	cats := map[string]int{}
	for _, c := range r.ByCategory {
		cats[c.Category] = c.Minutes
	}
	if cats["cadence-call"] != 90 || cats["escalation-management"] != 45 || cats["connectivity"] != 30 || cats["data-validation"] != 0 {
		t.Errorf("by category %v", cats)
	}
	var md bytes.Buffer
	if err := r.RenderMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	for _, want := range []string{
		"# Weekly update: Acme \\| Corp, 2026-W49",
		"## Time bank, December 2026",
		"| 20h00m | 1h15m | 18h45m |",
		"| **Total** | **2h45m** |",
		"## Voided entries (not counted)",
		"| 2026-12-04 | tina | data-validation | 4h00m | 2026-12-04 | -wrong account | logged on the wrong account |",
		`case 42 \| follow-up^[]0;pwned^G done`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("terminal escapes reach the markdown:\n%q", out)
	}
}

func TestHoursReportCSV(t *testing.T) {
	r, err := model.HoursReport(hoursDesk(t), model.DefaultPolicy(), "acme", date(t, "2026-11-01"), date(t, "2026-11-30"), at(t, hoursNow))
	if err != nil {
		t.Fatal(err)
	}
	// November: entries 1, 2, 3 = 120 + 60 + 90.
	if r.Total != 270 || len(r.Entries) != 3 {
		t.Errorf("total %d over %d entries, want 270 over 3", r.Total, len(r.Entries))
	}
	w, _ := model.ParseWeek("2026-W49")
	wk, _ := model.WeeklyReport(hoursDesk(t), model.DefaultPolicy(), "acme", w, at(t, hoursNow))
	var buf bytes.Buffer
	if err := wk.RenderCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(buf.String(), "\x1b\x07") {
		t.Errorf("terminal escapes reach the CSV: %q", buf.String())
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("not RFC 4180: %v", err)
	}
	if got := strings.Join(rows[0], ","); got != "id,account,tam,date,minutes,category,mode,case,project,note,voided_at,void_reason" {
		t.Errorf("header %s", got)
	}
	want := [][]string{
		{"3", "acme", "tina", "2026-11-30", "90", "cadence-call", "consultative", "", "", `'=HYPERLINK("http://evil.example","click")`, "", ""},
		{"4", "acme", "tina", "2026-12-01", "45", "escalation-management", "consultative", "", "", "case 42 | follow-up^[]0;pwned^G done", "", ""},
		{"5", "acme", "tina", "2026-12-03", "30", "connectivity", "consultative", "42", "", "'@SUM(1+1)", "", ""},
		{"6", "acme", "tina", "2026-12-04", "240", "data-validation", "consultative", "", "", "logged on the wrong account", "2026-12-04T15:00:00-05:00", "'-wrong account"},
	}
	if len(rows) != len(want)+1 {
		t.Fatalf("%d rows, want %d", len(rows)-1, len(want))
	}
	for i, w := range want {
		if got := strings.Join(rows[i+1], "\x00"); got != strings.Join(w, "\x00") {
			t.Errorf("row %d\n got %q\nwant %q", i+1, rows[i+1], w)
		}
	}
}

func TestHoursReportEdges(t *testing.T) {
	p := model.DefaultPolicy()
	if _, err := model.HoursReport(hoursDesk(t), p, "nobody", date(t, "2026-11-01"), date(t, "2026-11-30"), at(t, hoursNow)); err == nil {
		t.Error("unknown account accepted")
	}
	// A void recorded after now is not known yet: entry 6 still counts.
	r, _ := model.HoursReport(hoursDesk(t), p, "acme", date(t, "2026-12-04"), date(t, "2026-12-04"), at(t, "2026-12-04T12:00:00-05:00"))
	if r.Total != 240 {
		t.Errorf("void in the future: total %d, want 240", r.Total)
	}
	// An account without a TAM plan has no bank, and an empty week says so.
	w, _ := model.ParseWeek("2026-W48")
	r, _ = model.WeeklyReport(hoursDesk(t), p, "globex", w, at(t, hoursNow))
	var md bytes.Buffer
	_ = r.RenderMarkdown(&md)
	for _, want := range []string{"no TAM plan", "No time was logged from 2026-11-23 to 2026-11-29."} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("lacks %q:\n%s", want, md.String())
		}
	}
}
