package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"caseboard/model"
	"caseboard/notify"
	"caseboard/store"
)

// hookStore is what the hook commands need of the store beyond Backend.
type hookStore interface {
	AddHook(h model.Hook) error
	RemoveHook(id string) error
	Hooks() ([]model.Hook, error)
	Hook(id string) (model.Hook, error)
	HookLog(hook string) ([]store.DeliveryLog, error)
	LogDelivery(l store.DeliveryLog) error
}

// startDelivery runs the deliverer of the store this process holds
// (board or serve): it raises the alerts the clocks owe and posts the
// outbox to the webhooks, in its own goroutine.
func startDelivery(env *Env, st *store.Store, logger *slog.Logger) *notify.Deliverer {
	clock := env.Clock
	if clock == nil {
		clock = time.Now
	}
	return notify.Start(st, notify.Options{Clock: clock, Log: logger})
}

func newHookCmd(env *Env) *cobra.Command {
	cmd := group("hook", "Webhooks that receive the desk's alerts (managers only)",
		"  caseboard hook add oncall --url https://hooks.slack.com/services/T/B/X --format slack --kinds new-case,breached --severity 1")
	cmd.AddCommand(newHookAddCmd(env), newHookListCmd(env), newHookShowCmd(env), newHookRemoveCmd(env),
		newHookTestCmd(env), newHookLogCmd(env))
	return cmd
}

// hookSession opens the store for a hook command and checks that the
// caller may manage hooks: acting always needs a manager; reading needs
// one with --as or over SSH (locally, the files' owner sees everything).
func hookSession(env *Env, acting bool, verb, id string) (*session, hookStore, error) {
	var s *session
	var err error
	if acting {
		s, err = env.acting(false)
	} else {
		s, err = env.reader()
	}
	if err != nil {
		return nil, nil, err
	}
	if s.viewer != nil {
		if err := model.PermitHooks(*s.viewer, verb, id); err != nil {
			return nil, nil, err
		}
	}
	hs, ok := unguarded(s.st).(hookStore)
	if g, guarded := s.st.(guardedBackend); ok && guarded {
		hs = guardedHooks{hs, g.allowed}
	}
	if !ok {
		return nil, nil, errors.New("webhooks need caseboard's own store")
	}
	return s, hs, nil
}

func newHookAddCmd(env *Env) *cobra.Command {
	var h model.Hook
	var kinds []string
	var sevs []int
	cmd := &cobra.Command{
		Use:   "add ID --url URL [--format json|slack|teams] [--secret S] [--kinds K,...] [--account A] [--region R] [--severity N...]",
		Short: "Add a webhook",
		Long: `Add a webhook: the process holding the store (the board or serve) posts
every alert it takes to URL (http or https). Without filters a hook takes
every alert; --kinds, --account, --region and --severity narrow it. With
--secret each body is signed: X-Caseboard-Signature: sha256=HEX, the
HMAC-SHA256 of the body. Kinds: ` + kindList() + `.`,
		Example: `  caseboard hook add oncall --url https://hooks.slack.com/services/T/B/X --format slack --severity 1
  caseboard hook add audit --url https://ops.example/caseboard --secret "$SECRET" --kinds breached,escalation-requested`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			h.ID = args[0]
			for _, k := range kinds {
				if k = strings.TrimSpace(k); k != "" {
					h.Kinds = append(h.Kinds, k)
				}
			}
			h.Severities = sevs
			s, hs, err := hookSession(env, true, "add", h.ID)
			if err != nil {
				return err
			}
			if err := model.CheckHook(&h, s.policy); err != nil {
				return err
			}
			if h.Account != "" {
				a, err := s.account(h.Account)
				if err != nil {
					return err
				}
				if a == nil {
					return model.RuleRefusal("add", "hook "+h.ID, "no account "+h.Account)
				}
			}
			if err := hs.AddHook(h); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "added hook %s (%s to %s)\n", h.ID, h.Format, model.Inert(h.MaskedURL()))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&h.URL, "url", "", "where alerts are posted (http or https)")
	f.StringVar(&h.Format, "format", model.HookJSON, "json, slack or teams")
	f.StringVar(&h.Secret, "secret", "", "sign each body with this secret (HMAC-SHA256)")
	f.StringSliceVar(&kinds, "kinds", nil, "only these alert kinds (comma-separated)")
	f.StringVar(&h.Account, "account", "", "only this account's alerts")
	f.StringVar(&h.Region, "region", "", "only this region's alerts")
	f.IntSliceVar(&sevs, "severity", nil, "only these severities (repeat or comma-separate)")
	_ = cmd.MarkFlagRequired("url")
	return cmd
}

func kindList() string {
	names := make([]string, len(model.AlertKinds))
	for i, k := range model.AlertKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// hookOut is a hook as list and show print it with --json: URL and
// secret masked in list, the secret always.
type hookOut struct {
	ID         string   `json:"id"`
	URL        string   `json:"url"`
	Format     string   `json:"format"`
	Secret     string   `json:"secret"`
	Kinds      []string `json:"kinds"`
	Account    string   `json:"account"`
	Region     string   `json:"region"`
	Severities []int    `json:"severities"`
}

func toHookOut(h *model.Hook, fullURL bool) hookOut {
	o := hookOut{ID: h.ID, URL: h.MaskedURL(), Format: h.Format, Secret: h.MaskedSecret(), Kinds: h.Kinds,
		Account: h.Account, Region: h.Region, Severities: h.Severities}
	if fullURL {
		o.URL = h.URL
	}
	if o.Kinds == nil {
		o.Kinds = []string{}
	}
	if o.Severities == nil {
		o.Severities = []int{}
	}
	return o
}

func filters(h *model.Hook) string {
	var parts []string
	if len(h.Kinds) > 0 {
		parts = append(parts, "kinds "+strings.Join(h.Kinds, ","))
	}
	if h.Account != "" {
		parts = append(parts, "account "+h.Account)
	}
	if h.Region != "" {
		parts = append(parts, "region "+h.Region)
	}
	if len(h.Severities) > 0 {
		s := make([]string, len(h.Severities))
		for i, n := range h.Severities {
			s[i] = fmt.Sprint(n)
		}
		parts = append(parts, "severity "+strings.Join(s, ","))
	}
	if len(parts) == 0 {
		return "every alert"
	}
	return strings.Join(parts, "; ")
}

func newHookListCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   "List the webhooks (URLs and secrets masked)",
		Example: "  caseboard hook list",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, hs, err := hookSession(env, false, "list", "")
			if err != nil {
				return err
			}
			hooks, err := hs.Hooks()
			if err != nil {
				return err
			}
			if env.JSON {
				out := make([]hookOut, 0, len(hooks))
				for i := range hooks {
					out = append(out, toHookOut(&hooks[i], false))
				}
				return env.printJSON(out)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tFORMAT\tURL\tSECRET\tTAKES")
			for i := range hooks {
				h := &hooks[i]
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", model.Inert(h.ID), h.Format, model.Inert(h.MaskedURL()),
					h.MaskedSecret(), model.Inert(filters(h)))
			}
			return tw.Flush()
		},
	}
}

func newHookShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "show ID",
		Short:   "Show one webhook (its secret masked)",
		Example: "  caseboard hook show oncall",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, hs, err := hookSession(env, false, "show", args[0])
			if err != nil {
				return err
			}
			h, err := hs.Hook(args[0])
			if err != nil {
				return err
			}
			if env.JSON {
				return env.printJSON(toHookOut(&h, true))
			}
			fmt.Fprintf(env.Stdout, "hook %s\n  url     %s\n  format  %s\n  secret  %s\n  takes   %s\n",
				model.Inert(h.ID), model.Inert(h.URL), h.Format, h.MaskedSecret(), model.Inert(filters(&h)))
			return nil
		},
	}
}

func newHookRemoveCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "remove ID",
		Short:   "Remove a webhook (what it has not been sent yet is dropped)",
		Example: "  caseboard hook remove oncall",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, hs, err := hookSession(env, true, "remove", args[0])
			if err != nil {
				return err
			}
			if err := hs.RemoveHook(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "removed hook %s\n", model.Inert(args[0]))
			return nil
		},
	}
}

func newHookTestCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "test ID",
		Short:   "Send one test alert to a webhook now and print the response status",
		Example: "  caseboard hook test oncall",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, hs, err := hookSession(env, true, "test", args[0])
			if err != nil {
				return err
			}
			h, err := hs.Hook(args[0])
			if err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return model.RuleRefusal("test", "hook "+args[0], "no such hook")
				}
				return err
			}
			a := model.TestAlert(h.ID, s.now)
			r := notify.Post(context.Background(), notify.NewClient(), &h, &a, s.policy, 10*time.Second)
			l := store.DeliveryLog{At: s.now, Hook: h.ID, Alert: a.ID, Attempt: 1, Status: r.Status, Error: r.Err, Final: true}
			if err := hs.LogDelivery(l); err != nil {
				return err
			}
			if r.Status == 0 {
				return fmt.Errorf("hook %s: no answer: %s", h.ID, r.Err)
			}
			if !r.OK() {
				return fmt.Errorf("hook %s: %d %s", h.ID, r.Status, http.StatusText(r.Status))
			}
			fmt.Fprintf(env.Stdout, "hook %s: %d %s\n", model.Inert(h.ID), r.Status, http.StatusText(r.Status))
			return nil
		},
	}
}

func newHookLogCmd(env *Env) *cobra.Command {
	var failed bool
	cmd := &cobra.Command{
		Use:     "log [ID] [--failed]",
		Short:   "Show delivery attempts: alert, attempt, status, error",
		Example: "  caseboard hook log oncall --failed",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			s, hs, err := hookSession(env, false, "read the log of", id)
			if err != nil {
				return err
			}
			logs, err := hs.HookLog(id)
			if err != nil {
				return err
			}
			type logOut struct {
				At      string `json:"at"`
				Hook    string `json:"hook"`
				Alert   string `json:"alert"`
				Attempt int    `json:"attempt"`
				Status  int    `json:"status"`
				Error   string `json:"error"`
				Final   bool   `json:"final"`
			}
			out := []logOut{}
			for _, l := range logs {
				if failed && !l.Failed() {
					continue
				}
				out = append(out, logOut{At: model.FormatInstant(l.At, s.policy.HomeZone()), Hook: l.Hook, Alert: l.Alert,
					Attempt: l.Attempt, Status: l.Status, Error: l.Error, Final: l.Final})
			}
			if env.JSON {
				return env.printJSON(out)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "AT\tHOOK\tALERT\tATTEMPT\tSTATUS\tERROR")
			for _, l := range out {
				status := fmt.Sprint(l.Status)
				if l.Status == 0 {
					status = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", l.At, model.Inert(l.Hook), model.Inert(l.Alert), l.Attempt,
					status, model.OrDash(model.Inert(l.Error), "-"))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&failed, "failed", false, "only the attempts that did not deliver")
	return cmd
}

// guardedHooks is an SSH session's hook store: like its other writes,
// a hook change first asks whether the session's access still stands.
type guardedHooks struct {
	hookStore
	allowed func() error
}

func (g guardedHooks) AddHook(h model.Hook) error {
	if err := g.allowed(); err != nil {
		return err
	}
	return g.hookStore.AddHook(h)
}

func (g guardedHooks) RemoveHook(id string) error {
	if err := g.allowed(); err != nil {
		return err
	}
	return g.hookStore.RemoveHook(id)
}
