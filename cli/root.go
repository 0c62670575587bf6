// Package cli is caseboard's command tree. Every command is built from one
// Env, so the same tree serves the local command line, SSH exec requests,
// commands forwarded over the data directory's socket and the board's `:`
// prompt. Commands print; model/ decides.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"caseboard/model"
	"caseboard/store"
)

// Version is caseboard's version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// IO is where a command reads and writes.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the caller's environment (CASEBOARD_USER, XDG_DATA_HOME).
	Getenv func(string) string
}

// StdIO is the process's own standard streams and environment.
func StdIO() IO {
	return IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// Env is what one run of the command tree works with: the global flags as
// given, the streams, and what is loaded from them.
type Env struct {
	IO
	// Global flags.
	DataDir    string
	PolicyFile string
	NowFlag    string
	As         string
	JSON       bool
	// Remote is set for SSH callers: --as and --now are refused and FILE
	// arguments must be "-".
	Remote bool
	// User, when set by the caller (SSH: the user the key belongs to), is
	// who acts and whose view reads get, in place of --as.
	User string

	// Clock is the real clock (tests replace it).
	Clock func() time.Time
	// Done, when set, closes when the caller goes away or the holder
	// stops: a command that runs until interrupted (watch) ends then.
	Done <-chan struct{}

	// Store, when set, is an already-open store the commands use and do
	// not close (tests, the board's ':' prompt, SSH). Otherwise a command
	// that needs the store opens --data itself, and Run closes it.
	Store Backend
	// Shared, when set (a board or serve running the command: forwarded,
	// over SSH, the `:` line), is the desk that holder keeps in memory:
	// commands read it instead of loading the store.
	Shared SharedDesk
	// Board runs the live board (caseboard, caseboard --demo, --wall);
	// Main sets RunBoard. nil (tests, SSH exec) makes the root command
	// refuse to start a board.
	Board func(env *Env, f BoardFlags) error

	opened Backend
	policy *model.Policy
	// forward, set by Main, sends a command that found the store held
	// when it opened it to the board or serve holding it (forwarder.go).
	forward func(*store.HeldError) int
	now     time.Time
	nowSet  bool
	// held is the shared desk this command holds the read lock on, and
	// release lets it go (Run's end).
	held    *model.Desk
	release func()
}

// Exit codes.
const (
	ExitOK      = 0
	ExitRefused = 1
	ExitUsage   = 2
)

// usageError marks an error as a usage error (exit 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// Usagef makes a usage error.
func Usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// Policy returns the loaded policy (embedded, or --policy FILE).
func (e *Env) Policy() (*model.Policy, error) {
	if e.policy != nil {
		return e.policy, nil
	}
	if e.PolicyFile == "" {
		e.policy = model.DefaultPolicy()
		return e.policy, nil
	}
	data, err := os.ReadFile(e.PolicyFile)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", e.PolicyFile, errors.Unwrap(err))
	}
	p, err := model.ParsePolicy(data, e.PolicyFile)
	if err != nil {
		return nil, err
	}
	e.policy = p
	return p, nil
}

// Now is the instant actions take: --now if given, else the clock.
func (e *Env) Now() (time.Time, error) {
	if e.nowSet {
		return e.now, nil
	}
	if e.NowFlag != "" {
		t, err := model.ParseInstant(e.NowFlag)
		if err != nil {
			return time.Time{}, fmt.Errorf("--now: %w", err)
		}
		e.now, e.nowSet = t, true
		return t, nil
	}
	return e.Clock().Truncate(time.Second), nil
}

// NewRoot builds the command tree over env.
func NewRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "caseboard",
		Short: "A terminal dashboard for a support desk",
		Long: `caseboard runs a software vendor's support desk in the terminal: case
queues ordered by severity and time to breach on regional business
calendars, escalations with their follow-up clocks, and the TAM time bank.

Without a command it starts the live board.`,
		Example: `  caseboard --demo
  caseboard sla --severity 2 --plan plus --region emea --start 2026-11-20T23:30:00Z --json`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          unknownCommand,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := env.Policy(); err != nil {
				return err
			}
			var f BoardFlags
			f.Demo, _ = cmd.Flags().GetBool("demo")
			f.Wall, _ = cmd.Flags().GetBool("wall")
			f.Titles, _ = cmd.Flags().GetBool("titles")
			f.Rotate, _ = cmd.Flags().GetDuration("rotate")
			f.Quiet, _ = cmd.Flags().GetBool("quiet")
			if env.Getenv != nil && env.Getenv("CASEBOARD_QUIET") == "1" {
				f.Quiet = true
			}
			if f.Rotate < time.Second {
				return fmt.Errorf("--rotate %s: must be at least 1s", f.Rotate)
			}
			if env.Board == nil {
				return errors.New("the board needs a terminal of its own: run caseboard locally, or connect with ssh to caseboard serve")
			}
			return env.Board(env, f)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&env.DataDir, "data", "", "the store directory (default $XDG_DATA_HOME/caseboard)")
	pf.StringVar(&env.PolicyFile, "policy", "", "a policy file replacing the embedded default")
	declareFlag(pf, "data", argCaller)
	declareFlag(pf, "policy", argCaller)
	pf.StringVar(&env.NowFlag, "now", "", "pin the clock (RFC 3339); actions take it as their instant")
	pf.StringVar(&env.As, "as", "", "who acts: a user id (default $CASEBOARD_USER, else the only user)")
	pf.BoolVar(&env.JSON, "json", false, "machine output where a command prints data")
	root.Flags().Bool("demo", false, "a throwaway store with a realistic desk, kept moving by a simulator")
	root.Flags().Bool("wall", false, "wall-monitor mode: read-only, rotating, large")
	root.Flags().Bool("titles", false, "show case titles on the wall (hidden by default: a room may see them)")
	root.Flags().Duration("rotate", 20*time.Second, "time per page on the wall")
	root.Flags().Bool("quiet", false, "never ring the terminal bell for a new alert (also CASEBOARD_QUIET=1)")

	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newVersionCmd(env), newSLACmd(env), newQueueCmd(env), newCaseCmd(env),
		newEscalateCmd(env), newEscalationCmd(env), newTimeCmd(env), newTimebankCmd(env),
		newAccountCmd(env), newUserCmd(env), newImportCmd(env), newExportCmd(env),
		newBackupCmd(env), newRestoreCmd(env), newReportCmd(env), newServeCmd(env),
		newHookCmd(env), newWatchCmd(env))
	return root
}

// group is a command that only holds subcommands: run alone it is a usage
// error naming where to look.
func group(name, short, example string) *cobra.Command {
	return &cobra.Command{
		Use:         name,
		Short:       short,
		Example:     example,
		Annotations: local(),
		Args:        unknownCommand,
		// Cobra sets this default on the root only.
		SuggestionsMinimumDistance: 2,
		RunE: func(cmd *cobra.Command, args []string) error {
			return Usagef("%s: a subcommand is required (see caseboard %s --help)", name, name)
		},
	}
}

// unknownCommand is the Args of a command that holds subcommands: a word
// after it is a mistyped subcommand, told with cobra's suggestions
// ("did you mean queue?"); cobra.NoArgs would give none.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += ": did you mean " + strings.Join(s, " or ") + "?"
	}
	return Usagef("%s", msg)
}

func newVersionCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:         "version",
		Annotations: local(),
		Short:       "Print caseboard's version",
		Example:     "  caseboard version",
		Args:        cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(env.Stdout, "caseboard", Version)
			return nil
		},
	}
}

// Main runs the command line and returns the exit status.
func Main(args []string, io IO) int {
	// Everything this process creates (the store's files, Badger's
	// included, the log, the socket, backups) is for its user alone,
	// whatever umask the shell or cron gave it.
	syscall.Umask(0o077)
	env := &Env{IO: io, Clock: time.Now, Board: RunBoard}
	f := &forwarder{env: env, args: args}
	if held, ok := f.route(); ok {
		// Forwarded at once: nothing here opens the store or reads
		// standard input, which goes to the holder as it is.
		return f.run(held)
	}
	env.forward = f.late
	return Run(env, args)
}

// Run runs one command over env and returns its exit status; errors are
// printed as one line on env.Stderr.
func Run(env *Env, args []string) int {
	root := NewRoot(env)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	// ExecuteC gives the command the line reached, so that a usage error
	// points at that command's --help.
	cmd, err := root.ExecuteC()
	env.releaseDesk()
	env.closeStore()
	if err == nil {
		return ExitOK
	}
	var held *store.HeldError
	if env.forward != nil && errors.As(err, &held) {
		return env.forward(held)
	}
	var ue usageError
	var refusal *model.Refusal
	if errors.As(err, &refusal) {
		fmt.Fprintf(env.Stderr, "caseboard: %s\n", model.Inert(model.OneLine(refusal.Msg)))
		return ExitRefused
	}
	var importErr *store.ImportError
	if errors.As(err, &importErr) {
		// Every bad record on its own line, after the summary.
		fmt.Fprintf(env.Stderr, "caseboard: %s\n", strings.ReplaceAll(model.InertText(importErr.Error()), "\n", "\n  "))
		return ExitRefused
	}
	if errors.As(err, &ue) || isCobraUsage(err) {
		fmt.Fprintf(env.Stderr, "caseboard: %s\n", model.Inert(err.Error()))
		path := root.CommandPath()
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(env.Stderr, "Run '%s --help' for usage.\n", model.Inert(path))
		return ExitUsage
	}
	fmt.Fprintf(env.Stderr, "caseboard: %s\n", model.Inert(model.OneLine(err.Error())))
	return ExitRefused
}

// isCobraUsage recognizes cobra's own argument errors (unknown command,
// wrong argument count, missing required flag).
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "required flag", "accepts ", "requires at least", "requires at most", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
