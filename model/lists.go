package model

// The desk's enumerations, each behind a function that returns a copy (or
// a read-only lookup): several sessions share one process in team mode,
// and a caller that sorted or trimmed a shared slice would change every
// other session's rules. Messages that list the choices (the import check,
// the actions' refusals) are built from these, so a list is written once.

var plans = []Plan{Basic, Plus, Premium}

// Plans lists the support plans in order.
func Plans() []Plan { return append([]Plan(nil), plans...) }

var roles = []Role{Specialist, Manager, TAM, Wall}

// Roles lists every role.
func Roles() []Role { return append([]Role(nil), roles...) }

var statuses = []Status{StatusNew, StatusAssigned, StatusInProgress, StatusWaitingCustomer,
	StatusWaitingDevelopment, StatusFixAvailable, StatusClosed}

// Statuses lists every status in lifecycle order.
func Statuses() []Status { return append([]Status(nil), statuses...) }

var closeReasons = []string{ReasonResolved, ReasonNoResponse, ReasonDuplicate}

// CloseReasons lists the reasons a case closes with.
func CloseReasons() []string { return append([]string(nil), closeReasons...) }

// ValidCloseReason reports whether r is a close reason.
func ValidCloseReason(r string) bool { return inList(closeReasons, r) }

var severityNames = [5]string{"", "Critical service impact", "Major service impact", "Minor service impact", "Request"}

// SeverityName is a severity's short definition ("" outside 1 to 4).
func SeverityName(sev int) string {
	if sev < 1 || sev >= len(severityNames) {
		return ""
	}
	return severityNames[sev]
}

var severityHelp = [5]string{"",
	"Downtime; an active security incident or a medium or higher vulnerability (CVSS); Usage Analytics records no search events.",
	"The product is not operating as designed for most users and no reasonable workaround exists (sev 1 in non-production, indexing down, admin UI down, search slow).",
	"Features unavailable but a workaround exists; most functions usable (indexing slow, index browser not loading, sort issues, low-impact vulnerability).",
	"A question or request with no issue affecting product function (advice, documentation, a change the customer cannot make, an enhancement).",
}

// SeverityHelp is the longer definition shown where severity is chosen
// ("" outside 1 to 4).
func SeverityHelp(sev int) string {
	if sev < 1 || sev >= len(severityHelp) {
		return ""
	}
	return severityHelp[sev]
}

var requesterKinds = []string{"contact", "customer-admin", "developer", "partner", "community", "csm", "customer-manager"}

// RequesterKinds lists the kinds of people outside the team who may
// request an escalation (and the kinds of account contacts).
func RequesterKinds() []string { return append([]string(nil), requesterKinds...) }

var escalationStatuses = []string{EscRequested, EscAccepted, EscDeclined, EscClosed, EscDeescalated}

// EscalationStatuses lists an escalation's statuses in lifecycle order.
func EscalationStatuses() []string { return append([]string(nil), escalationStatuses...) }

var channels = []string{ChannelPhone, ChannelPortal}

// Channels lists the channels an escalation is requested through.
func Channels() []string { return append([]string(nil), channels...) }

var outcomes = []string{OutcomeRootCause, OutcomeTimeline, OutcomeFix}

// Outcomes lists the outcomes an escalation can close with.
func Outcomes() []string { return append([]string(nil), outcomes...) }

var outcomeNames = map[string]string{
	OutcomeRootCause: "root cause identified",
	OutcomeTimeline:  "timeline for a fix established",
	OutcomeFix:       "permanent fix deployed",
}

// OutcomeName is an outcome in words ("" for no outcome).
func OutcomeName(o string) string { return outcomeNames[o] }

var modes = []string{ModeConsultative, ModeManaged}

// Modes lists the time-entry modes.
func Modes() []string { return append([]string(nil), modes...) }

var categories = []string{"cadence-call", "escalation-management", "metrics-reporting",
	"platform-administration", "connectivity", "ui-features", CatImplementation,
	"data-validation", "education-coaching"}

// Categories lists the time-entry categories.
func Categories() []string { return append([]string(nil), categories...) }

var eventKinds = []string{"opened", "taken", "assigned", "called", "responded", "noted", "status",
	"severity", "replied", "followed-up", "closed", "auto-closed", "reopened", "escalated", "escalation-followed-up",
	"accepted", "declined", "updated", "de-escalated", "escalation-closed", "time-logged", "time-voided", "user-added",
	"user-removed", "user-key-added", "user-key-removed", "account-added", "account-changed", "contact-added", "imported"}

// EventKinds lists the kinds of audit event the desk records.
func EventKinds() []string { return append([]string(nil), eventKinds...) }

// ValidEventKind reports whether k is an event kind.
func ValidEventKind(k string) bool { return inList(eventKinds, k) }

var escalationKinds = []string{"escalated", "escalation-followed-up", "accepted", "declined",
	"updated", "de-escalated", "escalation-closed"}

// IsEscalationKind reports whether events of kind k act on a case's
// escalation (their before/after hold escalation fields, not case fields).
func IsEscalationKind(k string) bool { return inList(escalationKinds, k) }

// IsNotCaseKind reports whether events of kind k may name a case but
// change neither it nor its escalations (time entries logged against it).
func IsNotCaseKind(k string) bool { return k == "time-logged" || k == "time-voided" }

func inList(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
