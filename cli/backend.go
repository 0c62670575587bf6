package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"caseboard/model"
	"caseboard/store"
)

// Backend is what the commands need of a store; *store.Store is one.
type Backend interface {
	Do(actor string, a model.Action, now time.Time) (*model.Change, error)
	LoadDesk() (*model.Desk, error)
	// User, Users, HasUsers, AutoCloseCandidates and Escalation are the
	// lookups that resolve who acts and run the auto-close without
	// loading the whole desk; Case, Account, Escalations, Events and
	// TimeEntries read what one case or one account needs by key;
	// OpenCases, Accounts and AllEscalations what the queue shows.
	User(id string) (model.User, error)
	Users() ([]model.User, error)
	HasUsers() (bool, error)
	AutoCloseCandidates(p *model.Policy, now time.Time) ([]model.Case, error)
	Case(n int64) (model.Case, error)
	Account(id string) (model.Account, error)
	OpenCases() ([]model.Case, error)
	Accounts() ([]model.Account, error)
	Escalation(n int64) (model.Escalation, error)
	Escalations(n int64) ([]model.Escalation, error)
	AllEscalations() ([]model.Escalation, error)
	Events(n int64) ([]model.Event, error)
	TimeEntries(account string) ([]model.TimeEntry, error)
	Export() (*model.Document, error)
	ImportJSON(r io.Reader, actor string, now time.Time) (store.ImportResult, error)
	ExportCSV(w io.Writer, what string) error
	ImportCSV(r io.Reader, actor string, now time.Time) (store.ImportResult, error)
	Backup(w io.Writer) error
	Restore(r io.Reader, force bool) error
	Close() error
}

// logged is a store opened by a command, with its log file.
type logged struct {
	*store.Store
	log io.Closer
}

func (l logged) Close() error {
	err := l.Store.Close()
	if l.log != nil {
		l.log.Close()
	}
	return err
}

// openStore opens the store of --data (default store.DefaultDir) for one
// command, logging to the data directory. A board or serve holding it gives
// the store's *store.HeldError, whose one line Run prints. A command that
// only reads (read) never creates a store (*store.NoStoreError), and
// where the log cannot be written it warns once and goes on without it:
// reading the desk matters more than logging that it was read.
func openStore(e *Env, p *model.Policy, read bool) (Backend, error) {
	dir := dataDir(e)
	if read {
		if err := store.CheckStore(dir); err != nil {
			return nil, err
		}
	}
	logger, closer, err := store.OpenLog(dir)
	if err != nil {
		if !read {
			return nil, err
		}
		why := err
		var pe *os.PathError
		if errors.As(err, &pe) {
			why = pe.Err
		}
		fmt.Fprintf(e.Stderr, "caseboard: warning: cannot write the log in %s: %s\n", model.Inert(dir), model.Inert(model.OneLine(why.Error())))
		logger, closer = slog.New(slog.DiscardHandler), nil
	}
	s, err := store.Open(store.Options{Dir: dir, Policy: p, Logger: logger, Role: "command", Read: read})
	if err != nil {
		if closer != nil {
			closer.Close()
		}
		var held *store.HeldError
		if errors.As(err, &held) {
			return nil, held
		}
		var damaged *store.DamagedError
		if errors.As(err, &damaged) {
			return nil, damaged // names the store and what to do
		}
		var none *store.NoStoreError
		if errors.As(err, &none) {
			return nil, none
		}
		return nil, fmt.Errorf("open the store: %w", err)
	}
	return logged{s, closer}, nil
}

// dataDir is --data, else the default data directory.
func dataDir(e *Env) string {
	if e.DataDir != "" {
		return e.DataDir
	}
	getenv := e.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	return store.DefaultDir(getenv)
}

// visibleAccount is the account id that the session may see, read by key;
// any other is "no account ID", whether it is missing or another TAM's (a
// TAM learns nothing of accounts that are not theirs).
func (s *session) visibleAccount(id string) (*model.Account, error) {
	a, err := s.account(id)
	if err != nil {
		return nil, err
	}
	if a == nil || !mayRead(s.viewer, a) {
		return nil, fmt.Errorf("no account %s", model.Inert(id))
	}
	return a, nil
}

// mayRead reports whether u (nil: the local owner of the files) may see an
// account's cases and time.
func mayRead(u *model.User, a *model.Account) bool {
	if u == nil {
		return true
	}
	if a == nil {
		return model.CanSee(*u, model.Account{})
	}
	return model.CanSee(*u, *a)
}
