package ui

import (
	"strings"

	"caseboard/model"
)

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
