package ui

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"caseboard/model"
)

// Probes: before a form opens, and for the help bar, the board asks the
// rules (model.Do on its own copy of the desk, no I/O) whether the action
// could pass now with some filling of the form. A form that cannot succeed
// does not open and the status line says why; the help bar leaves its key
// out. Every probe is a copy the model only reads.

// probeText fills a free-text field of a probe: the rules only ask that
// such fields are not empty.
const probeText = "?"

// probeKey is where a probe's new case or entry number is looked for: far
// above any the store gives, so the search ends at once.
const probeKey = int64(1) << 62

// probeEntries caps the time entries the void key's probe tries, so the
// help bar's cost does not grow with the desk's entries.
const probeEntries = 64

// check is the rules' answer to a on the board's copy of the desk. A new
// case or time entry gets an unused number first, as the store gives one.
func (b *board) check(a model.Action) error {
	switch x := a.(type) {
	case model.NewCase:
		if x.Number == 0 {
			x.Number = unusedKey(b.desk.Cases, probeKey)
		}
		a = x
	case model.LogTime:
		if x.ID == 0 {
			x.ID = unusedKey(b.desk.TimeEntries, probeKey)
		}
		a = x
	}
	return model.Check(b.desk, b.p, b.user.ID, a, b.now)
}

// unusedKey is the first key from n on that m does not hold.
func unusedKey[V any](m map[int64]V, n int64) int64 {
	for {
		if _, taken := m[n]; !taken {
			return n
		}
		n++
	}
}

// blocked says why the form of s cannot succeed on e now, or nil when some
// filling of it would pass (or the form is not probed: reopen asks for a
// case the board cannot guess).
func (b *board) blocked(s *actionSpec, e *model.QueueItem) error {
	if b.desk == nil {
		return nil
	}
	cands, none := b.candidates(s.id, e)
	if cands == nil && none == nil {
		return nil
	}
	if len(cands) == 0 {
		return none
	}
	var first error
	for _, a := range cands {
		err := b.check(a)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// candidates is each way the form of id could be filled that makes a
// difference to the rules (each choice that matters, free text filled),
// and the reason when the form has nothing to offer. nil, nil: not probed.
func (b *board) candidates(id actionID, e *model.QueueItem) ([]model.Action, error) {
	if id == actReopen && e != nil && !e.Case.IsOpen() {
		// The closed case under the cursor: its form is filled with it.
		return one(model.ReopenCase{Number: e.Case.Number})
	}
	if id == actReopen || id == actCommand {
		return nil, nil
	}
	switch id {
	case actTakeNext:
		n, err := b.nextToTake()
		if err != nil {
			return nil, err
		}
		return one(model.TakeCase{Number: n})
	case actNewCase:
		var out []model.Action
		for _, a := range model.AccountsOf(b.desk, b.user) {
			out = append(out, model.NewCase{Account: a.ID, Severity: 4, Title: probeText})
		}
		return out, errors.New("no account you may open a case for")
	case actTimeLog:
		var out []model.Action
		cats := model.Categories()
		for _, a := range model.AccountsOf(b.desk, b.user) {
			out = append(out, model.LogTime{Account: a.ID, Minutes: 1, Category: cats[0], Mode: model.ModeConsultative})
		}
		return out, errors.New("no account you may log time for")
	case actTimeVoid:
		var ids []int64
		for id, te := range b.desk.TimeEntries {
			if te.VoidedAt.IsZero() {
				ids = append(ids, id)
			}
			if len(ids) == probeEntries {
				break // some of them: enough to tell a role that voids from one that cannot
			}
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		out := make([]model.Action, 0, len(ids))
		for _, id := range ids {
			out = append(out, model.VoidTime{ID: id, Reason: probeText})
		}
		return out, errors.New("no time entry to void")
	}
	if e == nil {
		return nil, nil
	}
	c := e.Case
	n := c.Number
	switch id {
	case actTake:
		return one(model.TakeCase{Number: n})
	case actAssign:
		var out []model.Action
		for _, u := range model.AssignableUsers(b.desk, *c) {
			out = append(out, model.AssignCase{Number: n, To: u.ID})
		}
		return out, fmt.Errorf("nobody to assign %s to", model.CaseNumber(n))
	case actCall:
		return one(model.CallCase{Number: n})
	case actRespond:
		return one(model.RespondCase{Number: n})
	case actNote:
		return one(model.NoteCase{Number: n, Text: probeText})
	case actStatus:
		var out []model.Action
		for _, to := range model.StatusMoves(c.Status) {
			out = append(out, model.SetStatus{Number: n, To: to})
		}
		return out, fmt.Errorf("no status change from %s on %s (allowed: %s)", c.Status, model.CaseNumber(n),
			strings.Join(model.AllowedMoves(c.Status), ", "))
	case actSeverity:
		var out []model.Action
		for s := 1; s <= 4; s++ {
			if s != c.Severity {
				out = append(out, model.ChangeSeverity{Number: n, To: s, AgreedBy: probeText})
			}
		}
		return out, nil
	case actReply:
		return one(model.ReplyCase{Number: n})
	case actFollowup:
		return one(model.FollowupCase{Number: n})
	case actClose:
		out := []model.Action{model.CloseCase{Number: n, Reason: model.ReasonResolved},
			model.CloseCase{Number: n, Reason: model.ReasonNoResponse}}
		if other := b.otherCase(n); other != 0 {
			out = append(out, model.CloseCase{Number: n, Reason: model.ReasonDuplicate, DuplicateOf: other})
		}
		return out, nil
	case actEscalate:
		return []model.Action{model.Escalate{Number: n, By: b.user.ID, Channel: model.ChannelPhone, Justification: probeText},
			model.Escalate{Number: n, By: model.RequesterKinds()[0] + ":" + probeText, Channel: model.ChannelPhone, Justification: probeText}}, nil
	case actEscFollow:
		return one(model.EscalationFollowup{Number: n})
	case actAccept:
		return one(model.AcceptEscalation{Number: n, Every: time.Hour})
	case actDecline:
		return one(model.DeclineEscalation{Number: n, Reason: probeText})
	case actDeescalate:
		return one(model.DeescalateEscalation{Number: n, Reason: probeText})
	case actEscClose:
		var out []model.Action
		for _, o := range model.Outcomes() {
			out = append(out, model.CloseEscalation{Number: n, Outcome: o, Summary: probeText})
		}
		return out, nil
	case actEscUpdate:
		return one(model.UpdateEscalation{Number: n, Summary: probeText})
	}
	return nil, nil
}

func one(a model.Action) ([]model.Action, error) { return []model.Action{a}, nil }

// otherCase is some case other than n, for the duplicate probe (the rules
// ask only that it exists), or 0.
func (b *board) otherCase(n int64) int64 {
	for m := range b.desk.Cases {
		if m != n {
			return m
		}
	}
	if b.desk.Closed != nil { // every case in memory is n: a closed one on disk
		if page, err := b.desk.Closed.NewestClosed(model.ClosedMark{}, 2); err == nil {
			for _, c := range page {
				if c.Number != n {
					return c.Number
				}
			}
		}
	}
	return 0
}
