package cli

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"caseboard/model"
)

func newAccountCmd(env *Env) *cobra.Command {
	cmd := group("account", "Add, change and show customer accounts",
		"  caseboard account add acme --name \"Acme Corp\" --plan premium --region na --tam-plan enterprise --tam tina")
	cmd.AddCommand(newAccountAddCmd(env), newAccountSetCmd(env), newAccountContactCmd(env),
		newAccountListCmd(env), newAccountShowCmd(env))
	return cmd
}

func newAccountAddCmd(env *Env) *cobra.Command {
	var name, plan, region, tamPlan, tam string
	cmd := &cobra.Command{
		Use:     "add ID --name NAME --plan P --region R [--tam-plan T] [--tam U]",
		Short:   "Add a customer account",
		Example: `  caseboard account add acme --name "Acme Corp" --plan premium --region na --tam-plan enterprise --tam tina --as maria`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a := model.Account{ID: args[0], Name: name, Plan: model.Plan(plan), Region: model.Region(region),
				TAMPlan: model.TAMPlan(tamPlan), TAM: tam}
			return act(env, model.AddAccount{Account: a})
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "the customer's name")
	f.StringVar(&plan, "plan", "", "support plan: basic, plus, premium")
	f.StringVar(&region, "region", "", "support region: na, emea")
	f.StringVar(&tamPlan, "tam-plan", string(model.TAMNone), "TAM package: none, tam10, tam20, enterprise")
	f.StringVar(&tam, "tam", "", "the account's TAM (a user id)")
	for _, n := range []string{"name", "plan", "region"} {
		_ = cmd.MarkFlagRequired(n)
	}
	return cmd
}

func newAccountSetCmd(env *Env) *cobra.Command {
	var name, plan, tamPlan, tam string
	cmd := &cobra.Command{
		Use:   "set ID [--name NAME] [--plan P] [--tam-plan T] [--tam U]",
		Short: "Change an account (open cases keep the plan they were opened under)",
		Example: `  caseboard account set acme --tam-plan tam20
  caseboard account set acme --tam ""   # no TAM`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a := model.SetAccount{ID: args[0]}
			f := cmd.Flags()
			if f.Changed("name") {
				a.Name = &name
			}
			if f.Changed("plan") {
				p := model.Plan(plan)
				a.Plan = &p
			}
			if f.Changed("tam-plan") {
				t := model.TAMPlan(tamPlan)
				a.TAMPlan = &t
			}
			if f.Changed("tam") {
				a.TAM = &tam
			}
			if a.Name == nil && a.Plan == nil && a.TAMPlan == nil && a.TAM == nil {
				return Usagef("account set: nothing to change (give --name, --plan, --tam-plan or --tam)")
			}
			return act(env, a)
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "the customer's name")
	f.StringVar(&plan, "plan", "", "support plan: basic, plus, premium")
	f.StringVar(&tamPlan, "tam-plan", "", "TAM package: none, tam10, tam20, enterprise")
	f.StringVar(&tam, "tam", "", "the account's TAM (a user id; empty for none)")
	return cmd
}

func newAccountContactCmd(env *Env) *cobra.Command {
	var name, kind, email string
	cmd := &cobra.Command{
		Use:     "contact ID --name NAME --kind K [--email E]",
		Short:   "Add a contact to an account",
		Long:    "Add a person at the customer. Kinds: " + strings.Join(model.RequesterKinds(), ", ") + " (contact is the primary contact).",
		Example: `  caseboard account contact acme --name "Ana Ruiz" --kind contact --email ana@acme.example`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !model.ValidRequesterKind(kind) {
				return fmt.Errorf("--kind %q: must be one of %s", model.Inert(kind), strings.Join(model.RequesterKinds(), ", "))
			}
			return act(env, model.AddContact{Account: args[0], Contact: model.Contact{Name: name, Kind: kind, Email: email}})
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "the person's name")
	f.StringVar(&kind, "kind", "", "what they are to the account")
	f.StringVar(&email, "email", "", "their email address")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("kind")
	return cmd
}

func newAccountListCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use: "list", Short: "List the accounts",
		Example: "  caseboard account list\n  caseboard account list --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := env.reader()
			if err != nil {
				return err
			}
			d, err := s.openDesk()
			if err != nil {
				return err
			}
			accts := s.visibleAccounts(d)
			if env.JSON {
				out := make([]model.AccountRecord, 0, len(accts))
				for _, a := range accts {
					out = append(out, model.AccountToRecord(a))
				}
				return env.printJSON(out)
			}
			if len(accts) == 0 {
				fmt.Fprintln(env.Stdout, "no accounts")
				return nil
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tPLAN\tREGION\tTAM PLAN\tTAM\tOPEN CASES")
			open := map[string]int{}
			for _, c := range d.Cases {
				if c.IsOpen() {
					open[c.Account]++
				}
			}
			for _, a := range accts {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", model.Inert(a.ID), model.Inert(a.Name), a.Plan, a.Region,
					a.TAMPlan, model.OrDash(model.Inert(a.TAM), "-"), open[a.ID])
			}
			return tw.Flush()
		},
	}
}

func newAccountShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use: "show ID", Short: "Show an account, its contacts and its open cases",
		Example: "  caseboard account show acme",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := env.reader()
			if err != nil {
				return err
			}
			a, err := s.visibleAccount(args[0])
			if err != nil {
				return err
			}
			if env.JSON {
				return env.printJSON(model.AccountToRecord(a))
			}
			w := env.Stdout
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "account\t%s\n", model.Inert(a.ID))
			fmt.Fprintf(tw, "name\t%s\n", model.Inert(a.Name))
			fmt.Fprintf(tw, "plan\t%s\n", a.Plan.Title())
			fmt.Fprintf(tw, "region\t%s\n", model.Inert(s.policy.RegionCalendar(a.Region).Name))
			fmt.Fprintf(tw, "TAM plan\t%s\n", a.TAMPlan)
			fmt.Fprintf(tw, "TAM\t%s\n", model.OrDash(model.Inert(a.TAM), "-"))
			tw.Flush()
			fmt.Fprintln(w, "\nContacts")
			if len(a.Contacts) == 0 {
				fmt.Fprintln(w, "  (none)")
			}
			tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for _, c := range a.Contacts {
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", model.Inert(c.Name), c.Kind, model.OrDash(model.Inert(c.Email), "-"))
			}
			tw.Flush()
			fmt.Fprintln(w, "\nOpen cases")
			d, err := s.openDesk()
			if err != nil {
				return err
			}
			rows := s.queue(d, func(c *model.Case) bool { return c.Account == a.ID })
			if len(rows) == 0 {
				fmt.Fprintln(w, "  (none)")
				return nil
			}
			s.printQueue(rows)
			return nil
		},
	}
}

// visibleAccounts lists the accounts the viewer may see, by id.
func (s *session) visibleAccounts(d *model.Desk) []*model.Account {
	var out []*model.Account
	for _, a := range d.Accounts {
		if mayRead(s.viewer, a) {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
