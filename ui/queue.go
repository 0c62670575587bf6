package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
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
	tabClosed // closed cases, not in the queue index: see closed.go
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
	case tabClosed:
		return "Closed"
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

// tabKey names what tabPred's predicate depends on, so that boards with
// the same view share it on the shared desk; a tab it does not name is
// keyed by the whole user (shared only among that user's boards).
func tabKey(t tabKind, u model.User) string {
	switch t {
	case tabAll:
		return "all"
	case tabRegion:
		return "region:" + string(u.Region)
	case tabEscalations:
		if u.Role != model.TAM {
			return "escalations"
		}
	}
	return fmt.Sprintf("%d:%s:%s:%s", t, u.ID, u.Role, u.Region)
}

// Queue is the list pane: the role's tabs, the order and the `/` filter,
// and a cursor over the view of the queue index they pick, drawn a
// screenful at a time. It follows its case by number when the order
// changes.
type Queue struct {
	c    *Common
	w, h int

	tabs      []tabKind
	tab       int
	byDue     bool
	filter    string
	filtering bool

	v      *model.Queue
	cl     closedList // the Closed tab's list (v is nil on it)
	cursor int
	top    int
	height int
	sel    int64
	// teamTop is the first row of the Team tab on show.
	teamTop int
	// next is the new cases of the user's region, most urgent first, for
	// take next; nextFor the user and region it was made for.
	next    *model.Queue
	nextFor string

	// rows keeps the rows drawn at one clock second, width, column set and
	// theme (queue items never change once made, so an item and its
	// selection name its row): a cursor move redraws two rows, not all.
	rows    map[rowKey]string
	rowsFor rowsKey
}

type rowKey struct {
	it                 *model.QueueItem
	selected, flashing bool
}

type rowsKey struct {
	now         time.Time
	w           int
	cols        queueCols
	th          *theme
	user        string
	wall, title bool
}

func newQueue(c *Common) *Queue { return &Queue{c: c} }

// reset gives the queue the tabs of a role, unfiltered.
func (q *Queue) reset(r model.Role) {
	q.tabs, q.tab = tabsFor(r)
	q.tabs, q.tab = q.withManagerTabs(q.tabs, q.tab)
	if r != model.Wall { // every role with case tabs, before a manager's Team
		if n := len(q.tabs); n > 0 && q.tabs[n-1] == tabTeam {
			q.tabs = append(q.tabs[:n-1], tabClosed, tabTeam)
		} else {
			q.tabs = append(q.tabs, tabClosed)
		}
	}
	q.filter, q.filtering = "", false
	q.teamTop = 0
	q.resetNewCases(r)
}

// rebuild replaces the view after a tab, order or filter change (none on
// a wall, which keeps views of its own).
func (q *Queue) rebuild() {
	if q.v != nil {
		q.c.drop(q.v)
	}
	q.v = nil
	q.cl.close()
	if q.c.wallMode || q.onTeam() {
		return
	}
	if q.onClosed() {
		q.cl.open(q.c.desk, closedPred(q.c, q.filter))
		q.cl.readTo(q.c.desk, q.cursor, q.height)
		q.follow()
		return
	}
	tp := q.tabPredAt(q.tab)
	pred := tp
	if q.filter != "" {
		fp := matchFilter(q.filter)
		pred = func(e *model.QueueItem) bool { return tp(e) && fp(e) }
	}
	tk := tabKey(q.tabs[q.tab], q.c.user)
	if q.tabs[q.tab] == tabRegion { // a manager has one per region: the tab's, not the user's
		tk = "region:" + string(q.tabRegionAt(q.tab))
	}
	key := fmt.Sprintf("queue|%s|%v|%q", tk, q.byDue, q.filter)
	q.v = q.c.view(key, pred, orderOf(q.byDue))
	q.follow()
}

// switchTab moves to the next (d 1) or previous (d -1) tab.
func (q *Queue) switchTab(d int) {
	q.tab = (q.tab + d + len(q.tabs)) % len(q.tabs)
	q.rebuild()
}

// toggleOrder switches between severity and due order.
func (q *Queue) toggleOrder() {
	q.byDue = !q.byDue
	q.rebuild()
}

// editFilter applies a key to the `/` filter being typed; it reports
// whether the key was the filter's.
func (q *Queue) editFilter(msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, q.c.km.Filter.Cancel):
		q.filtering = false
		q.filter = ""
	case msg.Type == tea.KeyBackspace:
		r := []rune(q.filter)
		if len(r) > 0 {
			q.filter = string(r[:len(r)-1])
		}
	case msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace:
		q.filter += string(msg.Runes)
	default:
		return false
	}
	q.rebuild()
	return true
}

// Init implements tea.Model.
func (q *Queue) Init() tea.Cmd { return nil }

// Update moves the cursor on the queue's keys.
func (q *Queue) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return q, nil
	}
	k := q.c.km.Queue
	if q.onTeam() {
		q.scrollTeam(km)
		return q, nil
	}
	switch {
	case key.Matches(km, k.Up):
		q.move(-1)
	case key.Matches(km, k.Down):
		q.move(1)
	case key.Matches(km, k.PageUp):
		q.move(-q.height)
	case key.Matches(km, k.PageDown):
		q.move(q.height)
	case key.Matches(km, k.Top):
		q.move(-q.len())
	case key.Matches(km, k.Bottom):
		if q.onClosed() { // the oldest closed cases: read (a bounded number of) pages first
			q.cl.readTo(q.c.desk, math.MaxInt32, 0)
		}
		q.move(q.len())
	}
	return q, nil
}

// SetSize implements Component: h lines, the column heads and the rows.
func (q *Queue) SetSize(w, h int) {
	q.w, q.h = w, h
	q.height = max(h-1, 1)
	if q.v != nil {
		q.clamp()
	}
}

// ShortHelp implements help.KeyMap.
func (q *Queue) ShortHelp() []key.Binding { return q.c.km.HelpFor(keymap.CtxQueue, nil).ShortHelp() }

// FullHelp implements help.KeyMap.
func (q *Queue) FullHelp() [][]key.Binding { return q.c.km.HelpFor(keymap.CtxQueue, nil).FullHelp() }

// View draws the queue at the size it was given.
func (q *Queue) View() string { return q.render(q.w, q.h) }

func (q *Queue) len() int {
	if q.onClosed() {
		return len(q.cl.rows)
	}
	if q.v == nil {
		return 0
	}
	return q.v.Len()
}

// selected is the entry under the cursor, or nil.
func (q *Queue) selected() *model.QueueItem {
	if q.cursor < 0 || q.cursor >= q.len() {
		return nil
	}
	if q.onClosed() {
		return q.cl.itemAt(q.c, q.cursor)
	}
	return q.v.Items()[q.cursor]
}

// move moves the cursor by delta rows, clamped.
func (q *Queue) move(delta int) {
	want := q.cursor + delta
	q.cursor = want
	q.clamp()
	if q.onClosed() && q.cl.readTo(q.c.desk, max(want, q.cursor), q.height) {
		// Older closed cases read from the store: the move goes on into them.
		q.cursor = want
		q.clamp()
	}
	if e := q.selected(); e != nil {
		q.sel = e.Case.Number
	}
}

func (q *Queue) clamp() {
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
func (q *Queue) follow() {
	if q.v == nil && !q.onClosed() {
		return
	}
	if i := q.index(q.sel); i >= 0 {
		q.cursor = i
		q.clamp()
		return
	}
	q.clamp()
	if e := q.selected(); e != nil {
		q.sel = e.Case.Number
	}
}

// onClosed reports whether the Closed tab is on.
func (q *Queue) onClosed() bool {
	return len(q.tabs) > 0 && q.tabs[q.tab] == tabClosed && !q.c.wallMode
}

// index is the row of case n in the tab on screen, or -1.
func (q *Queue) index(n int64) int {
	switch {
	case q.onClosed():
		return q.cl.index(q.c.desk, n)
	case q.v == nil:
		return -1
	}
	return q.v.Index(n)
}

// visible is the rows on screen: the only ones ever drawn.
func (q *Queue) visible() []*model.QueueItem {
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
func (q *Queue) position() string {
	if q.onTeam() {
		return "team, read-only"
	}
	if q.len() == 0 {
		return "0/0"
	}
	if q.onClosed() && q.cl.more {
		return fmt.Sprintf("%d/%d+", q.cursor+1, q.len()) // older ones on disk
	}
	return fmt.Sprintf("%d/%d", q.cursor+1, q.len())
}

// The board's queue index is model.QueueIndex: every open case held once,
// with the sorted views the panes derive from it (a tab with its filter,
// the wall's regions, the auto-close list).

// orderOf is the queue order the `s` key toggles.
func orderOf(byDue bool) model.Order {
	if byDue {
		return model.ByDue
	}
	return model.BySeverity
}

// matchFilter builds the `/` filter's predicate: every word must appear in
// the number, account or title.
func matchFilter(f string) func(*model.QueueItem) bool {
	words := strings.Fields(strings.ToLower(f))
	return func(e *model.QueueItem) bool { return e.Matches(words) }
}
