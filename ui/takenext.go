package ui

import (
	"fmt"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// Take next (`w`): the most urgent new case of the user's region that the
// rules let them take, in the queue's severity order (severity, then time
// to breach), is taken at once and selected: the seeds' "next available
// Product Specialist". The new cases of the region are a view of the
// board's queue index, kept up to date per change like the tabs.

// takeNextTries caps the new cases asked about (the help bar asks too), so
// a refusal on every one of a long queue costs the same as on a short one.
const takeNextTries = 64

// newCases is the view of the user's region's new cases, made again when
// the user or their region changes.
func (q *Queue) newCases() *model.Queue {
	u := q.c.user
	key := u.ID + "\x00" + string(u.Region)
	if q.next == nil || q.nextFor != key {
		if q.next != nil {
			q.c.drop(q.next)
		}
		r := u.Region
		// Registered like the tabs' views (a holder's boards share one per
		// region; the index's list of views is not safe to change alone).
		q.next = q.c.view("new|region:"+string(r), func(e *model.QueueItem) bool {
			return e.Case.Status == model.StatusNew && e.Case.Region == r
		}, model.BySeverity)
		q.nextFor = key
	}
	return q.next
}

// resetNewCases makes the view for a role that takes (here, not in the
// middle of drawing the help bar), or drops it.
func (q *Queue) resetNewCases(r model.Role) {
	if r == model.Specialist || r == model.Manager {
		q.newCases()
		return
	}
	if q.next != nil {
		q.c.drop(q.next)
		q.next, q.nextFor = nil, ""
	}
}

// nextToTake is the case take next would take, or why there is none: no
// new case in the region, or the rules' refusal of the most urgent one.
func (b *board) nextToTake() (int64, error) {
	items := b.q.newCases().Items()
	if len(items) == 0 {
		return 0, fmt.Errorf("no new case in %s to take", b.regionName(b.user.Region))
	}
	var first error
	for i, e := range items {
		if i == takeNextTries {
			break
		}
		err := b.check(model.TakeCase{Number: e.Case.Number})
		if err == nil {
			return e.Case.Number, nil
		}
		if first == nil {
			first = err
		}
	}
	return 0, fmt.Errorf("no new case in %s you may take: %w", b.regionName(b.user.Region), first)
}

// takeNext takes the next case and selects it: at once where the tab
// shows it, else when the change brings it into the tab (My cases).
func (b *board) takeNext() tea.Cmd {
	n, err := b.nextToTake()
	if err != nil {
		b.setError(err)
		return nil
	}
	b.q.sel = n
	if b.q.v != nil && b.q.v.Index(n) >= 0 {
		b.q.follow()
	}
	b.focusDetail = false
	b.setStatus("taking " + model.CaseNumber(n) + "…")
	return tea.Batch(doCmd(b.o.Backend, b.user.ID, model.TakeCase{Number: n}, b.now), b.fetchDetail())
}
