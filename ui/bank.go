package ui

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Bank is the TAM time bank pane, under the detail. The time entries of
// the shown account's month are cached and refreshed only when time
// entries change; model.BankSummary then sums a handful of entries per
// redraw.
type Bank struct {
	c        *Common
	w, h     int
	entries  map[string][]model.TimeEntry // account -> this month's entries
	month    model.Month
	lastLook time.Time
	newCases []int64
	week     weekCache
}

func (bp *Bank) invalidate() { bp.entries, bp.week = nil, weekCache{} }

func (bp *Bank) reset(now time.Time) {
	bp.lastLook, bp.newCases = now, nil
	bp.invalidate()
}

// noteNewCase remembers a case opened on one of the TAM's accounts since
// they last looked.
func (bp *Bank) noteNewCase(n int64) {
	b := bp.c
	c, ok := b.desk.Cases[n]
	if !ok || b.user.Role != model.TAM {
		return
	}
	if a, ok := b.desk.Accounts[c.Account]; ok && a.TAM == b.user.ID && !c.OpenedAt.Before(bp.lastLook) {
		bp.newCases = append(bp.newCases, n)
	}
}

// monthEntries returns an account's time entries of month m, grouping
// the desk's entries once per change of the time bank.
func (bp *Bank) monthEntries(d *model.Desk, acct string, m model.Month) []model.TimeEntry {
	if bp.entries == nil || bp.month != m {
		bp.entries, bp.month = map[string][]model.TimeEntry{}, m
		for _, te := range d.TimeEntries {
			if te.Date.MonthOf() == m {
				bp.entries[te.Account] = append(bp.entries[te.Account], *te)
			}
		}
	}
	return bp.entries[acct]
}

// bankAccount is the account the pane shows: the selected case's, else the
// TAM's first account with a plan.
func (bp *Bank) account() (*model.Account, bool) {
	b := bp.c
	if e := b.selected(); e != nil {
		if a, ok := b.desk.Accounts[e.Case.Account]; ok && a.TAMPlan != model.TAMNone && a.TAMPlan != "" {
			return a, true
		}
	}
	if b.user.Role != model.TAM {
		return nil, false
	}
	var ids []string
	for id, a := range b.desk.Accounts {
		if a.TAM == b.user.ID && a.TAMPlan != model.TAMNone && a.TAMPlan != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, false
	}
	sort.Strings(ids)
	return b.desk.Accounts[ids[0]], true
}

// bankLines draws the pane: a bar of used and remaining hours with the
// even-pace marker, burn against pace, projected exhaustion, refill, the
// month by category, and new cases since the TAM last looked.
func (bp *Bank) lines(w int) []string {
	b := bp.c
	th, p := b.th, b.p
	out := []string{th.Accent.Render("Time bank")}
	if b.user.Role == model.TAM {
		if n := len(bp.newCases); n > 0 {
			var ns []string
			for _, c := range bp.newCases {
				ns = append(ns, model.CaseNumber(c))
			}
			out = append(out, th.Warning.Render(fmt.Sprintf("★ %d new case(s) since you last looked: %s", n, strings.Join(ns, " "))))
		} else {
			out = append(out, th.Faint.Render("no new cases since you last looked"))
		}
	}
	a, ok := bp.account()
	if !ok {
		return append(out, th.Faint.Render("no TAM plan on this account"))
	}
	zone := p.TAMZone
	m := model.DateOf(b.now, zone).MonthOf()
	st := model.BankSummary(*a, bp.monthEntries(b.desk, a.ID, m), p, b.now)
	out = append(out, fmt.Sprintf("%s (%s) · %s · %s", model.Inert(a.ID), model.Inert(a.Name), model.Inert(st.Plan.Name), st.Month))
	out = append(out, bp.bar(st, w))
	out = append(out, fmt.Sprintf("used %s of %dh, %s left", hm(st.Used), st.Plan.Hours, hm(st.Remaining)))
	if b.user.Role == model.TAM {
		out = append(out, bp.weekLines(a.ID, w)...)
	}
	pace := int(st.Pace)
	if over := st.Used - pace; over > 0 {
		out = append(out, th.Warning.Render(fmt.Sprintf("▲ %s over the even pace (%s by now)", hm(over), hm(pace))))
	} else {
		out = append(out, th.OK.Render(fmt.Sprintf("● %s under the even pace (%s by now)", hm(-over), hm(pace))))
	}
	switch {
	case st.Bank > 0 && st.Used >= st.Bank:
		out = append(out, th.Breached.Render("✖ bank used up"))
	case !st.HasExhaustion:
		out = append(out, "projected exhaustion: none this month")
	default:
		out = append(out, th.Warning.Render("projected exhaustion "+st.Exhaustion.String()))
	}
	out = append(out, fmt.Sprintf("refills in %dd%dh, %s", st.DaysToRefill, st.HoursToRefill, st.Refill.In(zone).Format("Mon 2 Jan")))
	for _, c := range st.ByCategory {
		if c.Minutes > 0 {
			out = append(out, fmt.Sprintf("  %-26s %s", c.Category, hm(c.Minutes)))
		}
	}
	return out
}

// bankBar is "[█████░░░░|░░░]": used cells, remaining cells, and the even
// pace marker.
func (bp *Bank) bar(n model.BankStatus, w int) string {
	b := bp.c
	cells := w - 2
	if cells < 10 {
		cells = 10
	}
	if cells > 60 {
		cells = 60
	}
	usedCells, paceCell := 0, 0
	if n.Bank > 0 {
		usedCells = int(math.Round(float64(cells) * math.Min(1, float64(n.Used)/float64(n.Bank))))
		paceCell = int(float64(cells) * math.Min(1, n.ElapsedFraction))
	}
	if paceCell >= cells {
		paceCell = cells - 1
	}
	// Each run of cells coloured once (a style's Render costs far more
	// than the cell it paints).
	var s strings.Builder
	run := func(st lipgloss.Style, cell string, n int) {
		if n > 0 {
			s.WriteString(st.Render(strings.Repeat(cell, n)))
		}
	}
	used := min(usedCells, paceCell)
	run(b.th.Warning, "█", used)
	run(b.th.Faint, "░", paceCell-used)
	run(b.th.Accent, "|", 1)
	after := max(0, usedCells-paceCell-1)
	run(b.th.Warning, "█", after)
	run(b.th.Faint, "░", cells-paceCell-1-after)
	return "[" + s.String() + "]"
}

func newBank(c *Common) *Bank { return &Bank{c: c} }

// Init implements tea.Model.
func (bp *Bank) Init() tea.Cmd { return nil }

// Update implements tea.Model: the bank has no keys; the board tells it
// of changes (invalidate, noteNewCase) as they are applied.
func (bp *Bank) Update(tea.Msg) (tea.Model, tea.Cmd) { return bp, nil }

// View draws the pane at the width it was given.
func (bp *Bank) View() string { return strings.Join(bp.lines(bp.w), "\n") }

// SetSize implements Component.
func (bp *Bank) SetSize(w, h int) { bp.w, bp.h = w, h }

// ShortHelp implements help.KeyMap: the bank has no keys of its own.
func (bp *Bank) ShortHelp() []key.Binding { return nil }

// FullHelp implements help.KeyMap.
func (bp *Bank) FullHelp() [][]key.Binding { return nil }

// hm writes minutes as "6h05m".
func hm(min int) string {
	sign := ""
	if min < 0 {
		sign, min = "-", -min
	}
	return fmt.Sprintf("%s%dh%02dm", sign, min/60, min%60)
}
