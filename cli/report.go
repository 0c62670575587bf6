package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"caseboard/model"
)

// newReportCmd is the `report` group: sla, weekly and hours. The reports
// are computed in model/ from the desk the store loads; these commands
// only read, parse flags and pick the renderer.
func newReportCmd(env *Env) *cobra.Command {
	cmd := group("report", "SLA attainment, and the TAM's daily report, weekly update and hours report",
		`  caseboard report sla --from 2026-11-01 --to 2026-11-30 --region na
  caseboard report daily --account acme --date 2026-12-07
  caseboard report weekly --account acme --week 2026-W49
  caseboard report hours --account acme --from 2026-11-01 --to 2026-11-30 --format csv`)
	cmd.AddCommand(newReportSLACmd(env), newReportDailyCmd(env), newReportWeeklyCmd(env), newReportHoursCmd(env))
	return cmd
}

// reportRange reads --from and --to (dates, both included).
func reportRange(from, to string) (model.Date, model.Date, error) {
	f, err := model.ParseDate(from)
	if err != nil {
		return f, f, fmt.Errorf("--from: %w", err)
	}
	t, err := model.ParseDate(to)
	if err != nil {
		return f, t, fmt.Errorf("--to: %w", err)
	}
	if t.Before(f) {
		return f, t, fmt.Errorf("--from %s is after --to %s", f, t)
	}
	return f, t, nil
}

// reportFormat checks --format against the formats a report has; --json
// asks for json.
func reportFormat(env *Env, format string, allowed ...string) (string, error) {
	if format == "" {
		format = "md"
		if env.JSON {
			format = "json"
		}
	}
	for _, a := range allowed {
		if a == format {
			return format, nil
		}
	}
	s := ""
	for i, a := range allowed {
		if i > 0 {
			s += "|"
		}
		s += a
	}
	if env.JSON && format == "json" {
		return "", fmt.Errorf("--json: this report is written as %s (--format)", s)
	}
	return "", fmt.Errorf("--format %q: must be %s", format, s)
}

func newReportSLACmd(env *Env) *cobra.Command {
	var from, to, region, account, format string
	cmd := &cobra.Command{
		Use:   "sla --from D --to D [--region R] [--account A] [--format md|csv|json]",
		Short: "Initial-response SLA attainment and escalations over a range of days",
		Long: `Report the initial responses due from --from to --to (the due instant's
date in America/New_York, both days included): met and breached, the
attainment by severity, plan and region, the median and 90th percentile
time to first response (working and wall time, nearest rank, whole
minutes), the breached cases with how late they were, and the escalations
requested in the range.

A response at its due instant is met. Counted are the responses given and
the responses past due without one at --now; a case not yet due and not
answered is not counted, nor a severity-1 case still waiting for its call,
nor one closed unanswered before its due. A case whose severity changed
counts under its final severity and recomputed due.

CSV has one row per counted response; Markdown and JSON add the totals.`,
		Example: `  caseboard report sla --from 2026-11-01 --to 2026-11-30
  caseboard report sla --from 2026-11-16 --to 2026-11-20 --region emea --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, t, err := reportRange(from, to)
			if err != nil {
				return err
			}
			fm, err := reportFormat(env, format, "md", "csv", "json")
			if err != nil {
				return err
			}
			s, err := env.reader()
			if err != nil {
				return err
			}
			if region != "" {
				if _, ok := s.policy.Regions[model.Region(region)]; !ok {
					return fmt.Errorf("--region %q: must be one of %s", model.Inert(region), joinRegions(s.policy))
				}
			}
			d, err := s.loadDesk()
			if err != nil {
				return err
			}
			if account != "" {
				if _, err := s.visibleAccount(account); err != nil {
					return err
				}
			}
			filter := model.SLAFilter{Region: model.Region(region), Account: account}
			if s.viewer != nil {
				viewer := s.viewer
				filter.Visible = func(acct string) bool { return mayRead(viewer, d.Accounts[acct]) }
			}
			r := model.SLAReport(d, s.policy, f, t, filter, s.now)
			if r.Err != nil {
				return fmt.Errorf("read the closed cases: %w", r.Err)
			}
			switch fm {
			case "json":
				return r.RenderJSON(env.Stdout)
			case "csv":
				if r.Empty() {
					// The header alone says nothing: say it where people look.
					fmt.Fprintln(env.Stderr, r.EmptySLAMessage())
				}
				return r.RenderCSV(env.Stdout)
			}
			return r.RenderMarkdown(env.Stdout)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&from, "from", "", "first day, YYYY-MM-DD (America/New_York)")
	fl.StringVar(&to, "to", "", "last day, YYYY-MM-DD, included")
	fl.StringVar(&region, "region", "", "only this support region: na, emea")
	fl.StringVar(&account, "account", "", "only this account")
	fl.StringVar(&format, "format", "", "md, csv or json (default md; json with --json)")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func newReportDailyCmd(env *Env) *cobra.Command {
	var account, date, format string
	cmd := &cobra.Command{
		Use:   "daily --account A [--date D] [--format md|csv|json]",
		Short: "The TAM's daily report of an account's open cases, to share with the customer",
		Long: `Report every case of an account open at the end of --date (a day in
America/New_York; the default is today, seen as of --now): its severity,
status, owner, the most urgent running clock and its due, the escalation
and its step, and what changed since the end of the previous business day
(the account's region calendar), one sentence per event. A past day reads
as it stood that evening: later events are left out. Note and update texts
are not repeated. CSV has one row per case; JSON's field names are in
README.`,
		Example: `  caseboard report daily --account acme
  caseboard report daily --account acme --date 2026-12-04 --format csv > acme-daily.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var day model.Date
			if date != "" {
				var err error
				if day, err = model.ParseDate(date); err != nil {
					return fmt.Errorf("--date: %w", err)
				}
			}
			fm, err := reportFormat(env, format, "md", "csv", "json")
			if err != nil {
				return err
			}
			s, err := env.reader()
			if err != nil {
				return err
			}
			today := model.DateOf(s.now, s.policy.HomeZone())
			if date == "" {
				day = today
			}
			if today.Before(day) {
				return fmt.Errorf("--date %s is after today (%s): a daily report tells what happened", day, today)
			}
			d, err := s.loadDesk()
			if err != nil {
				return err
			}
			if _, err := s.visibleAccount(account); err != nil {
				return err
			}
			r, err := model.DailyReport(d, s.policy, account, day, s.st.Events, s.now)
			if err != nil {
				return err
			}
			switch fm {
			case "json":
				return r.RenderJSON(env.Stdout)
			case "csv":
				return r.RenderCSV(env.Stdout)
			}
			return r.RenderMarkdown(env.Stdout)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&account, "account", "", "the account")
	fl.StringVar(&date, "date", "", "the day, YYYY-MM-DD (America/New_York; default today)")
	fl.StringVar(&format, "format", "", "md, csv or json (default md; json with --json)")
	_ = cmd.MarkFlagRequired("account")
	return cmd
}

func newReportWeeklyCmd(env *Env) *cobra.Command {
	var account, week, format string
	cmd := &cobra.Command{
		Use:   "weekly --account A [--week YYYY-Www] [--format md|csv]",
		Short: "The TAM's weekly update for an account",
		Long: `Report an account's TAM time for one ISO week (Monday to Sunday,
America/New_York; the default is the week of --now): the week's entries,
totals by category, and the time bank of the month the week ends in (used
up to the week's Sunday, and remaining). Voided entries are listed as
voided and never counted. CSV has one row per entry, with the time-entry
field names as its header.`,
		Example: `  caseboard report weekly --account acme
  caseboard report weekly --account acme --week 2026-W49 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var w model.Week
			if week != "" {
				var err error
				if w, err = model.ParseWeek(week); err != nil {
					return fmt.Errorf("--week: %w", err)
				}
			}
			fm, err := reportFormat(env, format, "md", "csv")
			if err != nil {
				return err
			}
			s, err := env.reader()
			if err != nil {
				return err
			}
			if week == "" {
				w = model.WeekOf(model.DateOf(s.now, s.policy.TAMZone))
			}
			return hoursReport(env, s, account, fm, func(d *model.Desk) (*model.HoursReportData, error) {
				return model.WeeklyReport(d, s.policy, account, w, s.now)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&account, "account", "", "the account")
	fl.StringVar(&week, "week", "", "ISO week YYYY-Www (default: the week of now)")
	fl.StringVar(&format, "format", "", "md or csv (default md)")
	_ = cmd.MarkFlagRequired("account")
	return cmd
}

func newReportHoursCmd(env *Env) *cobra.Command {
	var account, from, to, format string
	cmd := &cobra.Command{
		Use:   "hours --account A --from D --to D [--format md|csv]",
		Short: "The detailed hours report of an account over a range of days",
		Long: `Report every TAM time entry of an account dated from --from to --to
(both included), with totals by category. Voided entries are listed as
voided and never counted. CSV has one row per entry, with the time-entry
field names as its header.`,
		Example: `  caseboard report hours --account acme --from 2026-11-01 --to 2026-11-30
  caseboard report hours --account acme --from 2026-10-01 --to 2026-12-31 --format csv > hours.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, t, err := reportRange(from, to)
			if err != nil {
				return err
			}
			fm, err := reportFormat(env, format, "md", "csv")
			if err != nil {
				return err
			}
			s, err := env.reader()
			if err != nil {
				return err
			}
			return hoursReport(env, s, account, fm, func(d *model.Desk) (*model.HoursReportData, error) {
				return model.HoursReport(d, s.policy, account, f, t, s.now)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&account, "account", "", "the account")
	fl.StringVar(&from, "from", "", "first day, YYYY-MM-DD (America/New_York)")
	fl.StringVar(&to, "to", "", "last day, YYYY-MM-DD, included")
	fl.StringVar(&format, "format", "", "md or csv (default md)")
	for _, n := range []string{"account", "from", "to"} {
		_ = cmd.MarkFlagRequired(n)
	}
	return cmd
}

// hoursReport loads the desk, checks the account is there and visible,
// builds the report and writes it.
func hoursReport(env *Env, s *session, account, format string, build func(*model.Desk) (*model.HoursReportData, error)) error {
	d, err := s.loadDesk()
	if err != nil {
		return err
	}
	if _, err := s.visibleAccount(account); err != nil {
		return err
	}
	r, err := build(d)
	if err != nil {
		return err
	}
	var render func(io.Writer) error = r.RenderMarkdown
	if format == "csv" {
		render = r.RenderCSV
	}
	return render(env.Stdout)
}
