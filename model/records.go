package model

import (
	"encoding/json"
	"fmt"
	"time"
)

// The interchange records of DOMAIN.md, field for field and in its order.
// Nullable fields are pointers; instants are RFC 3339 strings with whole
// seconds in the zone of the case's region (America/New_York otherwise).

// ContactRecord is an account contact.
type ContactRecord struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Email string `json:"email"`
}

// AccountRecord is an account.
type AccountRecord struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Plan     string          `json:"plan"`
	Region   string          `json:"region"`
	TAMPlan  string          `json:"tam_plan"`
	TAM      *string         `json:"tam"`
	Contacts []ContactRecord `json:"contacts"`
}

// UserRecord is a team member.
type UserRecord struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Role   string   `json:"role"`
	Region *string  `json:"region"`
	Keys   []string `json:"keys"`
}

// CaseRecord is a case.
type CaseRecord struct {
	Number       int64   `json:"number"`
	Account      string  `json:"account"`
	Severity     int     `json:"severity"`
	Title        string  `json:"title"`
	Status       string  `json:"status"`
	Plan         string  `json:"plan"`
	Region       string  `json:"region"`
	Contact      *string `json:"contact"`
	OpenedAt     string  `json:"opened_at"`
	PhonedAt     *string `json:"phoned_at"`
	RespondedAt  *string `json:"responded_at"`
	Owner        *string `json:"owner"`
	WaitingSince *string `json:"waiting_since"`
	Followup1At  *string `json:"followup1_at"`
	Followup2At  *string `json:"followup2_at"`
	RepliedAt    *string `json:"replied_at"`
	ClosedAt     *string `json:"closed_at"`
	CloseReason  *string `json:"close_reason"`
	DuplicateOf  *int64  `json:"duplicate_of"`
	RefersTo     *int64  `json:"refers_to"`
}

// UpdateRecord is an escalation update.
type UpdateRecord struct {
	At      string `json:"at"`
	By      string `json:"by"`
	Summary string `json:"summary"`
}

// EscalationRecord is an escalation.
type EscalationRecord struct {
	Case          int64          `json:"case"`
	Status        string         `json:"status"`
	RequestedAt   string         `json:"requested_at"`
	RequestedBy   string         `json:"requested_by"`
	RecordedBy    string         `json:"recorded_by"`
	Channel       string         `json:"channel"`
	Justification string         `json:"justification"`
	FollowedUpAt  *string        `json:"followed_up_at"`
	DecidedAt     *string        `json:"decided_at"`
	Reason        *string        `json:"reason"`
	UpdateEvery   *string        `json:"update_every"`
	Updates       []UpdateRecord `json:"updates"`
	Outcome       *string        `json:"outcome"`
	Summary       *string        `json:"summary"`
	EndedAt       *string        `json:"ended_at"`
}

// TimeEntryRecord is a TAM time entry.
type TimeEntryRecord struct {
	ID         int64   `json:"id"`
	Account    string  `json:"account"`
	TAM        string  `json:"tam"`
	Date       string  `json:"date"`
	Minutes    int     `json:"minutes"`
	Category   string  `json:"category"`
	Mode       string  `json:"mode"`
	Case       *int64  `json:"case"`
	Project    *string `json:"project"`
	Note       string  `json:"note"`
	VoidedAt   *string `json:"voided_at"`
	VoidReason *string `json:"void_reason"`
}

// EventRecord is one entry of the audit trail.
type EventRecord struct {
	Seq        int64           `json:"seq"`
	At         string          `json:"at"`
	RecordedAt string          `json:"recorded_at"`
	Actor      string          `json:"actor"`
	Case       *int64          `json:"case"`
	Kind       string          `json:"kind"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
}

// Document is the interchange document.
type Document struct {
	Format      int                `json:"format"`
	Accounts    []AccountRecord    `json:"accounts"`
	Users       []UserRecord       `json:"users"`
	Cases       []CaseRecord       `json:"cases"`
	Escalations []EscalationRecord `json:"escalations"`
	TimeEntries []TimeEntryRecord  `json:"time_entries"`
	Events      []EventRecord      `json:"events"`
}

// Event is one entry of the audit trail. Before and After hold the
// interchange fields the action changed (a JSON object, or nil for null).
// Seq and RecordedAt are given by the store at commit.
type Event struct {
	Seq        int64
	At         time.Time
	RecordedAt time.Time
	Actor      string
	Case       int64
	Kind       string
	Before     json.RawMessage
	After      json.RawMessage
}

func optTime(t time.Time, loc *time.Location) *string {
	if t.IsZero() {
		return nil
	}
	s := FormatInstant(t, loc)
	return &s
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optInt(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

// AccountToRecord converts an account.
func AccountToRecord(a *Account) AccountRecord {
	r := AccountRecord{ID: a.ID, Name: a.Name, Plan: string(a.Plan), Region: string(a.Region),
		TAMPlan: string(a.TAMPlan), TAM: optString(a.TAM), Contacts: []ContactRecord{}}
	if r.TAMPlan == "" {
		r.TAMPlan = string(TAMNone)
	}
	for _, c := range a.Contacts {
		r.Contacts = append(r.Contacts, ContactRecord(c))
	}
	return r
}

// UserToRecord converts a user.
func UserToRecord(u *User) UserRecord {
	r := UserRecord{ID: u.ID, Name: u.Name, Role: string(u.Role), Region: optString(string(u.Region)), Keys: []string{}}
	r.Keys = append(r.Keys, u.Keys...)
	return r
}

// CaseToRecord converts a case, writing instants in its region's zone.
func CaseToRecord(c *Case, p *Policy) CaseRecord {
	loc := p.RegionZone(c.Region)
	return CaseRecord{
		Number: c.Number, Account: c.Account, Severity: c.Severity, Title: c.Title,
		Status: string(c.Status), Plan: string(c.Plan), Region: string(c.Region),
		Contact: optString(c.Contact), OpenedAt: FormatInstant(c.OpenedAt, loc),
		PhonedAt: optTime(c.PhonedAt, loc), RespondedAt: optTime(c.RespondedAt, loc),
		Owner: optString(c.Owner), WaitingSince: optTime(c.WaitingSince, loc),
		Followup1At: optTime(c.Followup1At, loc), Followup2At: optTime(c.Followup2At, loc),
		RepliedAt: optTime(c.RepliedAt, loc), ClosedAt: optTime(c.ClosedAt, loc),
		CloseReason: optString(c.CloseReason), DuplicateOf: optInt(c.DuplicateOf),
		RefersTo: optInt(c.RefersTo),
	}
}

// EscalationToRecord converts an escalation; loc is its case's zone.
func EscalationToRecord(e *Escalation, loc *time.Location) EscalationRecord {
	r := EscalationRecord{
		Case: e.Case, Status: e.Status, RequestedAt: FormatInstant(e.RequestedAt, loc),
		RequestedBy: e.RequestedBy, RecordedBy: e.RecordedBy, Channel: e.Channel,
		Justification: e.Justification, FollowedUpAt: optTime(e.FollowedUpAt, loc),
		DecidedAt: optTime(e.DecidedAt, loc), Reason: optString(e.Reason),
		Updates: []UpdateRecord{}, Outcome: optString(e.Outcome), Summary: optString(e.Summary),
		EndedAt: optTime(e.EndedAt, loc),
	}
	if e.UpdateEvery > 0 {
		s := FormatDuration(e.UpdateEvery)
		r.UpdateEvery = &s
	}
	for _, u := range e.Updates {
		r.Updates = append(r.Updates, UpdateRecord{At: FormatInstant(u.At, loc), By: u.By, Summary: u.Summary})
	}
	return r
}

// TimeEntryToRecord converts a time entry; instants in the home zone.
func TimeEntryToRecord(e *TimeEntry, p *Policy) TimeEntryRecord {
	return TimeEntryRecord{ID: e.ID, Account: e.Account, TAM: e.TAM, Date: e.Date.String(),
		Minutes: e.Minutes, Category: e.Category, Mode: e.Mode, Case: optInt(e.Case),
		Project: optString(e.Project), Note: e.Note, VoidedAt: optTime(e.VoidedAt, p.HomeZone()),
		VoidReason: optString(e.VoidReason)}
}

// EventToRecord converts an event; loc is the zone of its case (or home).
func EventToRecord(e *Event, loc *time.Location) EventRecord {
	r := EventRecord{Seq: e.Seq, At: FormatInstant(e.At, loc), RecordedAt: FormatInstant(e.RecordedAt, loc),
		Actor: e.Actor, Case: optInt(e.Case), Kind: e.Kind, Before: e.Before, After: e.After}
	if len(r.Before) == 0 {
		r.Before = json.RawMessage("null")
	}
	if len(r.After) == 0 {
		r.After = json.RawMessage("null")
	}
	return r
}

// FieldError is a problem with one field of a record.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func parseOptTime(s *string, field string) (time.Time, error) {
	if s == nil {
		return time.Time{}, nil
	}
	t, err := ParseInstant(*s)
	if err != nil {
		return time.Time{}, fieldErr(field, "%v", err)
	}
	return t, nil
}

// CaseFromRecord converts and checks a case record on its own (references
// to accounts, owners and other cases are checked by the caller).
func CaseFromRecord(r *CaseRecord) (Case, error) {
	c := Case{Number: r.Number, Account: r.Account, Severity: r.Severity, Title: r.Title,
		Plan: Plan(r.Plan), Region: Region(r.Region), Contact: deref(r.Contact), Owner: deref(r.Owner),
		CloseReason: deref(r.CloseReason), DuplicateOf: derefInt(r.DuplicateOf), RefersTo: derefInt(r.RefersTo)}
	if !ValidNumber(r.Number) {
		return c, fieldErr("number", "%d is not a case number (1 to %d)", r.Number, MaxNumber)
	}
	if r.Account == "" {
		return c, fieldErr("account", "missing")
	}
	if r.Severity < 1 || r.Severity > 4 {
		return c, fieldErr("severity", "%d is not 1 to 4", r.Severity)
	}
	st, ok := ParseStatus(r.Status)
	if !ok {
		return c, fieldErr("status", "%q is not a status (new, assigned, in-progress, waiting-customer, waiting-development, fix-available, closed)", r.Status)
	}
	c.Status = st
	if r.Plan != "" {
		if _, ok := ParsePlan(r.Plan); !ok {
			return c, fieldErr("plan", "%q is not a plan (basic, plus, premium)", r.Plan)
		}
	}
	var err error
	if r.OpenedAt == "" {
		return c, fieldErr("opened_at", "missing")
	}
	if c.OpenedAt, err = ParseInstant(r.OpenedAt); err != nil {
		return c, fieldErr("opened_at", "%v", err)
	}
	for _, f := range []struct {
		s    *string
		name string
		dst  *time.Time
	}{
		{r.PhonedAt, "phoned_at", &c.PhonedAt}, {r.RespondedAt, "responded_at", &c.RespondedAt},
		{r.WaitingSince, "waiting_since", &c.WaitingSince}, {r.Followup1At, "followup1_at", &c.Followup1At},
		{r.Followup2At, "followup2_at", &c.Followup2At}, {r.RepliedAt, "replied_at", &c.RepliedAt},
		{r.ClosedAt, "closed_at", &c.ClosedAt},
	} {
		if *f.dst, err = parseOptTime(f.s, f.name); err != nil {
			return c, err
		}
	}
	return c, nil
}

// EscalationFromRecord converts an escalation record.
func EscalationFromRecord(r *EscalationRecord) (Escalation, error) {
	e := Escalation{Case: r.Case, Status: r.Status, RequestedBy: r.RequestedBy, RecordedBy: r.RecordedBy,
		Channel: r.Channel, Justification: r.Justification, Reason: deref(r.Reason),
		Outcome: deref(r.Outcome), Summary: deref(r.Summary)}
	var err error
	if e.RequestedAt, err = ParseInstant(r.RequestedAt); err != nil {
		return e, fieldErr("requested_at", "%v", err)
	}
	for _, f := range []struct {
		s    *string
		name string
		dst  *time.Time
	}{
		{r.FollowedUpAt, "followed_up_at", &e.FollowedUpAt}, {r.DecidedAt, "decided_at", &e.DecidedAt},
		{r.EndedAt, "ended_at", &e.EndedAt},
	} {
		if *f.dst, err = parseOptTime(f.s, f.name); err != nil {
			return e, err
		}
	}
	if r.UpdateEvery != nil {
		d, derr := time.ParseDuration(*r.UpdateEvery)
		if derr != nil || d <= 0 {
			return e, fieldErr("update_every", "%q is not a positive duration (like \"4h\")", *r.UpdateEvery)
		}
		e.UpdateEvery = d
	}
	for i, u := range r.Updates {
		at, uerr := ParseInstant(u.At)
		if uerr != nil {
			return e, fieldErr(fmt.Sprintf("updates[%d].at", i), "%v", uerr)
		}
		e.Updates = append(e.Updates, EscalationUpdate{At: at, By: u.By, Summary: u.Summary})
	}
	return e, nil
}

// TimeEntryFromRecord converts a time entry record.
func TimeEntryFromRecord(r *TimeEntryRecord) (TimeEntry, error) {
	e := TimeEntry{ID: r.ID, Account: r.Account, TAM: r.TAM, Minutes: r.Minutes, Category: r.Category,
		Mode: r.Mode, Case: derefInt(r.Case), Project: deref(r.Project), Note: r.Note,
		VoidReason: deref(r.VoidReason)}
	var err error
	if e.Date, err = ParseDate(r.Date); err != nil {
		return e, fieldErr("date", "%v", err)
	}
	if e.VoidedAt, err = parseOptTime(r.VoidedAt, "voided_at"); err != nil {
		return e, err
	}
	return e, nil
}

// AccountFromRecord converts an account record.
func AccountFromRecord(r *AccountRecord) Account {
	a := Account{ID: r.ID, Name: r.Name, Plan: Plan(r.Plan), Region: Region(r.Region),
		TAMPlan: TAMPlan(r.TAMPlan), TAM: deref(r.TAM)}
	if a.TAMPlan == "" {
		a.TAMPlan = TAMNone
	}
	for _, c := range r.Contacts {
		a.Contacts = append(a.Contacts, Contact(c))
	}
	return a
}

// UserFromRecord converts a user record.
func UserFromRecord(r *UserRecord) User {
	return User{ID: r.ID, Name: r.Name, Role: Role(r.Role), Region: Region(deref(r.Region)),
		Keys: append([]string(nil), r.Keys...)}
}
