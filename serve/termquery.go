package serve

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// queryWait is how long a board waits for its terminal to say what its
// background is before drawing with the default (dark). wish's own
// renderer (bm.MakeRenderer) reads the answer from the session with no
// deadline it can enforce: a client that never answers got a blank screen
// until its first key press.
const queryWait = 100 * time.Millisecond

// maxReply bounds a terminal reply held across reads: the OSC 11 answer
// (`ESC ] 11 ; rgb:RRRR/GGGG/BBBB ST`) and the DA1 answer (`ESC [ ? 62 ; 22 c`)
// are well under it; anything longer is not one of them.
const maxReply = 64

// termInput is a board's input: the session's bytes with the terminal's
// answers to the background-colour and device-attributes queries taken out
// (Bubble Tea v1 would read an OSC 11 answer as keys: alt+], 1, 1, ;, ...).
// One goroutine reads the session; the board reads what is left.
type termInput struct {
	*io.PipeReader
	answered chan struct{} // closed at the DA1 answer (the last one a terminal sends)
	once     sync.Once

	mu   sync.Mutex
	bg   string // the OSC 11 colour spec, "" if none came
	hold []byte // the start of a possible answer, cut by a read
	done bool   // DA1 seen: nothing more is filtered
}

// newTermInput sends the queries to the session and starts reading it.
func newTermInput(sess ssh.Session) *termInput {
	pr, pw := io.Pipe()
	in := &termInput{PipeReader: pr, answered: make(chan struct{})}
	// DA1 comes after OSC 11: a terminal answers in order, and one that
	// does not know OSC 11 still answers DA1, so DA1 ends the wait.
	_, _ = io.WriteString(sess, ansi.RequestBackgroundColor+ansi.RequestPrimaryDeviceAttributes)
	go in.pump(sess, pw)
	return in
}

func (in *termInput) pump(src io.Reader, pw *io.PipeWriter) {
	b := make([]byte, 4096)
	for {
		n, err := src.Read(b)
		if n > 0 {
			if out := in.filter(b[:n]); len(out) > 0 {
				if _, werr := pw.Write(out); werr != nil {
					return
				}
			}
		}
		if err != nil {
			in.mu.Lock()
			rest := in.hold
			in.hold = nil
			in.mu.Unlock()
			if len(rest) > 0 {
				_, _ = pw.Write(rest)
			}
			_ = pw.CloseWithError(err)
			return
		}
	}
}

// background waits up to d for the terminal's answers; it returns the
// background colour spec and whether one came.
func (in *termInput) background(d time.Duration) (string, bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-in.answered:
	case <-t.C:
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.bg, in.bg != ""
}

// filter takes the first OSC 11 and DA1 answers out of p (with what was
// held from the read before) and returns the rest. A possible answer cut
// at the end of p is held for the next read; a lone ESC is not (it is the
// escape key far more often than an answer cut right after its ESC, which
// then reaches the board as keys).
func (in *termInput) filter(p []byte) []byte {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.done {
		return p
	}
	buf := append(in.hold, p...)
	in.hold = nil
	var out bytes.Buffer
	for i := 0; i < len(buf); {
		if buf[i] != ansi.ESC || in.done {
			out.WriteByte(buf[i])
			i++
			continue
		}
		n, kind := matchReply(buf[i:])
		switch {
		case n < 0: // cut: keep for the next read
			in.hold = append([]byte(nil), buf[i:]...)
			return out.Bytes()
		case n == 0:
			out.WriteByte(buf[i])
			i++
		default:
			if kind == replyBackground {
				if in.bg == "" {
					in.bg = oscBody(buf[i : i+n])
				}
			} else {
				in.done = true
				in.once.Do(func() { close(in.answered) })
			}
			i += n
		}
	}
	return out.Bytes()
}

type replyKind int

const (
	replyBackground replyKind = iota + 1
	replyAttributes
)

// matchReply reports the length of the OSC 11 or DA1 answer at the start
// of b (0: not one; -1: the start of one, cut).
func matchReply(b []byte) (int, replyKind) {
	const osc, da = "\x1b]11;", "\x1b[?"
	switch {
	case bytes.HasPrefix(b, []byte(osc)):
		for i := len(osc); i < len(b) && i < maxReply; i++ {
			switch {
			case b[i] == ansi.BEL:
				return i + 1, replyBackground
			case b[i] == ansi.ESC:
				if i+1 == len(b) {
					return -1, 0
				}
				if b[i+1] == '\\' {
					return i + 2, replyBackground
				}
				return 0, 0
			case b[i] < 0x20:
				return 0, 0
			}
		}
		if len(b) < maxReply {
			return -1, 0
		}
		return 0, 0
	case bytes.HasPrefix(b, []byte(da)):
		for i := len(da); i < len(b) && i < maxReply; i++ {
			switch {
			case b[i] == 'c':
				return i + 1, replyAttributes
			case b[i] != ';' && (b[i] < '0' || b[i] > '9'):
				return 0, 0
			}
		}
		if len(b) < maxReply {
			return -1, 0
		}
		return 0, 0
	case len(b) >= 2 && len(b) < len(osc) && bytes.HasPrefix([]byte(osc), b),
		len(b) == 2 && b[1] == '[':
		// (alt+] or alt+[ typed as the last key waits for the next one
		// until the terminal has answered DA1.)
		return -1, 0
	}
	return 0, 0
}

// oscBody is the colour spec of an OSC 11 answer ("rgb:1c1c/1c1c/1c1c").
func oscBody(b []byte) string {
	s := strings.TrimPrefix(string(b), "\x1b]11;")
	s = strings.TrimSuffix(s, "\a")
	return strings.TrimSuffix(s, "\x1b\\")
}

// darkSpec reports whether an X11 colour spec (rgb:R/G/B, 1 to 4 hex
// digits each, as terminals answer OSC 11) is dark: HSL lightness under
// one half, the test wish and termenv use.
func darkSpec(spec string) (dark, ok bool) {
	s, found := strings.CutPrefix(spec, "rgb:")
	if !found {
		if s, found = strings.CutPrefix(spec, "rgba:"); !found {
			return false, false
		}
	}
	parts := strings.Split(s, "/")
	if len(parts) < 3 {
		return false, false
	}
	lo, hi := 1.0, 0.0
	for _, h := range parts[:3] {
		if len(h) < 1 || len(h) > 4 {
			return false, false
		}
		v, err := strconv.ParseUint(h, 16, 16)
		if err != nil {
			return false, false
		}
		f := float64(v) / float64(uint64(1)<<(4*len(h))-1)
		lo, hi = min(lo, f), max(hi, f)
	}
	return (lo+hi)/2 < 0.5, true
}

// sessionEnv is the session's environment with its terminal type, for
// termenv's colour profile.
type sessionEnv []string

func (e sessionEnv) Environ() []string { return e }

func (e sessionEnv) Getenv(k string) string {
	for i := len(e) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(e[i], k+"="); ok {
			return v
		}
	}
	return ""
}

// sessionRenderer builds a board's renderer and input. The colour profile
// comes from the session's TERM (and COLORTERM) as wish's does; the
// background is asked of the terminal and waited for queryWait at most,
// then taken as dark. An answer that comes later is still taken out of the
// input, but does not restyle the board (its styles are built once).
func sessionRenderer(sess ssh.Session) (*lipgloss.Renderer, io.Reader) {
	pty, _, _ := sess.Pty()
	if pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii)), sess
	}
	env := sessionEnv(append(sess.Environ(), "TERM="+pty.Term))
	// Unsafe: the session is no *os.File, and termenv would otherwise take
	// it for no terminal (no colours). The background is set below, so
	// termenv never queries it itself.
	r := lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	in := newTermInput(sess)
	dark := true
	if spec, ok := in.background(queryWait); ok {
		if d, ok := darkSpec(spec); ok {
			dark = d
		}
	}
	r.SetHasDarkBackground(dark)
	return r, in
}
