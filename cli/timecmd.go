package cli

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"caseboard/model"
)

func newTimeCmd(env *Env) *cobra.Command {
	cmd := group("time", "Log, list and void TAM time entries",
		"  caseboard time log --account acme --minutes 60 --category cadence-call --as tina")
	cmd.AddCommand(newTimeLogCmd(env), newTimeListCmd(env), newTimeVoidCmd(env))
	return cmd
}

func newTimeLogCmd(env *Env) *cobra.Command {
	var account, minutes, category, mode, date, caseN, project, note string
	cmd := &cobra.Command{
		Use:   "log --account A --minutes M --category C [--mode consultative|managed] [--date D] [--case N] [--project P] [--note TEXT]",
		Short: "Log TAM time against an account's monthly bank",
		Long: `Log time a TAM spent on an account. It counts against the bank of the
entry's month (the date defaults to today, America/New_York). Categories:
` + strings.Join(model.Categories(), ", ") + `.
implementation-guidance needs --project.`,
		Example: `  caseboard time log --account acme --minutes 60 --category cadence-call --as tina
  caseboard time log --account acme --minutes 1h30m --category implementation-guidance --project sso --date 2026-11-03`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := minutesFlag("minutes", minutes)
			if err != nil {
				return err
			}
			if !model.ValidCategory(category) {
				return fmt.Errorf("--category %q: must be one of %s", model.Inert(category), strings.Join(model.Categories(), ", "))
			}
			if err := oneOf("mode", mode, model.ModeConsultative, model.ModeManaged); err != nil {
				return err
			}
			a := model.LogTime{Account: account, Minutes: m, Category: category, Mode: mode, Project: project, Note: note}
			if date != "" {
				if a.Date, err = model.ParseDate(date); err != nil {
					return fmt.Errorf("--date: %w", err)
				}
			}
			if caseN != "" {
				if a.Case, err = caseArg(caseN); err != nil {
					return fmt.Errorf("--case: %w", err)
				}
			}
			return act(env, a)
		},
	}
	f := cmd.Flags()
	f.StringVar(&account, "account", "", "the account")
	f.StringVar(&minutes, "minutes", "", "time spent: minutes (90) or a duration (1h30m)")
	f.StringVar(&category, "category", "", "what the time was for (see above)")
	f.StringVar(&mode, "mode", model.ModeConsultative, "consultative or managed")
	f.StringVar(&date, "date", "", "the day (YYYY-MM-DD; default today)")
	f.StringVar(&caseN, "case", "", "a case of the account")
	f.StringVar(&project, "project", "", "the project (implementation guidance)")
	f.StringVar(&note, "note", "", "a note")
	for _, n := range []string{"account", "minutes", "category"} {
		_ = cmd.MarkFlagRequired(n)
	}
	return cmd
}

func newTimeListCmd(env *Env) *cobra.Command {
	var account, month string
	cmd := &cobra.Command{
		Use: "list --account A [--month YYYY-MM]", Short: "List an account's time entries (voided ones too)",
		Example: "  caseboard time list --account acme --month 2026-11",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var m model.Month
			var err error
			if month != "" {
				if m, err = model.ParseMonth(month); err != nil {
					return fmt.Errorf("--month: %w", err)
				}
			}
			s, err := env.reader()
			if err != nil {
				return err
			}
			if _, err := s.visibleAccount(account); err != nil {
				return err
			}
			all, err := s.timeEntries(account)
			if err != nil {
				return err
			}
			var entries []*model.TimeEntry
			for i := range all {
				e := &all[i]
				if month != "" && e.Date.MonthOf() != m {
					continue
				}
				entries = append(entries, e)
			}
			if env.JSON {
				out := make([]model.TimeEntryRecord, 0, len(entries))
				for _, e := range entries {
					out = append(out, model.TimeEntryToRecord(e, s.policy))
				}
				return env.printJSON(out)
			}
			if len(entries) == 0 {
				fmt.Fprintln(env.Stdout, "no time entries")
				return nil
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tDATE\tTAM\tTIME\tCATEGORY\tMODE\tCASE\tPROJECT\tNOTE")
			total := 0
			for _, e := range entries {
				cs, note := "-", model.Inert(e.Note)
				if e.Case != 0 {
					cs = model.CaseNumber(e.Case)
				}
				if !e.Counts() {
					note = "VOIDED: " + model.Inert(e.VoidReason) + "; " + note
				} else {
					total += e.Minutes
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Date, model.Inert(e.TAM),
					hm(e.Minutes), e.Category, e.Mode, cs, model.OrDash(model.Inert(e.Project), "-"), note)
			}
			fmt.Fprintf(tw, "\t\ttotal\t%s\t\t\t\t\t\n", hm(total))
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "the account")
	cmd.Flags().StringVar(&month, "month", "", "only this month (YYYY-MM)")
	_ = cmd.MarkFlagRequired("account")
	return cmd
}

func newTimeVoidCmd(env *Env) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use: "void ID --reason TEXT", Short: "Void a wrong time entry (it stays in the audit trail)",
		Example: `  caseboard time void 7 --reason "logged twice"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return fmt.Errorf("%q is not a time entry id", model.Inert(args[0]))
			}
			return act(env, model.VoidTime{ID: id, Reason: reason})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why it is void")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}

// hm writes minutes as "1h05m".
func hm(m int) string { return fmt.Sprintf("%dh%02dm", m/60, m%60) }

func sortedEntryIDs(d *model.Desk) []int64 {
	ids := make([]int64, 0, len(d.TimeEntries))
	for id := range d.TimeEntries {
		ids = append(ids, id)
	}
	sortInt64s(ids)
	return ids
}
