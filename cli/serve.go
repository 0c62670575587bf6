package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"caseboard/model"
	"caseboard/serve"
	"caseboard/store"
)

// HostKeyName is the SSH host key in the data directory.
const HostKeyName = "ssh_host_ed25519"

// ServeFlags are serve's flags, and the limits before authentication
// (no flags: zero is serve's default; tests set short ones).
type ServeFlags struct {
	Listen      string
	MaxSessions int
	IdleTimeout time.Duration

	HandshakeTimeout     time.Duration
	MaxHandshakes        int
	MaxHandshakesPerAddr int
	RefusalLogEvery      time.Duration
}

func newServeCmd(env *Env) *cobra.Command {
	var f ServeFlags
	cmd := &cobra.Command{
		Use:         "serve [--listen ADDR] [--max-sessions N] [--idle-timeout DUR]",
		Annotations: local(),
		Short:       "Team mode: own the store and serve the board over SSH",
		Long: `Team mode. serve holds the store and listens for SSH: each person connects
with the key recorded for them (caseboard user add ID ... --key FILE, or
caseboard user key ID FILE) and gets the live board as that user; a command
after the host runs that command as that user. Only public keys are
accepted. On this machine, caseboard commands are forwarded to serve through
the data directory's socket. The host key is generated into the data
directory on the first start. SIGINT or SIGTERM stops it cleanly.`,
		Example: `  caseboard serve --data /srv/caseboard --listen 0.0.0.0:23234
  ssh -p 23234 desk.example                  # the board
  ssh -p 23234 desk.example queue --json     # a command`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if env.Store != nil || env.Remote {
				// Inside a board's prompt, over SSH or forwarded: this
				// process already holds the store.
				return errors.New("serve runs on its own, from a shell: it cannot start inside a board, over SSH or while another process holds the store")
			}
			if f.MaxSessions < 1 {
				return Usagef("--max-sessions %d: must be at least 1", f.MaxSessions)
			}
			if f.IdleTimeout < time.Second {
				return Usagef("--idle-timeout %s: must be at least 1s", f.IdleTimeout)
			}
			return RunServe(env, f)
		},
	}
	cmd.Flags().StringVar(&f.Listen, "listen", serve.DefaultListen, "the address to listen on for SSH")
	cmd.Flags().IntVar(&f.MaxSessions, "max-sessions", serve.DefaultMaxSessions, "sessions open at once")
	cmd.Flags().DurationVar(&f.IdleTimeout, "idle-timeout", serve.DefaultIdleTimeout, "drop a connection silent for this long")
	return cmd
}

// RunServe runs team mode until SIGINT or SIGTERM.
func RunServe(env *Env, f ServeFlags) error {
	sv, err := StartServe(env, f)
	if err != nil {
		return err
	}
	port, host := sshTarget(sv.Addr)
	fmt.Fprintf(env.Stdout, "caseboard serve: listening on %s, store %s (connect with ssh -p %s %s)\n",
		sv.Addr, sv.holding.dir, port, host)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-sv.srv.Done():
	}
	stop()
	err = sv.Shutdown()
	if serveErr != nil && err == nil {
		err = fmt.Errorf("serve: %w", serveErr)
	}
	if err == nil {
		fmt.Fprintln(env.Stdout, "caseboard serve: stopped")
	}
	return err
}

// Serving is a running serve (StartServe), for RunServe and tests.
type Serving struct {
	// Addr is the address serve listens on.
	Addr    string
	holding *Holding
	srv     *serve.Server
}

// Holding is the store serve holds, with its forwarding socket.
func (sv *Serving) Holding() *Holding { return sv.holding }

// StartServe opens the store as serve, listens on the forwarding socket and
// on SSH, and returns at once.
func StartServe(env *Env, f ServeFlags) (*Serving, error) {
	if env.Remote || env.Store != nil {
		return nil, errors.New("serve runs in a process of its own, on the machine that keeps the store")
	}
	if f.Listen == "" {
		f.Listen = serve.DefaultListen
	}
	dir, _, err := boardDir(env, false)
	if err != nil {
		return nil, err
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return nil, err
	}
	// A host key others can read, or that does not parse, is refused
	// before the store is taken.
	if err := serve.CheckHostKey(filepath.Join(dir, HostKeyName)); err != nil {
		return nil, err
	}
	h, err := Hold(env, dir, "serve", f.Listen)
	if err != nil {
		return nil, heldMessage(err)
	}
	// The one desk every board and command reads, loaded once now.
	if err := h.Shared.Start(); err != nil {
		h.Close()
		return nil, fmt.Errorf("load the desk: %w", err)
	}
	srv, err := serve.New(ServeOptions(h, f))
	if err != nil {
		h.Close()
		return nil, err
	}
	addr, err := srv.Listen()
	if err != nil {
		h.Close()
		return nil, err
	}
	if err := h.Store.SetHolderAddr(addr); err != nil {
		srv.Shutdown(context.Background())
		h.Close()
		return nil, err
	}
	h.Log.Info("serve: started", "addr", addr, "dir", dir, "pid", os.Getpid(), "policy", model.Inert(env.PolicyFile))
	return &Serving{Addr: addr, holding: h, srv: srv}, nil
}

// ServeOptions are serve's options over the store h holds: the users, the
// boards' backend, and SSH commands run through the command tree as the
// key's user, each write first checked against the session's access.
func ServeOptions(h *Holding, f ServeFlags) serve.Options {
	p := h.Policy
	return serve.Options{
		Listen:               f.Listen,
		HostKeyPath:          filepath.Join(h.dir, HostKeyName),
		MaxSessions:          f.MaxSessions,
		IdleTimeout:          f.IdleTimeout,
		HandshakeTimeout:     f.HandshakeTimeout,
		MaxHandshakes:        f.MaxHandshakes,
		MaxHandshakesPerAddr: f.MaxHandshakesPerAddr,
		RefusalLogEvery:      f.RefusalLogEvery,
		Users:                h.Store.Users,
		Backend:              h.Store,
		Shared:               h.Shared,
		Policy:               p,
		Logger:               h.Log,
		Exec: func(user string, args []string, stdin io.Reader, stdout, stderr io.Writer, allowed func() error) int {
			e := &Env{IO: IO{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: func(string) string { return "" }},
				Store: guardedBackend{Backend: h.Store, allowed: allowed}, Shared: h.Shared, User: user, Remote: true, Clock: time.Now, policy: p}
			return Run(e, args)
		},
	}
}

// guardedBackend is the store for one SSH command: every write first asks
// allowed, which fails once the session's user or key is removed (a
// command in flight then writes nothing more).
type guardedBackend struct {
	Backend
	allowed func() error
}

// unguarded is the store behind an SSH session's guard (st itself
// elsewhere), for what needs more of it than Backend (watch, hooks).
func unguarded(st Backend) Backend {
	if g, ok := st.(guardedBackend); ok {
		return g.Backend
	}
	return st
}

func (g guardedBackend) Do(actor string, a model.Action, now time.Time) (*model.Change, error) {
	if err := g.allowed(); err != nil {
		return nil, err
	}
	return g.Backend.Do(actor, a, now)
}

func (g guardedBackend) ImportJSON(r io.Reader, actor string, now time.Time) (store.ImportResult, error) {
	if err := g.allowed(); err != nil {
		return store.ImportResult{}, err
	}
	return g.Backend.ImportJSON(r, actor, now)
}

func (g guardedBackend) ImportCSV(r io.Reader, actor string, now time.Time) (store.ImportResult, error) {
	if err := g.allowed(); err != nil {
		return store.ImportResult{}, err
	}
	return g.Backend.ImportCSV(r, actor, now)
}

func (g guardedBackend) Restore(r io.Reader, force bool) error {
	if err := g.allowed(); err != nil {
		return err
	}
	return g.Backend.Restore(r, force)
}

// Close leaves the store open: serve owns it.
func (g guardedBackend) Close() error { return nil }

// Shutdown quits every session with the goodbye line, finishes the
// commands in flight (SSH and forwarded), then closes the store.
func (sv *Serving) Shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := sv.srv.Shutdown(ctx)
	sv.holding.StopForwarding()
	return errors.Join(err, sv.holding.Close())
}
