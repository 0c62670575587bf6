package cli

import (
	"bytes"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"caseboard/model"
	"caseboard/ui"
)

// loadCounter counts the whole-desk loads made through it.
type loadCounter struct {
	Backend
	loads atomic.Int32
}

func (l *loadCounter) LoadDesk() (*model.Desk, error) {
	l.loads.Add(1)
	return l.Backend.LoadDesk()
}

// TestHeldCommandsReadTheSharedDesk: the commands a holder runs (the `:`
// line, forwarded, over SSH) read the desk it keeps in memory: no command
// loads the store's desk, each sees what the commands before it wrote,
// and every output is the one the same command gives without a holder.
func TestHeldCommandsReadTheSharedDesk(t *testing.T) {
	p := model.DefaultPolicy()
	held, plain := deskStore(t), deskStore(t)
	sh := ui.NewShared(held, p)
	defer sh.Stop()
	counted := &loadCounter{Backend: held}
	run := HeldCommand(counted, p, sh)
	local := BoardCommand(plain, p)
	now, err := model.ParseInstant(seenAt)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		actor string
		args  []string
	}{
		{"sam", []string{"case", "take", "1042"}},
		{"sam", []string{"queue", "--json"}}, // sees the take at once
		{"maria", []string{"case", "note", "1043", "--", "customer called back"}},
		{"maria", []string{"case", "show", "1043"}},
		{"maria", []string{"case", "list", "--open"}},
		{"tina", []string{"queue"}},
		{"maria", []string{"account", "list"}},
		{"maria", []string{"report", "sla"}},
		{"sam", []string{"case", "take", "1042"}}, // refused: sam owns it
		{"maria", []string{"timebank", "--json"}},
		// Closed cases stay on the holder's disk, not in its memory: the
		// commands still find them, list them and count them.
		{"maria", []string{"case", "show", "1046"}},
		{"maria", []string{"case", "close", "1043", "--reason", "duplicate", "--of", "1042"}},
		{"maria", []string{"case", "show", "1043"}},
		{"maria", []string{"case", "show", "1043", "--json"}},
		{"maria", []string{"case", "list"}},
		{"maria", []string{"report", "sla", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "json"}},
		{"maria", []string{"report", "sla", "--from", "2026-11-01", "--to", "2026-11-30"}},
		{"maria", []string{"report", "daily", "--account", "acme"}},
		{"maria", []string{"case", "reopen", "1043"}},
		{"maria", []string{"case", "show", "1043"}},
		{"maria", []string{"queue"}},
	}
	for _, s := range steps {
		var got, gotErr, want, wantErr bytes.Buffer
		gc := run(s.actor, now, s.args, &got, &gotErr)
		wc := local(s.actor, now, s.args, &want, &wantErr)
		name := s.actor + ": " + strings.Join(s.args, " ")
		if gc != wc || got.String() != want.String() || gotErr.String() != wantErr.String() {
			t.Errorf("%s:\n held  exit %d %q %q\n plain exit %d %q %q", name, gc, got.String(), gotErr.String(), wc, want.String(), wantErr.String())
		}
	}
	d0, release0, err := sh.Desk()
	if err != nil {
		t.Fatal(err)
	}
	if _, inMemory := d0.Cases[1046]; inMemory || d0.Closed == nil {
		t.Errorf("the holder keeps closed case 1046 in memory")
	}
	release0()
	if n := counted.loads.Load(); n != 0 {
		t.Errorf("the held commands loaded the whole desk %d times; they read the holder's", n)
	}
	// The lock is free once each command is done: a change applies.
	if _, err := held.Do("maria", model.NoteCase{Number: 1044, Text: "after"}, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	d, release, err := sh.Desk()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if last, _ := held.LastSeq(); d.LastSeq() != last {
		t.Errorf("the shared desk is at event %d, the store at %d", d.LastSeq(), last)
	}
}
