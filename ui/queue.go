package ui

import (
	"fmt"
	"strings"

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
func tabPred(t tabKind, u model.User) func(*entry) bool {
	tamOnly := u.Role == model.TAM
	switch t {
	case tabMine:
		return func(e *entry) bool { return e.c.Owner == u.ID }
	case tabRegion:
		return func(e *entry) bool { return e.c.Region == u.Region }
	case tabEscalations:
		if tamOnly {
			return func(e *entry) bool { return e.escalated() && e.tam == u.ID }
		}
		return func(e *entry) bool { return e.escalated() }
	case tabAccounts:
		return func(e *entry) bool { return e.tam == u.ID }
	}
	return func(*entry) bool { return true }
}

// queue is the list pane: a cursor over a view, drawn a screenful at a
// time. It follows its case by number when the order changes.
type queue struct {
	v      *view
	cursor int
	top    int
	height int
	sel    int64
}

func (q *queue) len() int {
	if q.v == nil {
		return 0
	}
	return len(q.v.list)
}

// selected is the entry under the cursor, or nil.
func (q *queue) selected() *entry {
	if q.cursor < 0 || q.cursor >= q.len() {
		return nil
	}
	return q.v.list[q.cursor]
}

// move moves the cursor by delta rows, clamped.
func (q *queue) move(delta int) {
	q.cursor += delta
	q.clamp()
	if e := q.selected(); e != nil {
		q.sel = e.c.Number
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
func (q *queue) follow(ix *index) {
	if e, ok := ix.entries[q.sel]; ok {
		if i := q.v.indexOf(e); i >= 0 {
			q.cursor = i
			q.clamp()
			return
		}
	}
	q.clamp()
	if e := q.selected(); e != nil {
		q.sel = e.c.Number
	}
}

// visible is the rows on screen: the only ones ever drawn.
func (q *queue) visible() []*entry {
	if q.v == nil {
		return nil
	}
	end := q.top + q.height
	if end > len(q.v.list) {
		end = len(q.v.list)
	}
	if q.top >= end {
		return nil
	}
	return q.v.list[q.top:end]
}

// matchFilter builds the `/` filter's predicate: every word must appear in
// the number, account or title.
func matchFilter(f string) func(*entry) bool {
	words := strings.Fields(strings.ToLower(f))
	return func(e *entry) bool {
		for _, w := range words {
			if !strings.Contains(e.search, w) {
				return false
			}
		}
		return true
	}
}

// position is "3/120" for the queue's title line.
func (q *queue) position() string {
	if q.len() == 0 {
		return "0/0"
	}
	return fmt.Sprintf("%d/%d", q.cursor+1, q.len())
}
