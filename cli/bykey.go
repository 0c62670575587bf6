package cli

import (
	"errors"
	"time"

	"caseboard/model"
	"caseboard/store"
)

// A command about one case or one account reads that record and what hangs
// off it by key, so that its cost does not grow with the desk (issue 25);
// a session that already holds the desk (loadDesk) answers from it.

// readCase reads case n and its account (nil when the account is
// missing); ok is false when there is no such case.
func (s *session) readCase(n int64) (c *model.Case, acct *model.Account, ok bool, err error) {
	if s.desk != nil {
		c, _, ok, err := s.desk.Lookup(n) // a closed case from the store
		if err != nil || !ok {
			return nil, nil, false, err
		}
		return c, s.desk.Accounts[c.Account], true, nil
	}
	cs, err := s.st.Case(n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	acct, err = s.account(cs.Account)
	if err != nil {
		return nil, nil, false, err
	}
	return &cs, acct, true, nil
}

// account reads one account (nil when there is none).
func (s *session) account(id string) (*model.Account, error) {
	if s.desk != nil {
		return s.desk.Accounts[id], nil
	}
	a, err := s.st.Account(id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// users reads the team by id.
func (s *session) users() (map[string]*model.User, error) {
	if s.desk != nil {
		return s.desk.Users, nil
	}
	list, err := s.st.Users()
	if err != nil {
		return nil, err
	}
	out := make(map[string]*model.User, len(list))
	for i := range list {
		out[list[i].ID] = &list[i]
	}
	return out, nil
}

// escalations reads every escalation of case n, oldest first.
func (s *session) escalations(n int64) ([]model.Escalation, error) {
	if s.desk != nil {
		_, es, _, err := s.desk.Lookup(n)
		return es, err
	}
	return s.st.Escalations(n)
}

// timeEntries reads an account's time entries, by id.
func (s *session) timeEntries(account string) ([]model.TimeEntry, error) {
	if s.desk == nil {
		return s.st.TimeEntries(account)
	}
	var out []model.TimeEntry
	for _, id := range sortedEntryIDs(s.desk) {
		if e := s.desk.TimeEntries[id]; e.Account == account {
			out = append(out, *e)
		}
	}
	return out, nil
}

// openDesk is what the queue shows, read through the store's open-case
// index: the open cases, their escalations and every account; no closed
// case, no user, no time entry.
func (s *session) openDesk() (*model.Desk, error) {
	if s.desk != nil {
		return s.desk, nil
	}
	cases, err := s.st.OpenCases()
	if err != nil {
		return nil, err
	}
	accts, err := s.st.Accounts()
	if err != nil {
		return nil, err
	}
	escs, err := s.st.AllEscalations()
	if err != nil {
		return nil, err
	}
	open := make(map[int64]bool, len(cases))
	for i := range cases {
		open[cases[i].Number] = true
	}
	ch := &model.Change{Cases: cases, Accounts: accts}
	for i := range escs {
		if open[escs[i].Case] {
			ch.Escalations = append(ch.Escalations, escs[i])
		}
	}
	d := model.NewDesk()
	d.DropEvents = true
	d.Apply(ch, time.Time{})
	return d, nil
}
