package cli

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"caseboard/model"
	"caseboard/store"
)

// errNoUsers is returned by acting commands on a store without users.
var errNoUsers = errors.New("the store has no users yet: add a manager first (caseboard user add ID --name NAME --role manager) or import a desk")

// store returns the store the commands work on: the injected Env.Store, or
// the one opened (lazily) from --data; read: for a command that only
// reads (it never creates a store).
func (e *Env) store(read bool) (Backend, error) {
	if e.Store != nil {
		return e.Store, nil
	}
	if e.opened != nil {
		return e.opened, nil
	}
	p, err := e.Policy()
	if err != nil {
		return nil, err
	}
	s, err := openStore(e, p, read)
	if err != nil {
		return nil, err
	}
	e.opened = s
	return s, nil
}

// closeStore closes the store Run opened (never an injected one).
func (e *Env) closeStore() {
	if e.opened != nil {
		_ = e.opened.Close()
		e.opened = nil
	}
}

// session is what one command works with once the store is open.
type session struct {
	env    *Env
	st     Backend
	policy *model.Policy
	now    time.Time
	// actor is the acting user's id ("" while bootstrapping an empty store).
	actor string
	// viewer is the user reads are filtered for (nil: see everything).
	viewer *model.User
	// desk is the store's records, loaded once per command (loadDesk).
	desk *model.Desk
}

// SharedDesk is the desk a holder keeps in memory for its boards and the
// commands it runs (*ui.Shared is one).
type SharedDesk interface {
	// Desk returns the desk under the read lock, once it reflects what the
	// store had committed, and the function that releases the lock.
	Desk() (*model.Desk, func(), error)
	// AutoCloseDue lists the cases due to auto-close at now; the caller
	// holds the read lock.
	AutoCloseDue(now time.Time) []int64
}

// sharedDesk takes the holder's desk once per command (read-locked until
// Run ends: a command reads one state of it, and must never take the lock
// twice).
func (e *Env) sharedDesk() (*model.Desk, error) {
	if e.held == nil {
		d, release, err := e.Shared.Desk()
		if err != nil {
			return nil, err
		}
		e.held, e.release = d, release
	}
	return e.held, nil
}

// releaseDesk lets the holder's desk go at the command's end.
func (e *Env) releaseDesk() {
	if e.release != nil {
		e.release()
		e.release, e.held = nil, nil
	}
}

// loadDesk reads every record once per command: resolving who acts and
// the command itself share it. Run by a holder, it is the holder's desk
// (read only), with no load.
func (s *session) loadDesk() (*model.Desk, error) {
	if s.desk == nil && s.env.Shared != nil {
		d, err := s.env.sharedDesk()
		if err != nil {
			return nil, err
		}
		s.desk = d
	}
	if s.desk == nil {
		d, err := s.st.LoadDesk()
		if err != nil {
			return nil, err
		}
		s.desk = d
	}
	return s.desk, nil
}

// reader opens the store for a command that only reads: no actor is
// needed; with --as the reads are limited to what that user may see.
func (e *Env) reader() (*session, error) {
	s, err := e.base(true)
	if err != nil {
		return nil, err
	}
	who := e.As
	if e.User != "" {
		who = e.User
	}
	if who != "" {
		u, ok, err := s.user(who)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("no user %s in the store", model.Inert(who))
		}
		s.viewer = &u
		s.actor = u.ID
	}
	return s, nil
}

// user looks one user up in the store.
func (s *session) user(id string) (model.User, bool, error) {
	u, err := s.st.User(id)
	if errors.Is(err, store.ErrNotFound) {
		return model.User{}, false, nil
	}
	if err != nil {
		return model.User{}, false, err
	}
	return u, true, nil
}

// actor opens the store for a command that acts: it resolves who acts
// (--as, $CASEBOARD_USER, the only user) and runs the auto-close of due
// cases first. bootstrap lets an empty store act without a user.
func (e *Env) acting(bootstrap bool) (*session, error) {
	s, err := e.base(false)
	if err != nil {
		return nil, err
	}
	id := e.As
	if e.User != "" {
		id = e.User
	}
	if id == "" && e.Getenv != nil {
		id = e.Getenv("CASEBOARD_USER")
	}
	if id != "" {
		u, ok, err := s.user(id)
		if err != nil {
			return nil, err
		}
		if ok {
			s.actor, s.viewer = u.ID, &u
		} else if err := s.noUser(id, bootstrap); err != nil {
			return nil, err
		}
	} else if err := s.onlyUser(bootstrap); err != nil {
		return nil, err
	}
	if err := s.autoClose(); err != nil {
		return nil, err
	}
	return s, nil
}

// noUser refuses an acting user the store does not have, except while an
// empty store bootstraps.
func (s *session) noUser(id string, bootstrap bool) error {
	has, err := s.st.HasUsers()
	if err != nil {
		return err
	}
	if !has && bootstrap {
		return nil
	}
	return fmt.Errorf("no user %s in the store", model.Inert(id))
}

// onlyUser makes the store's only user the actor when nobody is named;
// with several, --as is required.
func (s *session) onlyUser(bootstrap bool) error {
	users, err := s.st.Users()
	if err != nil {
		return err
	}
	switch len(users) {
	case 1:
		u := users[0]
		s.actor, s.viewer = u.ID, &u
	case 0:
		if !bootstrap {
			return errNoUsers
		}
	default:
		ids := make([]string, 0, len(users))
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		sort.Strings(ids)
		return Usagef("--as required (users: %s)", strings.Join(ids, ", "))
	}
	return nil
}

// base checks what a caller may not give and opens the store; read: the
// command only reads.
func (e *Env) base(read bool) (*session, error) {
	if e.Remote && (e.As != "" || e.NowFlag != "") {
		return nil, errors.New("over SSH, --as and --now are refused: you act as the user your key belongs to, at the real time")
	}
	if e.Remote && (e.DataDir != "" || e.PolicyFile != "") {
		return nil, errors.New("over SSH, --data and --policy are refused: serve works on its own store, under its own policy")
	}
	p, err := e.Policy()
	if err != nil {
		return nil, err
	}
	now, err := e.Now()
	if err != nil {
		return nil, err
	}
	st, err := e.store(read)
	if err != nil {
		return nil, err
	}
	return &session{env: e, st: st, policy: p, now: now}, nil
}

// autoClose closes every case whose auto-close is due at s.now, as the
// process, each at its due instant, so the result does not depend on when
// it ran. The store's index of due instants names the candidates
// (store.AutoCloseCandidates): no open case is read that is not due.
func (s *session) autoClose() error {
	if s.env.Shared != nil {
		return s.autoCloseShared()
	}
	cases, err := s.st.AutoCloseCandidates(s.policy, s.now)
	if err != nil {
		return err
	}
	byNumber := make(map[int64]*model.Case, len(cases))
	for i := range cases {
		byNumber[cases[i].Number] = &cases[i]
	}
	var lookupErr error
	escOpen := func(n int64) bool {
		e, err := s.st.Escalation(n)
		if err != nil && !errors.Is(err, store.ErrNotFound) && lookupErr == nil {
			lookupErr = err
		}
		return err == nil && e.Open()
	}
	due := model.DueAutoCloses(cases, escOpen, s.policy, s.now)
	if lookupErr != nil {
		return lookupErr
	}
	for _, n := range due {
		due, _ := model.AutoCloseDue(byNumber[n], s.policy)
		ch, err := s.st.Do(model.System, model.AutoCloseCase{Number: n}, due)
		if err != nil {
			var r *model.Refusal
			if errors.As(err, &r) {
				continue // closed meanwhile by another process: nothing to do
			}
			return fmt.Errorf("auto-close %s: %w", model.CaseNumber(n), err)
		}
		if s.desk != nil {
			s.desk.Apply(ch, time.Time{}) // the session's desk stays what the store holds
		}
	}
	return nil
}

// autoCloseShared is autoClose from the holder's queue index: the due
// cases are at its front, nothing is scanned. The read lock is let go
// before closing them (an acting command never holds it while it writes);
// the holder applies the closes to its desk from its feed.
func (s *session) autoCloseShared() error {
	held := s.env.held != nil
	d, err := s.env.sharedDesk()
	if err != nil {
		return err
	}
	type dueClose struct {
		n  int64
		at time.Time
	}
	var due []dueClose
	for _, n := range s.env.Shared.AutoCloseDue(s.now) {
		if c, ok := d.Cases[n]; ok {
			at, _ := model.AutoCloseDue(c, s.policy)
			due = append(due, dueClose{n, at})
		}
	}
	if !held {
		s.env.releaseDesk()
		s.desk = nil
	}
	for _, c := range due {
		if _, err := s.st.Do(model.System, model.AutoCloseCase{Number: c.n}, c.at); err != nil {
			var r *model.Refusal
			if errors.As(err, &r) {
				continue // closed meanwhile (a board's tick): nothing to do
			}
			return fmt.Errorf("auto-close %s: %w", model.CaseNumber(c.n), err)
		}
	}
	return nil
}

// do runs one action as the session's actor at its instant.
func (s *session) do(a model.Action) (*model.Change, error) {
	return s.st.Do(s.actor, a, s.now)
}

// done prints what an action did: its message, or with --json the records
// it changed.
func (s *session) done(ch *model.Change) error {
	if s.env.JSON {
		return s.env.printJSON(changeJSON(ch, s.policy))
	}
	fmt.Fprintln(s.env.Stdout, model.Inert(ch.Message))
	return nil
}

// changeOut is what an action prints with --json.
type changeOut struct {
	Message     string                   `json:"message"`
	Cases       []model.CaseRecord       `json:"cases"`
	Escalations []model.EscalationRecord `json:"escalations"`
	Accounts    []model.AccountRecord    `json:"accounts"`
	Users       []model.UserRecord       `json:"users"`
	TimeEntries []model.TimeEntryRecord  `json:"time_entries"`
}

func changeJSON(ch *model.Change, p *model.Policy) changeOut {
	out := changeOut{Message: ch.Message, Cases: []model.CaseRecord{}, Escalations: []model.EscalationRecord{},
		Accounts: []model.AccountRecord{}, Users: []model.UserRecord{}, TimeEntries: []model.TimeEntryRecord{}}
	zones := map[int64]*time.Location{}
	for i := range ch.Cases {
		out.Cases = append(out.Cases, model.CaseToRecord(&ch.Cases[i], p))
		zones[ch.Cases[i].Number] = p.RegionZone(ch.Cases[i].Region)
	}
	for i := range ch.Escalations {
		loc := zones[ch.Escalations[i].Case]
		if loc == nil {
			loc = p.HomeZone()
		}
		out.Escalations = append(out.Escalations, model.EscalationToRecord(&ch.Escalations[i], loc))
	}
	for i := range ch.Accounts {
		out.Accounts = append(out.Accounts, model.AccountToRecord(&ch.Accounts[i]))
	}
	for i := range ch.Users {
		out.Users = append(out.Users, model.UserToRecord(&ch.Users[i]))
	}
	for i := range ch.TimeEntries {
		out.TimeEntries = append(out.TimeEntries, model.TimeEntryToRecord(&ch.TimeEntries[i], p))
	}
	return out
}

// printJSON writes v as DOMAIN.md's JSON: keys in order, two-space
// indent, HTML escaping off.
func (e *Env) printJSON(v any) error {
	b, err := model.MarshalDocument(v)
	if err != nil {
		return err
	}
	_, err = e.Stdout.Write(b)
	return err
}

// caseArg reads a case number argument.
func caseArg(s string) (int64, error) { return model.ParseCaseNumber(s) }

// optInstant reads an optional --at instant (zero when empty).
func optInstant(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := model.ParseInstant(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s: %w", flag, err)
	}
	return t, nil
}

// parseDuration reads a positive duration ("4h", "90m", "1h30m").
func parseDuration(flag, s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--%s %q: not a positive duration (like 4h, 90m, 1h30m)", flag, s)
	}
	return d, nil
}

// minutesFlag reads a flag's whole minutes (model.ParseMinutes, worded for
// the flag), within the one range time entries hold (model.CheckEntryMinutes).
func minutesFlag(flag, s string) (int, error) {
	n, err := model.ParseMinutes(s)
	switch {
	case errors.Is(err, model.ErrMinutesNotPositive):
		return 0, fmt.Errorf("--%s %s: must be positive", flag, strings.TrimSpace(s))
	case err != nil:
		return 0, fmt.Errorf("--%s %q: %w", flag, model.Inert(strings.TrimSpace(s)), err)
	}
	if err := model.CheckEntryMinutes(n); err != nil {
		return 0, fmt.Errorf("--%s: %w", flag, err)
	}
	return n, nil
}

// oneOf checks a flag value against its allowed values.
func oneOf(flag, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("--%s %q: must be one of %s", flag, model.Inert(v), strings.Join(allowed, ", "))
}
