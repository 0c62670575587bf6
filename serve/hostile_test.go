package serve_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"caseboard/cli"
)

// hostile is one payload of every kind, between markers that show where
// each piece came from: CSI clear screen, OSC 52 (clipboard), OSC 8 (a
// link), U+202E (right-to-left override), NUL, BEL, BS and an 8-bit CSI.
const hostile = "ZQX" +
	"<1\x1b[2J1>" +
	"<2\x1b]52;c;ZXZpbA==\x072>" +
	"<3\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\3>" +
	"<4\u202egnp.exe4>" +
	"<5a\x00b\x07c\x08d\u009bX5>"

// raw are byte sequences of the payload that must never reach a terminal;
// inert are the forms they must be shown in instead.
var (
	rawPieces = []string{"\x1b[2J1>", "\x1b]52;", "\x1b]8;;http://evil", "\u202e", "a\x00b", "\x07c", "\x08d", "\u009b"}
	inertForm = []string{"<1^[[2J1>", "<2^[]52;c;ZXZpbA==^G2>", "<3^[]8;;http://evil.example^[\\click^[]8;;^[\\3>",
		"<4<U+202E>gnp.exe4>", "<5a^@b^Gc^Hd<U+009B>X5>"}
)

// hostileDesk is the served desk with the payload in an account's name, a
// contact's name, a user's name, a case's title and contact, a note and a
// time entry's note and project, typed locally before serve starts (NUL
// cannot travel in an SSH command line).
func hostileDesk(t *testing.T) (*desk, *cli.Serving) {
	t.Helper()
	d := setupDesk(t, nil)
	now := "--now=2026-11-24T12:00:00-05:00"
	for _, args := range [][]string{
		{"account", "add", "hx", "--name", hostile + " A", "--plan", "premium", "--region", "na", "--tam-plan", "tam20", "--tam", "tina", "--as=maria"},
		{"account", "contact", "hx", "--name", hostile + " C", "--kind", "contact", "--email", "c@hx.example", "--as=maria"},
		{"user", "add", "hu", "--name", hostile + " U", "--role", "specialist", "--region", "na", "--as=maria"},
		{"case", "new", "--account", "hx", "--severity", "1", "--title", hostile + " T", "--contact", hostile + " C", "--as=maria"},
		{"case", "note", "1047", hostile + " N", "--as=maria"},
		{"time", "log", "--account", "hx", "--minutes", "30", "--category", "implementation-guidance", "--project", hostile + " P",
			"--case", "1047", "--note", hostile + " E", "--date", "2026-11-23", "--as=tina"},
	} {
		if r := run(t, &cli.Env{}, "", append([]string{"--data", d.dir}, append(args, now)...)...); r.code != 0 {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	return d, startServe(t, d, 16)
}

// rawControl finds a control character or bidi override that would act on
// a terminal (the output's own newlines and tabs aside).
func rawControl(s string) int {
	for i, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			return i
		}
	}
	return -1
}

// TestHostileTextInertOverSSH: what users typed, shown by SSH commands
// (maria's and tina's keys): no raw control, escape or bidi override in the
// output; each piece shown in its inert form.
func TestHostileTextInertOverSSH(t *testing.T) {
	d, sv := hostileDesk(t)
	n := 0
	for _, user := range []string{"maria", "tina"} {
		for _, args := range [][]string{
			{"case", "show", "1047"}, {"queue"}, {"account", "show", "hx"}, {"case", "list"}, {"account", "list"},
			{"time", "list", "--account", "hx"}, {"timebank", "--account", "hx"}, {"user", "list"},
			{"report", "hours", "--account", "hx", "--from", "2026-11-01", "--to", "2026-11-30"},
		} {
			r := sshRun(t, sv.Addr, d.keys[user], "", args...)
			if user == "tina" && args[0] == "user" {
				continue // (whatever a TAM is told there, the check below is about maria's)
			}
			if r.code != 0 {
				t.Errorf("%s %v: %+v", user, args, r)
				continue
			}
			n++
			out := r.stdout + r.stderr
			if i := rawControl(out); i >= 0 {
				t.Errorf("%s %v: raw control at %d: %q", user, args, i, out[max(0, i-20):min(len(out), i+20)])
			}
			if !strings.Contains(out, "ZQX") {
				t.Errorf("%s %v: the hostile text is not shown at all:\n%s", user, args, out)
				continue
			}
			if args[0] == "case" && args[1] == "show" || args[0] == "account" && args[1] == "show" {
				for _, f := range inertForm {
					if !strings.Contains(out, f) {
						t.Errorf("%s %v: %q is not shown inert as %q:\n%s", user, args, f[:3], f, out)
					}
				}
			}
		}
	}
	t.Logf("%d SSH outputs, none with a raw control", n)
}

// TestHostileTextInertOnSSHBoard: on maria's and tina's boards over SSH
// (the queue, the filter, the case's detail), the raw bytes written to the
// terminal hold none of the payload's sequences: the board's own layout
// and colour sequences aside, each piece from user text arrives only in
// its inert form.
func TestHostileTextInertOnSSHBoard(t *testing.T) {
	d, sv := hostileDesk(t)
	for _, user := range []string{"maria", "tina"} {
		b := openBoard(t, sv.Addr, d.keys[user])
		if !b.waitFor(0, regexp.MustCompile(`ZQX`), 10*time.Second) {
			t.Fatalf("%s's board never showed the hostile case:\n%s", user, b.since(0))
		}
		typeKeys(t, b, "/", "ZQX", "\r", "\r")
		if !b.waitFor(0, regexp.MustCompile(`N\b|<5a\^@b`), 5*time.Second) {
			t.Errorf("%s: the detail did not come up", user)
		}
		typeKeys(t, b, "\x1b", "\x1b", "?", "\x1b", "\t", "\t")
		drain(t, b)
		b.mu.Lock()
		raw := append([]byte(nil), b.buf.Bytes()...)
		b.mu.Unlock()
		for _, p := range rawPieces {
			if i := bytes.Index(raw, []byte(p)); i >= 0 {
				t.Errorf("%s's board wrote %q raw: %q", user, p, raw[max(0, i-40):min(len(raw), i+40)])
			}
		}
		// The OSC 52 and bidi payloads nowhere at all (the board never
		// writes them itself); CSI 2J only as the board's own clear, never
		// from the title (checked above by its marker).
		for _, p := range []string{"\x1b]52", "\u202e", "\x00"} {
			if bytes.Contains(raw, []byte(p)) {
				t.Errorf("%s's board wrote %q", user, p)
			}
		}
		shown := b.since(0)
		for _, f := range []string{"<1^[[2J1>", "<2^[]52;c;ZXZpbA==^G2>", "<4<U+202E>gnp.exe4>"} {
			if !strings.Contains(shown, f) {
				t.Errorf("%s's board does not show %q inert", user, f)
			}
		}
		t.Logf("%s's board: %d bytes, the payload shown %d times; a line: %q", user, len(raw), strings.Count(shown, "ZQX"), lineWith(shown, "<5a"))
		b.close()
	}
}

func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
