package serve

import (
	"net"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
)

var handshakeKey = &ctxKey{"handshake"}

// admit takes a new TCP connection into the handshake (it runs in the
// connection's own goroutine, so waiting here holds up no other). Before a
// session starts nothing about the peer is known, so what it may hold is
// bounded: a deadline for the whole handshake from the moment it connected
// (that traffic does not extend); at most MaxHandshakesPerAddr handshakes
// at once from one address, the connections over that waiting for a slot
// within their deadline (MaxHandshakes of them at most, in all: more are
// closed at once), so that a burst from one host is slowed, not refused;
// and MaxHandshakes handshakes in all (the oldest is closed to make room,
// so a crowd of silent connections cannot keep a key holder out).
// Sessions, not connections, count against MaxSessions: see enter.
func (s *Server) admit(ctx ssh.Context, c net.Conn) net.Conn {
	ip := addrIP(c.RemoteAddr())
	now := time.Now()
	hc := &handshakeConn{Conn: c, s: s, ip: ip, started: now, deadline: now.Add(s.o.HandshakeTimeout)}
	s.mu.Lock()
	for !s.closing && s.perAddr[ip] >= s.o.MaxHandshakesPerAddr {
		if s.waiting >= s.o.MaxHandshakes || !time.Now().Before(hc.deadline) {
			n := s.perAddr[ip]
			s.mu.Unlock()
			s.refusals.note(ip, "connection", "serve: connection refused", "remote", c.RemoteAddr().String(),
				"why", "too many handshakes from this address", "open", n)
			return nil
		}
		s.waiting++
		freed := s.freed
		s.mu.Unlock()
		t := time.NewTimer(time.Until(hc.deadline))
		select {
		case <-freed:
		case <-t.C:
		}
		t.Stop()
		s.mu.Lock()
		s.waiting--
	}
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	var evict *handshakeConn
	if len(s.handshakes) >= s.o.MaxHandshakes {
		for o := range s.handshakes {
			if evict == nil || o.started.Before(evict.started) {
				evict = o
			}
		}
		s.uncountLocked(evict)
	}
	s.handshakes[hc] = true
	s.perAddr[ip]++
	s.mu.Unlock()
	if evict != nil {
		s.refusals.note(evict.ip, "dropped", "serve: handshake dropped", "remote", evict.RemoteAddr().String(),
			"why", "too many handshakes in all", "after", time.Since(evict.started).Round(time.Millisecond))
		evict.Close()
	}
	// The deadline holds from now even if nothing reads or writes yet.
	_ = hc.SetDeadline(time.Time{})
	ctx.SetValue(handshakeKey, hc)
	return hc
}

// uncountLocked takes hc out of the handshakes in progress (s.mu held).
func (s *Server) uncountLocked(hc *handshakeConn) {
	if !s.handshakes[hc] {
		return
	}
	delete(s.handshakes, hc)
	if s.perAddr[hc.ip]--; s.perAddr[hc.ip] <= 0 {
		delete(s.perAddr, hc.ip)
	}
	s.wakeLocked()
}

// wakeLocked wakes the connections waiting for a handshake slot (s.mu
// held): each looks again at its address's count.
func (s *Server) wakeLocked() {
	close(s.freed)
	s.freed = make(chan struct{})
}

// addrIP is the host part of a remote address: the unit the handshake
// limits and the refusal log count by (each connection has its own port).
func addrIP(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// handshakeConn is a connection until its first session starts. The SSH
// server sets an idle deadline on every read and write; until then each
// deadline is cut to the handshake's, so a peer trickling a byte at a time
// cannot stay. established lifts that and leaves the idle timeout alone.
type handshakeConn struct {
	net.Conn
	s        *Server
	ip       string
	started  time.Time
	deadline time.Time

	mu          sync.Mutex
	established bool
	read, write time.Time // the deadlines last asked for
	closeOnce   sync.Once
}

func (c *handshakeConn) cut(t time.Time) time.Time {
	if c.established || !t.IsZero() && t.Before(c.deadline) {
		return t
	}
	return c.deadline
}

// SetDeadline records what was asked and sets it, cut to the handshake's
// deadline while the handshake lasts. The lock is held across the call so
// that established cannot be overtaken by an older, cut deadline.
func (c *handshakeConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.read, c.write = t, t
	return c.Conn.SetDeadline(c.cut(t))
}

// SetReadDeadline is SetDeadline for reads.
func (c *handshakeConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.read = t
	return c.Conn.SetReadDeadline(c.cut(t))
}

// SetWriteDeadline is SetDeadline for writes.
func (c *handshakeConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.write = t
	return c.Conn.SetWriteDeadline(c.cut(t))
}

// establish marks the handshake done (a session started, so the peer
// proved it holds a key on record): the deadlines asked for apply
// uncut, and the connection no longer counts against the handshake limits.
func (c *handshakeConn) establish() {
	c.mu.Lock()
	if !c.established {
		c.established = true
		_ = c.Conn.SetReadDeadline(c.read)
		_ = c.Conn.SetWriteDeadline(c.write)
	}
	c.mu.Unlock()
	c.s.mu.Lock()
	c.s.uncountLocked(c)
	c.s.mu.Unlock()
}

// Close closes the connection and takes it out of the handshake count.
func (c *handshakeConn) Close() error {
	c.closeOnce.Do(func() {
		c.s.mu.Lock()
		c.s.uncountLocked(c)
		c.s.mu.Unlock()
	})
	return c.Conn.Close()
}
