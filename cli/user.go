package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"caseboard/model"
	"caseboard/store"
)

func newUserCmd(env *Env) *cobra.Command {
	cmd := group("user", "Add, list and remove team members and their SSH keys",
		"  caseboard user add maria --name \"Maria Chen\" --role manager --region na")
	cmd.AddCommand(newUserAddCmd(env), newUserKeyCmd(env), newUserListCmd(env), newUserShowCmd(env), newUserRemoveCmd(env))
	return cmd
}

func newUserAddCmd(env *Env) *cobra.Command {
	var name, role, region string
	var keys []string
	cmd := &cobra.Command{
		Use:   "add ID --name NAME --role R [--region X] [--key FILE|KEY]...",
		Short: "Add a team member (the first user of a new store must be a manager)",
		Long: `Add a team member. Roles: specialist, manager, tam, wall. --key takes a
public key file, an authorized_keys line, or - for standard input (over SSH
only -); it may be repeated. A key must be an SSH public key that is on no
other user. While the store has no users, no --as is needed.`,
		Example: `  caseboard user add maria --name "Maria Chen" --role manager --region na
  caseboard user add sam --name "Sam Ortiz" --role specialist --region na --key ~/.ssh/sam.pub --as maria`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u := model.User{ID: args[0], Name: name, Role: model.Role(role), Region: model.Region(region)}
			stdin := 0
			for _, k := range keys {
				if k == "-" {
					if stdin++; stdin > 1 {
						return Usagef("--key - reads standard input: give it once")
					}
				}
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
	declareFlag(f, "key", argKey)
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("role")
	return cmd
}

func newUserKeyCmd(env *Env) *cobra.Command {
	var remove string
	cmd := &cobra.Command{
		Use: "key ID FILE|KEY | key ID --remove FINGERPRINT", Short: "Add an SSH public key to a user, or remove one",
		Annotations: argKinds("", argKey),
		Long: `Add an SSH public key to a user: a public key file, an authorized_keys
line, or - for standard input (over SSH only -). A key on another user is
refused. --remove FINGERPRINT removes a key (user show ID lists them).`,
		Example: "  caseboard user key sam ~/.ssh/sam_desktop.pub\n  caseboard user key sam - < key.pub\n" +
			"  caseboard user key sam --remove SHA256:Lp8Z1mXvq0KfZJ3Tq9bq5k8hKZc0yP3m2cW0n6Qd3xE",
		Args: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("remove") {
				if len(args) != 1 {
					return Usagef("user key ID --remove FINGERPRINT takes the user alone")
				}
				if strings.TrimSpace(remove) == "" {
					return Usagef("--remove needs a fingerprint (user show ID lists them)")
				}
				return nil
			}
			return cobra.ExactArgs(2)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("remove") {
				return act(env, model.RemoveUserKey{ID: args[0], Fingerprint: remove})
			}
			key, err := readKey(env, args[1])
			if err != nil {
				return err
			}
			return act(env, model.AddUserKey{ID: args[0], Key: key})
		},
	}
	cmd.Flags().StringVar(&remove, "remove", "", "remove the key with this fingerprint (SHA256:...)")
	return cmd
}

// readKey reads a key argument: "-" is standard input, a key line is the
// key itself, anything else names a file. model/ parses what it reads.
// Over SSH a key, like any FILE, must be "-": a path would name a file
// on the server, and the issue is to never store one as a key.
func readKey(env *Env, arg string) (string, error) {
	if env.Remote && arg != "-" {
		return "", fmt.Errorf("over SSH, a key must be - (standard input): ssh ... user key ID - < key.pub")
	}
	var data []byte
	var err error
	switch {
	case arg == "-":
		data, err = io.ReadAll(io.LimitReader(env.Stdin, maxKeyFile+1))
	case isKeyText(arg):
		return strings.TrimSpace(arg), nil
	default:
		data, err = readKeyFile(arg)
	}
	if err == nil && len(data) > maxKeyFile {
		err = fmt.Errorf("over %d kB: not an SSH public key", maxKeyFile>>10)
	}
	if err != nil {
		return "", fmt.Errorf("key %s: %w", model.Inert(arg), unwrapPath(err))
	}
	return strings.TrimSpace(string(data)), nil
}

// maxKeyFile bounds what is read for one key: the largest public keys
// (RSA 16384) are a few kB; a bigger file is not a key.
const maxKeyFile = 64 << 10

func readKeyFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxKeyFile+1))
}

// isKeyText tells a key given on the command line from a file name: it
// starts with a key type, or parses as a key.
func isKeyText(arg string) bool {
	for _, p := range []string{"ssh-", "ecdsa-", "sk-"} {
		if strings.HasPrefix(arg, p) {
			return true
		}
	}
	_, err := model.ParseSSHKey(arg)
	return err == nil
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
			users, err := s.users()
			if err != nil {
				return err
			}
			ids := make([]string, 0, len(users))
			for id := range users {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			if env.JSON {
				out := make([]userJSON, 0, len(ids))
				for _, id := range ids {
					out = append(out, newUserJSON(users[id]))
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
				u := users[id]
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", model.Inert(u.ID), model.Inert(u.Name), u.Role,
					model.OrDash(string(u.Region), "-"), len(u.Keys))
			}
			return tw.Flush()
		},
	}
}

// userJSON is a user as user list and user show print it: the
// interchange record, then each key's fingerprint (null for a stored text
// that is not a key), in the order of keys.
type userJSON struct {
	model.UserRecord
	Fingerprints []*string `json:"fingerprints"`
}

func newUserJSON(u *model.User) userJSON {
	out := userJSON{UserRecord: model.UserToRecord(u), Fingerprints: []*string{}}
	for _, k := range u.Keys {
		if fp, ok := model.KeyFingerprint(k); ok {
			out.Fingerprints = append(out.Fingerprints, &fp)
		} else {
			out.Fingerprints = append(out.Fingerprints, nil)
		}
	}
	return out
}

func newUserShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use: "show ID", Short: "Show a team member and the fingerprints of their SSH keys",
		Example: "  caseboard user show sam\n  caseboard user show sam --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := env.reader()
			if err != nil {
				return err
			}
			// One user, read by key: the desk is not needed.
			u, err := s.st.User(args[0])
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no user %s", model.Inert(args[0]))
			}
			if err != nil {
				return err
			}
			if env.JSON {
				return env.printJSON(newUserJSON(&u))
			}
			w := env.Stdout
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "user\t%s\n", model.Inert(u.ID))
			fmt.Fprintf(tw, "name\t%s\n", model.Inert(u.Name))
			fmt.Fprintf(tw, "role\t%s\n", model.Inert(string(u.Role)))
			fmt.Fprintf(tw, "region\t%s\n", model.OrDash(model.Inert(string(u.Region)), "-"))
			tw.Flush()
			fmt.Fprintln(w, "\nKeys")
			if len(u.Keys) == 0 {
				fmt.Fprintln(w, "  (none)")
			}
			tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for _, k := range u.Keys {
				p, err := model.ParseSSHKey(k)
				if err != nil {
					// An old store may hold a text that is not a key:
					// shown so that it can be removed (--remove TEXT).
					fmt.Fprintf(tw, "  %s\t%s\n", "(not a key)", model.Inert(k))
					continue
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", p.Fingerprint, p.Type, model.OrDash(model.Inert(p.Comment), "-"))
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
