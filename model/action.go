package model

import (
	"fmt"
	"strings"
	"time"
)

// System is the actor of what the process does by itself (auto-close).
const System = "caseboard"

// View is what an action may read: the store implements it over one
// transaction (so every read takes part in conflict detection), tests over
// a map. Missing records report ok=false.
type View interface {
	Case(n int64) (Case, bool)
	// Escalation returns the case's latest escalation (open or ended).
	Escalation(n int64) (Escalation, bool)
	Account(id string) (Account, bool)
	User(id string) (User, bool)
	// HasUsers reports whether any user exists (bootstrap rule).
	HasUsers() bool
	TimeEntry(id int64) (TimeEntry, bool)
	// BankUsed is the counted minutes of an account's month.
	BankUsed(account string, m Month) int
	// ProjectUsed is the counted implementation-guidance minutes of one
	// project of an account, across all months.
	ProjectUsed(account, project string) int
	// OwnsOpenCases reports whether the user owns any open case.
	OwnsOpenCases(user string) bool
	// TAMOf lists, in id order, the accounts whose TAM the user is.
	TAMOf(user string) []string
	// KeyOwners lists, in id order, the users holding an SSH key with the
	// fingerprint (one at most, unless an old store holds a duplicate).
	KeyOwners(fingerprint string) []string
}

// BankDelta changes the stored month total of an account.
type BankDelta struct {
	Account string
	Month   Month
	Minutes int
}

// ProjectDelta changes the stored implementation total of a project.
type ProjectDelta struct {
	Account string
	Project string
	Minutes int
}

// Change is what an allowed action writes, all in one transaction: the new
// state of every record it touched, and its events in order. The store
// fills each event's Seq and RecordedAt.
type Change struct {
	Events      []Event
	Cases       []Case
	Escalations []Escalation
	Accounts    []Account
	Users       []User
	RemoveUsers []string
	TimeEntries []TimeEntry
	Bank        []BankDelta
	Projects    []ProjectDelta
	// Message says what was done, for the status line ("took 00001042").
	Message string
}

// Action is one thing a person (or the process) does. Each action type
// below is handled by Do.
type Action interface {
	// Verb is the action's name in refusals ("take", "log time for").
	Verb() string
}

// Refusal is a refused action: Msg is the one line a person reads, in one
// of the three forms of DOMAIN.md.
type Refusal struct {
	Msg string
}

func (r *Refusal) Error() string { return r.Msg }

// MoveRefusal is the lifecycle form:
// "cannot move 00001042 from new to waiting-customer (allowed: assigned, closed as duplicate)".
func MoveRefusal(n int64, from, to Status, allowed []string) *Refusal {
	return &Refusal{Msg: fmt.Sprintf("cannot move %s from %s to %s (allowed: %s)",
		CaseNumber(n), from, to, strings.Join(allowed, ", "))}
}

// PermissionRefusal is the permission form:
// "sam may not close 00001042: it is owned by lee".
func PermissionRefusal(actor, verb, object, reason string) *Refusal {
	return &Refusal{Msg: fmt.Sprintf("%s may not %s %s: %s", actor, verb, object, reason)}
}

// RuleRefusal is the form of every other rule:
// "cannot take 00001042: owned by lee".
func RuleRefusal(verb, object, reason string) *Refusal {
	return &Refusal{Msg: fmt.Sprintf("cannot %s %s: %s", verb, object, reason)}
}

// Case actions. Number is the case; At, where present, is an earlier
// instant of the fact (zero means now).
type (
	// NewCase opens a case. The store assigns Number before Do.
	NewCase struct {
		Number   int64
		Account  string
		Severity int
		Title    string
		Contact  string
		RefersTo int64
		Opened   time.Time
	}
	// TakeCase: the actor takes ownership.
	TakeCase struct{ Number int64 }
	// AssignCase: a manager gives the case to someone.
	AssignCase struct {
		Number int64
		To     string
	}
	// CallCase: the customer phoned.
	CallCase struct {
		Number int64
		At     time.Time
	}
	// RespondCase: the first response was given.
	RespondCase struct {
		Number int64
		At     time.Time
	}
	// NoteCase adds a note.
	NoteCase struct {
		Number int64
		Text   string
	}
	// SetStatus moves the case to another status.
	SetStatus struct {
		Number int64
		To     Status
	}
	// ChangeSeverity changes severity with the customer's agreement.
	ChangeSeverity struct {
		Number   int64
		To       int
		AgreedBy string
	}
	// ReplyCase: the customer answered.
	ReplyCase struct {
		Number int64
		At     time.Time
	}
	// FollowupCase: a follow-up to the customer (1, then 2).
	FollowupCase struct {
		Number int64
		At     time.Time
	}
	// CloseCase closes with a reason (DuplicateOf for duplicates).
	CloseCase struct {
		Number      int64
		Reason      string
		DuplicateOf int64
	}
	// ReopenCase reopens within the window.
	ReopenCase struct{ Number int64 }
	// AutoCloseCase is the process closing an unanswered case at its due.
	AutoCloseCase struct{ Number int64 }
)

// Escalation actions.
type (
	// Escalate requests an escalation. By is a user id or KIND:NAME.
	Escalate struct {
		Number        int64
		By            string
		Channel       string
		Justification string
	}
	// EscalationFollowup: the manager followed up with the customer.
	EscalationFollowup struct {
		Number int64
		At     time.Time
	}
	// AcceptEscalation with the agreed update frequency.
	AcceptEscalation struct {
		Number int64
		Every  time.Duration
	}
	// DeclineEscalation with the reason told to the customer.
	DeclineEscalation struct {
		Number int64
		Reason string
	}
	// UpdateEscalation records an update to the customer.
	UpdateEscalation struct {
		Number  int64
		Summary string
	}
	// DeescalateEscalation: the customer did not provide the resources.
	DeescalateEscalation struct {
		Number int64
		Reason string
	}
	// CloseEscalation with an outcome and a final summary.
	CloseEscalation struct {
		Number  int64
		Outcome string
		Summary string
	}
)

// Time bank, account and user actions.
type (
	// LogTime adds a time entry. The store assigns ID before Do. A zero
	// Date is today in the TAM zone; an empty Mode is consultative.
	LogTime struct {
		ID       int64
		Account  string
		Minutes  int
		Category string
		Mode     string
		Date     Date
		Case     int64
		Project  string
		Note     string
	}
	// VoidTime voids an entry with a reason.
	VoidTime struct {
		ID     int64
		Reason string
	}
	// AddAccount adds a customer.
	AddAccount struct{ Account Account }
	// SetAccount changes an account; nil fields stay.
	SetAccount struct {
		ID      string
		Name    *string
		Plan    *Plan
		TAMPlan *TAMPlan
		TAM     *string
	}
	// AddContact adds a contact to an account.
	AddContact struct {
		Account string
		Contact Contact
	}
	// AddUser adds a team member.
	AddUser struct{ User User }
	// AddUserKey adds a public key to a user.
	AddUserKey struct {
		ID  string
		Key string
	}
	// RemoveUserKey removes one of a user's keys, named by its fingerprint
	// (or, for a stored text that is not a key, by that text).
	RemoveUserKey struct {
		ID          string
		Fingerprint string
	}
	// RemoveUser removes a user who owns no open case.
	RemoveUser struct{ ID string }
)

// Verb implementations: the words used in refusals.
func (NewCase) Verb() string              { return "open a case for" }
func (TakeCase) Verb() string             { return "take" }
func (AssignCase) Verb() string           { return "assign" }
func (CallCase) Verb() string             { return "log a call on" }
func (RespondCase) Verb() string          { return "respond on" }
func (NoteCase) Verb() string             { return "note" }
func (SetStatus) Verb() string            { return "change the status of" }
func (ChangeSeverity) Verb() string       { return "change the severity of" }
func (ReplyCase) Verb() string            { return "log a reply on" }
func (FollowupCase) Verb() string         { return "log a follow-up on" }
func (CloseCase) Verb() string            { return "close" }
func (ReopenCase) Verb() string           { return "reopen" }
func (AutoCloseCase) Verb() string        { return "auto-close" }
func (Escalate) Verb() string             { return "escalate" }
func (EscalationFollowup) Verb() string   { return "follow up the escalation of" }
func (AcceptEscalation) Verb() string     { return "accept the escalation of" }
func (DeclineEscalation) Verb() string    { return "decline the escalation of" }
func (UpdateEscalation) Verb() string     { return "update the escalation of" }
func (DeescalateEscalation) Verb() string { return "de-escalate" }
func (CloseEscalation) Verb() string      { return "close the escalation of" }
func (LogTime) Verb() string              { return "log time for" }
func (VoidTime) Verb() string             { return "void time entry" }
func (AddAccount) Verb() string           { return "add account" }
func (SetAccount) Verb() string           { return "change account" }
func (AddContact) Verb() string           { return "add a contact to" }
func (AddUser) Verb() string              { return "add user" }
func (AddUserKey) Verb() string           { return "add a key to" }
func (RemoveUserKey) Verb() string        { return "remove a key from" }
func (RemoveUser) Verb() string           { return "remove user" }
