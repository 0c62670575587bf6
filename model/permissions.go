package model

// Capability is one row of DOMAIN.md's "Who may do what" table.
type Capability string

// The rows of the table, in its order and words.
const (
	CapRead           Capability = "read queues, cases, reports"
	CapNewCase        Capability = "new case"
	CapTake           Capability = "take"
	CapAssign         Capability = "assign to someone"
	CapWork           Capability = "call, respond, status, severity, reply, followup, close, reopen"
	CapNote           Capability = "note"
	CapEscalate       Capability = "request an escalation (`escalate`)"
	CapEscalateUpdate Capability = "escalation update"
	CapEscalateManage Capability = "escalation follow-up, accept, decline, de-escalate, close"
	CapTimeLog        Capability = "time log"
	CapAdmin          Capability = "users, accounts, import, restore"
	CapExport         Capability = "export, backup"
	CapVoid           Capability = "void a time entry (with a reason)"
)

// capabilities lists the rows in the table's order.
func Capabilities() []Capability { return append([]Capability(nil), capabilities...) }

var capabilities = []Capability{CapRead, CapNewCase, CapTake, CapAssign, CapWork, CapNote,
	CapEscalate, CapEscalateUpdate, CapEscalateManage, CapTimeLog, CapAdmin, CapExport, CapVoid}

// Scope is one cell of the table: how far a role may do a row's actions.
type Scope string

// The cells of the table, in its words.
const (
	ScopeNone        Scope = "no"
	ScopeAll         Scope = "yes"
	ScopeBoard       Scope = "all (board only)"
	ScopeOwnAccounts Scope = "accounts they own"
	ScopeRegionNew   Scope = "new cases of their region"
	ScopeOwnCases    Scope = "cases they own"
	ScopeOwnEntries  Scope = "their own entries"
)

// permissions is the table, the one place the roles' rights are written.
// Columns: specialist, manager, tam, wall.
var permissions = map[Capability][4]Scope{
	CapRead:           {ScopeAll, ScopeAll, ScopeOwnAccounts, ScopeBoard},
	CapNewCase:        {ScopeAll, ScopeAll, ScopeOwnAccounts, ScopeNone},
	CapTake:           {ScopeRegionNew, ScopeAll, ScopeNone, ScopeNone},
	CapAssign:         {ScopeNone, ScopeAll, ScopeNone, ScopeNone},
	CapWork:           {ScopeOwnCases, ScopeAll, ScopeNone, ScopeNone},
	CapNote:           {ScopeAll, ScopeAll, ScopeOwnAccounts, ScopeNone},
	CapEscalate:       {ScopeAll, ScopeAll, ScopeOwnAccounts, ScopeNone},
	CapEscalateUpdate: {ScopeOwnCases, ScopeAll, ScopeNone, ScopeNone},
	CapEscalateManage: {ScopeNone, ScopeAll, ScopeNone, ScopeNone},
	CapTimeLog:        {ScopeNone, ScopeAll, ScopeOwnAccounts, ScopeNone},
	CapAdmin:          {ScopeNone, ScopeAll, ScopeNone, ScopeNone},
	CapExport:         {ScopeNone, ScopeAll, ScopeNone, ScopeNone},
	CapVoid:           {ScopeNone, ScopeAll, ScopeOwnEntries, ScopeNone},
}

func roleColumn(r Role) int {
	switch r {
	case Specialist:
		return 0
	case Manager:
		return 1
	case TAM:
		return 2
	case Wall:
		return 3
	}
	return -1
}

// Permission is the table's cell for a role and a row (ScopeNone for an
// unknown role or row).
func Permission(r Role, c Capability) Scope {
	col := roleColumn(r)
	row, ok := permissions[c]
	if col < 0 || !ok {
		return ScopeNone
	}
	return row[col]
}

// Allowed reports whether a role may do a row's actions at all (on some
// object); cli and ui use it to hide what a user can never do.
func Allowed(r Role, c Capability) bool { return Permission(r, c) != ScopeNone }

// CapabilityOf is the row of the table an action belongs to ("" for the
// process's own auto-close).
func CapabilityOf(a Action) Capability {
	switch a.(type) {
	case NewCase:
		return CapNewCase
	case TakeCase:
		return CapTake
	case AssignCase:
		return CapAssign
	case CallCase, RespondCase, SetStatus, ChangeSeverity, ReplyCase, FollowupCase, CloseCase, ReopenCase:
		return CapWork
	case NoteCase:
		return CapNote
	case Escalate:
		return CapEscalate
	case UpdateEscalation:
		return CapEscalateUpdate
	case EscalationFollowup, AcceptEscalation, DeclineEscalation, DeescalateEscalation, CloseEscalation:
		return CapEscalateManage
	case LogTime:
		return CapTimeLog
	case VoidTime:
		return CapVoid
	case AddAccount, SetAccount, AddContact, AddUser, AddUserKey, RemoveUserKey, RemoveUser:
		return CapAdmin
	}
	return ""
}

// CanSee reports whether a user may read an account's cases, escalations
// and time bank: a TAM sees the accounts they own, everyone else all.
func CanSee(u User, a Account) bool {
	switch Permission(u.Role, CapRead) {
	case ScopeAll, ScopeBoard:
		return true
	case ScopeOwnAccounts:
		return a.TAM == u.ID
	}
	return false
}

// CanActOnCase reports whether a user's role lets them do a row's actions
// on a case of an account (owner, region and account scopes checked; the
// lifecycle is not). ui uses it to grey out keys.
func CanActOnCase(u User, c Capability, cs Case, a Account) bool {
	switch Permission(u.Role, c) {
	case ScopeAll, ScopeBoard:
		return true
	case ScopeOwnCases:
		return cs.Owner == u.ID
	case ScopeOwnAccounts:
		return a.TAM == u.ID
	case ScopeRegionNew:
		return u.Region != "" && cs.Region == u.Region && cs.Status == StatusNew
	}
	return false
}

// MayDo reports whether a user's role may do an action on some object (a
// coarse check for hiding keys and commands; Do decides per object).
func MayDo(u User, a Action) bool {
	c := CapabilityOf(a)
	return c != "" && Allowed(u.Role, c)
}
