package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"caseboard/model"
	"caseboard/store"
)

// Backend is what the commands need of a store; *store.Store is one.
type Backend interface {
	Do(actor string, a model.Action, now time.Time) (*model.Change, error)
	LoadDesk() (*model.Desk, error)
	Events(n int64) ([]model.Event, error)
	Export() (*model.Document, error)
	Import(doc *model.Document, actor string, now time.Time) (store.ImportResult, error)
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
// the store's *store.HeldError, whose one line Run prints.
func openStore(e *Env, p *model.Policy) (Backend, error) {
	dir := e.DataDir
	if dir == "" {
		getenv := e.Getenv
		if getenv == nil {
			getenv = func(string) string { return "" }
		}
		dir = store.DefaultDir(getenv)
	}
	logger, closer, err := store.OpenLog(dir)
	if err != nil {
		return nil, err
	}
	s, err := store.Open(store.Options{Dir: dir, Policy: p, Logger: logger, Role: "command"})
	if err != nil {
		closer.Close()
		var held *store.HeldError
		if errors.As(err, &held) {
			return nil, held
		}
		var damaged *store.DamagedError
		if errors.As(err, &damaged) {
			return nil, damaged // names the store and what to do
		}
		return nil, fmt.Errorf("open the store: %w", err)
	}
	return logged{s, closer}, nil
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
