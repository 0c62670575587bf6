package cli

import (
	"strings"
	"time"

	"github.com/spf13/cobra"

	"caseboard/model"
)

func newEscalateCmd(env *Env) *cobra.Command {
	var by, channel, why string
	cmd := &cobra.Command{
		Use:   "escalate N --by REQUESTER --channel phone|portal --justification TEXT",
		Short: "Record a request to escalate a case",
		Long: `Record a request to escalate a case. REQUESTER is a user id (a product
specialist, a support manager, or the account's TAM) or KIND:NAME for
someone outside the team, KIND one of ` + strings.Join(model.RequesterKinds(), ", ") + `.
The acting user records it. Severity 4 cases are never escalated, and a case
must have had its time first.`,
		Example: `  caseboard escalate 1042 --by "contact:Ana Ruiz" --channel phone --justification "Go-live Friday" --as sam`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := caseArg(args[0])
			if err != nil {
				return err
			}
			if err := oneOf("channel", channel, model.ChannelPhone, model.ChannelPortal); err != nil {
				return err
			}
			return act(env, model.Escalate{Number: n, By: by, Channel: channel, Justification: why})
		},
	}
	f := cmd.Flags()
	f.StringVar(&by, "by", "", "who asked: a user id or KIND:NAME")
	f.StringVar(&channel, "channel", "", "phone or portal")
	f.StringVar(&why, "justification", "", "why the customer asks for it")
	for _, n := range []string{"by", "channel", "justification"} {
		_ = cmd.MarkFlagRequired(n)
	}
	return cmd
}

func newEscalationCmd(env *Env) *cobra.Command {
	cmd := group("escalation", "Work on a case's escalation (follow up, accept, decline, update, end)",
		"  caseboard escalation accept 1042 --every 4h --as maria")
	var every, declineReason, summary, deReason, outcome, closeSummary string
	accept := escAct(env, "accept N --every DUR", "Accept an escalation with the agreed update frequency",
		"  caseboard escalation accept 1042 --every 4h", func(n int64) (model.Action, error) {
			d, err := parseDuration("every", every)
			if err != nil {
				return nil, err
			}
			return model.AcceptEscalation{Number: n, Every: d}, nil
		})
	accept.Flags().StringVar(&every, "every", "", "how often the customer gets an update (4h, 90m, 1h30m)")
	_ = accept.MarkFlagRequired("every")

	decline := escAct(env, "decline N --reason TEXT", "Decline an escalation with the reason told to the customer",
		`  caseboard escalation decline 1042 --reason "A workaround is in place"`, func(n int64) (model.Action, error) {
			return model.DeclineEscalation{Number: n, Reason: declineReason}, nil
		})
	decline.Flags().StringVar(&declineReason, "reason", "", "the reason told to the customer")
	_ = decline.MarkFlagRequired("reason")

	update := escAct(env, "update N --summary TEXT", "Record an update to the customer on an accepted escalation",
		`  caseboard escalation update 1042 --summary "Patch in QA"`, func(n int64) (model.Action, error) {
			return model.UpdateEscalation{Number: n, Summary: summary}, nil
		})
	update.Flags().StringVar(&summary, "summary", "", "what the customer was told")
	_ = update.MarkFlagRequired("summary")

	de := escAct(env, "deescalate N --reason TEXT", "De-escalate: the customer did not provide what they committed",
		`  caseboard escalation deescalate 1042 --reason "No test environment after two requests"`, func(n int64) (model.Action, error) {
			return model.DeescalateEscalation{Number: n, Reason: deReason}, nil
		})
	de.Flags().StringVar(&deReason, "reason", "", "the reason told to the customer")
	_ = de.MarkFlagRequired("reason")

	closeCmd := escAct(env, "close N --outcome root-cause|timeline|fix --summary TEXT", "Close an escalation with its outcome and final summary",
		`  caseboard escalation close 1042 --outcome fix --summary "Hotfix 4.2.1 deployed"`, func(n int64) (model.Action, error) {
			if err := oneOf("outcome", outcome, model.Outcomes()...); err != nil {
				return nil, err
			}
			return model.CloseEscalation{Number: n, Outcome: outcome, Summary: closeSummary}, nil
		})
	closeCmd.Flags().StringVar(&outcome, "outcome", "", "root-cause, timeline or fix")
	closeCmd.Flags().StringVar(&closeSummary, "summary", "", "the final summary sent to the customer")
	_ = closeCmd.MarkFlagRequired("outcome")
	_ = closeCmd.MarkFlagRequired("summary")

	cmd.AddCommand(
		caseActAt(env, "followup N [--at T]", "Log the manager's follow-up with the customer (due within 60 minutes)",
			"  caseboard escalation followup 1042 --as maria",
			func(n int64, at time.Time) model.Action { return model.EscalationFollowup{Number: n, At: at} }),
		accept, decline, update, de, closeCmd)
	return cmd
}

// escAct builds a command that does one action on the escalation of case N.
func escAct(env *Env, use, short, example string, build func(n int64) (model.Action, error)) *cobra.Command {
	return &cobra.Command{
		Use: use, Short: short, Example: example, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := caseArg(args[0])
			if err != nil {
				return err
			}
			a, err := build(n)
			if err != nil {
				return err
			}
			return act(env, a)
		},
	}
}
