package ui

import (
	"fmt"

	"caseboard/model"
)

// tabKind is one queue tab.
type tabKind int

// The queue tabs.
const (
	tabMine tabKind = iota
	tabRegion
	tabAll
	tabEscalations
	tabAccounts
)

func (t tabKind) title(u model.User, p *model.Policy) string {
	switch t {
	case tabMine:
		return "My cases"
	case tabRegion:
		if c, ok := p.Regions[u.Region]; ok {
			return c.Name
		}
		return "Region"
	case tabAll:
		return "All"
	case tabEscalations:
		return "Escalations"
	case tabAccounts:
		return "My accounts"
	}
	return "?"
}

// tabsFor lists a role's tabs and the one it starts on.
func tabsFor(r model.Role) (tabs []tabKind, start int) {
	switch r {
	case model.TAM:
		return []tabKind{tabAccounts, tabEscalations}, 0
	case model.Manager:
		return []tabKind{tabMine, tabRegion, tabAll, tabEscalations}, 2
	default:
		return []tabKind{tabMine, tabRegion, tabAll, tabEscalations}, 1
	}
}

// tabPred is the cases a tab shows for a user.
func tabPred(t tabKind, u model.User) func(*model.QueueItem) bool {
	tamOnly := u.Role == model.TAM
	switch t {
	case tabMine:
		return func(e *model.QueueItem) bool { return e.Case.Owner == u.ID }
	case tabRegion:
		return func(e *model.QueueItem) bool { return e.Case.Region == u.Region }
	case tabEscalations:
		if tamOnly {
			return func(e *model.QueueItem) bool { return e.Escalated && e.TAM == u.ID }
		}
		return func(e *model.QueueItem) bool { return e.Escalated }
	case tabAccounts:
		return func(e *model.QueueItem) bool { return e.TAM == u.ID }
	}
	return func(*model.QueueItem) bool { return true }
}

// queue is the list pane: a cursor over a view, drawn a screenful at a
// time. It follows its case by number when the order changes.
type queue struct {
	v      *model.Queue
	cursor int
	top    int
	height int
	sel    int64
}

func (q *queue) len() int {
	if q.v == nil {
		return 0
	}
	return q.v.Len()
}

// selected is the entry under the cursor, or nil.
func (q *queue) selected() *model.QueueItem {
	if q.cursor < 0 || q.cursor >= q.len() {
		return nil
	}
	return q.v.Items()[q.cursor]
}

// move moves the cursor by delta rows, clamped.
func (q *queue) move(delta int) {
	q.cursor += delta
	q.clamp()
	if e := q.selected(); e != nil {
		q.sel = e.Case.Number
	}
}

func (q *queue) clamp() {
	n := q.len()
	if q.cursor >= n {
		q.cursor = n - 1
	}
	if q.cursor < 0 {
		q.cursor = 0
	}
	h := q.height
	if h < 1 {
		h = 1
	}
	if q.cursor < q.top {
		q.top = q.cursor
	}
	if q.cursor >= q.top+h {
		q.top = q.cursor - h + 1
	}
	if q.top > n-h {
		q.top = n - h
	}
	if q.top < 0 {
		q.top = 0
	}
}

// follow puts the cursor back on the selected case after the view changed
// (binary search by its key); if it left the view, the cursor keeps its
// row and selects what is there now.
func (q *queue) follow() {
	if i := q.v.Index(q.sel); i >= 0 {
		q.cursor = i
		q.clamp()
		return
	}
	q.clamp()
	if e := q.selected(); e != nil {
		q.sel = e.Case.Number
	}
}

// visible is the rows on screen: the only ones ever drawn.
func (q *queue) visible() []*model.QueueItem {
	if q.v == nil {
		return nil
	}
	list := q.v.Items()
	end := q.top + q.height
	if end > len(list) {
		end = len(list)
	}
	if q.top >= end {
		return nil
	}
	return list[q.top:end]
}

// position is "3/120" for the queue's title line.
func (q *queue) position() string {
	if q.len() == 0 {
		return "0/0"
	}
	return fmt.Sprintf("%d/%d", q.cursor+1, q.len())
}
