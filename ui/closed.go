package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"caseboard/model"

	"github.com/charmbracelet/x/ansi"
)

// The Closed tab: the closed cases the user may see, most recently closed
// first, each with its reopen window's clock. The queue index holds open
// cases only, so the queue pane keeps this list itself: built the first
// time the tab (or a jump) needs it, then kept per change event by binary
// search, never per frame or tick. Only the rows on screen are drawn, and
// a queue item (clocks, escalation) is built only for the case under the
// cursor.
//
// A desk loaded from a store keeps its closed cases on disk (model.Desk's
// Closed): the list then reads them a page at a time, newest first
// (closedPage), when the tab is first shown and again as the cursor comes
// within a screen of the oldest row read, and keeps the cases it read, so
// a redraw never reads the store. A case `#` goes to that is older than
// the pages read is added on its own.

// closedPage is how many closed cases the list reads from the store at
// once; closedPagesAtOnce bounds the pages one key reads while a filter
// keeps few of them.
const (
	closedPage        = 200
	closedPagesAtOnce = 25
)

// closedEntry is one closed case in the list's order.
type closedEntry struct {
	at  time.Time // when it closed
	num int64
}

// compareClosed orders the list: most recently closed first, then the
// higher case number (model.CompareClosed, the store's order).
func compareClosed(a, b closedEntry) int {
	return model.CompareClosed(model.ClosedMark{At: a.at, Number: a.num}, model.ClosedMark{At: b.at, Number: b.num})
}

// sortedClosed is a list of entries in compareClosed order.
type sortedClosed []closedEntry

func (s sortedClosed) find(e closedEntry) (int, bool) {
	return slices.BinarySearchFunc(s, e, compareClosed)
}

func (s *sortedClosed) insert(e closedEntry) {
	if i, ok := s.find(e); !ok {
		*s = slices.Insert(*s, i, e)
	}
}

func (s *sortedClosed) remove(e closedEntry) {
	if i, ok := s.find(e); ok {
		*s = slices.Delete(*s, i, i+1)
	}
}

// closedList is the closed cases of the desk the board knows (all of them,
// or the pages read from the store) and the Closed tab's view of them (the
// user's and the filter's), with the queue item of the case the cursor is
// on.
type closedList struct {
	built  bool
	builds int // how many times it was built (a test reads it)
	all    sortedClosed
	at     map[int64]time.Time   // each listed case's key in all
	cases  map[int64]*model.Case // each listed case
	reads  int                   // pages read from the store (a test reads it)

	// With a store: more is true while older closed cases may be on disk,
	// edge the oldest case read (the next page starts after it); err the
	// last read's failure, shown in the tab.
	more bool
	edge closedEntry
	err  error

	viewOn bool
	pred   func(*model.Case) bool
	rows   sortedClosed

	item *model.QueueItem // the selected row's item, built once per change of it
}

// reset forgets the list: a new desk (start, resync) builds it again when
// next needed.
func (cl *closedList) reset() { *cl = closedList{} }

// build lists the closed cases of the desk, once: every one held in
// memory, and the newest page of those on disk.
func (cl *closedList) build(d *model.Desk) {
	if cl.built || d == nil {
		return
	}
	cl.built = true
	cl.builds++
	cl.at = map[int64]time.Time{}
	cl.cases = map[int64]*model.Case{}
	cl.all = cl.all[:0]
	for _, c := range d.Cases {
		if !c.IsOpen() {
			cl.add(c)
		}
	}
	slices.SortFunc(cl.all, compareClosed)
	if d.Closed != nil {
		cl.more = true
		cl.readPage(d)
	}
}

// add lists c (not sorted in).
func (cl *closedList) add(c *model.Case) {
	if _, ok := cl.at[c.Number]; ok {
		return
	}
	cl.all = append(cl.all, closedEntry{at: c.ClosedAt, num: c.Number})
	cl.at[c.Number] = c.ClosedAt
	cl.cases[c.Number] = c
}

// readPage reads the next page of closed cases from the store and lists
// them; it reports whether it read one.
func (cl *closedList) readPage(d *model.Desk) bool {
	if !cl.more || d.Closed == nil {
		return false
	}
	var after model.ClosedMark
	if cl.edge.num != 0 {
		after = model.ClosedMark{At: cl.edge.at, Number: cl.edge.num}
	}
	page, err := d.Closed.NewestClosed(after, closedPage)
	cl.reads++
	if err != nil {
		cl.err, cl.more = fmt.Errorf("read the closed cases: %w", err), false
		return false
	}
	cl.err = nil
	for _, c := range page {
		if _, inMemory := d.Cases[c.Number]; !inMemory { // reopened since: memory is the desk's state
			cl.add(c)
		}
	}
	if len(page) > 0 {
		last := page[len(page)-1]
		cl.edge = closedEntry{at: last.ClosedAt, num: last.Number}
	}
	cl.more = len(page) == closedPage
	slices.SortFunc(cl.all, compareClosed)
	cl.all = slices.CompactFunc(cl.all, func(a, b closedEntry) bool { return a == b })
	if cl.viewOn {
		cl.filter()
	}
	return true
}

// edgeRow is the view's row count up to and including the oldest case read
// from the store: rows past it may have older cases on disk before them.
func (cl *closedList) edgeRow() int {
	if !cl.more {
		return len(cl.rows)
	}
	i, found := cl.rows.find(cl.edge)
	if found {
		i++
	}
	return i
}

// readTo reads pages until the view has row `row` and a screen past it
// before the oldest case read, or the store has no more (a bounded number
// of pages per call); it reports whether it read any.
func (cl *closedList) readTo(d *model.Desk, row, screen int) bool {
	read := false
	for n := 0; n < closedPagesAtOnce && cl.more && row+screen >= cl.edgeRow(); n++ {
		read = cl.readPage(d) || read
	}
	return read
}

// put lists closed case c (a case `#` goes to, older than the pages read).
func (cl *closedList) put(d *model.Desk, c *model.Case) {
	cl.build(d)
	if _, ok := cl.at[c.Number]; ok || c.IsOpen() {
		return
	}
	e := closedEntry{at: c.ClosedAt, num: c.Number}
	cl.all.insert(e)
	cl.at[c.Number] = c.ClosedAt
	cl.cases[c.Number] = c
	if cl.viewOn && cl.pred(c) {
		cl.rows.insert(e)
	}
}

// open makes the view: the closed cases pred keeps, in the list's order
// (filtered from it: no sort).
func (cl *closedList) open(d *model.Desk, pred func(*model.Case) bool) {
	cl.build(d)
	cl.viewOn, cl.pred, cl.item = true, pred, nil
	cl.filter()
}

// filter fills the view's rows from the list.
func (cl *closedList) filter() {
	cl.rows = cl.rows[:0]
	for _, e := range cl.all {
		if c, ok := cl.cases[e.num]; ok && cl.pred(c) {
			cl.rows = append(cl.rows, e)
		}
	}
}

// close drops the view (another tab is on).
func (cl *closedList) close() { cl.viewOn, cl.pred, cl.rows, cl.item = false, nil, nil, nil }

// apply moves the cases a change touched (already applied to the desk) in
// the list and the view. A case the change closed is taken from the change
// (a desk with a store has already let it go to disk). A change to an
// account may change what the view keeps (a TAM's accounts): the view is
// filtered again then.
func (cl *closedList) apply(d *model.Desk, ch *model.Change) {
	if !cl.built {
		return
	}
	for i := range ch.Cases {
		n := ch.Cases[i].Number
		if at, ok := cl.at[n]; ok {
			old := closedEntry{at: at, num: n}
			cl.all.remove(old)
			cl.rows.remove(old)
			delete(cl.at, n)
			delete(cl.cases, n)
		}
		cur, ok := d.Cases[n]
		if !ok {
			c := ch.Cases[i]
			cur = &c
		}
		if cur.IsOpen() {
			continue
		}
		e := closedEntry{at: cur.ClosedAt, num: n}
		cl.all.insert(e)
		cl.at[n] = cur.ClosedAt
		cl.cases[n] = cur
		if cl.viewOn && cl.pred(cur) {
			cl.rows.insert(e)
		}
	}
	if len(ch.Cases) > 0 || len(ch.Escalations) > 0 || len(ch.Accounts) > 0 {
		cl.item = nil
	}
	if cl.viewOn && len(ch.Accounts) > 0 {
		cl.open(d, cl.pred)
	}
}

// index is the row of case n in the view, or -1.
func (cl *closedList) index(d *model.Desk, n int64) int {
	at, ok := cl.at[n]
	if !ok {
		return -1
	}
	if i, ok := cl.rows.find(closedEntry{at: at, num: n}); ok {
		return i
	}
	return -1
}

// itemAt is the queue item of the view's row i, built on first use (its
// escalation read from the store once, for a case on disk).
func (cl *closedList) itemAt(c *Common, i int) *model.QueueItem {
	if i < 0 || i >= len(cl.rows) {
		return nil
	}
	n := cl.rows[i].num
	if cl.item != nil && cl.item.Case.Number == n {
		return cl.item
	}
	cs, ok := cl.cases[n]
	if !ok {
		return nil
	}
	it := model.DeskQueueItem(c.desk, cs, c.p)
	cl.item = &it
	return cl.item
}

// closedPred is which closed cases the Closed tab shows a user: a TAM their
// accounts' (as every other tab), everyone else all; and the `/` filter's
// words, matched as the other tabs match them.
func closedPred(c *Common, filter string) func(*model.Case) bool {
	u := c.user
	words := strings.Fields(strings.ToLower(filter))
	return func(cs *model.Case) bool {
		a := c.desk.Accounts[cs.Account]
		if u.Role == model.TAM && (a == nil || a.TAM != u.ID) {
			return false
		}
		if len(words) == 0 {
			return true
		}
		name := ""
		if a != nil {
			name = a.Name
		}
		text := strings.ToLower(model.CaseNumber(cs.Number) + " " + cs.Account + " " + name + " " + cs.Title)
		for _, w := range words {
			if !strings.Contains(text, w) {
				return false
			}
		}
		return true
	}
}

// reopenLeft is the reopen window's clock at now: "reopen 12d4h left", or
// "window over" once the window (its last second included) has passed.
func reopenLeft(closedAt time.Time, p *model.Policy, now time.Time) (string, bool) {
	left := closedAt.Add(p.ReopenWindow).Sub(now)
	if left < 0 {
		return "window over", false
	}
	return "reopen " + model.Span(left) + " left", true
}

// The Closed tab's columns past the reopen window, as width allows (the
// title keeps room first).
const (
	closedAtFrom    = 90  // the closing instant
	closedOwnerFrom = 100 // the last owner
)

// renderClosed draws the Closed tab's column heads and the rows on screen.
func (q *Queue) renderClosed(w, h int) string {
	th := q.c.th
	head := fmt.Sprintf("  %-8s %-2s %-18s ", "case", "sv", "reopen window")
	if w >= closedAtFrom {
		head += fmt.Sprintf("%-12s ", "closed")
	}
	head += fmt.Sprintf("%-10s ", "account")
	if w >= closedOwnerFrom {
		head += fmt.Sprintf("%-8s ", "owner")
	}
	lines := make([]string, 0, h)
	lines = append(lines, th.Faint.Render(fit(head+"title", w)))
	rows := q.cl.rows
	end := min(q.top+q.height, len(rows))
	for i := q.top; i < end; i++ {
		c, ok := q.cl.cases[rows[i].num]
		if !ok {
			continue
		}
		lines = append(lines, q.closedRow(c, i == q.cursor, w))
	}
	if q.cl.err != nil {
		lines = append(lines, th.Breached.Render(fit("  "+q.cl.err.Error(), w)))
	}
	if len(rows) == 0 {
		msg := "no closed cases here"
		if q.filter != "" {
			msg = "no case matches the filter"
		}
		lines = append(lines, th.Faint.Render("  "+msg))
	}
	return block(lines, w, h)
}

func (q *Queue) closedRow(c *model.Case, selected bool, w int) string {
	cm := q.c
	th := cm.th
	marker := "  "
	if selected {
		marker = "▸ "
	}
	window, open := reopenLeft(c.ClosedAt, cm.p, cm.now)
	paint := th.pFaint
	if open {
		paint = th.pOK
	}
	left := marker + model.CaseNumber(c.Number) + " " + fmt.Sprintf("S%d", c.Severity) + " "
	rest := " "
	if w >= closedAtFrom {
		loc, _ := cm.zone()
		rest += c.ClosedAt.In(loc).Format("02 Jan 15:04") + " "
	}
	rest += fit(model.Inert(c.Account), 10) + " "
	if w >= closedOwnerFrom {
		rest += fit(model.Inert(orDash(c.Owner)), 8) + " "
	}
	title := fit(cm.title(c), w-ansi.StringWidth(left)-18-ansi.StringWidth(rest))
	if selected {
		return th.Selected.Render(fit(left+fit(window, 18)+rest+title, w))
	}
	return fit(left+paint.Render(fit(window, 18))+rest+title, w)
}
