package ui

import (
	"fmt"
	"strconv"
	"strings"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The manager's panel: SLA attainment this week and the weeks before, the
// open cases at the end of each day, today's breaches. model.ManagerTrend
// computes it; the board keeps the result until the desk's cases change or
// the data's Until passes (midnight ET, or a running clock's due), so a
// tick or a redraw never recomputes it, and a model.TrendCache, so that a
// change counts the cases in memory and the ones it touched, not every
// closed case on disk again.

const (
	panelWeeks = 8
	panelDays  = 14
)

// ReportsPanel is the manager's panel: its state and its cached data.
type ReportsPanel struct {
	c     *Common
	w, h  int
	on    bool
	data  *model.TrendData
	cache *model.TrendCache
	stale bool
}

func newReportsPanel(c *Common) *ReportsPanel { return &ReportsPanel{c: c} }

// reload follows a (re)loaded desk: every case is counted again.
func (tp *ReportsPanel) reload() {
	tp.stale = true
	if tp.cache != nil {
		tp.cache.Invalidate()
	}
}

// touched follows a change to case n.
func (tp *ReportsPanel) touched(n int64) {
	tp.stale = true
	if tp.cache != nil {
		tp.cache.Touch(n)
	}
}

// refresh recomputes the data while the panel is open and the data is out
// of date: the cases changed or its Until passed.
func (tp *ReportsPanel) refresh() {
	c := tp.c
	if tp.on && (tp.data == nil || tp.stale || !c.now.Before(tp.data.Until)) {
		if tp.cache == nil {
			tp.cache = model.NewTrendCache(c.p, panelWeeks, panelDays)
		}
		tp.data = tp.cache.Trend(c.desk, c.now)
		tp.stale = false
	}
}

// Init implements tea.Model.
func (tp *ReportsPanel) Init() tea.Cmd { return nil }

// Update answers the keys of the open panel: its close key closes it;
// the others do nothing.
func (tp *ReportsPanel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, tp.c.km.Panel.Close) {
		tp.on = false
	}
	return tp, nil
}

// View draws the panel at the width it was given.
func (tp *ReportsPanel) View() string { return strings.Join(tp.lines(tp.w), "\n") }

// SetSize implements Component.
func (tp *ReportsPanel) SetSize(w, h int) { tp.w, tp.h = w, h }

// ShortHelp implements help.KeyMap.
func (tp *ReportsPanel) ShortHelp() []key.Binding {
	return tp.c.km.HelpFor(keymap.CtxPanel, nil).ShortHelp()
}

// FullHelp implements help.KeyMap.
func (tp *ReportsPanel) FullHelp() [][]key.Binding {
	return tp.c.km.HelpFor(keymap.CtxPanel, nil).FullHelp()
}

// refreshReports brings the cached report data up to date, once per
// message at most and only when something they depend on changed: the
// manager's panel while it is open, the TAM's week in the bank pane.
func (b *board) refreshReports() {
	if b.desk == nil || !b.loaded {
		return
	}
	b.panel.refresh()
	if b.user.Role == model.TAM {
		b.bank.refreshWeek()
	}
}

// openPanel opens the manager's panel; other roles are told it is not
// theirs.
func (b *board) openPanel() tea.Cmd {
	if b.user.Role != model.Manager {
		b.setStatus("the reports panel is for managers")
		return nil
	}
	b.panel.on = true
	b.focusDetail = false
	b.layout()
	b.setStatus("reports: SLA attainment, open cases per day, today's breaches")
	return nil
}

// panelKey answers the keys of the open panel; the others do nothing.
func (b *board) panelKey(msg tea.KeyMsg) tea.Cmd {
	k := b.km.Panel
	switch {
	case key.Matches(msg, k.Quit):
		return b.quit()
	}
	b.panel.Update(msg)
	if !b.panel.on {
		b.layout()
		b.setStatus("")
	}
	return nil
}

// panelLines draws the panel. Every figure is in words as well as drawn:
// a sparkline alone says nothing to a screen reader or at a glance.
func (tp *ReportsPanel) lines(w int) []string {
	b := tp.c
	th, t := b.th, tp.data
	out := []string{th.Title.Render("Reports") + th.Faint.Render(" · initial responses, every queue · esc closes")}
	if t == nil {
		return append(out, th.Faint.Render("computing…"))
	}
	if t.Err != nil { // the closed cases on disk could not be read: no figure is true
		return append(out, th.Breached.Render(fit(model.Inert(t.Err.Error()), w)))
	}
	out = append(out, "")

	// This week and the weeks before.
	tw := t.ThisWeek()
	mon := tw.Week.Monday()
	out = append(out, th.Accent.Render(fmt.Sprintf("SLA attainment, week %s (from %s, ET)", tw.Week, mon)))
	out = append(out, "  this week  "+tp.attainmentWords(tw.Attainment))
	vals := make([]float64, len(t.Weeks))
	has := make([]bool, len(t.Weeks))
	var lo, hi float64
	var loW, hiW model.Week
	found := false
	for i, wk := range t.Weeks {
		vals[i], has[i] = wk.Attainment.Percent()
		if !has[i] {
			continue
		}
		if !found || vals[i] < lo {
			lo, loW = vals[i], wk.Week
		}
		if !found || vals[i] > hi {
			hi, hiW = vals[i], wk.Week
		}
		found = true
	}
	weekSpark := model.Sparkline(vals, has, 0, 100)
	summary := "nothing due in these weeks"
	if found {
		summary = fmt.Sprintf("min %.1f%% (%s) · max %.1f%% (%s)", lo, loW, hi, hiW)
	}
	out = append(out, fmt.Sprintf("  last %d weeks  %s  %s", len(t.Weeks), th.Accent.Render(weekSpark), summary))
	var cells []string
	for i, wk := range t.Weeks {
		cell := "—"
		if has[i] {
			cell = fmt.Sprintf("%.0f%%", vals[i])
		}
		cells = append(cells, fmt.Sprintf("W%02d %s", wk.Week.Week, cell))
	}
	out = append(out, wrapIndent("  "+strings.Join(cells, "  "), w)...)
	out = append(out, th.Faint.Render("  ▁ 0-12% … █ 88-100%, · nothing due (a week counts the responses due in it)"))
	out = append(out, "")

	// Open cases at the end of each day.
	counts := make([]float64, len(t.Days))
	top := 0
	for i, d := range t.Days {
		counts[i] = float64(d.Open)
		top = max(top, d.Open)
	}
	first, last := t.Days[0], t.Days[len(t.Days)-1]
	out = append(out, th.Accent.Render(fmt.Sprintf("Open cases at the end of each day, %s to %s (today: now)", first.Date, last.Date)))
	// One column per day: the date, the count, its bar.
	spark := []rune(model.Sparkline(counts, nil, 0, float64(top)+1))
	// Columns as wide as the largest count, plus a space, so counts never
	// run together ("96113").
	col := max(2, len(strconv.Itoa(top))) + 1
	var dayRow, openRow, barRow strings.Builder
	for i, d := range t.Days {
		fmt.Fprintf(&dayRow, "%*d", col, d.Date.Day)
		fmt.Fprintf(&openRow, "%*d", col, d.Open)
		fmt.Fprintf(&barRow, "%*c", col, spark[i])
	}
	out = append(out,
		"  day  "+dayRow.String(),
		"  open "+openRow.String()+fmt.Sprintf("   today %d, most %d", last.Open, top),
		"       "+th.Accent.Render(barRow.String()))
	out = append(out, "")

	// Today's breaches.
	out = append(out, th.Accent.Render("Initial responses due today, "+t.Today.String()))
	switch {
	case t.DueToday.Due == 0:
		out = append(out, "  — nothing due today has been answered or missed yet")
	case len(t.BreachesToday) == 0:
		out = append(out, th.OK.Render(fmt.Sprintf("  ● no breach today (%d due, all met)", t.DueToday.Due)))
	default:
		ns := make([]string, 0, len(t.BreachesToday))
		for _, n := range t.BreachesToday {
			ns = append(ns, model.CaseNumber(n))
		}
		line := fmt.Sprintf("  %s %d today of %d due: %s", wordBreached, len(t.BreachesToday), t.DueToday.Due, strings.Join(ns, " "))
		for _, l := range wrapIndent(line, w) {
			out = append(out, th.Breached.Render(l))
		}
	}
	return out
}

// attainmentWords is "66.7% met (2 of 3 due, 1 breached)", or a dash when
// nothing was due: 0% would read as a failure.
func (tp *ReportsPanel) attainmentWords(a model.Attainment) string {
	b := tp.c
	pct, ok := a.Percent()
	if !ok {
		return "— nothing due yet"
	}
	s := fmt.Sprintf("%.1f%% met (%d of %d due, %d breached)", pct, a.Met, a.Due, a.Breached)
	if a.Breached > 0 {
		return b.th.Warning.Render("▲ " + s)
	}
	return b.th.OK.Render("● " + s)
}
