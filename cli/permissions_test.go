package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"caseboard/internal/permtable"
)

// The expectations come from DOMAIN.md's "Who may do what" (the one copy
// in internal/permtable), not from the code.

// permActor is the user acting for each column (testdata/desk.json).
var permActor = map[string]string{"specialist": "sam", "manager": "maria", "tam": "tina", "wall": "wall"}

const permNow = "--now=2026-11-24T12:00:00-05:00"

// permCase opens a case as the manager (opened weeks ago, so it may be
// escalated) on account, gives it to owner ("" leaves it new) and runs
// the setup steps; it returns the number.
func permCase(t *testing.T, st Backend, account, owner string, steps ...string) string {
	t.Helper()
	n := strings.TrimSpace(must(t, st, "case", "new", "--account", account, "--severity", "3", "--title", "perm",
		"--contact", "Ana Ruiz", "--opened", "2026-11-02T10:00:00-05:00", "--as=maria", permNow))
	if owner != "" {
		must(t, st, "case", "assign", n, "--to", owner, "--as=maria", permNow)
	}
	for _, s := range steps {
		must(t, st, append(append(strings.Fields(strings.ReplaceAll(s, "N", n)), "--as=maria"), permNow)...)
	}
	return n
}

// permOther adds what "not theirs" needs: raj, a TAM of another account
// (initech, TAM 20) with an entry of his own.
func permOther(t *testing.T, st Backend) {
	t.Helper()
	must(t, st, "user", "add", "raj", "--name", "Raj", "--role", "tam", "--region", "emea", "--as=maria", permNow)
	must(t, st, "account", "add", "initech", "--name", "Initech", "--plan", "plus", "--region", "na",
		"--tam-plan", "tam20", "--tam", "raj", "--as=maria", permNow)
	must(t, st, "account", "contact", "initech", "--name", "Ana Ruiz", "--kind", "contact", "--as=maria", permNow)
}

// permScene sets up one try of an action on a fresh desk and returns its
// arguments (without --as) and standard input. own is the "theirs" side
// of a scoped cell (their case, their region, their account, their entry).
type permScene func(t *testing.T, st Backend, actor string, own bool) (args []string, stdin string)

// ownerFor is who owns the case a scoped try acts on.
func ownerFor(actor string, own bool) string {
	if own && actor == "sam" {
		return "sam"
	}
	return "lee"
}

// accountFor is the account a scoped try acts on: the TAM's own or not.
func accountFor(own bool) string {
	if own {
		return "acme"
	}
	return "initech"
}

func caseScene(steps []string, action string) permScene {
	return func(t *testing.T, st Backend, actor string, own bool) ([]string, string) {
		permOther(t, st)
		n := permCase(t, st, accountFor(own || actor != "tina"), ownerFor(actor, own), steps...)
		return strings.Fields(strings.ReplaceAll(action, "N", n)), ""
	}
}

var permScenes = map[string][]permScene{
	"read queues, cases, reports": {
		caseScene(nil, "case show N"),
		func(t *testing.T, st Backend, actor string, own bool) ([]string, string) {
			permOther(t, st)
			return []string{"timebank", "--account", accountFor(own || actor != "tina")}, ""
		},
		func(t *testing.T, st Backend, actor string, own bool) ([]string, string) {
			permOther(t, st)
			return []string{"report", "hours", "--account", accountFor(own || actor != "tina"), "--from", "2026-11-01", "--to", "2026-11-30"}, ""
		},
	},
	"new case": {func(t *testing.T, st Backend, actor string, own bool) ([]string, string) {
		permOther(t, st)
		return []string{"case", "new", "--account", accountFor(own || actor != "tina"), "--severity", "3", "--title", "x"}, ""
	}},
	"take": {func(t *testing.T, st Backend, actor string, own bool) ([]string, string) {
		acct := "acme" // North America
		if !own && actor == "sam" {
			acct = "globex" // EMEA
		}
		return []string{"case", "take", permCase(t, st, acct, "")}, ""
	}},
	"assign to someone": {func(t *testing.T, st Backend, actor string, own bool) ([]string, string) {
		return []string{"case", "assign", permCase(t, st, "acme", ""), "--to", "lee"}, ""
	}},
	"call, respond, status, severity, reply, followup, close, reopen": {
		caseScene(nil, "case call N"),
		caseScene(nil, "case respond N"),
		caseScene([]string{"case respond N"}, "case status N waiting-customer"),
		caseScene(nil, "case severity N --to 2 --agreed-by Ana"),
		caseScene([]string{"case respond N", "case status N waiting-customer"}, "case reply N"),
		caseScene([]string{"case respond N", "case status N waiting-customer"}, "case followup N"),
		caseScene([]string{"case respond N"}, "case close N --reason resolved"),
		caseScene([]string{"case respond N", "case close N --reason resolved"}, "case reopen N"),
	},
	"note": {caseScene(nil, "case note N a note")},
	"request an escalation (`escalate`)": {
		caseScene([]string{"case respond N"}, "escalate N --by contact:Ana --channel phone --justification go-live"),
	},
	"escalation update": {
		caseScene([]string{"case respond N", "escalate N --by contact:Ana --channel phone --justification x", "escalation accept N --every 4h"},
			"escalation update N --summary progress"),
	},
	"escalation follow-up, accept, decline, de-escalate, close": {
		caseScene([]string{"case respond N", "escalate N --by contact:Ana --channel phone --justification x"}, "escalation followup N"),
		caseScene([]string{"case respond N", "escalate N --by contact:Ana --channel phone --justification x"}, "escalation accept N --every 4h"),
		caseScene([]string{"case respond N", "escalate N --by contact:Ana --channel phone --justification x"}, "escalation decline N --reason no"),
		caseScene([]string{"case respond N", "escalate N --by contact:Ana --channel phone --justification x", "escalation accept N --every 4h"},
			"escalation deescalate N --reason gone"),
		caseScene([]string{"case respond N", "escalate N --by contact:Ana --channel phone --justification x", "escalation accept N --every 4h"},
			"escalation close N --outcome fix --summary done"),
	},
	"time log": {func(t *testing.T, st Backend, actor string, own bool) ([]string, string) {
		permOther(t, st)
		return []string{"time", "log", "--account", accountFor(own || actor != "tina"), "--minutes", "30", "--category", "cadence-call", "--date", "2026-11-23"}, ""
	}},
	"users, accounts, import, restore": {
		func(*testing.T, Backend, string, bool) ([]string, string) {
			return []string{"user", "add", "zed", "--name", "Zed", "--role", "specialist", "--region", "na"}, ""
		},
		func(t *testing.T, st Backend, _ string, _ bool) ([]string, string) {
			must(t, st, "user", "add", "zed", "--name", "Zed", "--role", "specialist", "--region", "na", "--as=maria", permNow)
			return []string{"user", "remove", "zed"}, ""
		},
		func(*testing.T, Backend, string, bool) ([]string, string) {
			line, _ := testKey("sam-b")
			return []string{"user", "key", "sam", "-"}, line + " sam@b"
		},
		func(t *testing.T, st Backend, _ string, _ bool) ([]string, string) {
			line, fp := testKey("sam-c")
			must(t, st, "user", "key", "sam", line, "--as=maria", permNow)
			return []string{"user", "key", "sam", "--remove", fp}, ""
		},
		func(*testing.T, Backend, string, bool) ([]string, string) {
			return []string{"account", "add", "q", "--name", "Q", "--plan", "basic", "--region", "na"}, ""
		},
		func(*testing.T, Backend, string, bool) ([]string, string) {
			return []string{"account", "set", "acme", "--name", "Acme Inc"}, ""
		},
		func(*testing.T, Backend, string, bool) ([]string, string) {
			return []string{"account", "contact", "acme", "--name", "Bo", "--kind", "developer"}, ""
		},
		func(*testing.T, Backend, string, bool) ([]string, string) {
			return []string{"import", "-"}, `{"accounts": [{"id": "q", "name": "Q", "plan": "basic", "region": "na"}]}`
		},
		func(t *testing.T, st Backend, _ string, _ bool) ([]string, string) {
			f := filepath.Join(t.TempDir(), "b.bak")
			must(t, st, "backup", f)
			must(t, st, "case", "new", "--account", "acme", "--severity", "4", "--title", "after the backup", "--as=maria", permNow)
			return []string{"restore", f, "--force"}, ""
		},
	},
	"export, backup": {
		func(*testing.T, Backend, string, bool) ([]string, string) { return []string{"export"}, "" },
		func(t *testing.T, _ Backend, _ string, _ bool) ([]string, string) {
			return []string{"backup", filepath.Join(t.TempDir(), "b.bak")}, ""
		},
	},
	"void a time entry (with a reason)": {func(t *testing.T, st Backend, actor string, own bool) ([]string, string) {
		permOther(t, st)
		logger := "tina"
		if !own && actor == "tina" {
			logger = "raj"
		}
		out := must(t, st, "time", "log", "--account", map[string]string{"tina": "acme", "raj": "initech"}[logger],
			"--minutes", "30", "--category", "cadence-call", "--date", "2026-11-23", "--json", "--as="+logger, permNow)
		i := strings.Index(out, `"id": `)
		id := strings.TrimRight(strings.Fields(out[i+6:])[0], ",")
		return []string{"time", "void", id, "--reason", "wrong"}, ""
	}},
}

// TestPermissionMatrixThroughTheCommandLine: every cell of DOMAIN.md's
// table, through cli.Run with --as on an in-memory desk: allowed is exit
// 0; refused is exit 1 with one line naming the actor, and the store's
// export unchanged. Wall users and TAMs outside their accounts change
// nothing.
func TestPermissionMatrixThroughTheCommandLine(t *testing.T) {
	cols, table := permtable.Parse()
	rows := 0
	for _, line := range table {
		rows++
		row := line.Action
		scenes, ok := permScenes[row]
		if !ok {
			t.Errorf("no scene for %q", row)
			continue
		}
		for i, cell := range line.Cells {
			role := cols[i]
			actor := permActor[role]
			// "all (board only)": locally a wall user's --as reads see all
			// (the local owner of the files reads everything anyway); that
			// a wall key gets only the board is serve's part (SSH, later).
			all := cell == "yes" || cell == "all" || cell == "all (board only)"
			none := cell == "no"
			for _, own := range []bool{true, false} {
				want := all || !none && own
				for k, sc := range scenes {
					st := deskStore(t)
					args, stdin := sc(t, st, actor, own)
					before := export(t, st)
					r := runOn(t, st, stdin, append(args, "--as="+actor, permNow)...)
					after := export(t, st)
					where := row + " / " + role + " (" + map[bool]string{true: "theirs", false: "not theirs"}[own] + ") #" + string(rune('1'+k))
					switch {
					case want && r.code != 0:
						t.Errorf("%s: %s refused (exit %d): %s", where, strings.Join(args, " "), r.code, r.stderr)
					case !want && r.code == 0:
						t.Errorf("%s: %s allowed; the table says %q", where, strings.Join(args, " "), cell)
					case !want && r.code != 1:
						t.Errorf("%s: %s exit %d, want 1: %s", where, strings.Join(args, " "), r.code, r.stderr)
					case !want && strings.Count(r.stderr, "\n") != 1:
						t.Errorf("%s: %s: refusal is not one line: %q", where, strings.Join(args, " "), r.stderr)
					case !want && row != "read queues, cases, reports" && !strings.HasPrefix(r.stderr, "caseboard: "+actor+" may not "):
						// (a read of what a user may not see says "no case" or
						// "no account": it does not reveal that it exists)
						t.Errorf("%s: %s: not a permission refusal: %q", where, strings.Join(args, " "), r.stderr)
						t.Errorf("%s: %s: refusal is not one line naming %s: %q", where, strings.Join(args, " "), actor, r.stderr)
					case !want && before != after:
						t.Errorf("%s: %s was refused but changed the store", where, strings.Join(args, " "))
					}
				}
			}
		}
	}
	if rows != len(permScenes) {
		t.Errorf("the table has %d rows, the test %d scenes", rows, len(permScenes))
	}
}
