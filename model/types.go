package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Plan is a support plan.
type Plan string

// The support plans.
const (
	Basic   Plan = "basic"
	Plus    Plan = "plus"
	Premium Plan = "premium"
)

// ParsePlan reads a plan id.
func ParsePlan(s string) (Plan, bool) {
	for _, p := range plans {
		if string(p) == s {
			return p, true
		}
	}
	return "", false
}

// Title is the plan's display name.
func (p Plan) Title() string {
	if p == "" {
		return ""
	}
	return strings.ToUpper(string(p[:1])) + string(p[1:])
}

// Region is a support region id (na, emea).
type Region string

// The default support regions.
const (
	NA   Region = "na"
	EMEA Region = "emea"
)

// TAMPlan is a Technical Account Manager package id.
type TAMPlan string

// TAMNone is an account without a TAM package.
const TAMNone TAMPlan = "none"

// Role is what a user does at the desk.
type Role string

// The roles.
const (
	Specialist Role = "specialist"
	Manager    Role = "manager"
	TAM        Role = "tam"
	Wall       Role = "wall"
)

// ParseRole reads a role id.
func ParseRole(s string) (Role, bool) {
	for _, r := range roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// Status is where a case is in its lifecycle.
type Status string

// The case statuses.
const (
	StatusNew                Status = "new"
	StatusAssigned           Status = "assigned"
	StatusInProgress         Status = "in-progress"
	StatusWaitingCustomer    Status = "waiting-customer"
	StatusWaitingDevelopment Status = "waiting-development"
	StatusFixAvailable       Status = "fix-available"
	StatusClosed             Status = "closed"
)

// ParseStatus reads a status id.
func ParseStatus(s string) (Status, bool) {
	for _, st := range statuses {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// Open reports whether the status is not closed.
func (s Status) Open() bool { return s != StatusClosed && s != "" }

// Close reasons.
const (
	ReasonResolved   = "resolved"
	ReasonNoResponse = "no-response"
	ReasonDuplicate  = "duplicate"
)

// CaseNumber formats a case number zero-padded to eight digits.
func CaseNumber(n int64) string {
	if n < 0 || n > 99999999 {
		return fmt.Sprintf("%08d", n)
	}
	// Every row and every rule asks this: eight digits without fmt.
	var b [8]byte
	for i := 7; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[:])
}

// ParseCaseNumber reads a case number with or without leading zeros.
func ParseCaseNumber(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a case number", s)
	}
	return n, nil
}

// Case is one customer request. Zero times and numbers mean "not set".
type Case struct {
	Number      int64
	Account     string
	Severity    int
	Title       string
	Status      Status
	Plan        Plan
	Region      Region
	Contact     string
	OpenedAt    time.Time
	PhonedAt    time.Time
	RespondedAt time.Time
	Owner       string
	// WaitingSince is when the case last entered waiting-customer.
	WaitingSince time.Time
	Followup1At  time.Time
	Followup2At  time.Time
	RepliedAt    time.Time
	ClosedAt     time.Time
	CloseReason  string
	DuplicateOf  int64
	RefersTo     int64
}

// IsOpen reports whether the case is not closed.
func (c *Case) IsOpen() bool { return c.Status.Open() }

// Contact is a person at a customer; Kind is a requester kind.
type Contact struct {
	Name  string
	Kind  string
	Email string
}

// ValidRequesterKind reports whether k is a requester kind.
func ValidRequesterKind(k string) bool {
	for _, x := range requesterKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Account is a customer.
type Account struct {
	ID       string
	Name     string
	Plan     Plan
	Region   Region
	TAMPlan  TAMPlan
	TAM      string
	Contacts []Contact
}

// User is a member of the team.
type User struct {
	ID     string
	Name   string
	Role   Role
	Region Region
	Keys   []string
}

// Escalation statuses.
const (
	EscRequested     = "requested"
	EscAccepted      = "accepted"
	EscDeclined      = "declined"
	EscClosed        = "closed"
	EscDeescalated   = "de-escalated"
	ChannelPhone     = "phone"
	ChannelPortal    = "portal"
	OutcomeRootCause = "root-cause"
	OutcomeTimeline  = "timeline"
	OutcomeFix       = "fix"
)

// EscalationUpdate is one update to the customer on an accepted escalation.
type EscalationUpdate struct {
	At      time.Time
	By      string
	Summary string
}

// Escalation is a request for managerial attention on a case. A case may
// have had several over its life; at most one is open at a time.
type Escalation struct {
	Case int64
	// Seq numbers the case's escalations from 1, in request order (the
	// interchange gives it by list order).
	Seq           int
	Status        string
	RequestedAt   time.Time
	RequestedBy   string // a user id, or KIND:NAME
	RecordedBy    string
	Channel       string
	Justification string
	FollowedUpAt  time.Time
	DecidedAt     time.Time
	Reason        string
	UpdateEvery   time.Duration
	Updates       []EscalationUpdate
	Outcome       string
	Summary       string
	EndedAt       time.Time
}

// Open reports whether the escalation is requested or accepted (the case
// is "escalated").
func (e *Escalation) Open() bool {
	return e != nil && (e.Status == EscRequested || e.Status == EscAccepted)
}

// Time entry modes and categories.
const (
	ModeConsultative = "consultative"
	ModeManaged      = "managed"

	CatImplementation = "implementation-guidance"
)

// ValidCategory reports whether c is a category slug.
func ValidCategory(c string) bool {
	for _, x := range categories {
		if x == c {
			return true
		}
	}
	return false
}

// Date is a civil date (no zone).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is t's date in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// ParseDate reads YYYY-MM-DD, of a year caseboard keeps (1970 to 2199).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	if !yearInRange(t.Year()) {
		return Date{}, outOfRange(s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// String formats YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.Year == 0 }

// Start is the date's midnight in loc.
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// Month is a calendar month of the time bank.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf is the month of a date.
func (d Date) MonthOf() Month { return Month{d.Year, d.Month} }

// ParseMonth reads YYYY-MM, of a year caseboard keeps (1970 to 2199).
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, fmt.Errorf("%q is not a month YYYY-MM", s)
	}
	if !yearInRange(t.Year()) {
		return Month{}, outOfRange(s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// String formats YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }

// Start is the month's first instant in loc.
func (m Month) Start(loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, loc)
}

// End is the next month's first instant in loc (the refill).
func (m Month) End(loc *time.Location) time.Time {
	return time.Date(m.Year, m.Month+1, 1, 0, 0, 0, 0, loc)
}

// TimeEntry is time a TAM spent on an account.
type TimeEntry struct {
	ID         int64
	Account    string
	TAM        string
	Date       Date
	Minutes    int
	Category   string
	Mode       string
	Case       int64
	Project    string
	Note       string
	VoidedAt   time.Time
	VoidReason string
}

// Counts reports whether the entry counts against the bank (not voided).
func (e *TimeEntry) Counts() bool { return e.VoidedAt.IsZero() }
