package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"caseboard/model"
	"caseboard/store"
)

// openInput opens a FILE argument: "-" is standard input.
func openInput(env *Env, name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(env.Stdin), nil
	}
	if env.Remote {
		return nil, fmt.Errorf("over SSH, FILE must be - (standard input)")
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	return f, nil
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func newImportCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:         "import FILE.json|FILE.csv",
		Annotations: argKinds(argFile),
		Short:       "Add a desk document (or a CSV of cases or time entries) to the store",
		Long: `Add what a document holds to the store: all or nothing. A record whose id
or number already exists is refused. A CSV file holds cases or time
entries, told apart by its header row. FILE - reads standard input (JSON if
it starts with '{'). Into an empty store no --as is needed, and the
document must include a manager.`,
		Example: `  caseboard import desk.json
  caseboard import cases.csv --as maria
  caseboard export | caseboard --data /tmp/copy import -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := openInput(env, args[0])
			if err != nil {
				return err
			}
			defer in.Close()
			br := bufio.NewReader(in)
			isCSV := strings.EqualFold(filepath.Ext(args[0]), ".csv")
			var src io.Reader = br
			if args[0] == "-" {
				isCSV = !startsWithBrace(br)
			} else {
				src = in // a file: read as it is, and again if its lists need it
			}
			s, err := env.acting(true)
			if err != nil {
				return err
			}
			object := args[0]
			if object == "-" {
				object = "standard input"
			}
			if err := s.mayAdmin("import", object); err != nil {
				return err
			}
			var res store.ImportResult
			if isCSV {
				res, err = s.st.ImportCSV(src, s.actor, s.now)
			} else {
				res, err = s.st.ImportJSON(src, s.actor, s.now)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "imported %d accounts, %d users, %d cases, %d escalations, %d time entries, %d events\n",
				res.Accounts, res.Users, res.Cases, res.Escalations, res.TimeEntries, res.Events)
			return nil
		},
	}
}

// mayAdmin applies the table's "users, accounts, import, restore" row to
// what the store does outside model.Do (nobody acts while bootstrapping).
func (s *session) mayAdmin(verb, object string) error {
	if s.viewer == nil || model.Allowed(s.viewer.Role, model.CapAdmin) {
		return nil
	}
	return model.PermissionRefusal(s.viewer.ID, verb, model.Inert(object), "only managers may")
}

// startsWithBrace reports whether the input's first non-space byte is '{'.
func startsWithBrace(br *bufio.Reader) bool {
	for n := 1; n <= 4096; n++ {
		b, err := br.Peek(n)
		if len(b) < n || err != nil {
			return false
		}
		c := b[n-1]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || (n <= 3 && (c == 0xEF || c == 0xBB || c == 0xBF)) {
			continue
		}
		return c == '{'
	}
	return false
}

func newExportCmd(env *Env) *cobra.Command {
	var format, records string
	cmd := &cobra.Command{
		Use:   "export [--format json|csv]",
		Short: "Write the whole desk as one document on standard output",
		Long: `Write every record of the store as the interchange document (JSON), or
one kind of record as CSV (--records cases or time-entries). export only
reads.`,
		Example: `  caseboard export > desk.json
  caseboard export --format csv --records time-entries > time.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "json", "csv"); err != nil {
				return err
			}
			if err := oneOf("records", records, "cases", "time-entries"); err != nil {
				return err
			}
			s, err := env.reader()
			if err != nil {
				return err
			}
			if err := s.mayExport("export"); err != nil {
				return err
			}
			var buf bytes.Buffer
			if format == "csv" {
				what := store.CSVCases
				if records == "time-entries" {
					what = store.CSVTimeEntries
				}
				if err := s.st.ExportCSV(&buf, what); err != nil {
					return err
				}
			} else {
				doc, err := s.st.Export()
				if err != nil {
					return err
				}
				b, err := model.MarshalDocument(doc)
				if err != nil {
					return err
				}
				buf.Write(b)
			}
			_, err = env.Stdout.Write(buf.Bytes())
			return err
		},
	}
	cmd.Flags().StringVar(&format, "format", "json", "json or csv")
	cmd.Flags().StringVar(&records, "records", "cases", "with --format csv: cases or time-entries")
	return cmd
}

// mayExport applies the table to a reader with --as: only managers take the
// whole desk away.
func (s *session) mayExport(verb string) error {
	if s.viewer == nil || model.Allowed(s.viewer.Role, model.CapExport) {
		return nil
	}
	return model.PermissionRefusal(s.viewer.ID, verb, "the desk", "a "+string(s.viewer.Role)+" may not "+verb)
}

func newBackupCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:         "backup FILE",
		Annotations: argKinds(argFile),
		Short:       "Write a backup of the store to FILE (- for standard output)",
		Example: `  caseboard backup /var/backups/caseboard-$(date +%F).bak
  caseboard backup - | gzip > desk.bak.gz`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "-" && env.Remote {
				return fmt.Errorf("over SSH, FILE must be - (standard output)")
			}
			s, err := env.reader()
			if err != nil {
				return err
			}
			if err := s.mayExport("back up"); err != nil {
				return err
			}
			if args[0] == "-" {
				return s.st.Backup(env.Stdout)
			}
			tmp := args[0] + ".tmp"
			f, err := createPrivate(tmp)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], unwrapPath(err))
			}
			if err := s.st.Backup(f); err != nil {
				f.Close()
				os.Remove(tmp)
				return err
			}
			if err := f.Close(); err != nil {
				os.Remove(tmp)
				return err
			}
			if err := os.Rename(tmp, args[0]); err != nil {
				os.Remove(tmp)
				return err
			}
			fmt.Fprintf(env.Stdout, "backed up to %s\n", model.Inert(args[0]))
			return nil
		},
	}
}

func newRestoreCmd(env *Env) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:         "restore FILE [--force]",
		Annotations: argKinds(argFile),
		Short:       "Restore a backup into the store (--force replaces a store that is not empty)",
		Example: `  caseboard --data /srv/caseboard restore desk.bak
  caseboard restore desk.bak --force --as maria`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := openInput(env, args[0])
			if err != nil {
				return err
			}
			defer in.Close()
			s, err := env.acting(true)
			if err != nil {
				return err
			}
			if err := s.mayAdmin("restore", args[0]); err != nil {
				return err
			}
			if err := s.st.Restore(in, force); err != nil {
				var re *store.RestoreError
				if errors.As(err, &re) && re.Name == "" {
					re.Name = args[0]
					if args[0] == "-" {
						re.Name = "standard input"
					}
				}
				return err
			}
			fmt.Fprintf(env.Stdout, "restored %s\n", model.Inert(args[0]))
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace what the store holds")
	return cmd
}
