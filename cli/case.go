package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"caseboard/model"
)

func newCaseCmd(env *Env) *cobra.Command {
	cmd := group("case", "Open, show and work on cases",
		`  caseboard case new --account acme --severity 2 --title "Index rebuild stuck"
  caseboard case take 1042 --as sam
  caseboard case show 00001042`)
	cmd.AddCommand(newCaseNewCmd(env), newCaseShowCmd(env), newCaseListCmd(env),
		caseAct(env, "take N", "Take ownership of a case (the acting user)", "  caseboard case take 1042 --as sam",
			func(n int64) model.Action { return model.TakeCase{Number: n} }),
		newCaseAssignCmd(env),
		caseActAt(env, "call N [--at T]", "Log the customer's phone call (severity 1: starts the clock)",
			"  caseboard case call 1042\n  caseboard case call 1042 --at 2026-11-20T10:05:00-05:00",
			func(n int64, at time.Time) model.Action { return model.CallCase{Number: n, At: at} }),
		caseActAt(env, "respond N [--at T]", "Log the first response to the customer (stops the response clock)",
			"  caseboard case respond 1042 --as sam",
			func(n int64, at time.Time) model.Action { return model.RespondCase{Number: n, At: at} }),
		newCaseNoteCmd(env), newCaseStatusCmd(env), newCaseSeverityCmd(env),
		caseActAt(env, "reply N [--at T]", "Log the customer's reply (back to in-progress from waiting-customer)",
			"  caseboard case reply 1042",
			func(n int64, at time.Time) model.Action { return model.ReplyCase{Number: n, At: at} }),
		caseActAt(env, "followup N [--at T]", "Log a follow-up to the customer (follow-up 1, then 2)",
			"  caseboard case followup 1042 --at 2026-11-23T09:00:00-05:00",
			func(n int64, at time.Time) model.Action { return model.FollowupCase{Number: n, At: at} }),
		newCaseCloseCmd(env),
		caseAct(env, "reopen N", "Reopen a closed case (within the reopen window)", "  caseboard case reopen 1042",
			func(n int64) model.Action { return model.ReopenCase{Number: n} }),
	)
	return cmd
}

// caseAct builds a command that does one action on case N.
func caseAct(env *Env, use, short, example string, build func(n int64) model.Action) *cobra.Command {
	return escAct(env, use, short, example, func(n int64) (model.Action, error) { return build(n), nil })
}

// caseActAt builds a command that records a fact on case N, now or --at
// an earlier instant.
func caseActAt(env *Env, use, short, example string, build func(n int64, at time.Time) model.Action) *cobra.Command {
	var at string
	cmd := &cobra.Command{
		Use: use, Short: short, Example: example, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := caseArg(args[0])
			if err != nil {
				return err
			}
			t, err := optInstant("at", at)
			if err != nil {
				return err
			}
			return act(env, build(n, t))
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "when it happened, if earlier (RFC 3339; default now)")
	return cmd
}

// act runs one action as the acting user and prints what was done.
func act(env *Env, a model.Action) error {
	s, err := env.acting(false)
	if err != nil {
		return err
	}
	ch, err := s.do(a)
	if err != nil {
		return err
	}
	return s.done(ch)
}

func severityHelp() string {
	var b strings.Builder
	b.WriteString("severity 1 to 4:")
	for i := 1; i <= 4; i++ {
		fmt.Fprintf(&b, "\n  %d %s: %s", i, model.SeverityName(i), model.SeverityHelp(i))
	}
	return b.String()
}

func newCaseNewCmd(env *Env) *cobra.Command {
	var account, title, contact, opened string
	var sev int
	var refersTo string
	cmd := &cobra.Command{
		Use:   "new --account A --severity N --title T [--contact NAME] [--refers-to N] [--opened T]",
		Short: "Open a case; prints its number",
		Long:  "Open a case for an account. It keeps the account's plan and region.\n\n" + severityHelp(),
		Example: `  caseboard case new --account acme --severity 2 --title "Index rebuild stuck" --contact "Ana Ruiz"
  caseboard case new --account acme --severity 3 --title "Still slow" --refers-to 1042`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if sev < 1 || sev > 4 {
				return fmt.Errorf("--severity %d: must be 1, 2, 3 or 4", sev)
			}
			a := model.NewCase{Account: account, Severity: sev, Title: title, Contact: contact}
			if refersTo != "" {
				n, err := caseArg(refersTo)
				if err != nil {
					return fmt.Errorf("--refers-to: %w", err)
				}
				a.RefersTo = n
			}
			t, err := optInstant("opened", opened)
			if err != nil {
				return err
			}
			a.Opened = t
			s, err := env.acting(false)
			if err != nil {
				return err
			}
			ch, err := s.do(a)
			if err != nil {
				return err
			}
			if env.JSON || len(ch.Cases) == 0 {
				return s.done(ch)
			}
			fmt.Fprintln(env.Stdout, model.CaseNumber(ch.Cases[0].Number))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&account, "account", "", "the customer account")
	f.IntVar(&sev, "severity", 0, "severity 1 (critical) to 4 (request); see above")
	f.StringVar(&title, "title", "", "a one-line summary")
	f.StringVar(&contact, "contact", "", "the customer contact who logged it")
	f.StringVar(&refersTo, "refers-to", "", "an older case this one follows up")
	f.StringVar(&opened, "opened", "", "when the case was logged, if earlier (RFC 3339)")
	for _, n := range []string{"account", "severity", "title"} {
		_ = cmd.MarkFlagRequired(n)
	}
	return cmd
}

func newCaseAssignCmd(env *Env) *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use: "assign N --to U", Short: "Give a case to someone (managers)",
		Example: "  caseboard case assign 1042 --to lee --as maria", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := caseArg(args[0])
			if err != nil {
				return err
			}
			return act(env, model.AssignCase{Number: n, To: to})
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the user who will own it")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func newCaseNoteCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use: "note N TEXT...", Short: "Add a note to a case (the rest of the line is the note)",
		Example: "  caseboard case note 1042 Asked for the indexer logs\n  caseboard case note 1042 -- --verbose made no difference",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := caseArg(args[0])
			if err != nil {
				return err
			}
			return act(env, model.NoteCase{Number: n, Text: strings.Join(args[1:], " ")})
		},
	}
}

func newCaseStatusCmd(env *Env) *cobra.Command {
	names := make([]string, 0, len(model.Statuses()))
	for _, s := range model.Statuses() {
		names = append(names, string(s))
	}
	return &cobra.Command{
		Use: "status N STATUS", Short: "Move a case to another status",
		Long:    "Move a case to another status: " + strings.Join(names, ", ") + ".",
		Example: "  caseboard case status 1042 waiting-customer", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := caseArg(args[0])
			if err != nil {
				return err
			}
			st, ok := model.ParseStatus(args[1])
			if !ok {
				return fmt.Errorf("%q is not a status (%s)", model.Inert(args[1]), strings.Join(names, ", "))
			}
			return act(env, model.SetStatus{Number: n, To: st})
		},
	}
}

func newCaseSeverityCmd(env *Env) *cobra.Command {
	var to int
	var agreed string
	cmd := &cobra.Command{
		Use: "severity N --to S --agreed-by NAME", Short: "Change a case's severity with the customer's agreement",
		Long:    "Change a case's severity after assessment, recording who at the customer agreed. The response clock is recomputed from the case's original timestamps.\n\n" + severityHelp(),
		Example: `  caseboard case severity 1042 --to 3 --agreed-by "Ana Ruiz"`, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := caseArg(args[0])
			if err != nil {
				return err
			}
			if to < 1 || to > 4 {
				return fmt.Errorf("--to %d: must be 1, 2, 3 or 4", to)
			}
			return act(env, model.ChangeSeverity{Number: n, To: to, AgreedBy: agreed})
		},
	}
	cmd.Flags().IntVar(&to, "to", 0, "the new severity, 1 to 4")
	cmd.Flags().StringVar(&agreed, "agreed-by", "", "who at the customer agreed")
	_ = cmd.MarkFlagRequired("to")
	_ = cmd.MarkFlagRequired("agreed-by")
	return cmd
}

func newCaseCloseCmd(env *Env) *cobra.Command {
	var reason, of string
	cmd := &cobra.Command{
		Use: "close N --reason resolved|no-response|duplicate [--of M]", Short: "Close a case with a reason",
		Example: "  caseboard case close 1042 --reason resolved\n  caseboard case close 1043 --reason duplicate --of 1042",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := caseArg(args[0])
			if err != nil {
				return err
			}
			if err := oneOf("reason", reason, model.ReasonResolved, model.ReasonNoResponse, model.ReasonDuplicate); err != nil {
				return err
			}
			a := model.CloseCase{Number: n, Reason: reason}
			if of != "" {
				if a.DuplicateOf, err = caseArg(of); err != nil {
					return fmt.Errorf("--of: %w", err)
				}
			}
			if reason == model.ReasonDuplicate && of == "" {
				// A flag the command needs in this form: usage (exit 2).
				return Usagef("--reason duplicate needs --of M, the case it duplicates")
			}
			if reason != model.ReasonDuplicate && of != "" {
				return Usagef("--of is only for --reason duplicate")
			}
			return act(env, a)
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "resolved (the customer agreed), no-response, or duplicate")
	cmd.Flags().StringVar(&of, "of", "", "the case this one duplicates")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}

func newCaseListCmd(env *Env) *cobra.Command {
	var open bool
	var account string
	cmd := &cobra.Command{
		Use: "list [--open] [--account A]", Short: "List cases by number",
		Example: "  caseboard case list --open --account acme\n  caseboard case list --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := env.reader()
			if err != nil {
				return err
			}
			d, err := s.loadDesk()
			if err != nil {
				return err
			}
			var cases []*model.Case
			keep := func(c *model.Case, _ []model.Escalation) bool {
				if (open && !c.IsOpen()) || (account != "" && c.Account != account) || !mayRead(s.viewer, d.Accounts[c.Account]) {
					return true
				}
				cases = append(cases, c)
				return true
			}
			if open { // memory holds every open case
				for _, n := range d.CaseNumbers() {
					keep(d.Cases[n], nil)
				}
			} else if err := d.EachCase(keep); err != nil {
				return fmt.Errorf("read the closed cases: %w", err)
			}
			if env.JSON {
				out := make([]model.CaseRecord, 0, len(cases))
				for _, c := range cases {
					out = append(out, model.CaseToRecord(c, s.policy))
				}
				return env.printJSON(out)
			}
			if len(cases) == 0 {
				fmt.Fprintln(env.Stdout, "no cases")
				return nil
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "CASE\tSEV\tACCOUNT\tSTATUS\tOWNER\tOPENED\tTITLE")
			for _, c := range cases {
				rc := s.policy.RegionCalendar(c.Region)
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", model.CaseNumber(c.Number), c.Severity,
					model.Inert(c.Account), c.Status, model.OrDash(model.Inert(c.Owner), "-"),
					model.When(c.OpenedAt, rc.Location(), rc.Label), model.Inert(c.Title))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&open, "open", false, "only cases that are not closed")
	cmd.Flags().StringVar(&account, "account", "", "only this account's cases")
	return cmd
}
