package store

import (
	"time"

	"caseboard/model"
)

// inUTC returns a copy of a stored model value with its instants in UTC.
//
// Instants are kept as RFC 3339 JSON. Decoding one written with a numeric
// offset ("-05:00") allocates a fresh *time.Location for every value, kept
// alive by the record: at 100,000 cases that is most of the heap. Written
// in UTC ("Z"), they decode to time.UTC and cost nothing. Nothing shows a
// stored instant without converting it to a zone first (model.When,
// model.FormatInstant), so the zone written here is never seen.
func inUTC(v any) any {
	switch x := v.(type) {
	case model.Case:
		return utcCase(x)
	case *model.Case:
		c := utcCase(*x)
		return &c
	case model.Escalation:
		return utcEscalation(x)
	case *model.Escalation:
		e := utcEscalation(*x)
		return &e
	case model.TimeEntry:
		x.VoidedAt = utc(x.VoidedAt)
		return x
	case *model.TimeEntry:
		e := *x
		e.VoidedAt = utc(e.VoidedAt)
		return &e
	case model.Event:
		x.At, x.RecordedAt = utc(x.At), utc(x.RecordedAt)
		return x
	case *model.Event:
		e := *x
		e.At, e.RecordedAt = utc(e.At), utc(e.RecordedAt)
		return &e
	}
	return v
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

func utcCase(c model.Case) model.Case {
	for _, t := range []*time.Time{&c.OpenedAt, &c.PhonedAt, &c.RespondedAt, &c.WaitingSince,
		&c.Followup1At, &c.Followup2At, &c.RepliedAt, &c.ClosedAt} {
		*t = utc(*t)
	}
	return c
}

func utcEscalation(e model.Escalation) model.Escalation {
	e.RequestedAt, e.FollowedUpAt = utc(e.RequestedAt), utc(e.FollowedUpAt)
	e.DecidedAt, e.EndedAt = utc(e.DecidedAt), utc(e.EndedAt)
	ups := make([]model.EscalationUpdate, len(e.Updates))
	for i, u := range e.Updates {
		u.At = utc(u.At)
		ups[i] = u
	}
	e.Updates = ups
	return e
}
