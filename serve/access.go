package serve

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"caseboard/model"
	"caseboard/ui"
)

// AccessRemoved is the line a session gets when its user, or the key it
// came in with, is removed: the session ends with it.
const AccessRemoved = "your access was removed"

// errAccessRemoved refuses what a session whose access was removed still
// tries (an action queued on its board, a command's write).
var errAccessRemoved = &model.Refusal{Msg: AccessRemoved}

// live is one session, known by its user and the key it authenticated
// with, so that removing either ends it.
type live struct {
	user   string
	key    string // gossh.FingerprintSHA256 of the session's key
	remote string
	sess   ssh.Session
	board  bool

	revoked atomic.Bool
	mu      sync.Mutex
	program *tea.Program
	// closeBoard gives back what the session's board holds of the shared
	// desk (its views), once its program has ended.
	closeBoard func()
}

func (l *live) setProgram(p *tea.Program) {
	l.mu.Lock()
	l.program = p
	l.mu.Unlock()
}

// register adds a session to those a removal ends.
func (s *Server) register(l *live) {
	s.mu.Lock()
	s.lives[l] = true
	s.mu.Unlock()
}

func (s *Server) unregister(l *live) {
	s.mu.Lock()
	delete(s.lives, l)
	s.mu.Unlock()
}

// holds reports whether users still has l's user with l's key.
func holds(users []model.User, l *live) bool {
	for _, u := range users {
		if u.ID != l.user {
			continue
		}
		for _, line := range u.Keys {
			k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
			if err == nil && gossh.FingerprintSHA256(k) == l.key {
				return true
			}
		}
	}
	return false
}

// allowed is checked at the moment a session's action or command write
// runs: the user must still exist and still hold the session's key. A
// session that no longer does is ended. A failed read of the users
// refuses too: a write nobody can vouch for is not made.
func (s *Server) allowed(l *live) error {
	if l.revoked.Load() {
		return errAccessRemoved
	}
	users, err := s.o.Users()
	if err != nil {
		return fmt.Errorf("serve: read users: %w", err)
	}
	if !holds(users, l) {
		s.revoke(l)
		return errAccessRemoved
	}
	return nil
}

// recheck ends every session whose user or key is gone (after a change
// to the users on the feed, or a resync).
func (s *Server) recheck() {
	users, err := s.o.Users()
	if err != nil {
		// The sessions stay; each action still checks for itself.
		s.log.Error("serve: read users", "err", err)
		return
	}
	s.mu.Lock()
	lives := make([]*live, 0, len(s.lives))
	for l := range s.lives {
		lives = append(lives, l)
	}
	s.mu.Unlock()
	for _, l := range lives {
		if !holds(users, l) {
			s.revoke(l)
		}
	}
}

// revokeGrace is how long a removed session has to take its line and
// end before its connection is closed under it (a client that stops
// reading would otherwise hold it until the idle timeout).
const revokeGrace = 2 * time.Second

// revoke ends a session at once. A board is quit and dispatch then prints
// the line (after the terminal is restored, where it stays visible); a
// command gets the line on its stderr and the session closes now, while
// whatever it still tries to write is refused by allowed. Nothing here
// waits on the client: the feed's watcher calls it.
func (s *Server) revoke(l *live) {
	if !l.revoked.CompareAndSwap(false, true) {
		return
	}
	s.log.Warn("serve: access removed, session ended", "user", l.user, "remote", l.remote, "key", l.key, "board", l.board)
	time.AfterFunc(revokeGrace, func() {
		s.mu.Lock()
		open := s.lives[l]
		s.mu.Unlock()
		if c, ok := l.sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok && open {
			s.log.Warn("serve: removed session did not end: connection closed", "user", l.user, "remote", l.remote)
			c.Close()
		}
	})
	if !l.board {
		go func() {
			fmt.Fprintf(l.sess.Stderr(), "caseboard: %s\n", AccessRemoved)
			_ = l.sess.Exit(1)
		}()
		return
	}
	l.mu.Lock()
	p := l.program
	l.mu.Unlock()
	if p != nil {
		// Quit lets the program restore the terminal; anything it still
		// had queued reaches only the refusing Do. Kill is the backstop
		// for a program too busy to take the quit.
		go p.Quit()
		time.AfterFunc(revokeGrace/2, p.Kill)
	}
}

// watch follows the change feed and rechecks the sessions at every change
// to the users (a user removed, a key removed or added) and at a resync
// (changes were missed).
func (s *Server) watch(updates <-chan ui.Update) {
	for u := range updates {
		if u.Resync || usersChanged(u.Change) {
			s.recheck()
		}
	}
}

func usersChanged(ch *model.Change) bool {
	if ch == nil {
		return false
	}
	if len(ch.Users) > 0 || len(ch.RemoveUsers) > 0 {
		return true
	}
	for _, e := range ch.Events {
		if strings.HasPrefix(e.Kind, "user-") {
			return true
		}
	}
	return false
}

// guarded is one board's Backend: its actions run only while the session
// still has its access.
type guarded struct {
	ui.Backend
	s *Server
	l *live
}

// Do refuses an action from a session whose access was removed.
func (g guarded) Do(actor string, a model.Action, now time.Time) (*model.Change, error) {
	if err := g.s.allowed(g.l); err != nil {
		return nil, err
	}
	return g.Backend.Do(actor, a, now)
}

// Ack refuses an acknowledgement from a session whose access was removed,
// like every other write.
func (g guarded) Ack(user, alertID string) error {
	if err := g.s.allowed(g.l); err != nil {
		return err
	}
	return g.Backend.Ack(user, alertID)
}
