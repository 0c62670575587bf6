package serve_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"caseboard/keymap"
)

// settle runs the process's own auto-close of what is due at the real time
// (any acting command does it first: desk.json's waiting case is due days
// after its import), so that an export before and after compares only what
// the test does. It returns that export.
func settle(t *testing.T, addr string, d *desk) string {
	t.Helper()
	if r := sshRun(t, addr, d.keys["maria"], "", "case", "take", "99999999"); r.code != 1 {
		t.Fatalf("settling the auto-close: %+v", r)
	}
	r := sshRun(t, addr, d.keys["maria"], "", "export")
	if r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	return r.stdout
}

// typeKeys writes each key to the board, with a pause for it to act.
func typeKeys(t *testing.T, b *screen, keys ...string) {
	t.Helper()
	typeKeysEvery(t, b, 40*time.Millisecond, keys...)
}

func typeKeysEvery(t *testing.T, b *screen, pause time.Duration, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, err := b.in.Write([]byte(k)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(pause)
	}
}

// drain is the sentinel after keys that must change nothing: q (quit, on
// every board and on the wall) goes through the same input as the keys
// before it, and the board handles keys one at a time, so once the session
// has ended every earlier key was handled and its screen written.
func drain(t *testing.T, b *screen) {
	t.Helper()
	if _, err := b.in.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if !b.ended(10 * time.Second) {
		t.Fatalf("the board did not quit on q after the keys:\n%s", b.since(0))
	}
}

// TestWallBoardEveryActionKeyChangesNothing: on a wall key's board, every
// action key of the keymap (each followed by enter, text and enter, and
// esc, as if filling its form), moving through the rows between them, and
// the command line (`:case take N`, `:case note N`): the store's export is
// unchanged.
func TestWallBoardEveryActionKeyChangesNothing(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	before := settle(t, sv.Addr, d)
	w := openBoard(t, sv.Addr, d.keys["wall"])
	if !w.waitFor(0, regexp.MustCompile(`caseboard wall`), 10*time.Second) {
		t.Fatalf("the wall user did not get the wall:\n%s", w.since(0))
	}
	sent := 0
	for _, move := range []string{"", "j", "j"} {
		for _, bnd := range keymap.Default().Actions.List() {
			for _, k := range bnd.Keys() {
				typeKeysEvery(t, w, 8*time.Millisecond, move, k, "\r", "x\r", "1042\r", "\x1b")
				sent++
			}
		}
	}
	typeKeys(t, w, ":", "case take 1042\r", ":case note 1043 from the wall\r", ":case take 1043\r")
	drain(t, w)
	if strings.Contains(w.since(0), "took 0000") || strings.Contains(w.since(0), "noted") {
		t.Errorf("the wall's board acknowledged an action:\n%s", w.since(0))
	}
	after := sshRun(t, sv.Addr, d.keys["maria"], "", "export")
	if after.code != 0 || before != after.stdout {
		t.Errorf("%d action keys on the wall's board changed the desk", sent)
	}
	t.Logf("%d action keys (and the command line) on the wall: nothing changed", sent)
}

// TestTAMBoardOutsideAccountsChangesNothing: tina (TAM of contoso and acme)
// types, on her board's command line, actions on globex (not hers) and
// actions a TAM may not do anywhere: each is refused on the board and the
// export is unchanged.
func TestTAMBoardOutsideAccountsChangesNothing(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	before := settle(t, sv.Addr, d)
	b := openBoard(t, sv.Addr, d.keys["tina"])
	if !b.waitFor(0, boardUp, 10*time.Second) {
		t.Fatalf("tina's board never came up:\n%s", b.since(0))
	}
	time.Sleep(200 * time.Millisecond)
	for _, cmd := range []string{
		"case note 1045 from tina", // globex: not hers
		"case new --account globex --severity 3 --title x",
		"escalate 1045 --by contact:Ana --channel phone --justification x",
		"time log --account globex --minutes 30 --category cadence-call",
		"case take 1042", // hers, but a TAM may not take
		"case respond 1043",
		"case assign 1043 --to sam",
		"account set globex --name G",
		"user add zed --name Zed --role specialist --region na",
	} {
		m := b.mark()
		typeKeys(t, b, "\x1b", ":", cmd+"\r")
		if !b.waitFor(m, regexp.MustCompile(`may not|no case|no account`), 5*time.Second) {
			t.Errorf(":%s on tina's board: no refusal shown:\n%s", cmd, b.since(m))
		}
	}
	after := sshRun(t, sv.Addr, d.keys["maria"], "", "export")
	if after.code != 0 || before != after.stdout {
		t.Errorf("tina's commands outside her accounts changed the desk")
	}
}
