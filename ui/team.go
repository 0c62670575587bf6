package ui

import (
	"fmt"
	"strconv"

	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The manager's Team tab: one row per person with their open cases by
// severity, breached, due soon, waiting calls and escalations, the most at
// risk first. Read-only. model's QueueIndex.TeamLoad computes it from the
// board's index at the board's clock, so it follows the desk live; it is
// computed only while the tab is on show.

// teamLines draws the Team tab: a title, the heads and a screenful of rows.
func (q *Queue) teamLines(w, h int) []string {
	c := q.c
	th := c.th
	loads := c.ix.TeamLoad(c.desk.Users, c.now)
	out := []string{
		th.Title.Render("Team load") + th.Faint.Render(fmt.Sprintf(" · %d people · open cases they own · most at risk first · due soon: within %s",
			len(loads), model.Span(c.p.DueSoon))),
		th.Faint.Render(fmt.Sprintf("  %-10s %-10s %-13s %4s %4s %4s %4s %4s  %-10s %-10s %-6s %-4s %s",
			"person", "role", "region", "open", "S1", "S2", "S3", "S4", "breached", "due soon", "calls", "esc", "asked")),
	}
	rows := h - len(out)
	q.teamTop = max(0, min(q.teamTop, len(loads)-rows))
	for i := q.teamTop; i < len(loads) && i < q.teamTop+rows; i++ {
		out = append(out, q.teamRow(loads[i]))
	}
	if len(loads) == 0 {
		out = append(out, th.Faint.Render("  nobody on this desk yet"))
	}
	return out
}

// teamRow is one person's load. A breach or a due-soon count is marked
// in words as well as in colour.
func (q *Queue) teamRow(l model.PersonLoad) string {
	th := q.c.th
	count := func(n int) string {
		if n == 0 {
			return fmt.Sprintf("%4s", "·")
		}
		return fmt.Sprintf("%4d", n)
	}
	breached := fit("·", 10)
	if l.Breached > 0 {
		breached = th.Breached.Render(fit("✖ "+strconv.Itoa(l.Breached), 10))
	}
	soon := fit("·", 10)
	if l.DueSoon > 0 {
		soon = th.Warning.Render(fit("▲ "+strconv.Itoa(l.DueSoon), 10))
	}
	calls := fit("·", 6)
	if l.CallRequired > 0 {
		calls = th.Breached.Render(fit("☎ "+strconv.Itoa(l.CallRequired), 6))
	}
	esc := fit("·", 4)
	if l.Escalated > 0 {
		esc = th.Escalated.Render(fit("⚑ "+strconv.Itoa(l.Escalated), 4))
	}
	asked := "·"
	if l.Requested > 0 {
		asked = strconv.Itoa(l.Requested)
	}
	region := "—"
	if l.User.Region != "" {
		region = q.c.regionName(l.User.Region)
	}
	role := string(l.User.Role)
	if role == "" {
		role = "—"
	}
	s := l.BySeverity
	return fmt.Sprintf("  %s %s %s %4d %s %s %s %s  %s %s %s %s %s",
		fit(model.Inert(l.User.ID), 10), fit(role, 10), fit(region, 13), l.Open,
		count(s[0]), count(s[1]), count(s[2]), count(s[3]), breached, soon, calls, esc, asked)
}

// scrollTeam moves the Team tab's rows on the queue's movement keys.
func (q *Queue) scrollTeam(km tea.KeyMsg) {
	k := q.c.km.Queue
	switch {
	case key.Matches(km, k.Up):
		q.teamTop--
	case key.Matches(km, k.Down):
		q.teamTop++
	case key.Matches(km, k.PageUp):
		q.teamTop -= q.height
	case key.Matches(km, k.PageDown):
		q.teamTop += q.height
	case key.Matches(km, k.Top):
		q.teamTop = 0
	case key.Matches(km, k.Bottom):
		q.teamTop = len(q.c.desk.Users)
	}
	q.teamTop = max(q.teamTop, 0) // the far end is clamped when drawn
}
