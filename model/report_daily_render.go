package model

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// clockCell is the running clock of a daily row for people: "initial-
// response, 1h20m left", "breached by 2h", "paused until Mon 23 Nov 09:00
// ET", or "call required" / "none".
func (r *DailyReportData) clockCell(c *DailyCase) string {
	it := &c.Item
	switch {
	case it.CallRequired:
		return "call required (waiting for the customer's call)"
	case !it.HasClock:
		return "none"
	}
	name := string(it.Urgent.Kind)
	if it.Urgent.Label != "" {
		name = it.Urgent.Label
	}
	st := c.Status
	switch {
	case st.State == StateBreached:
		return fmt.Sprintf("%s, breached by %s", name, Span(-st.Remaining))
	case st.Paused:
		return fmt.Sprintf("%s, paused until %s (%s left)", name, r.when(st.ResumesAt), Span(st.WorkingLeft))
	}
	return fmt.Sprintf("%s, %s left", name, Span(st.Remaining))
}

// dueCell is the due instant of a row ("" without one).
func (r *DailyReportData) dueCell(c *DailyCase) string {
	if !c.Item.HasClock || c.Item.CallRequired {
		return ""
	}
	return r.when(c.Item.Urgent.Due)
}

func (r *DailyReportData) when(t time.Time) string {
	return WhenFrom(t, r.AsOf, r.policy.HomeZone(), homeLabel(r.policy))
}

// escalationCell is "Identification (requested)" or "".
func escalationCell(c *DailyCase) string {
	if !c.Item.Escalated {
		return ""
	}
	return c.Step + " (" + c.Item.Esc.Status + ")"
}

// RenderMarkdown writes the daily report as Markdown, every text inert
// and '|' escaped.
func (r *DailyReportData) RenderMarkdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	name := MarkdownCell(r.Account.Name)
	if name == "" {
		name = MarkdownCell(r.Account.ID)
	}
	fmt.Fprintf(b, "# Daily report: %s, %s\n\n", name, r.Date.longDate())
	tam := "none"
	if r.Account.TAM != "" {
		tam = MarkdownCell(r.Account.TAM)
	}
	fmt.Fprintf(b, "Account %s, TAM %s. Open cases as of %s; changes since the end of %s (%s).\n\n",
		MarkdownCell(r.Account.ID), tam, r.when(r.AsOf), r.Previous.longDate(), homeLabel(r.policy))
	if len(r.Cases) == 0 {
		fmt.Fprintf(b, "No case was open.\n")
		return b.Flush()
	}
	b.WriteString("| Case | Sev | Status | Owner | Clock | Due | Escalation | Title |\n|---|---:|---|---|---|---|---|---|\n")
	for i := range r.Cases {
		c := &r.Cases[i]
		fmt.Fprintf(b, "| %s | %d | %s | %s | %s | %s | %s | %s |\n", CaseNumber(c.Case.Number), c.Case.Severity,
			c.Case.Status, MarkdownCell(OrDash(c.Case.Owner, "unassigned")), MarkdownCell(r.clockCell(c)),
			r.dueCell(c), MarkdownCell(escalationCell(c)), MarkdownCell(c.Case.Title))
	}
	fmt.Fprintf(b, "\n## Changes since %s\n\n", r.Previous.longDate())
	for i := range r.Cases {
		c := &r.Cases[i]
		fmt.Fprintf(b, "- %s %s:", CaseNumber(c.Case.Number), MarkdownCell(c.Case.Title))
		if len(c.Changes) == 0 {
			b.WriteString(" no change\n")
			continue
		}
		b.WriteString("\n")
		for _, ch := range c.Changes {
			fmt.Fprintf(b, "  - %s: %s\n", r.when(ch.At), MarkdownCell(ch.Text))
		}
	}
	return b.Flush()
}

var dailyCSVHeader = []string{"number", "severity", "status", "owner", "title", "clock", "due",
	"remaining_seconds", "breached", "paused", "resumes_at", "call_required", "escalation", "escalation_step",
	"changes"}

// RenderCSV writes one row per open case (RFC 4180); changes are joined
// with "; ". Text cells are inert and guarded against formulas.
func (r *DailyReportData) RenderCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(dailyCSVHeader); err != nil {
		return err
	}
	text := func(s string) string { return CSVText(InertText(s)) }
	zone := r.policy.HomeZone()
	for i := range r.Cases {
		c := &r.Cases[i]
		j := r.jsonCase(c)
		rec := []string{strconv.FormatInt(c.Case.Number, 10), strconv.Itoa(c.Case.Severity), string(c.Case.Status),
			text(c.Case.Owner), text(c.Case.Title), "", "", "", strconv.FormatBool(j.Breached), strconv.FormatBool(j.Paused),
			"", strconv.FormatBool(j.CallRequired), "", text(c.Step), ""}
		if j.Clock != nil {
			rec[5] = *j.Clock
		}
		if j.Due != nil {
			rec[6] = *j.Due
			rec[7] = strconv.FormatInt(*j.RemainingSeconds, 10)
		}
		if j.ResumesAt != nil {
			rec[10] = *j.ResumesAt
		}
		if j.Escalation != nil {
			rec[12] = *j.Escalation
		}
		var chs []string
		for _, ch := range c.Changes {
			chs = append(chs, FormatInstant(ch.At, zone)+" "+ch.Text)
		}
		rec[14] = text(strings.Join(chs, "; "))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// dailyJSON is the report's JSON: field names are the public interface
// (README documents them).
type dailyJSON struct {
	Account      string          `json:"account"`
	AccountName  string          `json:"account_name"`
	Date         string          `json:"date"`
	PreviousDate string          `json:"previous_date"`
	Since        string          `json:"since"`
	AsOf         string          `json:"as_of"`
	Cases        []dailyCaseJSON `json:"cases"`
}

type dailyCaseJSON struct {
	Number           int64             `json:"number"`
	Severity         int               `json:"severity"`
	Title            string            `json:"title"`
	Status           string            `json:"status"`
	Owner            *string           `json:"owner"`
	Clock            *string           `json:"clock"`
	Due              *string           `json:"due"`
	RemainingSeconds *int64            `json:"remaining_seconds"`
	Breached         bool              `json:"breached"`
	Paused           bool              `json:"paused"`
	ResumesAt        *string           `json:"resumes_at"`
	CallRequired     bool              `json:"call_required"`
	Escalation       *string           `json:"escalation"`
	EscalationStep   *string           `json:"escalation_step"`
	Changes          []dailyChangeJSON `json:"changes"`
}

type dailyChangeJSON struct {
	At   string `json:"at"`
	By   string `json:"by"`
	Kind string `json:"kind"`
	Text string `json:"text"`
}

func strPtr(s string) *string { return &s }

// jsonCase is a row with the queue's clock semantics: due and remaining
// null without a clock and while a call is required; once breached,
// paused false and resumes_at null.
func (r *DailyReportData) jsonCase(c *DailyCase) dailyCaseJSON {
	zone := r.policy.HomeZone()
	j := dailyCaseJSON{Number: c.Case.Number, Severity: c.Case.Severity, Title: c.Case.Title,
		Status: string(c.Case.Status), CallRequired: c.Item.CallRequired, Changes: []dailyChangeJSON{}}
	if c.Case.Owner != "" {
		j.Owner = strPtr(c.Case.Owner)
	}
	if c.Item.HasClock {
		j.Clock = strPtr(string(c.Item.Urgent.Kind))
		if !c.Item.CallRequired {
			st := c.Status
			j.Due = strPtr(FormatInstant(c.Item.Urgent.Due, zone))
			secs := int64(st.Remaining / time.Second)
			j.RemainingSeconds = &secs
			j.Breached = st.State == StateBreached
			if st.Paused && !j.Breached {
				j.Paused = true
				j.ResumesAt = strPtr(FormatInstant(st.ResumesAt, zone))
			}
		}
	}
	if c.Item.Escalated {
		j.Escalation = strPtr(c.Item.Esc.Status)
		j.EscalationStep = strPtr(c.Step)
	}
	for _, ch := range c.Changes {
		j.Changes = append(j.Changes, dailyChangeJSON{At: FormatInstant(ch.At, zone), By: ch.By, Kind: ch.Kind, Text: ch.Text})
	}
	return j
}

// RenderJSON writes the report as one JSON object (text as stored: JSON
// escapes what it must, and readers of JSON render it themselves).
func (r *DailyReportData) RenderJSON(w io.Writer) error {
	zone := r.policy.HomeZone()
	out := dailyJSON{Account: r.Account.ID, AccountName: r.Account.Name, Date: r.Date.String(),
		PreviousDate: r.Previous.String(), Since: FormatInstant(r.Since, zone), AsOf: FormatInstant(r.AsOf, zone),
		Cases: []dailyCaseJSON{}}
	for i := range r.Cases {
		out.Cases = append(out.Cases, r.jsonCase(&r.Cases[i]))
	}
	b, err := MarshalDocument(out)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
