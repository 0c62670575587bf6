package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"caseboard/model"
)

// clockJSON is one clock in `case show --json`.
type clockJSON struct {
	Kind               string  `json:"kind"`
	Label              *string `json:"label"`
	Start              *string `json:"start"`
	Due                *string `json:"due"`
	TargetSeconds      int64   `json:"target_seconds"`
	State              string  `json:"state"`
	RemainingSeconds   *int64  `json:"remaining_seconds"`
	WorkingSecondsLeft *int64  `json:"working_seconds_left"`
	Paused             bool    `json:"paused"`
	ResumesAt          *string `json:"resumes_at"`
	StoppedAt          *string `json:"stopped_at"`
	CallRequired       bool    `json:"call_required"`
}

// showJSON is what `case show --json` prints.
type showJSON struct {
	Case        model.CaseRecord         `json:"case"`
	Clocks      []clockJSON              `json:"clocks"`
	Escalations []model.EscalationRecord `json:"escalations"`
	Events      []model.EventRecord      `json:"events"`
}

func newCaseShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "show N",
		Short: "Show a case: its facts, every clock, its escalation and its history",
		Example: `  caseboard case show 1042
  caseboard case show 00001042 --now 2026-11-20T16:30:00-05:00 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := caseArg(args[0])
			if err != nil {
				return err
			}
			s, err := env.reader()
			if err != nil {
				return err
			}
			c, acct, ok, err := s.readCase(n)
			if err != nil {
				return err
			}
			if !ok || !mayRead(s.viewer, acct) {
				return fmt.Errorf("no case %s", model.CaseNumber(n))
			}
			escs, err := s.escalations(n)
			if err != nil {
				return err
			}
			var latest *model.Escalation
			if len(escs) > 0 {
				e := escs[len(escs)-1]
				latest = &e
			}
			events, err := s.st.Events(n)
			if err != nil {
				return err
			}
			clocks := model.Clocks(c, latest, s.policy)
			if env.JSON {
				return env.printJSON(s.showRecord(c, clocks, escs, events))
			}
			s.printCase(c, acct, clocks, escs, events)
			return nil
		},
	}
}

func (s *session) showRecord(c *model.Case, clocks []model.Clock, escs []model.Escalation, events []model.Event) showJSON {
	loc := s.policy.RegionZone(c.Region)
	out := showJSON{Case: model.CaseToRecord(c, s.policy), Clocks: []clockJSON{},
		Escalations: []model.EscalationRecord{}, Events: []model.EventRecord{}}
	for _, cl := range clocks {
		st := cl.At(s.now, s.policy)
		j := clockJSON{Kind: string(cl.Kind), Label: opt(cl.Label), TargetSeconds: int64(cl.Target / time.Second),
			State: string(st.State), CallRequired: cl.CallRequired}
		if !cl.CallRequired {
			j.Start = opt(model.FormatInstant(cl.Start, loc))
			j.Due = opt(model.FormatInstant(cl.Due, loc))
			rem := int64(st.Remaining / time.Second)
			j.RemainingSeconds = &rem
			if cl.Running() {
				work := int64(st.WorkingLeft / time.Second)
				j.WorkingSecondsLeft = &work
			}
		}
		if st.Paused {
			j.Paused = true
			j.ResumesAt = opt(model.FormatInstant(st.ResumesAt, loc))
		}
		if !cl.Running() {
			j.StoppedAt = opt(model.FormatInstant(cl.StoppedAt, loc))
		}
		out.Clocks = append(out.Clocks, j)
	}
	for i := range escs {
		out.Escalations = append(out.Escalations, model.EscalationToRecord(&escs[i], loc))
	}
	for i := range events {
		out.Events = append(out.Events, model.EventToRecord(&events[i], loc))
	}
	return out
}

func (s *session) printCase(c *model.Case, acct *model.Account, clocks []model.Clock, escs []model.Escalation, events []model.Event) {
	w := s.env.Stdout
	rc := s.policy.RegionCalendar(c.Region)
	at := func(t time.Time) string { return model.When(t, rc.Location(), rc.Label) }
	fmt.Fprintf(w, "Case %s  %s\n", model.CaseNumber(c.Number), model.Inert(c.Title))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	acctName := ""
	if acct != nil {
		acctName = " (" + model.Inert(acct.Name) + ")"
	}
	fmt.Fprintf(tw, "  account\t%s%s, %s, %s\n", model.Inert(c.Account), acctName, c.Plan.Title(), model.Inert(rc.Name))
	fmt.Fprintf(tw, "  severity\t%d %s\n", c.Severity, model.SeverityName(clampSev(c.Severity)))
	fmt.Fprintf(tw, "  status\t%s\n", c.Status)
	fmt.Fprintf(tw, "  owner\t%s\n", model.OrDash(model.Inert(c.Owner), "-"))
	if c.Contact != "" {
		fmt.Fprintf(tw, "  contact\t%s\n", model.Inert(c.Contact))
	}
	fmt.Fprintf(tw, "  opened\t%s\n", at(c.OpenedAt))
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"phoned", c.PhonedAt}, {"responded", c.RespondedAt}, {"waiting since", c.WaitingSince},
		{"follow-up 1", c.Followup1At}, {"follow-up 2", c.Followup2At}, {"replied", c.RepliedAt}, {"closed", c.ClosedAt}} {
		if !f.t.IsZero() {
			fmt.Fprintf(tw, "  %s\t%s\n", f.name, at(f.t))
		}
	}
	if c.CloseReason != "" {
		r := c.CloseReason
		if c.DuplicateOf != 0 {
			r += " of " + model.CaseNumber(c.DuplicateOf)
		}
		fmt.Fprintf(tw, "  close reason\t%s\n", r)
	}
	if c.RefersTo != 0 {
		fmt.Fprintf(tw, "  refers to\t%s\n", model.CaseNumber(c.RefersTo))
	}
	tw.Flush()

	fmt.Fprintln(w, "\nClocks")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, cl := range clocks {
		name := string(cl.Kind)
		if cl.Label != "" {
			name += " (" + cl.Label + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, s.clockLine(cl, c.Region))
	}
	tw.Flush()

	for i := range escs {
		s.printEscalation(c, &escs[i])
	}

	fmt.Fprintln(w, "\nHistory")
	if len(events) == 0 {
		fmt.Fprintln(w, "  (no events)")
		return
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, ev := range events {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\n", ev.Seq, at(ev.At), model.Inert(ev.Actor), ev.Kind, model.Inert(eventFields(ev.After, ev.Kind == "imported")))
	}
	tw.Flush()
}

// clockLine says where one clock stands at now.
func (s *session) clockLine(cl model.Clock, region model.Region) string {
	if cl.CallRequired && cl.Running() {
		return "call required: not started until the customer phones"
	}
	st := cl.At(s.now, s.policy)
	due := "due " + s.when(cl.Due, cl.Calendar, region)
	if !cl.Running() {
		stopped := s.when(cl.StoppedAt, cl.Calendar, region)
		switch st.State {
		case model.StateMet:
			return fmt.Sprintf("met at %s, %s before due (%s)", stopped, model.Span(st.Remaining), due)
		case model.StateBreached:
			return fmt.Sprintf("breached: stopped at %s, %s late (%s)", stopped, model.Span(st.Remaining), due)
		default:
			return fmt.Sprintf("stopped at %s (%s)", stopped, due)
		}
	}
	if st.State == model.StateBreached {
		return fmt.Sprintf("%s, breached %s ago", due, model.Span(st.Remaining))
	}
	out := fmt.Sprintf("%s, in %s (%s of working time)", due, model.Span(st.Remaining), model.Span(st.WorkingLeft))
	if st.Paused {
		out += "; paused, resumes " + s.when(st.ResumesAt, cl.Calendar, region)
	}
	if st.DueSoon {
		out += "; due soon"
	}
	return out
}

// printEscalation shows an escalation and its four steps as a checklist.
func (s *session) printEscalation(c *model.Case, e *model.Escalation) {
	w := s.env.Stdout
	rc := s.policy.RegionCalendar(c.Region)
	at := func(t time.Time) string { return model.When(t, rc.Location(), rc.Label) }
	fmt.Fprintf(w, "\nEscalation %d: %s\n", e.Seq, e.Status)
	fmt.Fprintf(w, "  requested %s by %s (recorded by %s), %s: %s\n", at(e.RequestedAt), model.Inert(e.RequestedBy),
		model.Inert(e.RecordedBy), e.Channel, model.Inert(e.Justification))
	prog := model.EscalationProgress(e, s.policy)
	for i, step := range prog.Steps {
		fmt.Fprintf(w, "  %d. %s\n", i+1, step.Name)
		for j, sub := range step.Sub {
			mark := "[ ]"
			if prog.Done[i][j] {
				mark = "[x]"
			}
			fmt.Fprintf(w, "     %s %s\n", mark, sub)
		}
	}
	if !e.FollowedUpAt.IsZero() {
		fmt.Fprintf(w, "  followed up %s\n", at(e.FollowedUpAt))
	}
	if !e.DecidedAt.IsZero() {
		fmt.Fprintf(w, "  decided %s\n", at(e.DecidedAt))
	}
	if e.UpdateEvery > 0 {
		fmt.Fprintf(w, "  updates every %s\n", model.FormatDuration(e.UpdateEvery))
	}
	for _, u := range e.Updates {
		fmt.Fprintf(w, "  update %s by %s: %s\n", at(u.At), model.Inert(u.By), model.Inert(u.Summary))
	}
	if e.Reason != "" {
		fmt.Fprintf(w, "  reason: %s\n", model.Inert(e.Reason))
	}
	if e.Outcome != "" {
		fmt.Fprintf(w, "  outcome: %s\n", model.OutcomeName(e.Outcome))
	}
	if e.Summary != "" {
		fmt.Fprintf(w, "  summary: %s\n", model.Inert(e.Summary))
	}
}

func clampSev(n int) int {
	if n < 1 || n > 4 {
		return 0
	}
	return n
}

// eventFields writes an event's after object compactly ("status=closed
// close_reason=resolved", null as "-"); setOnly leaves out unset fields
// (an imported record is whole).
func eventFields(raw json.RawMessage, setOnly bool) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return string(raw)
	}
	keys, _ := model.ObjectFields(raw)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		t := string(bytes.TrimSpace(m[k]))
		if setOnly && (t == "null" || t == `""` || t == "[]" || t == "{}") {
			continue
		}
		v := t
		if t == "null" {
			v = "-"
		}
		var str string
		if json.Unmarshal(m[k], &str) == nil {
			v = str
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, " ")
}
