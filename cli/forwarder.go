package cli

// The caller's side of forwarding: Main decides, before anything runs,
// whether a board or serve holds the store, and if so sends it the command
// (wire.go holds the format, holding.go the holder's side).

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"caseboard/model"
	"caseboard/store"
)

// Annotations that tell forwarding what a command and its arguments mean
// outside the caller's process.
const (
	// annotLocal, on a command, says that it runs in the caller's process
	// even on a held store: it needs no store (version, sla), is a group
	// that only prints its usage, or holds the store itself (the board,
	// serve), which a holder refuses with its own line.
	annotLocal = "caseboard/local"
	// annotArgs, on a command, names what its positional arguments are,
	// one kind per position, comma-separated ("" for a plain argument).
	annotArgs = "caseboard/args"
	// annotArg, on a flag, names what its value is.
	annotArg = "caseboard/arg"
)

// Argument kinds (annotArgs, annotArg).
const (
	// argFile is a FILE of the caller's, relative to its directory; "-"
	// is standard input (or output).
	argFile = "file"
	// argKey is an SSH public key line, or a FILE holding one.
	argKey = "key"
	// argCaller is the caller's own setting, not sent: the holder works
	// on its own store, under its own policy.
	argCaller = "caller"
)

// local is the annotation of a command that runs in the caller's
// process (annotLocal).
func local() map[string]string { return map[string]string{annotLocal: "true"} }

// argKinds is the annotation saying what a command's positional arguments
// are, one kind per position (argFile, argKey, or "" for a plain one).
func argKinds(kinds ...string) map[string]string {
	return map[string]string{annotArgs: strings.Join(kinds, ",")}
}

// declareFlag says what the named flag's value is (argFile, argKey,
// argCaller).
func declareFlag(fs *pflag.FlagSet, name, kind string) {
	_ = fs.SetAnnotation(name, annotArg, []string{kind})
}

// argKind is the kind declared for cmd's positional argument i.
func argKind(cmd *cobra.Command, i int) string {
	kinds := strings.Split(cmd.Annotations[annotArgs], ",")
	if i < len(kinds) {
		return kinds[i]
	}
	return ""
}

// flagKind is the kind declared for a flag.
func flagKind(fl *pflag.Flag) string {
	if k := fl.Annotations[annotArg]; len(k) > 0 {
		return k[0]
	}
	return ""
}

// forwarder is the caller's side, set up by Main.
type forwarder struct {
	env  *Env
	args []string
}

// route decides where the command runs before it runs: the holder named
// by the returned error when a board or serve holds the store of --data
// (store.HeldBy), else here. Anything that fails before the store would be
// opened (an unknown command or flag, wrong arguments, help, a policy
// file that does not load) runs here too, to fail as it does locally.
func (f *forwarder) route() (*store.HeldError, bool) {
	scratch := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: f.env.Getenv}}
	root := NewRoot(scratch)
	cmd, rest, err := root.Find(f.args)
	if err != nil || cmd == root || cmd.Annotations[annotLocal] != "" {
		return nil, false
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return nil, false
	}
	if help, err := cmd.Flags().GetBool("help"); err == nil && help {
		return nil, false
	}
	if cmd.ValidateArgs(cmd.Flags().Args()) != nil || cmd.ValidateRequiredFlags() != nil || cmd.ValidateFlagGroups() != nil {
		return nil, false
	}
	if scratch.PolicyFile != "" {
		if _, err := scratch.Policy(); err != nil {
			return nil, false
		}
	}
	return store.HeldBy(dataDir(scratch))
}

// stdin reports whether the command reads standard input (an argument
// "-"): it is sent along to the holder.
func (f *forwarder) stdin() bool {
	for _, a := range f.args {
		if a == "-" || strings.HasSuffix(a, "=-") {
			return f.env.Stdin != nil
		}
	}
	return false
}

// run forwards the command to the holder named by held and returns its
// exit status; a holder that cannot be reached is one line and exit 1.
func (f *forwarder) run(held *store.HeldError) int {
	stderr := f.env.Stderr
	if held.Role != "board" && held.Role != "serve" {
		fmt.Fprintf(stderr, "caseboard: %s\n", model.Inert(held.Error()))
		return ExitRefused
	}
	code, err := f.forward(held.Dir)
	if err != nil {
		// The one line names the holder, as without forwarding; why it
		// could not be reached is not the caller's business.
		fmt.Fprintf(stderr, "caseboard: %s\n", model.Inert(held.Error()))
		return ExitRefused
	}
	return code
}

// late forwards a command that ran here because no holder was named when
// Main looked, and found one when it opened the store (a board or serve
// that started in between). A command that has read its standard input
// cannot send it on: it stops with the holder's one line, having written
// nothing.
func (f *forwarder) late(held *store.HeldError) int {
	if f.stdin() {
		fmt.Fprintf(f.env.Stderr, "caseboard: %s\n", model.Inert(held.Error()))
		return ExitRefused
	}
	return f.run(held)
}

func (f *forwarder) forward(dir string) (int, error) {
	path, err := socketPath(dir)
	if err != nil {
		return 0, err
	}
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	user := ""
	if f.env.Getenv != nil {
		user = f.env.Getenv("CASEBOARD_USER")
	}
	hdr, _ := json.Marshal(forwardRequest{V: forwardVersion, Args: absArgs(f.args), User: user})
	if err := writeFrame(c, frameHeader, hdr); err != nil {
		return 0, err
	}
	go func() {
		w := frameWriter{&sync.Mutex{}, c, frameStdin}
		if f.stdin() {
			_, _ = io.Copy(w, io.LimitReader(f.env.Stdin, maxStdin+1))
		}
		_ = writeFrame(c, frameStdin, nil)
	}()
	for {
		kind, p, err := readFrame(c, maxFrame)
		if err != nil {
			return 0, fmt.Errorf("the holder stopped answering: %w", err)
		}
		switch kind {
		case frameStdout:
			_, _ = f.env.Stdout.Write(p)
		case frameStderr:
			_, _ = f.env.Stderr.Write(p)
		case frameExit:
			var x forwardExit
			if err := json.Unmarshal(p, &x); err != nil {
				return 0, fmt.Errorf("the holder's answer: %w", err)
			}
			return x.Code, nil
		default:
			return 0, fmt.Errorf("the holder's answer: unexpected frame %q", kind)
		}
	}
}

// absArgs rewrites args so that they mean the same in another process's
// working directory: the arguments and flags declared argFile or argKey
// (import, backup, restore, user key, user add --key) become absolute,
// argCaller flags (--data, --policy) are left out. Flags are written back
// as --name=value and the positional arguments follow "--".
func absArgs(args []string) []string {
	root := NewRoot(&Env{IO: IO{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}})
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == root {
		return args
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return args
	}
	path := strings.Fields(cmd.CommandPath())[1:]
	out := append([]string(nil), path...)
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		kind := flagKind(fl)
		if kind == argCaller {
			return
		}
		values := []string{fl.Value.String()}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			values = sv.GetSlice()
		}
		for _, v := range values {
			out = append(out, "--"+fl.Name+"="+absArg(kind, v))
		}
	})
	out = append(out, "--")
	for i, a := range cmd.Flags().Args() {
		out = append(out, absArg(argKind(cmd, i), a))
	}
	return out
}

// absArg makes one argument of the given kind absolute.
func absArg(kind, v string) string {
	switch kind {
	case argFile:
		return absPath(v)
	case argKey:
		return absKey(v)
	}
	return v
}

func absPath(p string) string {
	if p == "-" || p == "" || filepath.IsAbs(p) {
		return p
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// absKey makes a key argument absolute when it names a file (not a key
// line, not "-"), as readKey would read it.
func absKey(k string) string {
	if isKeyText(k) {
		return k
	}
	return absPath(k)
}
