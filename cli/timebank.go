package cli

import (
	"fmt"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"caseboard/model"
)

// timebankJSON is what `timebank --json` prints (INTERFACE.md).
type timebankJSON struct {
	Account             string  `json:"account"`
	Plan                string  `json:"plan"`
	Month               string  `json:"month"`
	BankMinutes         int     `json:"bank_minutes"`
	UsedMinutes         int     `json:"used_minutes"`
	RemainingMinutes    int     `json:"remaining_minutes"`
	RefillsAt           string  `json:"refills_at"`
	ProjectedExhaustion *string `json:"projected_exhaustion"`
}

func newTimebankCmd(env *Env) *cobra.Command {
	var account, month string
	cmd := &cobra.Command{
		Use:   "timebank --account A [--month YYYY-MM]",
		Short: "Show an account's TAM time bank for a month",
		Long: `Show an account's TAM time bank: the month's bank, used and remaining
minutes, when it refills (the 1st, 00:00 America/New_York) and the date
the month's pace so far would exhaust it.`,
		Example: "  caseboard timebank --account acme\n  caseboard timebank --account acme --month 2026-11 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := env.reader()
			if err != nil {
				return err
			}
			m := model.DateOf(s.now, s.policy.TAMZone).MonthOf()
			if month != "" {
				if m, err = model.ParseMonth(month); err != nil {
					return fmt.Errorf("--month: %w", err)
				}
			}
			acct, err := s.visibleAccount(account)
			if err != nil {
				return err
			}
			entries, err := s.timeEntries(account)
			if err != nil {
				return err
			}
			out, st := s.timebank(acct, m, entries)
			if env.JSON {
				return env.printJSON(out)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			name := st.Plan.Name
			if name == "" {
				name = string(acct.TAMPlan)
			}
			fmt.Fprintf(tw, "account\t%s (%s)\n", model.Inert(acct.ID), model.Inert(acct.Name))
			fmt.Fprintf(tw, "plan\t%s\n", name)
			fmt.Fprintf(tw, "month\t%s\n", out.Month)
			fmt.Fprintf(tw, "bank\t%s\n", hm(out.BankMinutes))
			fmt.Fprintf(tw, "used\t%s (even pace %s)\n", hm(out.UsedMinutes), hm(int(st.Pace)))
			fmt.Fprintf(tw, "remaining\t%s\n", hm(out.RemainingMinutes))
			fmt.Fprintf(tw, "refills\t%s\n", model.When(st.Refill, s.policy.TAMZone, "ET"))
			pe := "not at this pace"
			if out.ProjectedExhaustion != nil {
				pe = *out.ProjectedExhaustion
			}
			fmt.Fprintf(tw, "projected exhaustion\t%s\n", pe)
			for _, c := range st.ByCategory {
				if c.Minutes > 0 {
					fmt.Fprintf(tw, "  %s\t%s\n", c.Category, hm(c.Minutes))
				}
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&account, "account", "", "the account")
	cmd.Flags().StringVar(&month, "month", "", "the month (YYYY-MM; default this month)")
	_ = cmd.MarkFlagRequired("account")
	return cmd
}

// timebank sums up an account's month: BankSummary at now, or for another
// month at its last second (past) or first instant (future).
func (s *session) timebank(acct *model.Account, m model.Month, entries []model.TimeEntry) (timebankJSON, model.BankStatus) {
	loc := s.policy.TAMZone
	at := s.now
	if cur := model.DateOf(s.now, loc).MonthOf(); cur != m {
		if m.Start(loc).After(s.now) {
			at = m.Start(loc)
		} else {
			at = m.End(loc).Add(-time.Second)
		}
	}
	st := model.BankSummary(*acct, entries, s.policy, at)
	out := timebankJSON{Account: acct.ID, Plan: string(acct.TAMPlan), Month: m.String(), BankMinutes: st.Bank,
		UsedMinutes: st.Used, RemainingMinutes: st.Remaining, RefillsAt: model.FormatInstant(st.Refill, loc)}
	if st.HasExhaustion {
		d := st.Exhaustion.String()
		out.ProjectedExhaustion = &d
	}
	return out, st
}

func sortInt64s(xs []int64) { sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] }) }
