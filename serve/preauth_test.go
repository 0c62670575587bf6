package serve_test

import (
	"bytes"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"caseboard/cli"
	"caseboard/serve"
)

// startServeWith is startServe with every flag given.
func startServeWith(t testing.TB, d *desk, f cli.ServeFlags) *cli.Serving {
	t.Helper()
	var out bytes.Buffer
	env := &cli.Env{IO: cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }},
		DataDir: d.dir, Clock: time.Now}
	if f.Listen == "" {
		f.Listen = "127.0.0.1:0"
	}
	if f.IdleTimeout == 0 {
		f.IdleTimeout = time.Minute
	}
	sv, err := cli.StartServe(env, f)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sv.Shutdown() })
	return sv
}

// rawConn is a TCP connection that never speaks SSH: reader notes the
// server's banner and when the server closed it.
type rawConn struct {
	c      net.Conn
	banner atomic.Bool
	closed chan struct{}
	at     time.Time // when closed (set before closed is)
}

// dialRaw connects to addr from the loopback address from (127.0.0.x:
// every 127/8 address is this machine's).
func dialRaw(t testing.TB, addr, from string) *rawConn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", from, err)
	}
	r := &rawConn{c: c, closed: make(chan struct{})}
	t.Cleanup(func() { c.Close() })
	go func() {
		b := make([]byte, 512)
		var got []byte
		for {
			n, err := c.Read(b)
			got = append(got, b[:n]...)
			if bytes.HasPrefix(got, []byte("SSH-2.0-")) {
				r.banner.Store(true)
			}
			if err != nil {
				r.at = time.Now()
				close(r.closed)
				return
			}
		}
	}()
	return r
}

// count is how many conns are open, and how many of those are in their
// handshake (they got the server's banner; the others wait for a slot).
func count(conns []*rawConn) (open, shaking int) {
	for _, r := range conns {
		if !r.isClosed() {
			open++
			if r.banner.Load() {
				shaking++
			}
		}
	}
	return open, shaking
}

// waitCount waits until ok(count(conns)) holds, for at most 10 s.
func waitCount(t testing.TB, conns []*rawConn, ok func(open, shaking int) bool) (open, shaking int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		open, shaking = count(conns)
		if ok(open, shaking) || time.Now().After(deadline) {
			return open, shaking
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (r *rawConn) isClosed() bool {
	select {
	case <-r.closed:
		return true
	default:
		return false
	}
}

// TestHandshakeDeadline: a connection that never speaks, and one that
// sends a byte every 100 ms, are both closed by the handshake deadline
// (500 ms here), not kept until the idle timeout (a minute).
func TestHandshakeDeadline(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServeWith(t, d, cli.ServeFlags{MaxSessions: 4, HandshakeTimeout: 500 * time.Millisecond})
	start := time.Now()
	silent := dialRaw(t, sv.Addr, "127.0.0.1")
	trickle := dialRaw(t, sv.Addr, "127.0.0.1")
	sent := 0
	go func() {
		for i := 0; i < 40 && !trickle.isClosed(); i++ { // at most 4 s
			if _, err := trickle.c.Write([]byte("S")); err != nil {
				return
			}
			sent++
			time.Sleep(100 * time.Millisecond)
		}
	}()
	for name, r := range map[string]*rawConn{"silent": silent, "trickling": trickle} {
		select {
		case <-r.closed:
			t.Logf("%s connection closed after %s", name, r.at.Sub(start).Round(time.Millisecond))
		case <-time.After(3 * time.Second):
			t.Fatalf("the %s connection is still open 3s after connecting (handshake deadline 500ms)", name)
		}
	}
	if !silent.banner.Load() {
		t.Error("the server never sent its banner: the connection was refused, not timed out")
	}
	// A key holder is not cut by the deadline once in: a command longer
	// than it still gets its answer.
	if r := sshRun(t, sv.Addr, d.keys["sam"], "", "queue"); r.code != 0 {
		t.Errorf("sam's queue: %+v", r)
	}
	b := openBoard(t, sv.Addr, d.keys["maria"])
	if !b.waitFor(0, boardUp, 10*time.Second) {
		t.Fatalf("maria's board never came up")
	}
	m := b.mark()
	// The board ticks each second: still alive after twice the deadline.
	if !b.waitFor(m, regexp.MustCompile(`\d\d:\d\d:\d\d`), 5*time.Second) || b.ended(1200*time.Millisecond) {
		t.Errorf("maria's board did not outlive the handshake deadline")
	}
}

// TestSilentConnectionsDoNotLockOut: 90 TCP connections that never speak,
// from one other address: that address gets 10 handshakes, 64 more wait
// for a slot and the other 16 are closed at once; a key holder's command
// and board get in. Then 90 more from nine addresses: at most 64 are in
// their handshake in all (the oldest make room) and a key holder still
// gets in. Sessions: 16 (the connections do not count against them).
func TestSilentConnectionsDoNotLockOut(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServeWith(t, d, cli.ServeFlags{MaxSessions: 16})
	var conns []*rawConn
	for i := 0; i < 90; i++ {
		conns = append(conns, dialRaw(t, sv.Addr, "127.0.0.2"))
	}
	per, all := serve.DefaultMaxHandshakesPerAddr, serve.DefaultMaxHandshakes
	open, shaking := waitCount(t, conns, func(open, shaking int) bool { return open == per+all && shaking == per })
	if open != per+all || shaking != per {
		t.Errorf("90 silent connections from one address: %d open, %d in their handshake; want %d and %d", open, shaking, per+all, per)
	}
	start := time.Now()
	if r := sshRun(t, sv.Addr, d.keys["sam"], "", "version"); r.code != 0 {
		t.Fatalf("sam's command beside 90 silent connections: %+v", r)
	}
	cmd := time.Since(start)
	b := openBoard(t, sv.Addr, d.keys["maria"])
	if !b.waitFor(0, boardUp, 10*time.Second) {
		t.Fatalf("maria's board beside 90 silent connections never came up:\n%s", b.since(0))
	}
	t.Logf("90 silent from 127.0.0.2 (%d open, %d in handshake): sam's command in %s, maria's board up in %s",
		open, shaking, cmd.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	var more []*rawConn
	for i := 0; i < 90; i++ {
		more = append(more, dialRaw(t, sv.Addr, "127.0.0.1"+strconv.Itoa(i%9)))
	}
	every := append(conns, more...)
	// Every new one gets its handshake (the oldest are closed for them).
	waitCount(t, more, func(open, shaking int) bool { return open == shaking })
	open, shaking = waitCount(t, every, func(open, shaking int) bool { return shaking <= all })
	if shaking > all {
		t.Errorf("%d silent connections in their handshake in all, want at most %d", shaking, all)
	}
	start = time.Now()
	if r := sshRun(t, sv.Addr, d.keys["lee"], "", "version"); r.code != 0 {
		t.Fatalf("lee's command beside %d silent connections from ten addresses: %+v", open, r)
	}
	t.Logf("180 silent from ten addresses (%d open, %d in handshake): lee's command in %s", open, shaking,
		time.Since(start).Round(time.Millisecond))
	if !b.waitFor(0, boardUp, time.Second) || b.ended(0) {
		t.Error("maria's board ended")
	}
}

// TestFullServeSaysWhy: with --max-sessions 5 and five boards open, three
// more boards and a command are each told why on their terminal or stderr
// (not a bare reset), and one more gets in once a board closes.
func TestFullServeSaysWhy(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 5)
	var boards []*screen
	for i := 0; i < 5; i++ {
		b := openBoard(t, sv.Addr, d.keys[team[i%3]])
		if !b.waitFor(0, boardUp, 10*time.Second) {
			t.Fatalf("board %d never came up", i)
		}
		boards = append(boards, b)
	}
	full := "caseboard serve is full (5 sessions): try again later"
	for i := 0; i < 3; i++ {
		b := openBoard(t, sv.Addr, d.keys["lee"])
		if !b.waitFor(0, regexp.MustCompile(regexp.QuoteMeta(full)), 5*time.Second) || !b.ended(5*time.Second) {
			t.Errorf("board %d over the limit: %q", 6+i, b.since(0))
		}
	}
	r := sshRun(t, sv.Addr, d.keys["eva"], "", "version")
	if r.code != 1 || r.stderr != "caseboard: "+full+"\n" {
		t.Errorf("a command over the limit: %+v", r)
	}
	boards[0].close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if r := sshRun(t, sv.Addr, d.keys["eva"], "", "version"); r.code == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no session got in after a board closed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRefusedKeysLogBounded: 200 refused key attempts from one address
// (a second apart or not) add a few lines to the log, not 200: the first
// in full, then one line per interval (500 ms here) with the count; the
// counts add up to all 200.
func TestRefusedKeysLogBounded(t *testing.T) {
	const n = 200
	d := setupDesk(t, nil)
	every := 500 * time.Millisecond
	sv := startServeWith(t, d, cli.ServeFlags{MaxSessions: 4, RefusalLogEvery: every})
	before := readLog(t, d)
	stranger, _ := newKey(t)
	start := time.Now()
	for i := 0; i < n; i++ {
		if c, err := dial(t, sv.Addr, stranger); err == nil {
			c.Close()
			t.Fatal("a stranger's key was let in")
		}
	}
	took := time.Since(start)
	counted := regexp.MustCompile(`refusals from one address.* count=(\d+)`)
	var added string
	total := 0
	deadline := time.Now().Add(5 * time.Second)
	for {
		added = readLog(t, d)[len(before):]
		total = strings.Count(added, "serve: key refused")
		for _, m := range counted.FindAllStringSubmatch(added, -1) {
			c, _ := strconv.Atoi(m[1])
			total += c
		}
		if total >= n || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	lines := strings.Count(added, "\n")
	limit := 2 + int(took/every) + 1
	t.Logf("%d refused attempts in %s: %d log lines, %d bytes (the first, in full: %d bytes)", n, took.Round(time.Millisecond),
		lines, len(added), len(lineWith(added, "key refused"))+1)
	if total != n {
		t.Errorf("the log accounts for %d of %d refusals:\n%s", total, n, added)
	}
	if lines > limit {
		t.Errorf("%d refusals added %d log lines in %s, want at most %d:\n%.2000s", n, lines, took, limit, added)
	}
	if !strings.Contains(added, "key refused") || !strings.Contains(added, "remote=127.0.0.1") {
		t.Errorf("the first refusal is not logged in full:\n%s", added)
	}
}

// TestRefusedConnectionsLogBounded: 200 connections over the per-address
// limits (1 in its handshake, 1 waiting) log a few lines, not 200.
func TestRefusedConnectionsLogBounded(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServeWith(t, d, cli.ServeFlags{MaxSessions: 4, MaxHandshakesPerAddr: 1, MaxHandshakes: 1})
	before := readLog(t, d)
	var conns []*rawConn
	for i := 0; i < 202; i++ { // one in its handshake, one waiting, 200 refused
		conns = append(conns, dialRaw(t, sv.Addr, "127.0.0.3"))
	}
	if open, _ := waitCount(t, conns, func(open, _ int) bool { return open == 2 }); open != 2 {
		t.Fatalf("%d of 202 connections open, want 2", open)
	}
	if err := sv.Shutdown(); err != nil {
		t.Fatal(err)
	}
	added := readLog(t, d)[len(before):]
	if c := strings.Count(added, "connection refused"); c != 1 || !strings.Contains(added, "connection=199") {
		t.Errorf("200 refused connections: %d full lines, and the count:\n%s", c, added)
	}
	t.Logf("200 refused connections: %d serve lines in the log, %d bytes", strings.Count(added, "msg=\"serve:"), len(added))
}
