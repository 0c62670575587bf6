package ui

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// The TAM's weekly report: this week's totals in the time-bank pane, and
// a key that writes the week's Markdown (model.WeeklyReport, the same as
// `caseboard report weekly`) to a file, or over SSH shows it in a pane to
// copy, since a file would land on the server.

// weekCache is this week's report of the bank pane's account, kept until
// the time entries change, the account shown changes or the week turns.
type weekCache struct {
	acct string
	week model.Week
	r    *model.HoursReportData
}

// refreshWeek recomputes the week's report when it is out of date.
func (bp *Bank) refreshWeek() {
	b := bp.c
	a, ok := bp.account()
	if !ok {
		bp.week = weekCache{}
		return
	}
	w := model.WeekOf(model.DateOf(b.now, b.p.HomeZone()))
	if bp.week.r != nil && bp.week.acct == a.ID && bp.week.week == w {
		return
	}
	r, err := model.WeeklyReport(b.desk, b.p, a.ID, w, b.now)
	if err != nil {
		bp.week = weekCache{}
		return
	}
	bp.week = weekCache{acct: a.ID, week: w, r: r}
}

// weekLines is the pane's "this week" part: the total, the entries and
// the categories of the week.
func (bp *Bank) weekLines(acct string, w int) []string {
	wc := bp.week
	if wc.r == nil || wc.acct != acct {
		return nil
	}
	r := wc.r
	counted := 0
	for i := range r.Entries {
		if !r.Voided(&r.Entries[i]) {
			counted++
		}
	}
	head := fmt.Sprintf("this week %s: ", wc.week)
	if r.Total == 0 {
		return []string{head + "— nothing logged yet"}
	}
	out := []string{head + fmt.Sprintf("%s in %d entr%s", hm(r.Total), counted, plural(counted, "y", "ies"))}
	var cats []string
	for _, c := range r.ByCategory {
		if c.Minutes > 0 {
			cats = append(cats, c.Category+" "+hm(c.Minutes))
		}
	}
	return append(out, wrapIndent("  "+strings.Join(cats, " · "), w)...)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// reportWrittenMsg is the result of writing a report file; what names
// the report ("weekly report").
type reportWrittenMsg struct {
	what string
	path string
	err  error
}

// weeklyDoc is one week's report of an account, in Markdown.
type weeklyDoc struct {
	acct string
	week model.Week
	md   []byte
}

// weekly renders this week's report of the pane's account (it reads the
// desk, so it runs in Update), or says why there is none: note is a
// refusal for the status line, err a failure.
func (bp *Bank) weekly() (doc weeklyDoc, note string, err error) {
	b := bp.c
	if b.user.Role != model.TAM && b.user.Role != model.Manager {
		return doc, "the weekly report is for TAMs and managers", nil
	}
	a, ok := bp.account()
	if !ok {
		return doc, "no TAM plan on this account: no weekly report", nil
	}
	if !model.CanSee(b.user, *a) {
		return doc, "", fmt.Errorf("%s may not report on %s: it is not their account", model.Inert(b.user.ID), model.Inert(a.ID))
	}
	w := model.WeekOf(model.DateOf(b.now, b.p.HomeZone()))
	r, err := model.WeeklyReport(b.desk, b.p, a.ID, w, b.now)
	if err != nil {
		return doc, "", fmt.Errorf("weekly report: %w", err)
	}
	var md bytes.Buffer
	if err := r.RenderMarkdown(&md); err != nil {
		return doc, "", fmt.Errorf("weekly report: %w", err)
	}
	return weeklyDoc{acct: a.ID, week: w, md: md.Bytes()}, "", nil
}

// weeklyReport takes the bank pane's weekly report to where it goes: a
// file written by a Cmd, or over SSH the output pane, to copy.
func (b *board) weeklyReport() tea.Cmd {
	doc, note, err := b.bank.weekly()
	switch {
	case err != nil:
		b.setError(err)
		return nil
	case note != "":
		b.setStatus(note)
		return nil
	}
	if b.o.Remote {
		b.out.show("", fmt.Sprintf("Weekly report %s, %s (Markdown, to copy)", doc.acct, doc.week), true,
			strings.Split(model.InertText(strings.TrimRight(string(doc.md), "\n")), "\n"))
		b.focusDetail, b.panel.on = false, false
		b.setStatus(fmt.Sprintf("weekly report of %s, %s: select it to copy (esc closes)", model.Inert(doc.acct), doc.week))
		b.layout()
		return nil
	}
	name := fmt.Sprintf("caseboard-%s-%s.md", fileSafe(doc.acct), doc.week)
	b.setStatus("writing the weekly report…")
	return writeReportCmd(b.o.ReportDir, name, "weekly report", doc.md)
}

// fileSafe keeps an id to letters, digits, '.', '-' and '_' for a file
// name (an id is a slug, but a file name must never climb directories).
func fileSafe(s string) string {
	var out strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			out.WriteRune(r)
		case r == '.' && out.Len() > 0:
			out.WriteRune(r)
		default:
			out.WriteRune('_')
		}
	}
	return out.String()
}

// writeReportCmd writes data to dir/name ("" = the working directory),
// never over an existing file: name-1.md, name-2.md, … instead. The path
// it reports is absolute.
func writeReportCmd(dir, name, what string, data []byte) tea.Cmd {
	return func() tea.Msg {
		path, err := writeNew(dir, name, data)
		return reportWrittenMsg{what: what, path: path, err: err}
	}
}

func writeNew(dir, name string, data []byte) (string, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", fmt.Errorf("the working directory: %w", err)
		}
		dir = wd
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 0; i < 1000; i++ {
		n := name
		if i > 0 {
			n = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		path := filepath.Join(dir, n)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path) // no half report left behind
			return "", fmt.Errorf("%s: %w", path, err)
		}
		return path, nil
	}
	return "", fmt.Errorf("%s: 1000 files of that name already in %s", name, dir)
}

func (b *board) onReportWritten(msg reportWrittenMsg) {
	if msg.err != nil {
		b.setError(fmt.Errorf("write the %s: %w", msg.what, msg.err))
		return
	}
	b.setStatus("wrote " + msg.what + " to " + model.Inert(msg.path))
}
