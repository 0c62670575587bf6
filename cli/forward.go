package cli

// Forwarding: the process that holds the store (serve, or a local board)
// listens on a Unix socket in the data directory; a command that finds the
// store held sends it its arguments and prints what comes back.
//
// The protocol is a stream of frames, each one kind byte, a big-endian
// uint32 length and that many bytes (at most maxFrame):
//
//	caller -> holder:  'H' {"v":1,"args":[...],"user":"..."}  (JSON header)
//	                   'I' stdin bytes ... then 'I' of length 0 (end of input)
//	holder -> caller:  'O' stdout bytes, 'E' stderr bytes (any number, in order)
//	                   'X' {"code":N}                           (last frame)
//
// The caller sends its standard input only when an argument is "-"; the
// holder gives the command at most maxStdin bytes of it.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"caseboard/model"
	"caseboard/notify"
	"caseboard/store"
)

const (
	// SocketName is the forwarding socket in the data directory.
	SocketName = "caseboard.sock"
	// socketPathFile names, in the data directory, the socket's path when
	// the data directory's path is too long for a Unix socket.
	socketPathFile = "caseboard.sock.path"
	maxSocketPath  = 100

	forwardVersion = 1
	maxFrame       = 1 << 20   // one frame's payload
	maxHeader      = 1 << 20   // the JSON header
	maxStdin       = 256 << 20 // standard input given to a forwarded command
	maxForwarded   = 16        // forwarded commands run at once
	headerTimeout  = 10 * time.Second
)

const (
	frameHeader = 'H'
	frameStdin  = 'I'
	frameStdout = 'O'
	frameStderr = 'E'
	frameExit   = 'X'
)

// forwardRequest is the caller's header.
type forwardRequest struct {
	V    int      `json:"v"`
	Args []string `json:"args"`
	// User is the caller's $CASEBOARD_USER.
	User string `json:"user,omitempty"`
}

type forwardExit struct {
	Code int `json:"code"`
}

func writeFrame(w io.Writer, kind byte, p []byte) error {
	var h [5]byte
	h[0] = kind
	binary.BigEndian.PutUint32(h[1:], uint32(len(p)))
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	_, err := w.Write(p)
	return err
}

func readFrame(r io.Reader, limit int) (byte, []byte, error) {
	var h [5]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(h[1:])
	if int64(n) > int64(limit) {
		return 0, nil, fmt.Errorf("forwarding: a frame of %d bytes (at most %d)", n, limit)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return 0, nil, err
	}
	return h[0], p, nil
}

// frameWriter turns writes into frames of one kind, split at maxFrame;
// mu keeps frames of the two streams whole.
type frameWriter struct {
	mu   *sync.Mutex
	w    io.Writer
	kind byte
}

func (f frameWriter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for len(p) > 0 {
		c := p
		if len(c) > maxFrame {
			c = c[:maxFrame]
		}
		if err := writeFrame(f.w, f.kind, c); err != nil {
			return n, err
		}
		n += len(c)
		p = p[len(c):]
	}
	return n, nil
}

// socketPath is where the holder of dir listens: in dir, or where dir's
// socket path file says when dir's own path is too long.
func socketPath(dir string) (string, error) {
	p := filepath.Join(dir, SocketName)
	if len(p) <= maxSocketPath {
		return p, nil
	}
	b, err := os.ReadFile(filepath.Join(dir, socketPathFile))
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// Holding is a store held by this process (serve or a board), with its
// forwarding socket.
type Holding struct {
	Store  *store.Store
	Policy *model.Policy
	Log    *slog.Logger

	ln      net.Listener
	path    string
	tmpDir  string
	dir     string
	wg      sync.WaitGroup
	sem     chan struct{}
	mu      sync.Mutex
	closed  bool
	conns   map[net.Conn]bool
	logFile io.Closer
	// deliver raises and delivers alerts while the store is held (hook.go).
	deliver *notify.Deliverer
	// stopping closes when forwarding stops: forwarded watches end.
	stopping chan struct{}
}

// Hold opens the store of env (--data) for a long-running process of the
// given role ("board", "serve") and listens on its forwarding socket. A
// store held by another board or serve is a *store.HeldError.
func Hold(env *Env, dir, role, addr string) (*Holding, error) {
	p, err := env.Policy()
	if err != nil {
		return nil, err
	}
	logger, logFile, err := store.OpenLog(dir)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(store.Options{Dir: dir, Policy: p, Logger: logger, Role: role, Addr: addr})
	if err != nil {
		logFile.Close()
		return nil, err
	}
	h := &Holding{Store: st, Policy: p, Log: logger, dir: dir, logFile: logFile,
		sem: make(chan struct{}, maxForwarded), conns: map[net.Conn]bool{}, stopping: make(chan struct{})}
	if err := h.listen(); err != nil {
		st.Close()
		logFile.Close()
		return nil, err
	}
	go h.accept()
	h.deliver = startDelivery(env, st, logger)
	return h, nil
}

func (h *Holding) listen() error {
	h.path = filepath.Join(h.dir, SocketName)
	if len(h.path) > maxSocketPath {
		tmp, err := os.MkdirTemp("", "caseboard-")
		if err != nil {
			return fmt.Errorf("forwarding socket: %w", err)
		}
		h.tmpDir = tmp
		h.path = filepath.Join(tmp, "sock")
		if err := os.WriteFile(filepath.Join(h.dir, socketPathFile), []byte(h.path+"\n"), 0o600); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("forwarding socket: %w", err)
		}
	}
	// We hold the store, so a socket left here is a dead holder's.
	_ = os.Remove(h.path)
	ln, err := net.Listen("unix", h.path)
	if err != nil {
		return fmt.Errorf("forwarding socket: %w", err)
	}
	if err := os.Chmod(h.path, 0o600); err != nil {
		ln.Close()
		return fmt.Errorf("forwarding socket: %w", err)
	}
	h.ln = ln
	h.Log.Info("forwarding socket", "path", h.path)
	return nil
}

func (h *Holding) accept() {
	for {
		c, err := h.ln.Accept()
		if err != nil {
			return
		}
		h.mu.Lock()
		if h.closed {
			h.mu.Unlock()
			c.Close()
			return
		}
		h.conns[c] = true
		h.wg.Add(1)
		h.mu.Unlock()
		go func() {
			defer h.wg.Done()
			defer func() {
				h.mu.Lock()
				delete(h.conns, c)
				h.mu.Unlock()
				c.Close()
			}()
			h.sem <- struct{}{}
			defer func() { <-h.sem }()
			h.handle(c)
		}()
	}
}

// handle runs one forwarded command through Run, as the caller would have
// run it locally on this store.
func (h *Holding) handle(c net.Conn) {
	_ = c.SetReadDeadline(time.Now().Add(headerTimeout))
	kind, p, err := readFrame(c, maxHeader)
	if err != nil || kind != frameHeader {
		h.Log.Warn("forwarding: bad request", "err", err)
		return
	}
	var req forwardRequest
	if err := json.Unmarshal(p, &req); err != nil || req.V != forwardVersion {
		h.Log.Warn("forwarding: bad header", "err", err, "v", req.V)
		return
	}
	_ = c.SetReadDeadline(time.Time{})

	// Standard input arrives in frames while the command runs.
	pr, pw := io.Pipe()
	go func() {
		var total int64
		for {
			kind, p, err := readFrame(c, maxFrame)
			if err != nil {
				pw.CloseWithError(fmt.Errorf("forwarded input: %w", err))
				return
			}
			if kind != frameStdin {
				pw.CloseWithError(errors.New("forwarded input: unexpected frame"))
				return
			}
			if len(p) == 0 {
				pw.Close()
				return
			}
			total += int64(len(p))
			if total > maxStdin {
				pw.CloseWithError(fmt.Errorf("forwarded input: more than %d bytes", maxStdin))
				return
			}
			// A command that stopped reading closed pr: keep draining.
			_, _ = pw.Write(p)
		}
	}()
	defer pr.Close()

	var mu sync.Mutex
	user := req.User
	env := &Env{
		IO: IO{Stdin: pr, Stdout: frameWriter{&mu, c, frameStdout}, Stderr: frameWriter{&mu, c, frameStderr},
			Getenv: func(k string) string {
				if k == "CASEBOARD_USER" {
					return user
				}
				return ""
			}},
		Store: h.Store, Clock: time.Now, policy: h.Policy, Done: h.stopping,
	}
	start := time.Now()
	code := Run(env, req.Args)
	h.Log.Info("forwarded command", "cmd", commandName(req.Args), "code", code, "took", time.Since(start))
	b, _ := json.Marshal(forwardExit{Code: code})
	mu.Lock()
	_ = writeFrame(c, frameExit, b)
	mu.Unlock()
}

// commandName is a command's path for the log, without its arguments
// (notes and justifications stay out of the log).
func commandName(args []string) string {
	var out []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") || len(out) == 2 {
			break
		}
		out = append(out, a)
	}
	return strings.Join(out, " ")
}

// Close stops taking forwarded commands, waits for those in flight, and
// closes the store.
func (h *Holding) Close() error {
	h.StopForwarding()
	h.deliver.Stop()
	err := h.Store.Close()
	h.logFile.Close()
	return err
}

// StopForwarding closes the socket and waits for the forwarded commands in
// flight to finish.
func (h *Holding) StopForwarding() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	h.ln.Close()
	close(h.stopping)
	h.mu.Unlock()
	h.wg.Wait()
	_ = os.Remove(h.path)
	if h.tmpDir != "" {
		os.RemoveAll(h.tmpDir)
		os.Remove(filepath.Join(h.dir, socketPathFile))
	}
}

// forwarder is the caller's side: set up by Main, used by Run when the
// store turns out to be held by a board or serve.
type forwarder struct {
	env  *Env
	args []string
	// rec keeps what the local attempt read of standard input, so that
	// the holder gets all of it.
	rec *recorder
}

type recorder struct {
	r   io.Reader
	buf bytes.Buffer
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 && r.buf.Len() <= maxStdin {
		r.buf.Write(p[:n])
	}
	return n, err
}

// newForwarder prepares env for forwarding args: standard input is
// recorded when an argument is "-" (it will be sent along).
func newForwarder(env *Env, args []string) *forwarder {
	f := &forwarder{env: env, args: args}
	for _, a := range args {
		if (a == "-" || strings.HasSuffix(a, "=-")) && env.Stdin != nil {
			f.rec = &recorder{r: env.Stdin}
			env.Stdin = f.rec
			break
		}
	}
	return f
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
		if f.rec != nil {
			in := io.MultiReader(bytes.NewReader(f.rec.buf.Bytes()), f.rec.r)
			_, _ = io.Copy(w, io.LimitReader(in, maxStdin+1))
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
// working directory: FILE arguments (import, backup, restore, user key,
// user add --key) become absolute. Flags are written back as --name=value
// and the positional arguments follow "--".
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
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				if fl.Name == "key" {
					v = absKey(v)
				}
				out = append(out, "--"+fl.Name+"="+v)
			}
			return
		}
		if fl.Name == "data" || fl.Name == "policy" {
			return // the holder works on its own store, with its own policy
		}
		out = append(out, "--"+fl.Name+"="+fl.Value.String())
	})
	pos := cmd.Flags().Args()
	files := fileArgs(cmd)
	out = append(out, "--")
	for i, a := range pos {
		if files[i] {
			if i == 1 && cmd.Name() == "key" {
				a = absKey(a)
			} else {
				a = absPath(a)
			}
		}
		out = append(out, a)
	}
	return out
}

// fileArgs says which positional arguments of cmd are FILEs.
func fileArgs(cmd *cobra.Command) map[int]bool {
	switch strings.Join(strings.Fields(cmd.CommandPath())[1:], " ") {
	case "import", "backup", "restore":
		return map[int]bool{0: true}
	case "user key":
		return map[int]bool{1: true}
	}
	return nil
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

// absKey makes a --key argument absolute when it names a file (not a key
// line, not "-"), as readKey would read it.
func absKey(k string) string {
	if isKeyText(k) {
		return k
	}
	return absPath(k)
}
