package ui

import (
	"fmt"
	"strconv"

	"caseboard/model"

	"github.com/charmbracelet/lipgloss"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The manager's Team tab: one row per person with their open cases by
// severity, breached, due soon, waiting calls and escalations, the most at
// risk first. Read-only. model's QueueIndex.TeamLoad computes it from the
// board's index at the board's clock, so it follows the desk live; it is
// computed only while the tab is on show.

// teamLines draws the Team tab: a title, the heads and a screenful of rows.
// The region column shows where there is room for it.
func (q *Queue) teamLines(w, h int) []string {
	c := q.c
	th := c.th
	loads := c.ix.TeamLoad(c.desk.Users, c.now)
	wide := w >= 100
	region := ""
	if wide {
		region = fmt.Sprintf("%-13s ", "region")
	}
	out := []string{
		th.Title.Render("Team load") + th.Faint.Render(fmt.Sprintf(" · %d people, most at risk first · due soon: within %s",
			len(loads), model.Span(c.p.DueSoon))),
		th.Faint.Render(fmt.Sprintf("  %-10s %-10s %s%4s %3s %3s %3s %3s  %-8s %-8s %-5s %-4s %s",
			"person", "role", region, "open", "S1", "S2", "S3", "S4", "breached", "due soon", "calls", "esc", "asked")),
	}
	rows := h - len(out)
	q.teamTop = max(0, min(q.teamTop, len(loads)-rows))
	for i := q.teamTop; i < len(loads) && i < q.teamTop+rows; i++ {
		out = append(out, q.teamRow(loads[i], wide))
	}
	if len(loads) == 0 {
		out = append(out, th.Faint.Render("  nobody on this desk yet"))
	}
	return out
}

// teamRow is one person's load. A breach, a due-soon case, a waiting call
// or an escalation is marked with its sign as well as its colour.
func (q *Queue) teamRow(l model.PersonLoad, wide bool) string {
	th := q.c.th
	count := func(n, w int) string {
		if n == 0 {
			return fmt.Sprintf("%*s", w, "·")
		}
		return fmt.Sprintf("%*d", w, n)
	}
	mark := func(n int, sign string, w int, st lipgloss.Style) string {
		if n == 0 {
			return fit("·", w)
		}
		return st.Render(fit(sign+" "+strconv.Itoa(n), w))
	}
	region := ""
	if wide {
		r := "—"
		if l.User.Region != "" {
			r = q.c.regionName(l.User.Region)
		}
		region = fit(r, 13) + " "
	}
	role := string(l.User.Role)
	if role == "" {
		role = "—"
	}
	s := l.BySeverity
	return fmt.Sprintf("  %s %s %s%4d %s %s %s %s  %s %s %s %s %s",
		fit(model.Inert(l.User.ID), 10), fit(role, 10), region, l.Open,
		count(s[0], 3), count(s[1], 3), count(s[2], 3), count(s[3], 3),
		mark(l.Breached, "✖", 8, th.Breached), mark(l.DueSoon, "▲", 8, th.Warning),
		mark(l.CallRequired, "☎", 5, th.Breached), mark(l.Escalated, "⚑", 4, th.Escalated), count(l.Requested, 1))
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
