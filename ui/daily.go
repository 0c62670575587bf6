package ui

import (
	"bytes"
	"fmt"
	"strings"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// The TAM's daily report of active cases (model.DailyReport, the same as
// `caseboard report daily`), for the account the W key reports on: today
// as of the board's clock. Its changes come from the cases' audit trails,
// which the board does not hold, so the report is built in a Cmd from a
// copy of the account's cases and the backend's events; like W it is
// written to a new file, or over SSH shown in the output pane to copy.

// dailyReportMsg carries a rendered daily report to a remote board's
// output pane.
type dailyReportMsg struct {
	acct string
	date model.Date
	md   []byte
	err  error
}

// dailyReport starts the daily report of the bank pane's account, or says
// in the status line why there is none.
func (b *board) dailyReport() tea.Cmd {
	if b.user.Role != model.TAM && b.user.Role != model.Manager {
		b.setStatus("the daily report is for TAMs and managers")
		return nil
	}
	a, ok := b.bank.account()
	if !ok {
		b.setStatus("no TAM plan on this account: no daily report")
		return nil
	}
	if !model.CanSee(b.user, *a) {
		b.setError(fmt.Errorf("%s may not report on %s: it is not their account", model.Inert(b.user.ID), model.Inert(a.ID)))
		return nil
	}
	// The Cmd runs beside Update: it gets its own copy of the account's
	// records, never the board's desk.
	d := model.NewDesk()
	d.Closed = b.desk.Closed // the store, read from the Cmd's goroutine: safe
	acct := *a
	d.Accounts[a.ID] = &acct
	for n, c := range b.desk.Cases {
		if c.Account == a.ID {
			cc := *c
			d.Cases[n] = &cc
			d.Escalations[n] = append([]model.Escalation(nil), b.desk.Escalations[n]...)
		}
	}
	p, now, backend, remote, dir := b.p, b.now, b.o.Backend, b.o.Remote, b.o.ReportDir
	day := model.DateOf(now, p.HomeZone())
	if remote {
		b.setStatus("building the daily report…")
	} else {
		b.setStatus("writing the daily report…")
	}
	return func() tea.Msg {
		r, err := model.DailyReport(d, p, acct.ID, day, backend.Events, now)
		var md bytes.Buffer
		if err == nil {
			err = r.RenderMarkdown(&md)
		}
		if err != nil {
			return dailyReportMsg{err: fmt.Errorf("daily report: %w", err)}
		}
		if remote {
			return dailyReportMsg{acct: acct.ID, date: day, md: md.Bytes()}
		}
		name := fmt.Sprintf("caseboard-%s-%s-daily.md", fileSafe(acct.ID), day)
		path, err := writeNew(dir, name, md.Bytes())
		return reportWrittenMsg{what: "daily report", path: path, err: err}
	}
}

// onDailyReport shows a remote board's daily report in the output pane.
func (b *board) onDailyReport(msg dailyReportMsg) {
	if msg.err != nil {
		b.setError(msg.err)
		return
	}
	b.out.show("", fmt.Sprintf("Daily report %s, %s (Markdown, to copy)", msg.acct, msg.date), true,
		strings.Split(model.InertText(strings.TrimRight(string(msg.md), "\n")), "\n"))
	b.focusDetail, b.panel.on = false, false
	b.setStatus(fmt.Sprintf("daily report of %s, %s: select it to copy (esc closes)", model.Inert(msg.acct), msg.date))
	b.layout()
}
