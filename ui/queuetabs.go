package ui

import (
	"caseboard/model"
)

// The manager's extra tabs: one region tab per region of the policy (their
// own first, then the others in the policy's order, so a North America
// manager sees `North America` and `EMEA`), and the Team tab, the load of
// each person. Kept here, apart from tabsFor, so the role's basic tabs
// stay in one short list.

// tabTeam is the manager's team-load tab: no cases, one row per person.
const tabTeam tabKind = 100

// withManagerTabs adds, for a manager, a region tab for every other region
// of the policy after their own, and the Team tab at the end; start
// follows the tab it named.
func (q *Queue) withManagerTabs(tabs []tabKind, start int) ([]tabKind, int) {
	if q.c.user.Role != model.Manager {
		return tabs, start
	}
	extra := len(q.regionOrder()) - 1
	var out []tabKind
	newStart := start
	for i, t := range tabs {
		if i == start {
			newStart = len(out)
		}
		out = append(out, t)
		if t == tabRegion {
			for j := 0; j < extra; j++ {
				out = append(out, tabRegion)
			}
		}
	}
	return append(out, tabTeam), newStart
}

// regionOrder is the user's region first, then the policy's others.
func (q *Queue) regionOrder() []model.Region {
	own := q.c.user.Region
	out := []model.Region{own}
	for _, r := range q.c.p.RegionIDs() {
		if r != own {
			out = append(out, r)
		}
	}
	return out
}

// tabRegionAt is the region of the tab at index i: the k-th region tab
// shows the k-th region of regionOrder.
func (q *Queue) tabRegionAt(i int) model.Region {
	k := 0
	for j := 0; j < i && j < len(q.tabs); j++ {
		if q.tabs[j] == tabRegion {
			k++
		}
	}
	if rs := q.regionOrder(); k < len(rs) {
		return rs[k]
	}
	return q.c.user.Region
}

// tabTitle is the name of the tab at index i.
func (q *Queue) tabTitle(i int) string {
	switch t := q.tabs[i]; t {
	case tabRegion:
		return q.c.regionName(q.tabRegionAt(i))
	case tabTeam:
		return "Team"
	default:
		return t.title(q.c.user, q.c.p)
	}
}

// tabPredAt is the cases the tab at index i shows.
func (q *Queue) tabPredAt(i int) func(*model.QueueItem) bool {
	if q.tabs[i] == tabRegion {
		r := q.tabRegionAt(i)
		return func(e *model.QueueItem) bool { return e.Case.Region == r }
	}
	return tabPred(q.tabs[i], q.c.user)
}

// onTeam reports whether the Team tab is on show.
func (q *Queue) onTeam() bool { return len(q.tabs) > 0 && q.tabs[q.tab] == tabTeam }

// onEscalations reports whether the Escalations tab is on show.
func (q *Queue) onEscalations() bool { return len(q.tabs) > 0 && q.tabs[q.tab] == tabEscalations }
