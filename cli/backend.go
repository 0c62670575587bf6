package cli

import (
	"errors"
	"io"
	"time"

	"caseboard/model"
)

// Backend is what the commands need of a store; *store.Store is one.
type Backend interface {
	Do(actor string, a model.Action, now time.Time) (*model.Change, error)
	LoadDesk() (*model.Desk, error)
	Events(n int64) ([]model.Event, error)
	Export() (*model.Document, error)
	ExportCSV(w io.Writer, what string) error
	ParseDocument(r io.Reader) (*model.Document, error)
	Import(doc *model.Document, actor string, now time.Time) error
	ImportCSV(r io.Reader, actor string, now time.Time) error
	Backup(w io.Writer) error
	Restore(r io.Reader, force bool) error
	Close() error
}

// openStore opens the store of --data (until the store package lands, there
// is none).
func openStore(e *Env, p *model.Policy) (Backend, error) {
	return nil, errors.New("the store is not built yet")
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
