package cli

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"caseboard/internal/permtable"

	gossh "golang.org/x/crypto/ssh"
)

// sshKeys are one ed25519 signer per user of testdata/desk.json, made
// once per test binary.
var (
	sshKeysOnce sync.Once
	sshKeys     map[string]gossh.Signer
)

func teamKeys(t testing.TB) map[string]gossh.Signer {
	t.Helper()
	sshKeysOnce.Do(func() {
		sshKeys = map[string]gossh.Signer{}
		for _, u := range []string{"maria", "sam", "lee", "eva", "tina", "wall"} {
			_, priv, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				panic(err)
			}
			s, err := gossh.NewSignerFromKey(priv)
			if err != nil {
				panic(err)
			}
			sshKeys[u] = s
		}
	})
	return sshKeys
}

func authorizedLine(s gossh.Signer) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
}

// servedDesk starts serve on 127.0.0.1:0 over a new data directory with
// testdata/desk.json imported and a key recorded for each of its users;
// it returns the running serve (its store is sv.Holding().Store, where
// the test sets scenes up in process, as a forwarded command would).
func servedDesk(t *testing.T) *Serving {
	t.Helper()
	var out bytes.Buffer
	env := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }},
		DataDir: filepath.Join(t.TempDir(), "desk"), Clock: time.Now}
	sv, err := StartServe(env, ServeFlags{Listen: "127.0.0.1:0", MaxSessions: 16, IdleTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sv.Shutdown() })
	st := sv.Holding().Store
	if r := runOn(t, st, deskJSON(t), "import", "-", "--now", "2026-11-20T09:00:00-05:00"); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	keys := teamKeys(t)
	for _, u := range []string{"maria", "sam", "lee", "eva", "tina", "wall"} {
		must(t, st, "user", "key", u, authorizedLine(keys[u]), "--as=maria", permNow)
	}
	return sv
}

// sshExec runs one command over SSH with user's key; stdout, stderr and
// the exit status as a result.
func sshExec(t testing.TB, addr, user, stdin string, args ...string) result {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "anyone",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(teamKeys(t)[user])},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
	if err != nil {
		t.Fatalf("dial as %s: %v", user, err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	defer s.Close()
	var out, errb bytes.Buffer
	s.Stdin, s.Stdout, s.Stderr = strings.NewReader(stdin), &out, &errb
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	err = s.Run(strings.Join(q, " "))
	code := 0
	var ee *gossh.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitStatus()
	case err != nil:
		t.Fatalf("ssh %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

// runReal runs the command tree in process on st at the real time (as
// serve's commands run), for comparing an SSH refusal with the local one.
func runReal(t *testing.T, st Backend, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{IO: IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }}, Clock: time.Now, Store: st}
	code := Run(env, args)
	return result{code, out.String(), errb.String()}
}

// overSSH turns a scene's local arguments into what an SSH caller types:
// a FILE argument becomes "-" (backup writes to the session, restore reads
// the file from standard input).
func overSSH(t *testing.T, args []string, stdin string) ([]string, string) {
	t.Helper()
	out := append([]string(nil), args...)
	switch out[0] {
	case "backup":
		out[1] = "-"
	case "restore":
		b, err := os.ReadFile(out[1])
		if err != nil {
			t.Fatal(err)
		}
		out[1], stdin = "-", string(b)
	}
	return out, stdin
}

// TestPermissionMatrixOverSSH: every cell of DOMAIN.md's table (internal/permtable,
// the same scenes as TestPermissionMatrixThroughTheCommandLine), each try
// on a fresh served desk, the action typed over SSH with the role's own key
// (no --as, no --now: the real time). Allowed: exit 0. Refused: exit 1,
// one line, the same line as the same command locally with --as on the
// same store, and the export unchanged. "all (board only)": a wall key's
// commands are refused over SSH (it gets only the board).
func TestPermissionMatrixOverSSH(t *testing.T) {
	cols, table := permtable.Parse()
	tries := 0
	for _, line := range table {
		row := line.Action
		scenes, ok := permScenes[row]
		if !ok {
			t.Errorf("no scene for %q", row)
			continue
		}
		for i, cell := range line.Cells {
			role, cell := cols[i], cell
			actor := permActor[role]
			boardOnly := cell == "all (board only)"
			all := cell == "yes" || cell == "all"
			none := cell == "no" || boardOnly
			for _, own := range []bool{true, false} {
				want := all || !none && own
				for k, sc := range scenes {
					tries++
					own, k, sc := own, k, sc
					name := row + "/" + role + "/" + map[bool]string{true: "theirs", false: "not-theirs"}[own] + "/" + string(rune('1'+k))
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						sv := servedDesk(t)
						st := sv.Holding().Store
						args, stdin := sc(t, st, actor, own)
						// Any acting command first runs the process's own
						// auto-close of what is due at the real time (desk.json's
						// waiting case is due days after its import): settle it
						// so that "unchanged" compares the action alone.
						if r := runReal(t, st, "", "case", "take", "99999999", "--as=maria"); r.code != 1 {
							t.Fatalf("settling the auto-close: %+v", r)
						}
						before := export(t, st)
						sargs, sstdin := overSSH(t, args, stdin)
						r := sshExec(t, sv.Addr, actor, sstdin, sargs...)
						after := export(t, st)
						what := strings.Join(sargs, " ")
						switch {
						case want && r.code != 0:
							t.Errorf("%s as %s over SSH refused (exit %d): %s", what, actor, r.code, r.stderr)
						case !want && r.code == 0:
							t.Errorf("%s as %s over SSH allowed; the table says %q", what, actor, cell)
						case !want && r.code != 1:
							t.Errorf("%s as %s: exit %d, want 1: %s", what, actor, r.code, r.stderr)
						case !want && strings.Count(r.stderr, "\n") != 1 || !want && r.stdout != "":
							t.Errorf("%s as %s: refusal is not one line on stderr alone: %q / %q", what, actor, r.stdout, r.stderr)
						case !want && before != after:
							t.Errorf("%s as %s was refused over SSH but changed the store:\n%s", what, actor, firstDiff(before, after))
						case actor == "wall":
							if !strings.HasPrefix(r.stderr, "caseboard: wall may not run commands") {
								t.Errorf("%s as wall over SSH: %q", what, r.stderr)
							}
						case !want:
							// The same line as locally with --as, on the same
							// (unchanged) store at the real time.
							l := runReal(t, st, sstdin, append(sargs, "--as="+actor)...)
							if l.code != r.code || l.stderr != r.stderr {
								t.Errorf("%s as %s:\n over SSH %+v\n locally  %+v", what, actor, r, l)
							}
							if row != "read queues, cases, reports" && !strings.HasPrefix(r.stderr, "caseboard: "+actor+" may not ") {
								t.Errorf("%s as %s: not a permission refusal: %q", what, actor, r.stderr)
							}
						}
					})
				}
			}
		}
	}
	t.Logf("%d tries over SSH", tries)
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths " + strconv.Itoa(len(al)) + " / " + strconv.Itoa(len(bl))
}
