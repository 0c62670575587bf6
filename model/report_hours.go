package model

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"
)

// HoursReportData is a TAM's time on one account over a range of days:
// the weekly update (one ISO week) or the detailed hours report (any
// range). Voided entries are listed, marked voided, and never counted.
type HoursReportData struct {
	Account Account
	// Plan is the account's TAM plan as it is now; HasPlan is false for an
	// account without one (no bank).
	Plan    TAMPlanSpec
	HasPlan bool
	From    Date
	To      Date
	// Weekly is set for the weekly update; Week is then the ISO week.
	Weekly bool
	Week   Week
	Now    time.Time
	// Entries holds every entry of the range, voided ones included, by
	// date then id.
	Entries []TimeEntry
	// ByCategory holds the counted minutes of each category of the range,
	// in categories order; Total is their sum.
	ByCategory []CategoryTotal
	Total      int
	// Weekly only: the month the week ends in, its counted minutes up to
	// the week's last day, the bank and what remains of it.
	Month       Month
	MonthToDate int
	Bank        int
	Remaining   int

	policy *Policy
}

// voided reports whether an entry is voided as seen at now.
func voidedAt(e *TimeEntry, now time.Time) bool {
	return !e.VoidedAt.IsZero() && !e.VoidedAt.After(now)
}

// Voided reports whether the report shows e as voided (not counted).
func (r *HoursReportData) Voided(e *TimeEntry) bool { return voidedAt(e, r.Now) }

// HoursReport lists an account's time entries dated from..to (both
// included) with the counted totals by category. An unknown account is
// an error.
func HoursReport(d *Desk, p *Policy, account string, from, to Date, now time.Time) (*HoursReportData, error) {
	a, ok := d.Accounts[account]
	if !ok {
		return nil, fmt.Errorf("no account %q", account)
	}
	r := &HoursReportData{Account: *a, From: from, To: to, Now: now, policy: p}
	r.Plan, r.HasPlan = p.TAMPlans[a.TAMPlan]
	byCat := map[string]int{}
	for _, e := range d.TimeEntries {
		if e.Account != account || !e.Date.within(from, to) {
			continue
		}
		r.Entries = append(r.Entries, *e)
		if !voidedAt(e, now) {
			byCat[e.Category] += e.Minutes
			r.Total += e.Minutes
		}
	}
	sort.Slice(r.Entries, func(i, j int) bool {
		x, y := r.Entries[i], r.Entries[j]
		if x.Date != y.Date {
			return x.Date.Before(y.Date)
		}
		return x.ID < y.ID
	})
	for _, c := range categories {
		r.ByCategory = append(r.ByCategory, CategoryTotal{Category: c, Minutes: byCat[c]})
	}
	return r, nil
}

// WeeklyReport is the weekly update of an account for ISO week w (days in
// the policy's home zone): the week's entries, totals by category, and the
// time bank of the month the week ends in, used up to the week's Sunday
// and remaining.
func WeeklyReport(d *Desk, p *Policy, account string, w Week, now time.Time) (*HoursReportData, error) {
	r, err := HoursReport(d, p, account, w.Monday(), w.Sunday(), now)
	if err != nil {
		return nil, err
	}
	r.Weekly, r.Week = true, w
	r.Month = w.Sunday().MonthOf()
	for _, e := range d.TimeEntries {
		if e.Account == account && e.Date.MonthOf() == r.Month && !w.Sunday().Before(e.Date) && !voidedAt(e, now) {
			r.MonthToDate += e.Minutes
		}
	}
	if r.HasPlan {
		r.Bank = r.Plan.BankMinutes()
	}
	r.Remaining = r.Bank - r.MonthToDate
	return r, nil
}

// RenderMarkdown writes the report as Markdown.
func (r *HoursReportData) RenderMarkdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	name := MarkdownCell(r.Account.Name)
	if name == "" {
		name = MarkdownCell(r.Account.ID)
	}
	plan := "no TAM plan"
	if r.HasPlan {
		plan = fmt.Sprintf("%s (%s a month)", MarkdownCell(r.Plan.Name), HoursMinutes(r.Plan.BankMinutes()))
	}
	tam := "none"
	if r.Account.TAM != "" {
		tam = MarkdownCell(r.Account.TAM)
	}
	if r.Weekly {
		fmt.Fprintf(b, "# Weekly update: %s, %s\n\n", name, r.Week)
	} else {
		fmt.Fprintf(b, "# Hours report: %s, %s to %s\n\n", name, r.From, r.To)
	}
	fmt.Fprintf(b, "Account %s, TAM %s, %s. From %s to %s (%s).\n\n", MarkdownCell(r.Account.ID), tam, plan,
		r.From.longDate(), r.To.longDate(), homeLabel(r.policy))

	var counted, voided []TimeEntry
	for i := range r.Entries {
		if r.Voided(&r.Entries[i]) {
			voided = append(voided, r.Entries[i])
		} else {
			counted = append(counted, r.Entries[i])
		}
	}
	fmt.Fprintf(b, "## Entries\n\n")
	if len(counted) == 0 {
		fmt.Fprintf(b, "No time was logged from %s to %s.\n\n", r.From, r.To)
	} else {
		fmt.Fprintf(b, "| Date | TAM | Category | Mode | Case | Project | Time | Note |\n|---|---|---|---|---|---|---:|---|\n")
		for _, e := range counted {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", e.Date, MarkdownCell(e.TAM),
				MarkdownCell(e.Category), MarkdownCell(e.Mode), caseCell(e.Case), MarkdownCell(e.Project),
				HoursMinutes(e.Minutes), MarkdownCell(e.Note))
		}
		b.WriteString("\n## Totals by category\n\n| Category | Time |\n|---|---:|\n")
		for _, c := range r.ByCategory {
			if c.Minutes > 0 {
				fmt.Fprintf(b, "| %s | %s |\n", MarkdownCell(c.Category), HoursMinutes(c.Minutes))
			}
		}
		fmt.Fprintf(b, "| **Total** | **%s** |\n\n", HoursMinutes(r.Total))
	}
	if r.Weekly {
		r.markdownBank(b)
	}
	if len(voided) > 0 {
		fmt.Fprintf(b, "## Voided entries (not counted)\n\n| Date | TAM | Category | Time | Voided | Reason | Note |\n|---|---|---|---:|---|---|---|\n")
		for _, e := range voided {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", e.Date, MarkdownCell(e.TAM), MarkdownCell(e.Category),
				HoursMinutes(e.Minutes), DateOf(e.VoidedAt, r.policy.HomeZone()), MarkdownCell(e.VoidReason),
				MarkdownCell(e.Note))
		}
		b.WriteString("\n")
	}
	return b.Flush()
}

func (r *HoursReportData) markdownBank(b *bufio.Writer) {
	month := r.Month.Start(time.UTC).Format("January 2006")
	fmt.Fprintf(b, "## Time bank, %s\n\n", month)
	if !r.HasPlan {
		fmt.Fprintf(b, "The account has no TAM plan: no bank.\n\n")
		return
	}
	fmt.Fprintf(b, "| Bank | Used to %s | Remaining |\n|---:|---:|---:|\n", r.To.longDate())
	fmt.Fprintf(b, "| %s | %s | %s |\n\n", HoursMinutes(r.Bank), HoursMinutes(r.MonthToDate), HoursMinutes(r.Remaining))
	fmt.Fprintf(b, "Month to date is the month the week ends in; the bank refills on the 1st and nothing carries over.\n\n")
}

func caseCell(n int64) string {
	if n == 0 {
		return ""
	}
	return CaseNumber(n)
}

// TimeEntryCSVHeader is the header of time-entry CSV: the interchange
// field names of a time entry.
func TimeEntryCSVHeader() []string { return append([]string(nil), timeEntryCSVHeader...) }

var timeEntryCSVHeader = []string{"id", "account", "tam", "date", "minutes", "category", "mode", "case",
	"project", "note", "voided_at", "void_reason"}

// RenderCSV writes one row per entry of the range (RFC 4180), voided ones
// included with voided_at and void_reason set (they do not count). Text
// cells are made inert and safe from formula injection: this CSV is for
// people and spreadsheets, not for import.
func (r *HoursReportData) RenderCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(timeEntryCSVHeader); err != nil {
		return err
	}
	text := func(s string) string { return CSVText(InertText(s)) }
	for i := range r.Entries {
		e := &r.Entries[i]
		rec := []string{strconv.FormatInt(e.ID, 10), text(e.Account), text(e.TAM), e.Date.String(),
			strconv.Itoa(e.Minutes), text(e.Category), text(e.Mode), "", text(e.Project), text(e.Note), "", ""}
		if e.Case != 0 {
			rec[7] = strconv.FormatInt(e.Case, 10)
		}
		if r.Voided(e) {
			rec[10] = FormatInstant(e.VoidedAt, r.policy.HomeZone())
			rec[11] = text(e.VoidReason)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
