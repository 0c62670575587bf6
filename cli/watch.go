package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/spf13/cobra"

	"caseboard/model"
	"caseboard/store"
)

// errNoHolder: watch follows commits as they happen, which only the
// process holding the store sees.
var errNoHolder = errors.New("watch needs a running board or serve")

// watchStore is what watch needs of the store: the live feeds.
type watchStore interface {
	Feed(buf int) *store.Subscription
	SubscribeAlerts(buf int) (<-chan model.Alert, func())
	Case(n int64) (model.Case, error)
	Account(id string) (model.Account, error)
}

// heartbeater is a forwarded caller's output: an empty frame tells
// whether the caller is still there while nothing else is written.
type heartbeater interface{ Heartbeat() error }

// Heartbeat writes an empty frame (the caller writes nothing for it).
func (f frameWriter) Heartbeat() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return writeFrame(f.w, f.kind, nil)
}

// heartbeatEvery is how often watch checks that its caller is still there.
const heartbeatEvery = 5 * time.Second

func newWatchCmd(env *Env) *cobra.Command {
	var withAlerts bool
	var account, region string
	cmd := &cobra.Command{
		Use:   "watch [--json] [--alerts] [--account A] [--region R]",
		Short: "Print every change (and alert) as it commits, until interrupted",
		Long: `Print every change as it commits, one line each, until interrupted; with
--alerts every alert too; with --json one object per line (an event's
interchange fields, or an alert's). It is served by the process holding the
store (the board or serve): run it where one runs, or over SSH. A TAM sees
the changes of their accounts.`,
		Example: `  caseboard watch --json --alerts
  ssh -p 23234 desk watch --json --account acme`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if region != "" {
				p, err := env.Policy()
				if err != nil {
					return err
				}
				if _, ok := p.Regions[model.Region(region)]; !ok {
					return fmt.Errorf("--region %s: no such region", model.Inert(region))
				}
			}
			done := env.Done
			if sess, ok := env.Stdout.(ssh.Session); ok && done == nil {
				done = sess.Context().Done()
			}
			if env.Store == nil {
				// Opening the store ourselves means nobody holds it: a
				// held store is a *store.HeldError, and Run forwards.
				if _, err := env.store(true); err != nil {
					return err
				}
				return errNoHolder
			}
			if done == nil {
				// The board's prompt: watch would never give the board back.
				return errors.New("watch runs until interrupted: run it in a shell or over SSH, not at the board's prompt")
			}
			s, err := env.reader()
			if err != nil {
				return err
			}
			// Over SSH watch only reads: the session's guard on writes
			// has nothing to add.
			ws, ok := unguarded(s.st).(watchStore)
			if !ok {
				return errNoHolder
			}
			if account != "" {
				if _, err := ws.Account(account); err != nil {
					return fmt.Errorf("no account %s", model.Inert(account))
				}
			}
			w := &watcher{env: env, s: s, ws: ws, account: account, region: model.Region(region)}
			return w.run(done, withAlerts)
		},
	}
	cmd.Flags().BoolVar(&withAlerts, "alerts", false, "also print every alert as it is raised")
	cmd.Flags().StringVar(&account, "account", "", "only this account's changes")
	cmd.Flags().StringVar(&region, "region", "", "only this region's changes")
	return cmd
}

type watcher struct {
	env     *Env
	s       *session
	ws      watchStore
	account string
	region  model.Region
}

func (w *watcher) run(done <-chan struct{}, withAlerts bool) error {
	sub := w.ws.Feed(256)
	defer sub.Close()
	var alerts <-chan model.Alert
	if withAlerts {
		ch, stop := w.ws.SubscribeAlerts(256)
		defer stop()
		alerts = ch
	}
	beat := time.NewTicker(heartbeatEvery)
	defer beat.Stop()
	// Said once subscribed: a script (or a test) knows from here on that
	// no commit is missed.
	fmt.Fprintln(w.env.Stderr, "caseboard: watching; interrupt to stop")
	for {
		select {
		case <-done:
			return nil
		case u, ok := <-sub.C:
			if !ok {
				return nil // the store closed: the holder is stopping
			}
			if u.Resync {
				fmt.Fprintln(w.env.Stderr, "caseboard: watch fell behind: some changes were not shown")
				continue
			}
			if err := w.change(u.Change); err != nil {
				return nil // the caller went away
			}
		case a := <-alerts:
			if err := w.alert(&a); err != nil {
				return nil
			}
		case <-beat.C:
			if hb, ok := w.env.Stdout.(heartbeater); ok {
				if err := hb.Heartbeat(); err != nil {
					return nil
				}
			}
		}
	}
}

// shows reports whether the viewer may see, and the filters take, a fact
// of an account and region ("" for none: user and account records, shown
// to those who see every account and only without filters).
func (w *watcher) shows(account string, region model.Region) bool {
	if account == "" {
		if w.account != "" || w.region != "" {
			return false
		}
		return w.s.viewer == nil || model.Permission(w.s.viewer.Role, model.CapRead) != model.ScopeOwnAccounts
	}
	if w.account != "" && account != w.account {
		return false
	}
	if w.region != "" && region != w.region {
		return false
	}
	if w.s.viewer == nil {
		return true
	}
	a, err := w.ws.Account(account)
	return err == nil && model.CanSee(*w.s.viewer, a)
}

func (w *watcher) change(ch *model.Change) error {
	cases := map[int64]model.Case{}
	for _, c := range ch.Cases {
		cases[c.Number] = c
	}
	for i := range ch.Events {
		ev := &ch.Events[i]
		var c model.Case
		if ev.Case != 0 {
			var ok bool
			if c, ok = cases[ev.Case]; !ok {
				var err error
				if c, err = w.ws.Case(ev.Case); err != nil {
					continue
				}
			}
		} else if acct := eventAccount(ch, ev); acct != "" {
			c.Account = acct
		}
		if !w.shows(c.Account, c.Region) {
			continue
		}
		loc := w.s.policy.HomeZone()
		if ev.Case != 0 {
			loc = w.s.policy.RegionZone(c.Region)
		}
		if err := w.print(model.EventToRecord(ev, loc), eventLine(ev, &c, loc)); err != nil {
			return err
		}
	}
	return nil
}

// eventAccount is the account a change without a case is about (a time
// entry, an account record), so that a TAM sees their own.
func eventAccount(ch *model.Change, ev *model.Event) string {
	switch {
	case len(ch.TimeEntries) > 0:
		return ch.TimeEntries[0].Account
	case len(ch.Accounts) > 0:
		return ch.Accounts[0].ID
	}
	return ""
}

func eventLine(ev *model.Event, c *model.Case, loc *time.Location) string {
	what := ev.Kind
	if c.Number != 0 {
		what = model.CaseNumber(c.Number) + " " + ev.Kind
		if c.Account != "" {
			what += " (" + c.Account + ", sev " + fmt.Sprint(c.Severity) + ", " + string(c.Status) + ")"
		}
	} else if c.Account != "" {
		what += " " + c.Account
	}
	return model.Inert(model.FormatInstant(ev.At, loc) + " " + what + " by " + ev.Actor)
}

func (w *watcher) alert(a *model.Alert) error {
	if !w.shows(a.Account, a.Region) {
		return nil
	}
	rec := model.AlertToRecord(a, w.s.policy)
	return w.print(rec, model.Inert(rec.At+" alert "+rec.Kind+": "+rec.Text))
}

// print writes one line: the record as compact JSON with --json, else the
// human line.
func (w *watcher) print(rec any, line string) error {
	if !w.env.JSON {
		_, err := fmt.Fprintln(w.env.Stdout, line)
		return err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		return err
	}
	_, err := w.env.Stdout.Write(b.Bytes())
	return err
}
