package ui

import (
	"errors"
	"fmt"

	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Going to a case by number: `#`, its digits, enter, from anywhere on the
// board (any tab, the detail, the alert list, the panel or an output
// pane). The case is selected in the tab on screen if it holds it, else in
// the first of the user's tabs that does (closed cases in the Closed tab);
// a case the user may not see is "no case N", like one that does not
// exist. After `N` and `o` the new or reopened case is selected the same
// way, once the change feed has brought it.

// jumpLine is the `#` line being typed.
type jumpLine struct {
	on     bool
	digits string
}

// maxJumpDigits bounds what `#` takes: case numbers stay below 10^12.
const maxJumpDigits = 12

// openJump starts the `#` line in the status line.
func (b *board) openJump() tea.Cmd {
	if b.desk == nil || b.wallMode {
		return nil
	}
	b.jump = jumpLine{on: true}
	b.layout()
	return nil
}

// jumpKey edits the `#` line: digits, backspace, enter goes, esc cancels.
func (b *board) jumpKey(msg tea.KeyMsg) tea.Cmd {
	k := b.km.JumpTo
	switch {
	case key.Matches(msg, k.Quit):
		return b.quit()
	case key.Matches(msg, k.Cancel):
		b.jump = jumpLine{}
		b.setStatus("")
		b.layout()
	case key.Matches(msg, k.Erase):
		if d := b.jump.digits; d != "" {
			b.jump.digits = d[:len(d)-1]
		}
	case key.Matches(msg, k.Go):
		digits := b.jump.digits
		b.jump = jumpLine{}
		b.layout()
		if digits == "" {
			b.setStatus("")
			return nil
		}
		n, err := model.ParseCaseNumber(digits)
		if err != nil {
			b.setError(err)
			return nil
		}
		return b.goToCase(n)
	case msg.Type == tea.KeyRunes: // typed or pasted: the digits count
		for _, r := range msg.Runes {
			if r >= '0' && r <= '9' && len(b.jump.digits) < maxJumpDigits {
				b.jump.digits += string(r)
			}
		}
	}
	return nil
}

// jumpView is the `#` line as the status line shows it.
func (b *board) jumpView() string {
	th := b.th
	return fit(th.Accent.Render("go to case #")+b.jump.digits+"█"+th.Faint.Render("  enter go · esc cancel"), b.w)
}

// goToCase is `#`'s enter: select case n where the user can see it, or
// say there is no such case.
func (b *board) goToCase(n int64) tea.Cmd {
	c, ok, err := b.lookupVisible(n)
	if err != nil {
		b.setError(fmt.Errorf("read case %s: %w", model.CaseNumber(n), err))
		return nil
	}
	if !ok {
		b.setError(fmt.Errorf("no case %s", model.CaseNumber(n)))
		return nil
	}
	cmd, err := b.selectCase(n)
	if err != nil {
		b.setError(err)
		return nil
	}
	msg := "case " + model.CaseNumber(n)
	if !c.IsOpen() {
		w, _ := reopenLeft(c.ClosedAt, b.p, b.now)
		msg += " (closed, " + w + ")"
	}
	b.setStatus(msg)
	return cmd
}

// visibleCase is case n if the acting user may see it (a closed case is
// read from the store).
func (b *board) visibleCase(n int64) (*model.Case, bool) {
	c, ok, err := b.lookupVisible(n)
	return c, ok && err == nil
}

// lookupVisible is visibleCase with the store's read error.
func (b *board) lookupVisible(n int64) (*model.Case, bool, error) {
	if b.desk == nil {
		return nil, false, nil
	}
	c, _, ok, err := b.desk.Lookup(n)
	if err != nil || !ok {
		return nil, false, err
	}
	var a model.Account
	if ac, ok := b.desk.Accounts[c.Account]; ok {
		a = *ac
	}
	if !model.CanSee(b.user, a) {
		return nil, false, nil
	}
	return c, true, nil
}

// selectCase puts the cursor on case n: in the tab on screen if it holds
// it, else in the first of the user's tabs that does (the filter is
// cleared if it hides the case). Overlays over the queue close; an open
// detail stays open, on the case.
func (b *board) selectCase(n int64) (tea.Cmd, error) {
	q := b.q
	if b.wallMode || len(q.tabs) == 0 {
		return nil, errors.New("no queue here")
	}
	was, wasFilter := q.tab, q.filter
	order := []int{q.tab}
	for i := range q.tabs {
		if i != q.tab {
			order = append(order, i)
		}
	}
	found := false
	for _, i := range order {
		if !q.tabHolds(q.tabs[i], n) {
			continue
		}
		if i != q.tab || q.filter != wasFilter {
			q.tab, q.filter = i, wasFilter
			q.rebuild()
		}
		if q.index(n) < 0 && q.filter != "" {
			q.filter, q.filtering = "", false
			q.rebuild()
		}
		if q.index(n) >= 0 {
			found = true
			break
		}
	}
	if !found {
		if q.tab != was || q.filter != wasFilter {
			q.tab, q.filter = was, wasFilter
			q.rebuild()
		}
		return nil, fmt.Errorf("%s is in none of your queues", model.CaseNumber(n))
	}
	q.sel = n
	q.follow()
	b.help.ShowAll, b.helpTop = false, 0
	b.alerts.on, b.panel.on, b.out.on = false, false, false
	b.det.scroll = 0
	b.layout()
	return b.fetchDetail(), nil
}

// tabHolds reports whether tab t holds case n for the acting user, the
// filter aside: a cheap test on the one case, before any view is built.
// A closed case on disk older than the Closed tab's pages is added to its
// list here, so that the tab has a row for it.
func (q *Queue) tabHolds(t tabKind, n int64) bool {
	if t == tabClosed {
		c, ok := q.c.desk.Find(n)
		if !ok || c.IsOpen() || !closedPred(q.c, "")(c) {
			return false
		}
		q.cl.put(q.c.desk, c)
		return true
	}
	it, ok := q.c.ix.Get(n)
	return ok && tabPred(t, q.c.user)(it)
}

// selectAfter notes the case an action opened or reopened, to select it
// once the board's desk has it open (the feed may bring the change before
// or after the action's answer).
func (b *board) selectAfter(ch *model.Change) tea.Cmd {
	if ch == nil {
		return nil
	}
	for _, ev := range ch.Events {
		if ev.Kind == "opened" || ev.Kind == "reopened" {
			b.pendingSel = ev.Case
			return b.selectPending()
		}
	}
	return nil
}

// selectPending selects the noted case once it is open on the desk; the
// status line keeps what the action said.
func (b *board) selectPending() tea.Cmd {
	n := b.pendingSel
	if n == 0 || b.desk == nil {
		return nil
	}
	c, ok := b.desk.Cases[n]
	if !ok || !c.IsOpen() {
		return nil
	}
	b.pendingSel = 0
	status, isErr := b.status, b.statusErr
	cmd, err := b.selectCase(n)
	if err != nil {
		b.setError(err)
		return nil
	}
	b.status, b.statusErr = status, isErr
	return cmd
}
