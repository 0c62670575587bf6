package ui

import (
	"fmt"
	"strconv"

	"caseboard/model"

	"github.com/charmbracelet/x/ansi"
)

// The queue's columns, by priority as the width allows: number, severity,
// clock and status always (the status as a word, so assigned, in-progress
// and waiting differ without colour); then the owner, the account, and the
// status in full, each only while the title keeps a usable width. On the
// Escalations tab the status column says where the escalation is
// (requested or accepted, and its step).

// Column widths, in cells.
const (
	colMarker = 2
	colNumber = 8
	colSev    = 2
	colClock  = 17
	colFlag   = 1
	colOwner  = 8
	colAcct   = 10
	// The status word, short ("wait-cust") and in full.
	colStatusShort = 11
	colStatusFull  = 19
	// The escalation's status and step, short ("requested 2/4") and in
	// full ("requested 2/4 Identification").
	colEscShort = 13
	colEscFull  = 29
	// titleMin is the title's width below which no optional column is
	// added; titleWide the width it keeps before the status is spelt out.
	titleMin  = 20
	titleWide = 30
)

// colsFixed is the width before the status column: the marker, number,
// severity, clock and escalation flag, each followed by a space.
const colsFixed = colMarker + colNumber + 1 + colSev + 1 + colClock + 1 + colFlag + 1

// queueMinWidth is the narrowest queue pane beside a detail pane: the
// columns every row has and a usable title. The detail pane narrows to
// leave it.
const queueMinWidth = colsFixed + colStatusShort + 1 + titleMin

// queueOwnerWidth is the queue pane that also holds the owner column.
const queueOwnerWidth = queueMinWidth + colOwner + 1

// detailMin is the narrowest detail pane given up for the owner column.
const detailMin = 40

// detailWidth is the detail pane's width beside the queue in a window w
// wide: two fifths, narrowed first so the queue shows the owner (from 120
// columns) and then so its titles keep a usable width (at 100). A TAM's
// keeps two fifths as long as the titles allow: the time bank under it is
// theirs to read.
func detailWidth(w int, r model.Role) int {
	share := w * 2 / 5
	if r != model.TAM {
		if d := min(share, w-1-queueOwnerWidth); d >= detailMin {
			return d
		}
	}
	return min(share, w-1-queueMinWidth)
}

// queueCols is which columns a queue of some width shows.
type queueCols struct {
	status         int // the status column's width
	esc            bool
	owner, account bool
	title          int
}

// layoutCols picks the columns for a queue w cells wide.
func layoutCols(w int, esc bool) queueCols {
	short, full := colStatusShort, colStatusFull
	if esc {
		short, full = colEscShort, colEscFull
	}
	c := queueCols{status: short, esc: esc}
	c.title = w - colsFixed - short - 1
	if c.title-(colOwner+1) >= titleMin {
		c.owner = true
		c.title -= colOwner + 1
	}
	if c.title-(colAcct+1) >= titleMin {
		c.account = true
		c.title -= colAcct + 1
	}
	if c.title-(full-short) >= titleWide {
		c.status = full
		c.title -= full - short
	}
	return c
}

// head is the column heads.
func (c queueCols) head() string {
	s := fmt.Sprintf("%*s%-*s %-*s %-*s %s ", colMarker, "", colNumber, "case", colSev, "sv", colClock, "clock", " ")
	if c.esc {
		s += fmt.Sprintf("%-*s ", c.status, "escalation")
	} else {
		s += fmt.Sprintf("%-*s ", c.status, "status")
	}
	if c.owner {
		s += fmt.Sprintf("%-*s ", colOwner, "owner")
	}
	if c.account {
		s += fmt.Sprintf("%-*s ", colAcct, "account")
	}
	return s + "title"
}

// shortStatus is a status in at most colStatusShort cells, still a word.
func shortStatus(s model.Status) string {
	switch s {
	case model.StatusWaitingCustomer:
		return "wait-cust"
	case model.StatusWaitingDevelopment:
		return "wait-dev"
	case model.StatusFixAvailable:
		return "fix-avail"
	}
	return string(s)
}

// escWords is where an open escalation is: its status, its step out of
// the four, and (full) the step's name: "accepted 3/4 Resolution cycle".
func (c *Common) escWords(e *model.Escalation, full bool) string {
	if e == nil {
		return "—"
	}
	pr := model.EscalationProgress(e, c.p)
	step := pr.ShownStep(e)
	s := e.Status + " " + strconv.Itoa(step+1) + "/" + strconv.Itoa(len(pr.Steps))
	if full {
		s += " " + pr.Steps[step].Name
	}
	return s
}

// queueRow draws one row of the queue in the columns c, from the rows
// kept for this second when it was drawn already.
func (q *Queue) queueRow(e *model.QueueItem, selected bool, c queueCols, w int) string {
	cm := q.c
	until, flashing := cm.flash[e.Case.Number]
	flashing = flashing && cm.now.Before(until)
	at := rowsKey{now: cm.now, w: w, cols: c, th: cm.th, user: cm.user.ID, wall: cm.wallMode, title: cm.o.Titles}
	if q.rowsFor != at || len(q.rows) > 4*max(q.height, 64) {
		q.rows, q.rowsFor = map[rowKey]string{}, at
	}
	k := rowKey{it: e, selected: selected, flashing: flashing}
	if r, ok := q.rows[k]; ok {
		return r
	}
	r := q.drawRow(e, selected, flashing, c, w)
	q.rows[k] = r
	return r
}

// drawRow draws one row of the queue in the columns c.
func (q *Queue) drawRow(e *model.QueueItem, selected, flashing bool, c queueCols, w int) string {
	cm := q.c
	th := cm.th
	state, style := "· no clock", th.pFaint
	if e.HasClock {
		state, style = th.stateCell(e.Urgent, e.Urgent.At(cm.now, cm.p))
	}
	flag := " "
	if e.Escalated {
		flag = "⚑"
	}
	marker := "  "
	if selected {
		marker = "▸ "
	}
	// A new alert's row flashes inverse, marked "!" (colour is never the
	// only cue).
	if flashing {
		marker = marker[:len(marker)-1] + "!"
	}
	var status string
	switch {
	case c.esc:
		status = cm.escWords(e.Esc, c.status == colEscFull)
	case c.status == colStatusFull:
		status = string(e.Case.Status)
	default:
		status = shortStatus(e.Case.Status)
	}
	rest := fit(status, c.status) + " "
	if c.owner {
		rest += fit(model.Inert(orDash(e.Case.Owner)), colOwner) + " "
	}
	if c.account {
		rest += fit(model.Inert(e.Case.Account), colAcct) + " "
	}
	// The title takes what is left: the pane's width is exact.
	rest += fit(cm.title(e.Case), w-colsFixed-ansi.StringWidth(rest))
	num := model.CaseNumber(e.Case.Number)
	sev := fmt.Sprintf("S%d", e.Case.Severity)
	plain := marker + num + " " + sev + " " + fit(state, colClock) + " " + flag + " " + rest
	switch {
	case flashing:
		return th.Flash.Render(fit(plain, w))
	case selected:
		return th.Selected.Render(fit(plain, w))
	}
	if flag != " " {
		flag = th.pEscalated.Render(flag)
	}
	return marker + num + " " + sev + " " + style.Render(fit(state, colClock)) + " " + flag + " " + rest
}
