package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"caseboard/model"
)

// queueJSON is one case of `queue --json` (INTERFACE.md), field for field.
type queueJSON struct {
	Number             int64   `json:"number"`
	Severity           int     `json:"severity"`
	Account            string  `json:"account"`
	Plan               string  `json:"plan"`
	Region             string  `json:"region"`
	Title              string  `json:"title"`
	Status             string  `json:"status"`
	Owner              *string `json:"owner"`
	Clock              *string `json:"clock"`
	Due                *string `json:"due"`
	RemainingSeconds   *int64  `json:"remaining_seconds"`
	WorkingSecondsLeft *int64  `json:"working_seconds_left"`
	Breached           bool    `json:"breached"`
	Paused             bool    `json:"paused"`
	ResumesAt          *string `json:"resumes_at"`
	CallRequired       bool    `json:"call_required"`
	Escalated          bool    `json:"escalated"`
	Escalation         *string `json:"escalation"`
}

// queueRow is one open case (model.QueueItem: its clocks and sort key)
// with its most urgent running clock seen at now.
type queueRow struct {
	c       *model.Case
	esc     *model.Escalation
	clock   model.Clock
	running bool
	st      model.ClockStatus
}

func newQueueRow(it *model.QueueItem, now time.Time, p *model.Policy) queueRow {
	r := queueRow{c: it.Case, esc: it.Esc, clock: it.Urgent, running: it.HasClock}
	if r.running {
		r.st = r.clock.At(now, p)
	}
	return r
}

func newQueueCmd(env *Env) *cobra.Command {
	var region, owner, account string
	var byDue bool
	cmd := &cobra.Command{
		Use:   "queue [--region R] [--owner U] [--account A] [--by-due]",
		Short: "List the open cases in board order",
		Long: `List every case that is not closed, in the board's order: severity 1
first, then by the due instant of each case's most urgent running clock
(call required first, no running clock last); --by-due orders by due
instant across severities. Filters combine.

queue only reads: it never writes, not even the auto-close of a due case.`,
		Example: `  caseboard queue --region emea
  caseboard queue --owner sam --json
  caseboard queue --now 2026-11-20T16:30:00-05:00 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := env.reader()
			if err != nil {
				return err
			}
			d, err := s.openDesk()
			if err != nil {
				return err
			}
			order := model.BySeverity
			if byDue {
				order = model.ByDue
			}
			rows := s.queueIn(d, func(c *model.Case) bool {
				return (region == "" || string(c.Region) == region) &&
					(owner == "" || c.Owner == owner) && (account == "" || c.Account == account)
			}, order)
			if env.JSON {
				out := make([]queueJSON, 0, len(rows))
				for _, r := range rows {
					out = append(out, s.queueRecord(r))
				}
				return env.printJSON(out)
			}
			s.printQueue(rows)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&region, "region", "", "only this support region (na, emea)")
	f.StringVar(&owner, "owner", "", "only cases this user owns")
	f.StringVar(&account, "account", "", "only this account's cases")
	f.BoolVar(&byDue, "by-due", false, "order by due instant across severities (call required first)")
	return cmd
}

// queue returns the open cases the viewer may see that keep, in board
// order (model.Queue's).
func (s *session) queue(d *model.Desk, keep func(*model.Case) bool) []queueRow {
	return s.queueIn(d, keep, model.BySeverity)
}

func (s *session) queueIn(d *model.Desk, keep func(*model.Case) bool, order model.Order) []queueRow {
	var items []model.QueueItem
	for _, n := range d.CaseNumbers() {
		c := d.Cases[n]
		if !c.IsOpen() || !keep(c) || !mayRead(s.viewer, d.Accounts[c.Account]) {
			continue
		}
		var esc *model.Escalation
		if e, ok := d.Escalation(n); ok {
			esc = &e
		}
		items = append(items, model.NewQueueItem(c, esc, s.policy))
	}
	q := model.BuildQueue(items, order)
	rows := make([]queueRow, 0, q.Len())
	for _, it := range q.Items() {
		rows = append(rows, newQueueRow(it, s.now, s.policy))
	}
	return rows
}

func (s *session) queueRecord(r queueRow) queueJSON {
	c := r.c
	loc := s.policy.RegionZone(c.Region)
	out := queueJSON{Number: c.Number, Severity: c.Severity, Account: c.Account, Plan: string(c.Plan),
		Region: string(c.Region), Title: c.Title, Status: string(c.Status), Owner: opt(c.Owner),
		Escalated: r.esc.Open()}
	if r.esc != nil {
		out.Escalation = opt(r.esc.Status)
	}
	if !r.running {
		return out
	}
	out.Clock = opt(string(r.clock.Kind))
	if r.clock.CallRequired {
		out.CallRequired = true
		return out
	}
	due := model.FormatInstant(r.clock.Due, loc)
	rem := int64(r.st.Remaining / time.Second)
	work := int64(r.st.WorkingLeft / time.Second)
	out.Due, out.RemainingSeconds, out.WorkingSecondsLeft = &due, &rem, &work
	if r.st.State == model.StateBreached {
		out.Breached = true
		zero := int64(0)
		out.WorkingSecondsLeft = &zero
		return out
	}
	if r.st.Paused {
		out.Paused = true
		out.ResumesAt = opt(model.FormatInstant(r.st.ResumesAt, loc))
	}
	return out
}

func (s *session) printQueue(rows []queueRow) {
	if len(rows) == 0 {
		fmt.Fprintln(s.env.Stdout, "no open cases")
		return
	}
	tw := tabwriter.NewWriter(s.env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tSEV\tACCOUNT\tPLAN\tREGION\tSTATUS\tOWNER\tCLOCK\tDUE\tLEFT\tFLAGS\tTITLE")
	for _, r := range rows {
		c := r.c
		clock, due, left := "-", "-", "-"
		var flags []string
		if r.running {
			clock = string(r.clock.Kind)
			switch {
			case r.clock.CallRequired:
				due, left = "call required", "-"
			default:
				due = s.when(r.clock.Due, r.clock.Calendar, c.Region)
				left = clockLeft(r.st)
			}
			if r.st.DueSoon {
				flags = append(flags, "due-soon")
			}
		}
		if r.esc.Open() {
			flags = append(flags, "escalated")
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", model.CaseNumber(c.Number), c.Severity,
			model.Inert(c.Account), c.Plan, c.Region, c.Status, model.OrDash(model.Inert(c.Owner), "-"), clock, due, left,
			model.OrDash(joinComma(flags), "-"), model.Inert(c.Title))
	}
	tw.Flush()
}

// clockLeft says where a running clock stands: time to breach and working
// time left, or how long ago it breached, and whether it is paused.
func clockLeft(st model.ClockStatus) string {
	if st.State == model.StateBreached {
		return "breached " + model.Span(st.Remaining) + " ago"
	}
	out := model.Span(st.Remaining) + " (" + model.Span(st.WorkingLeft) + " working)"
	if st.Paused {
		out += ", paused"
	}
	return out
}

// when writes an instant for people in the zone of the case's region
// ("Fri 20 Nov 18:00 ET"), whatever calendar the clock runs on.
func (s *session) when(t time.Time, _ *model.Calendar, region model.Region) string {
	rc := s.policy.RegionCalendar(region)
	return model.When(t, rc.Location(), rc.Label)
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func joinComma(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}
