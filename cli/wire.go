package cli

// The wire format of forwarding: the process that holds the store (serve,
// or a local board) listens on a Unix socket in the data directory
// (holding.go); a command that finds the store held sends it its arguments
// and prints what comes back (forwarder.go).
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
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
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
