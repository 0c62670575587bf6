package cli

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"caseboard/model"
)

// slaJSON is the object `sla --json` prints (INTERFACE.md).
type slaJSON struct {
	Clock              string  `json:"clock"`
	Start              string  `json:"start"`
	Due                *string `json:"due"`
	TargetSeconds      int64   `json:"target_seconds"`
	RemainingSeconds   *int64  `json:"remaining_seconds"`
	WorkingSecondsLeft *int64  `json:"working_seconds_left"`
	Breached           bool    `json:"breached"`
	Paused             bool    `json:"paused"`
	ResumesAt          *string `json:"resumes_at"`
}

func newSLACmd(env *Env) *cobra.Command {
	var sev int
	var plan, region, start string
	cmd := &cobra.Command{
		Use:         "sla --severity N --plan P --region R --start T",
		Annotations: local(),
		Short:       "Compute the initial-response clock of a case",
		Long: `Compute when a case's initial response is due under the policy, and
where its clock stands now. For severity 1 (around the clock), --start is
the time of the customer's phone call; otherwise it is when the case was
logged.`,
		Example: `  caseboard sla --severity 3 --plan premium --region na \
    --start 2026-12-24T20:00:00-05:00 --now 2026-12-24T21:00:00-05:00 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := env.Policy()
			if err != nil {
				return err
			}
			if sev < 1 || sev > 4 {
				return fmt.Errorf("--severity %d: must be 1, 2, 3 or 4", sev)
			}
			pl, ok := model.ParsePlan(plan)
			if !ok {
				return fmt.Errorf("--plan %q: must be basic, plus or premium", plan)
			}
			if _, ok := p.Regions[model.Region(region)]; !ok {
				return fmt.Errorf("--region %q: must be one of %s", region, joinRegions(p))
			}
			st, err := model.ParseInstant(start)
			if err != nil {
				return fmt.Errorf("--start: %w", err)
			}
			now, err := env.Now()
			if err != nil {
				return err
			}
			c := &model.Case{Severity: sev, Plan: pl, Region: model.Region(region), Status: model.StatusNew,
				OpenedAt: st, PhonedAt: st}
			cl := model.ResponseClock(c, p)
			return printSLA(env, p, cl, cl.At(now, p), model.Region(region))
		},
	}
	f := cmd.Flags()
	f.IntVar(&sev, "severity", 0, "severity 1 to 4")
	f.StringVar(&plan, "plan", "", "support plan: basic, plus, premium")
	f.StringVar(&region, "region", "", "support region: na, emea")
	f.StringVar(&start, "start", "", "when the case was logged (severity 1: when the customer phoned), RFC 3339")
	for _, name := range []string{"severity", "plan", "region", "start"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

func printSLA(env *Env, p *model.Policy, cl model.Clock, st model.ClockStatus, region model.Region) error {
	loc := p.RegionZone(region)
	if env.JSON {
		out := slaJSON{Clock: string(cl.Kind), Start: model.FormatInstant(cl.Start, loc),
			TargetSeconds: int64(cl.Target / time.Second), Breached: st.State == model.StateBreached,
			Paused: st.Paused}
		due := model.FormatInstant(cl.Due, loc)
		rem, work := int64(st.Remaining/time.Second), int64(st.WorkingLeft/time.Second)
		out.Due, out.RemainingSeconds, out.WorkingSecondsLeft = &due, &rem, &work
		if st.Paused {
			r := model.FormatInstant(st.ResumesAt, loc)
			out.ResumesAt = &r
		}
		b, err := model.MarshalDocument(out)
		if err != nil {
			return err
		}
		_, err = env.Stdout.Write(compactLine(b))
		return err
	}
	cal := p.RegionCalendar(region)
	label := cal.Label
	fmt.Fprintf(env.Stdout, "due %s", model.When(cl.Due, loc, label))
	switch st.State {
	case model.StateBreached:
		fmt.Fprintf(env.Stdout, ", breached %s ago\n", model.Span(st.Remaining))
		return nil
	default:
		fmt.Fprintf(env.Stdout, ", in %s (%s of working time)", model.Span(st.Remaining), model.Span(st.WorkingLeft))
	}
	if st.Paused {
		fmt.Fprintf(env.Stdout, "; paused, resumes %s", st.ResumesAt.In(loc).Format("Mon 15:04")+" "+label)
	}
	fmt.Fprintln(env.Stdout)
	return nil
}

// compactLine turns an indented JSON value into one line with a newline.
func compactLine(b []byte) []byte {
	var v json.RawMessage = b
	out, err := json.Marshal(v)
	if err != nil {
		return b
	}
	return append(out, '\n')
}

func joinRegions(p *model.Policy) string {
	s := ""
	for i, r := range p.RegionIDs() {
		if i > 0 {
			s += ", "
		}
		s += string(r)
	}
	return s
}
