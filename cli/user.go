package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"caseboard/model"
)

func newUserCmd(env *Env) *cobra.Command {
	cmd := group("user", "Add, list and remove team members and their SSH keys",
		"  caseboard user add maria --name \"Maria Chen\" --role manager --region na")
	cmd.AddCommand(newUserAddCmd(env), newUserKeyCmd(env), newUserListCmd(env), newUserRemoveCmd(env))
	return cmd
}

func newUserAddCmd(env *Env) *cobra.Command {
	var name, role, region string
	var keys []string
	cmd := &cobra.Command{
		Use:   "add ID --name NAME --role R [--region X] [--key FILE|KEY]...",
		Short: "Add a team member (the first user of a new store must be a manager)",
		Long: `Add a team member. Roles: specialist, manager, tam, wall. --key takes a
public key file, an authorized_keys line, or - for standard input; it may be
repeated. While the store has no users, no --as is needed.`,
		Example: `  caseboard user add maria --name "Maria Chen" --role manager --region na
  caseboard user add sam --name "Sam Ortiz" --role specialist --region na --key ~/.ssh/sam.pub --as maria`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u := model.User{ID: args[0], Name: name, Role: model.Role(role), Region: model.Region(region)}
			for _, k := range keys {
				key, err := readKey(env, k)
				if err != nil {
					return err
				}
				u.Keys = append(u.Keys, key)
			}
			s, err := env.acting(true)
			if err != nil {
				return err
			}
			ch, err := s.do(model.AddUser{User: u})
			if err != nil {
				return err
			}
			return s.done(ch)
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "the person's name")
	f.StringVar(&role, "role", "", "specialist, manager, tam or wall")
	f.StringVar(&region, "region", "", "their support region (na, emea)")
	f.StringArrayVar(&keys, "key", nil, "an SSH public key: a file, a key line, or -")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("role")
	return cmd
}

func newUserKeyCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use: "key ID FILE|KEY", Short: "Add another SSH public key to a user",
		Example: "  caseboard user key sam ~/.ssh/sam_desktop.pub\n  caseboard user key sam - < key.pub",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, err := readKey(env, args[1])
			if err != nil {
				return err
			}
			return act(env, model.AddUserKey{ID: args[0], Key: key})
		},
	}
}

// readKey reads a key argument: "-" is standard input, an existing file is
// read, anything else is the key itself.
func readKey(env *Env, arg string) (string, error) {
	var data []byte
	var err error
	switch {
	case arg == "-":
		data, err = io.ReadAll(env.Stdin)
	case !env.Remote && !strings.HasPrefix(arg, "ssh-") && !strings.HasPrefix(arg, "ecdsa-") && !strings.HasPrefix(arg, "sk-"):
		data, err = os.ReadFile(arg)
	default:
		return strings.TrimSpace(arg), nil
	}
	if err != nil {
		return "", fmt.Errorf("key %s: %w", arg, err)
	}
	return strings.TrimSpace(string(data)), nil
}

func newUserListCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use: "list", Short: "List the team",
		Example: "  caseboard user list --json",
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
			ids := make([]string, 0, len(d.Users))
			for id := range d.Users {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			if env.JSON {
				out := make([]model.UserRecord, 0, len(ids))
				for _, id := range ids {
					out = append(out, model.UserToRecord(d.Users[id]))
				}
				return env.printJSON(out)
			}
			if len(ids) == 0 {
				fmt.Fprintln(env.Stdout, "no users")
				return nil
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tROLE\tREGION\tKEYS")
			for _, id := range ids {
				u := d.Users[id]
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", model.Inert(u.ID), model.Inert(u.Name), u.Role,
					orDash(string(u.Region)), len(u.Keys))
			}
			return tw.Flush()
		},
	}
}

func newUserRemoveCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use: "remove ID", Short: "Remove a user who owns no open case",
		Example: "  caseboard user remove lee --as maria",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return act(env, model.RemoveUser{ID: args[0]})
		},
	}
}
