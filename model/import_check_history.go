package model

import (
	"encoding/json"
	"strconv"
)

// A desk's records keep their history: a closed case owned by someone who
// has since left, a time entry logged by a TAM who has left, or under a
// TAM plan the account has since given up (its month past the smaller
// bank, managed time on a plan without it, time on a plan now none).
// The desk holds such records; so does its export. The import takes them
// back when the document's own events say how they came about: the
// user's removal (user-removed), the entry's logging (time-logged, checked
// against the plan of its day when it was logged). A document without
// those events (a CSV, a document made by hand, one without events) is
// checked as a new record would be.
//
// Such a problem waits (pending) until the events are read, and is
// reported unless every event it needs was met.

// pendingProblem is a problem excused if every one of needs is met.
type pendingProblem struct {
	p     rankedProblem
	needs []string
}

func removedUser(id string) string { return "user-removed " + id }
func loggedEntry(id int64) string  { return "time-logged " + strconv.FormatInt(id, 10) }

// awaits notes k as awaited (not met yet, unless it was).
func (ck *DocCheck) awaits(k string) {
	if _, ok := ck.awaited[k]; !ok {
		ck.awaited[k] = false
	}
}

// badUnless is bad, unless the document's events meet every one of needs.
// It returns the pending problem's index (needs may grow: needMore).
func (ck *DocCheck) badUnless(needs []string, list string, i int, field, format string, args ...any) int {
	p := ck.problem(list, i, field, format, args...)
	if ck.awaited == nil {
		ck.awaited = map[string]bool{}
	}
	for _, k := range needs {
		ck.awaits(k)
	}
	ck.pending = append(ck.pending, pendingProblem{p, needs})
	return len(ck.pending) - 1
}

// needMore adds a need to pending problem k.
func (ck *DocCheck) needMore(k int, need string) {
	ck.awaits(need)
	ck.pending[k].needs = append(ck.pending[k].needs, need)
}

// meetHistory notes what an event of the document shows of the history
// awaited: a user's removal, an entry's logging.
func (ck *DocCheck) meetHistory(kind string, before, after json.RawMessage) {
	if len(ck.awaited) == 0 {
		return
	}
	var k string
	switch kind {
	case "user-removed":
		var u struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(before, &u) != nil || u.ID == "" {
			return
		}
		k = removedUser(u.ID)
	case "time-logged":
		var e struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(after, &e) != nil {
			return
		}
		k = loggedEntry(e.ID)
	default:
		return
	}
	if _, ok := ck.awaited[k]; ok {
		ck.awaited[k] = true
	}
}

// settle reports the pending problems the events did not excuse (the
// events are all read).
func (ck *DocCheck) settle() {
	for _, pp := range ck.pending {
		excused := true
		for _, k := range pp.needs {
			excused = excused && ck.awaited[k]
		}
		if !excused {
			ck.probs = append(ck.probs, pp.p)
		}
	}
	ck.pending, ck.awaited = nil, nil
}
