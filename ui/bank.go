package ui

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"caseboard/model"
)

// bankPane is the TAM time bank. Month totals by category are cached per
// account and recomputed only when time entries change; pace and
// projection are arithmetic on the clock.
type bankPane struct {
	cats     map[string]map[string]int // account -> category -> minutes, this month
	month    model.Month
	lastLook time.Time
	newCases []int64
}

func (bp *bankPane) invalidate() { bp.cats = nil }

func (bp *bankPane) reset(now time.Time) {
	bp.lastLook, bp.newCases = now, nil
	bp.cats = nil
}

// noteNewCase remembers a case opened on one of the TAM's accounts since
// they last looked.
func (bp *bankPane) noteNewCase(b *board, n int64) {
	c, ok := b.desk.Cases[n]
	if !ok || b.user.Role != model.TAM {
		return
	}
	if a, ok := b.desk.Accounts[c.Account]; ok && a.TAM == b.user.ID && !c.OpenedAt.Before(bp.lastLook) {
		bp.newCases = append(bp.newCases, n)
	}
}

// categories returns this month's minutes by category of an account.
func (bp *bankPane) categories(d *model.Desk, acct string, m model.Month) map[string]int {
	if bp.cats == nil || bp.month != m {
		bp.cats, bp.month = map[string]map[string]int{}, m
		for _, te := range d.TimeEntries {
			if !te.Counts() || te.Date.MonthOf() != m {
				continue
			}
			if bp.cats[te.Account] == nil {
				bp.cats[te.Account] = map[string]int{}
			}
			bp.cats[te.Account][te.Category] += te.Minutes
		}
	}
	return bp.cats[acct]
}

// bankNumbers is one account's month at an instant.
type bankNumbers struct {
	used, bank int // minutes
	pace       int // minutes the even pace allows by now
	frac       float64
	projected  time.Time // zero: not this month
	exhausted  bool
	refillDays int
}

func bankAt(used, bank int, now time.Time, zone *time.Location) bankNumbers {
	m := model.DateOf(now, zone).MonthOf()
	start, end := m.Start(zone), m.End(zone)
	n := bankNumbers{used: used, bank: bank}
	elapsed := now.Sub(start)
	n.frac = float64(elapsed) / float64(end.Sub(start))
	n.pace = int(float64(bank) * n.frac)
	today := model.DateOf(now, zone).Start(zone)
	n.refillDays = int(math.Round(end.Sub(today).Hours() / 24))
	switch {
	case used >= bank && bank > 0:
		n.exhausted, n.projected = true, now
	case used > 0 && elapsed > 0:
		at := start.Add(time.Duration(float64(elapsed) * float64(bank) / float64(used)))
		if at.Before(end) {
			n.projected = at
		}
	}
	return n
}

// bankAccount is the account the pane shows: the selected case's, else the
// TAM's first account with a plan.
func (b *board) bankAccount() (*model.Account, bool) {
	if e := b.q.selected(); e != nil {
		if a, ok := b.desk.Accounts[e.c.Account]; ok && a.TAMPlan != model.TAMNone && a.TAMPlan != "" {
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
func (b *board) bankLines(w int) []string {
	th, p := b.th, b.p
	out := []string{th.Accent.Render("Time bank")}
	if b.user.Role == model.TAM {
		if n := len(b.bank.newCases); n > 0 {
			var ns []string
			for _, c := range b.bank.newCases {
				ns = append(ns, model.CaseNumber(c))
			}
			out = append(out, th.Warning.Render(fmt.Sprintf("★ %d new case(s) since you last looked: %s", n, strings.Join(ns, " "))))
		} else {
			out = append(out, th.Faint.Render("no new cases since you last looked"))
		}
	}
	a, ok := b.bankAccount()
	if !ok {
		return append(out, th.Faint.Render("no TAM plan on this account"))
	}
	spec := p.TAMPlans[a.TAMPlan]
	zone := p.TAMZone
	m := model.DateOf(b.now, zone).MonthOf()
	n := bankAt(b.desk.Bank[model.BankKey{Account: a.ID, Month: m}], spec.BankMinutes(), b.now, zone)
	out = append(out, fmt.Sprintf("%s (%s) · %s · %s", model.Inert(a.ID), model.Inert(a.Name), model.Inert(spec.Name), m))
	out = append(out, b.bankBar(n, w))
	used := fmt.Sprintf("used %s of %dh, %s left", hm(n.used), spec.Hours, hm(n.bank-n.used))
	out = append(out, used)
	diff := n.used - n.pace
	switch {
	case diff > 0:
		out = append(out, th.Warning.Render(fmt.Sprintf("▲ %s over the even pace (%s by now)", hm(diff), hm(n.pace))))
	default:
		out = append(out, th.OK.Render(fmt.Sprintf("● %s under the even pace (%s by now)", hm(-diff), hm(n.pace))))
	}
	switch {
	case n.exhausted:
		out = append(out, th.Breached.Render("✖ bank used up"))
	case n.projected.IsZero():
		out = append(out, "projected exhaustion: none this month")
	default:
		out = append(out, th.Warning.Render("projected exhaustion "+model.DateOf(n.projected, zone).String()))
	}
	out = append(out, fmt.Sprintf("refills in %d day(s), %s", n.refillDays, m.End(zone).Format("Mon 2 Jan")))
	cats := b.bank.categories(b.desk, a.ID, m)
	for _, c := range model.Categories {
		if cats[c] > 0 {
			out = append(out, fmt.Sprintf("  %-26s %s", c, hm(cats[c])))
		}
	}
	return out
}

// bankBar is "[█████░░░░|░░░]": used cells, remaining cells, and the even
// pace marker.
func (b *board) bankBar(n bankNumbers, w int) string {
	cells := w - 2
	if cells < 10 {
		cells = 10
	}
	if cells > 60 {
		cells = 60
	}
	usedCells, paceCell := 0, 0
	if n.bank > 0 {
		usedCells = int(math.Round(float64(cells) * math.Min(1, float64(n.used)/float64(n.bank))))
		paceCell = int(float64(cells) * math.Min(1, n.frac))
	}
	if paceCell >= cells {
		paceCell = cells - 1
	}
	var s strings.Builder
	for i := 0; i < cells; i++ {
		switch {
		case i == paceCell:
			s.WriteString(b.th.Accent.Render("|"))
		case i < usedCells:
			s.WriteString(b.th.Warning.Render("█"))
		default:
			s.WriteString(b.th.Faint.Render("░"))
		}
	}
	return "[" + s.String() + "]"
}

// hm writes minutes as "6h05m".
func hm(min int) string {
	sign := ""
	if min < 0 {
		sign, min = "-", -min
	}
	return fmt.Sprintf("%s%dh%02dm", sign, min/60, min%60)
}
