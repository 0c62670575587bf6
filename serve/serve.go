// Package serve is caseboard's team mode: a wish SSH server over the one
// open store. Each SSH session with a terminal and no command gets its own
// Bubble Tea program (the board, styled by that session's renderer); a
// session with a command runs it through the command tree as the user the
// key belongs to.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"caseboard/model"
	"caseboard/ui"
)

// Goodbye is the line every session gets when serve shuts down.
const Goodbye = "caseboard serve is shutting down"

// Defaults for Options.
const (
	DefaultListen      = "127.0.0.1:23234"
	DefaultMaxSessions = 64
	DefaultIdleTimeout = 30 * time.Minute

	DefaultHandshakeTimeout     = 10 * time.Second
	DefaultMaxHandshakes        = 64
	DefaultMaxHandshakesPerAddr = 10
	DefaultRefusalLogEvery      = time.Minute
)

// ExecFunc runs one command line as user over the session's streams and
// returns its exit status (cli.Run with a remote Env). allowed is checked
// before each write the command makes: it fails once the session's user
// or key is removed, and then nothing more may be written.
type ExecFunc func(user string, args []string, stdin io.Reader, stdout, stderr io.Writer, allowed func() error) int

// Options configure a Server.
type Options struct {
	// Listen is the TCP address (DefaultListen if empty; port 0 picks one).
	Listen string
	// HostKeyPath is the host's private key, generated on first start.
	HostKeyPath string
	// MaxSessions bounds the sessions (boards and commands) open at once;
	// connections still in their handshake do not count.
	MaxSessions int
	// IdleTimeout drops a connection with no traffic for that long.
	IdleTimeout time.Duration
	// HandshakeTimeout closes a connection whose first session has not
	// started that long after it connected, however much it sends.
	HandshakeTimeout time.Duration
	// MaxHandshakes bounds the connections in their handshake at once (the
	// oldest is closed for a new one); MaxHandshakesPerAddr bounds them
	// per remote address (more wait for a slot within their deadline,
	// MaxHandshakes of them at most, in all; beyond that they are closed).
	MaxHandshakes        int
	MaxHandshakesPerAddr int
	// RefusalLogEvery is how often refusals from one address are summed
	// up in the log, after the first is logged in full.
	RefusalLogEvery time.Duration

	// Users lists the team with their public keys (at each connection,
	// so a key added with `user key` works at once, and again before each
	// action and at each change to the users, so a removed one stops).
	Users func() ([]model.User, error)
	// Backend is the open store, for the boards.
	Backend ui.Backend
	// Shared is the one desk every board reads (ui.NewShared over
	// Backend; nil: New makes it).
	Shared *ui.Shared
	Policy *model.Policy
	// Exec runs a command sent with the SSH session.
	Exec ExecFunc
	// Logger is the data directory's log.
	Logger *slog.Logger
}

// Server is a running team-mode SSH server.
type Server struct {
	o   Options
	srv *ssh.Server
	ln  net.Listener
	log *slog.Logger

	refusals *refusalLog
	unwatch  func()

	mu         sync.Mutex
	closing    bool
	programs   map[*tea.Program]bool
	sessions   int
	lives      map[*live]bool
	handshakes map[*handshakeConn]bool
	perAddr    map[string]int
	waiting    int           // connections waiting for a handshake slot
	freed      chan struct{} // closed (and replaced) when a slot frees
	active     sync.WaitGroup
	served     chan error
}

type ctxKey struct{ name string }

var liveKey = &ctxKey{"live"}

// New builds the server; Listen starts it.
func New(o Options) (*Server, error) {
	if o.Listen == "" {
		o.Listen = DefaultListen
	}
	if o.MaxSessions <= 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if o.MaxHandshakes <= 0 {
		o.MaxHandshakes = DefaultMaxHandshakes
	}
	if o.MaxHandshakesPerAddr <= 0 {
		o.MaxHandshakesPerAddr = DefaultMaxHandshakesPerAddr
	}
	if o.RefusalLogEvery <= 0 {
		o.RefusalLogEvery = DefaultRefusalLogEvery
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Users == nil || o.Backend == nil || o.Exec == nil || o.HostKeyPath == "" {
		return nil, errors.New("serve: Users, Backend, Exec and HostKeyPath are required")
	}
	if o.Shared == nil {
		o.Shared = ui.NewShared(o.Backend, o.Policy)
	}
	hostKey, err := LoadHostKey(o.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s := &Server{o: o, log: o.Logger, programs: map[*tea.Program]bool{}, served: make(chan error, 1),
		refusals: newRefusalLog(o.Logger, o.RefusalLogEvery), lives: map[*live]bool{},
		handshakes: map[*handshakeConn]bool{}, perAddr: map[string]int{}, freed: make(chan struct{})}
	srv, err := wish.NewServer(
		wish.WithAddress(o.Listen),
		func(srv *ssh.Server) error {
			srv.AddHostKey(hostKey)
			return nil
		},
		wish.WithPublicKeyAuth(s.auth),
		wish.WithIdleTimeout(o.IdleTimeout),
		wish.WithVersion("SSH-2.0-caseboard"),
		func(srv *ssh.Server) error {
			srv.ConnCallback = s.admit
			return nil
		},
		wish.WithMiddleware(
			bm.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
			s.dispatch,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	// Public keys only: no password, no keyboard-interactive.
	srv.PasswordHandler = nil
	srv.KeyboardInteractiveHandler = nil
	s.srv = srv
	return s, nil
}

// Listen opens the TCP listener and serves in the background; it returns
// the address listened on.
func (s *Server) Listen() (string, error) {
	ln, err := net.Listen("tcp", s.o.Listen)
	if err != nil {
		return "", fmt.Errorf("serve: listen: %w", err)
	}
	s.ln = ln
	updates, cancel := s.o.Backend.Subscribe()
	s.unwatch = cancel
	go s.watch(updates)
	go func() { s.served <- s.srv.Serve(ln) }()
	s.log.Info("serve: listening", "addr", ln.Addr().String(), "max_sessions", s.o.MaxSessions, "idle_timeout", s.o.IdleTimeout,
		"handshake_timeout", s.o.HandshakeTimeout, "max_handshakes", s.o.MaxHandshakes, "max_handshakes_per_addr", s.o.MaxHandshakesPerAddr)
	return ln.Addr().String(), nil
}

// Done reports the server's end (an error from accepting connections).
func (s *Server) Done() <-chan error { return s.served }

// lookup finds the user a public key belongs to. Keys are compared by
// their key material (ssh.KeysEqual), whatever their comments. caseboard
// now puts a key on one user only, but an older store may hold one on
// several: such a key is refused (and logged), never given to whichever
// user comes first.
func (s *Server) lookup(key ssh.PublicKey) (model.User, bool) {
	if key == nil {
		return model.User{}, false
	}
	users, err := s.o.Users()
	if err != nil {
		s.log.Error("serve: read users", "err", err)
		return model.User{}, false
	}
	var found []model.User
	for _, u := range users {
		for _, line := range u.Keys {
			k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
			if err == nil && ssh.KeysEqual(k, key) {
				found = append(found, u)
				break
			}
		}
	}
	if len(found) > 1 {
		ids := make([]string, len(found))
		for i, u := range found {
			ids[i] = u.ID
		}
		s.log.Warn("serve: key refused: it is on several users (user key ID --remove FINGERPRINT on all but one)",
			"key", gossh.FingerprintSHA256(key), "users", ids)
		return model.User{}, false
	}
	if len(found) == 1 {
		return found[0], true
	}
	return model.User{}, false
}

// auth admits a key on record; anything else is refused and logged (the
// first from an address in full, then counted: see refusalLog).
func (s *Server) auth(ctx ssh.Context, key ssh.PublicKey) bool {
	u, ok := s.lookup(key)
	if !ok {
		s.refusals.note(addrIP(ctx.RemoteAddr()), "key", "serve: key refused", "remote", ctx.RemoteAddr().String(),
			"login", ctx.User(), "key", gossh.FingerprintSHA256(key))
		return false
	}
	s.log.Debug("serve: key accepted", "user", u.ID, "remote", ctx.RemoteAddr().String())
	return true
}

// dispatch runs first for every session: it ends the connection's
// handshake limits, finds the user from the key the session was
// authenticated with, counts the session in (or says why not), then runs
// the command, or passes a terminal session on to the board.
func (s *Server) dispatch(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		start := time.Now()
		if hc, ok := sess.Context().Value(handshakeKey).(*handshakeConn); ok {
			hc.establish()
		}
		args := sess.Command()
		_, _, isPty := sess.Pty()
		l := &live{key: gossh.FingerprintSHA256(sess.PublicKey()), remote: sess.RemoteAddr().String(), sess: sess,
			board: len(args) == 0 && isPty}
		u, ok := s.lookup(sess.PublicKey())
		if !ok {
			fmt.Fprintln(sess.Stderr(), "caseboard: this key belongs to no user")
			_ = sess.Exit(1)
			return
		}
		l.user = u.ID
		// Registered, then checked again: a removal committed after the
		// lookup either finds the session here or fails this check.
		s.register(l)
		defer s.unregister(l)
		if err := s.allowed(l); err != nil {
			if l.board || !l.revoked.Load() { // (revoke told a command already)
				fmt.Fprintf(sess.Stderr(), "caseboard: %s\n", err)
				_ = sess.Exit(1)
			}
			return
		}
		if why := s.enter(); why != "" {
			fmt.Fprintln(sess.Stderr(), "caseboard: "+why)
			s.log.Warn("serve: session refused", "user", u.ID, "remote", l.remote, "why", why)
			_ = sess.Exit(1)
			return
		}
		defer s.leave()
		sess.Context().SetValue(liveKey, l)
		remote := l.remote
		switch {
		case !l.board && u.Role == model.Wall:
			// DOMAIN.md: a wall reads "all (board only)": its key gets the
			// board and nothing else.
			fmt.Fprintf(sess.Stderr(), "caseboard: %s may not run commands: a wall key gets only the board\n", u.ID)
			s.log.Warn("serve: command refused", "user", u.ID, "remote", remote, "cmd", commandName(args), "why", "wall")
			_ = sess.Exit(1)
		case !l.board:
			code := s.o.Exec(u.ID, args, sess, sess, sess.Stderr(), func() error { return s.allowed(l) })
			s.log.Info("serve: command", "user", u.ID, "remote", remote, "cmd", commandName(args), "code", code,
				"took", time.Since(start))
			if !l.revoked.Load() { // (revoke has said why and closed it)
				_ = sess.Exit(code)
			}
		default:
			s.log.Info("serve: board opened", "user", u.ID, "role", u.Role, "remote", remote)
			next(sess)
			l.mu.Lock()
			p, closeBoard := l.program, l.closeBoard
			l.mu.Unlock()
			if p != nil {
				s.forget(p)
			}
			if closeBoard != nil {
				closeBoard()
			}
			s.mu.Lock()
			closing := s.closing
			s.mu.Unlock()
			code := 0
			switch {
			case l.revoked.Load():
				fmt.Fprintf(sess, "caseboard: %s\n", AccessRemoved)
				code = 1
			case closing:
				fmt.Fprintf(sess, "%s\n", Goodbye)
			}
			s.log.Info("serve: board closed", "user", u.ID, "remote", remote, "after", time.Since(start).Round(time.Second))
			_ = sess.Exit(code)
		}
	}
}

// enter counts a session in, unless serve is closing or full (then it
// says why, in words the person at the other end reads).
func (s *Server) enter() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return Goodbye
	}
	if s.sessions >= s.o.MaxSessions {
		return fmt.Sprintf("caseboard serve is full (%d sessions): try again later", s.o.MaxSessions)
	}
	s.sessions++
	s.active.Add(1)
	return ""
}

func (s *Server) leave() {
	s.mu.Lock()
	s.sessions--
	s.mu.Unlock()
	s.active.Done()
}

// quietEnv reports whether a session's environment asks for no bell.
func quietEnv(env []string) bool {
	for _, kv := range env {
		if kv == "CASEBOARD_QUIET=1" {
			return true
		}
	}
	return false
}

// program builds one session's board: its own model, styles from the
// session's own renderer, the session's streams, no signal handler (the
// server's process owns the signals). Its actions and its `:` prompt run
// only while the session keeps its access.
func (s *Server) program(sess ssh.Session) *tea.Program {
	l, ok := sess.Context().Value(liveKey).(*live)
	if !ok || l.user == "" {
		return nil
	}
	u, ok := s.lookup(sess.PublicKey())
	if !ok || u.ID != l.user {
		return nil
	}
	allowed := func() error { return s.allowed(l) }
	// Not bm.MakeRenderer: it waits for the terminal's answers with no
	// deadline (see sessionRenderer).
	r, in := sessionRenderer(sess)
	opts := ui.Options{
		Backend:  guarded{Backend: s.o.Backend, s: s, l: l},
		Shared:   s.o.Shared,
		Policy:   s.o.Policy,
		Actor:    u.ID,
		Wall:     u.Role == model.Wall,
		Renderer: r,
		Remote:   true, // reports show in a pane: a file would land on the server
		// A new alert rings the session's own terminal; CASEBOARD_QUIET=1
		// sent by the client (ssh -o SetEnv) turns it off.
		Bell:  sess,
		Quiet: quietEnv(sess.Environ()),
		Start: time.Now().Truncate(time.Second),
		// The `:` prompt runs as the key's user at the real time, like an
		// SSH exec request: the board's own idea of who acts and when is
		// not trusted over the network.
		RunCommand: func(_ string, _ time.Time, args []string, stdout, stderr io.Writer) int {
			return s.o.Exec(u.ID, args, eofReader{}, stdout, stderr, allowed)
		},
	}
	// The session's own streams (serve allocates no pty: bm.MakeOptions
	// would pick the same), the terminal's answers taken out of the input.
	popts := []tea.ProgramOption{tea.WithInput(in), tea.WithOutput(sess), tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithoutSignalHandler()}
	m := ui.New(opts)
	// The board's views on the shared desk go when the session ends.
	closeBoard := func() {
		if c, ok := m.(interface{ Close() }); ok {
			c.Close()
		}
	}
	p := tea.NewProgram(m, popts...)
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		closeBoard()
		return nil
	}
	s.programs[p] = true
	s.mu.Unlock()
	// Set before revoked is read: revoke sets revoked before it reads the
	// program, so one of the two sees the other.
	l.setProgram(p)
	l.mu.Lock()
	l.closeBoard = closeBoard
	l.mu.Unlock()
	if l.revoked.Load() {
		s.forget(p)
		return nil
	}
	return p
}

func (s *Server) forget(p *tea.Program) {
	s.mu.Lock()
	delete(s.programs, p)
	s.mu.Unlock()
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// Shutdown stops taking connections, quits every board (each session then
// gets the goodbye line), waits for the commands in flight, and closes the
// connections. The store stays open: its owner closes it after this.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	progs := make([]*tea.Program, 0, len(s.programs))
	for p := range s.programs {
		progs = append(progs, p)
	}
	// Connections still in their handshake hold no session: closed now
	// (the SSH server only closes those it has authenticated).
	shaking := make([]*handshakeConn, 0, len(s.handshakes))
	for hc := range s.handshakes {
		shaking = append(shaking, hc)
	}
	s.wakeLocked() // (the waiting see closing and go)
	s.mu.Unlock()
	if s.ln != nil {
		s.ln.Close()
	}
	for _, hc := range shaking {
		hc.Close()
	}
	if s.unwatch != nil {
		s.unwatch()
	}
	for _, p := range progs {
		p.Quit()
	}
	done := make(chan struct{})
	go func() { s.active.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("serve: sessions still open at shutdown: %w", ctx.Err())
	}
	s.srv.Close()
	s.refusals.stop()
	s.log.Info("serve: stopped")
	return err
}

// commandName is a command's path for the log, without its arguments.
func commandName(args []string) string {
	var out []string
	for _, a := range args {
		if len(a) > 0 && a[0] == '-' || len(out) == 2 {
			break
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return "(none)"
	}
	return fmt.Sprint(out)
}
