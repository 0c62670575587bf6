package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ValidID reports whether s is a usable account or user id: lower-case
// letters, digits, '-', '_' and '.', at most 64 characters.
func ValidID(s string) bool {
	if s == "" || len(s) > 64 || s == System {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// ReservedIDReason is why the id System cannot be a user's or an
// account's: the process itself acts under it (auto-close), so a user of
// that name would be taken for caseboard in the audit trail.
const ReservedIDReason = "caseboard itself acts under it"

func (x *actx) regionList() string {
	var ids []string
	for _, r := range x.p.RegionIDs() {
		ids = append(ids, string(r))
	}
	return strings.Join(ids, ", ")
}

// checkAccountFields checks an account's plan, region, TAM plan and TAM.
func (x *actx) checkAccountFields(verb string, a *Account) error {
	if strings.TrimSpace(a.Name) == "" {
		return RuleRefusal(verb, a.ID, "a name is needed")
	}
	if _, ok := ParsePlan(string(a.Plan)); !ok {
		return RuleRefusal(verb, a.ID, fmt.Sprintf("%q is not a plan (basic, plus, premium)", a.Plan))
	}
	if _, ok := x.p.Regions[a.Region]; !ok {
		return RuleRefusal(verb, a.ID, fmt.Sprintf("%q is not a region (%s)", a.Region, x.regionList()))
	}
	if a.TAMPlan != TAMNone {
		if _, ok := x.p.TAMPlans[a.TAMPlan]; !ok {
			var ids []string
			for id := range x.p.TAMPlans {
				ids = append(ids, string(id))
			}
			sort.Strings(ids)
			return RuleRefusal(verb, a.ID, fmt.Sprintf("%q is not a TAM plan (none, %s)", a.TAMPlan, strings.Join(ids, ", ")))
		}
	}
	if a.TAM != "" {
		u, ok := x.v.User(a.TAM)
		if !ok {
			return RuleRefusal(verb, a.ID, fmt.Sprintf("%s is not a user", a.TAM))
		}
		if u.Role != TAM {
			return RuleRefusal(verb, a.ID, fmt.Sprintf("%s is a %s, not a tam", u.ID, u.Role))
		}
	}
	for _, c := range a.Contacts {
		if err := checkContact(verb, a.ID, c); err != nil {
			return err
		}
	}
	return nil
}

func checkContact(verb, obj string, c Contact) error {
	if strings.TrimSpace(c.Name) == "" {
		return RuleRefusal(verb, obj, "a contact needs a name")
	}
	if !ValidRequesterKind(c.Kind) {
		return RuleRefusal(verb, obj, fmt.Sprintf("%q is not a contact kind (%s)", c.Kind, strings.Join(requesterKinds, ", ")))
	}
	return nil
}

func (x *actx) addAccount(a AddAccount) (*Change, error) {
	verb, obj := a.Verb(), a.Account.ID
	if err := x.permit(CapAdmin, verb, obj, target{}); err != nil {
		return nil, err
	}
	acct := a.Account
	acct.Contacts = append([]Contact(nil), a.Account.Contacts...)
	if acct.ID == System {
		return nil, RuleRefusal(verb, obj, "account id "+System+" is reserved ("+ReservedIDReason+")")
	}
	if !ValidID(acct.ID) {
		return nil, RuleRefusal(verb, obj, "an id is lower-case letters, digits, '-', '_' or '.'")
	}
	if _, ok := x.v.Account(acct.ID); ok {
		return nil, RuleRefusal(verb, obj, "it exists")
	}
	if acct.TAMPlan == "" {
		acct.TAMPlan = TAMNone
	}
	if err := x.checkAccountFields(verb, &acct); err != nil {
		return nil, err
	}
	_, after := Diff(nil, AccountToRecord(&acct))
	return &Change{Accounts: []Account{acct}, Events: []Event{x.event("account-added", 0, x.now, nil, after)},
		Message: "added account " + acct.ID}, nil
}

func (x *actx) accountChange(kind string, old, na *Account, msg string) *Change {
	before, after := Diff(AccountToRecord(old), AccountToRecord(na))
	return &Change{Accounts: []Account{*na}, Message: msg,
		Events: []Event{x.event(kind, 0, x.now, withID(before, na.ID), withID(after, na.ID))}}
}

func (x *actx) setAccount(a SetAccount) (*Change, error) {
	verb, obj := a.Verb(), a.ID
	if err := x.permit(CapAdmin, verb, obj, target{}); err != nil {
		return nil, err
	}
	old, ok := x.v.Account(a.ID)
	if !ok {
		return nil, RuleRefusal(verb, obj, "no such account")
	}
	na := old
	na.Contacts = append([]Contact(nil), old.Contacts...)
	if a.Name != nil {
		na.Name = *a.Name
	}
	if a.Plan != nil {
		na.Plan = *a.Plan
	}
	if a.TAMPlan != nil {
		na.TAMPlan = *a.TAMPlan
		if na.TAMPlan == "" {
			na.TAMPlan = TAMNone
		}
	}
	if a.TAM != nil {
		na.TAM = *a.TAM
	}
	if err := x.checkAccountFields(verb, &na); err != nil {
		return nil, err
	}
	ch := x.accountChange("account-changed", &old, &na, "changed account "+na.ID)
	if string(ch.Events[0].After) == `{"id":"`+na.ID+`"}` {
		return nil, RuleRefusal(verb, obj, "nothing changes")
	}
	return ch, nil
}

func (x *actx) addContact(a AddContact) (*Change, error) {
	verb, obj := a.Verb(), a.Account
	if err := x.permit(CapAdmin, verb, obj, target{}); err != nil {
		return nil, err
	}
	old, ok := x.v.Account(a.Account)
	if !ok {
		return nil, RuleRefusal(verb, obj, "no such account")
	}
	if err := checkContact(verb, obj, a.Contact); err != nil {
		return nil, err
	}
	for _, c := range old.Contacts {
		if c.Name == a.Contact.Name && c.Kind == a.Contact.Kind {
			return nil, RuleRefusal(verb, obj, fmt.Sprintf("%s (%s) is already a contact", c.Name, c.Kind))
		}
	}
	na := old
	na.Contacts = append(append([]Contact(nil), old.Contacts...), a.Contact)
	return x.accountChange("contact-added", &old, &na, fmt.Sprintf("added %s to %s", a.Contact.Name, na.ID)), nil
}

func (x *actx) addUser(a AddUser) (*Change, error) {
	verb, obj := a.Verb(), a.User.ID
	if err := x.permit(CapAdmin, verb, obj, target{}); err != nil {
		return nil, err
	}
	u := a.User
	u.Keys = append([]string(nil), a.User.Keys...)
	if u.ID == System {
		return nil, RuleRefusal(verb, obj, "user id "+System+" is reserved ("+ReservedIDReason+")")
	}
	if !ValidID(u.ID) {
		return nil, RuleRefusal(verb, obj, "an id is lower-case letters, digits, '-', '_' or '.'")
	}
	if _, ok := x.v.User(u.ID); ok {
		return nil, RuleRefusal(verb, obj, "the user exists")
	}
	if _, ok := ParseRole(string(u.Role)); !ok {
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%q is not a role (%s)", u.Role, oneOf(roles)))
	}
	if x.bootstrap && u.Role != Manager {
		return nil, RuleRefusal(verb, obj, "the first user must be a manager")
	}
	if u.Region != "" {
		if _, ok := x.p.Regions[u.Region]; !ok {
			return nil, RuleRefusal(verb, obj, fmt.Sprintf("%q is not a region (%s)", u.Region, x.regionList()))
		}
	} else if u.Role == Specialist {
		return nil, RuleRefusal(verb, obj, "a specialist needs a region ("+x.regionList()+")")
	}
	if u.Name == "" {
		u.Name = u.ID
	}
	seen := map[string]bool{}
	for i, k := range u.Keys {
		p, err := x.newKey(u.ID, k)
		if err != nil {
			if len(u.Keys) > 1 {
				return nil, RuleRefusal(verb, obj, fmt.Sprintf("key %d: %v", i+1, err))
			}
			return nil, RuleRefusal(verb, obj, err.Error())
		}
		if seen[p.Fingerprint] {
			return nil, RuleRefusal(verb, obj, "key "+p.Fingerprint+" is given twice")
		}
		seen[p.Fingerprint] = true
		u.Keys[i] = p.Line
	}
	_, after := Diff(nil, UserToRecord(&u))
	return &Change{Users: []User{u}, Events: []Event{x.event("user-added", 0, x.now, nil, after)},
		Message: fmt.Sprintf("added %s (%s)", u.ID, u.Role)}, nil
}

func (x *actx) addUserKey(a AddUserKey) (*Change, error) {
	verb, obj := a.Verb(), a.ID
	if err := x.permit(CapAdmin, verb, obj, target{}); err != nil {
		return nil, err
	}
	old, ok := x.v.User(a.ID)
	if !ok {
		return nil, RuleRefusal(verb, obj, "no such user")
	}
	p, err := x.newKey(old.ID, a.Key)
	if err != nil {
		return nil, RuleRefusal(verb, obj, err.Error())
	}
	for _, k := range old.Keys {
		if fp, ok := KeyFingerprint(k); ok && fp == p.Fingerprint {
			return nil, RuleRefusal(verb, obj, "the key is already theirs")
		}
	}
	nu := old
	nu.Keys = append(append([]string(nil), old.Keys...), p.Line)
	before, after := Diff(UserToRecord(&old), UserToRecord(&nu))
	return &Change{Users: []User{nu}, Message: "added a key to " + nu.ID,
		Events: []Event{x.event("user-key-added", 0, x.now, withID(before, nu.ID), withID(after, nu.ID))}}, nil
}

// newKey parses a key given for user and refuses it when another user
// holds it: serve tells users apart by their keys alone, so a key pasted
// onto a second user must not make them the first.
func (x *actx) newKey(user, text string) (SSHKey, error) {
	p, err := ParseSSHKey(text)
	if err != nil {
		return SSHKey{}, err
	}
	for _, id := range x.v.KeyOwners(p.Fingerprint) {
		if id != user {
			return SSHKey{}, fmt.Errorf("it is already on %s (%s)", id, p.Fingerprint)
		}
	}
	return p, nil
}

func (x *actx) removeUserKey(a RemoveUserKey) (*Change, error) {
	verb, obj := a.Verb(), a.ID
	if err := x.permit(CapAdmin, verb, obj, target{}); err != nil {
		return nil, err
	}
	old, ok := x.v.User(a.ID)
	if !ok {
		return nil, RuleRefusal(verb, obj, "no such user")
	}
	want := ParseFingerprint(a.Fingerprint)
	nu := old
	nu.Keys = nil
	var names []string
	removed := "key " + want
	for _, k := range old.Keys {
		fp, ok := KeyFingerprint(k)
		// A stored text that is not a key (an old store) has no
		// fingerprint: it is named by the text itself.
		if (ok && fp == want) || (!ok && k == a.Fingerprint) {
			if !ok {
				removed = "a text that is not a key"
			}
			continue
		}
		if !ok {
			fp = strconv.Quote(k)
		}
		names = append(names, fp)
		nu.Keys = append(nu.Keys, k)
	}
	if len(nu.Keys) == len(old.Keys) {
		if len(old.Keys) == 0 {
			return nil, RuleRefusal(verb, obj, old.ID+" has no keys")
		}
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%s has no key %s (their keys: %s)", old.ID, a.Fingerprint, strings.Join(names, ", ")))
	}
	before, after := Diff(UserToRecord(&old), UserToRecord(&nu))
	return &Change{Users: []User{nu}, Message: "removed " + removed + " from " + nu.ID,
		Events: []Event{x.event("user-key-removed", 0, x.now, withID(before, nu.ID), withID(after, nu.ID))}}, nil
}

func (x *actx) removeUser(a RemoveUser) (*Change, error) {
	verb, obj := a.Verb(), a.ID
	if err := x.permit(CapAdmin, verb, obj, target{}); err != nil {
		return nil, err
	}
	old, ok := x.v.User(a.ID)
	if !ok {
		return nil, RuleRefusal(verb, obj, "no such user")
	}
	if a.ID == x.actor {
		return nil, RuleRefusal(verb, obj, "nobody may remove themselves")
	}
	if x.v.OwnsOpenCases(a.ID) {
		return nil, RuleRefusal(verb, obj, a.ID+" owns open cases: assign them to someone first")
	}
	// An account's TAM is someone on the desk: a removed one would leave
	// the account with a TAM nobody is (and an export no import takes).
	if accts := x.v.TAMOf(a.ID); len(accts) > 0 {
		them := "the account"
		if len(accts) > 1 {
			them = "each"
		}
		return nil, RuleRefusal(verb, obj, fmt.Sprintf("%s is the TAM of %s: give %s another TAM first (account set ID --tam USER)",
			a.ID, strings.Join(accts, ", "), them))
	}
	_, full := Diff(nil, UserToRecord(&old))
	return &Change{RemoveUsers: []string{a.ID}, Message: "removed " + a.ID,
		Events: []Event{x.event("user-removed", 0, x.now, full, nil)}}, nil
}
