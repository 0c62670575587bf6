package cli

// The holder's side of forwarding: the store a board or serve holds, and
// the socket on which it runs the commands forwarded to it (wire.go holds
// the format).

import (
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

	"caseboard/model"
	"caseboard/notify"
	"caseboard/store"
	"caseboard/ui"
)

// Holding is a store held by this process (serve or a board), with its
// forwarding socket.
type Holding struct {
	Store  *store.Store
	Policy *model.Policy
	Log    *slog.Logger
	// Shared is the one desk this process keeps in memory: its boards
	// (the local one, or every SSH board) and the commands it runs read
	// it; it loads on first use.
	Shared *ui.Shared

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
	h := &Holding{Store: st, Policy: p, Log: logger, dir: dir, logFile: logFile, Shared: ui.NewShared(st, p),
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
		Store: h.Store, Shared: h.Shared, Clock: time.Now, policy: h.Policy, Done: h.stopping,
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
	h.Shared.Stop()
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
