package cli

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// testKey is a deterministic ed25519 public key for name: its
// authorized_keys line without comment, and its fingerprint.
func testKey(name string) (line, fingerprint string) {
	seed := sha256.Sum256([]byte(name))
	pk, err := gossh.NewPublicKey(ed25519.NewKeyFromSeed(seed[:]).Public())
	if err != nil {
		panic(err)
	}
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pk))), gossh.FingerprintSHA256(pk)
}

// refusedUnchanged runs a command that must be refused with one line on
// stderr holding want, exit 1, the export unchanged.
func refusedUnchanged(t *testing.T, st Backend, stdin, want string, args ...string) {
	t.Helper()
	before := export(t, st)
	r := runOn(t, st, stdin, args...)
	if r.code != 1 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, want) {
		t.Fatalf("caseboard %s: exit %d %q %q, want exit 1 and one line with %q", strings.Join(args, " "), r.code, r.stdout, r.stderr, want)
	}
	if after := export(t, st); after != before {
		t.Fatalf("caseboard %s was refused but wrote", strings.Join(args, " "))
	}
}

// TestKeyDoorsRefuseNonKeys: user add --key, user key (a file, a line,
// standard input) and import each refuse a text that is not an SSH public
// key and a key already on another user (issue 21 item 6).
func TestKeyDoorsRefuseNonKeys(t *testing.T) {
	st := deskStore(t)
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("db password: hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lee, leeFP := testKey("lee")
	leeFile := filepath.Join(dir, "lee.pub")
	if err := os.WriteFile(leeFile, []byte(lee+" lee@laptop\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	must(t, st, "user", "key", "lee", leeFile, "--as=maria")
	const notKey = "not an SSH public key: "

	refusedUnchanged(t, st, "", "caseboard: cannot add a key to lee: "+notKey, "user", "key", "lee", secret, "--as=maria")
	refusedUnchanged(t, st, "hello world\n", "caseboard: cannot add a key to lee: "+notKey, "user", "key", "lee", "-", "--as=maria")
	refusedUnchanged(t, st, "", "caseboard: cannot add a key to lee: "+notKey, "user", "key", "lee", "ssh-ed25519 AAAA", "--as=maria")
	refusedUnchanged(t, st, "", "caseboard: cannot add user zoe: "+notKey, "user", "add", "zoe", "--name", "Zoe",
		"--role", "specialist", "--region", "na", "--key", secret, "--as=maria")
	refusedUnchanged(t, st, "", "caseboard: key "+filepath.Join(dir, "nope.pub")+": no such file or directory",
		"user", "key", "lee", filepath.Join(dir, "nope.pub"), "--as=maria")
	r := runOn(t, st, "", "user", "key", "lee", secret, "--as=maria")
	if strings.Contains(r.stderr, "hunter2") {
		t.Fatalf("the refusal shows the file's content: %q", r.stderr)
	}

	// The old scenario: the specialist lee's key pasted onto a new manager
	// (or onto maria) is refused, naming lee.
	onLee := "it is already on lee (" + leeFP + ")"
	refusedUnchanged(t, st, "", "caseboard: cannot add user boss: "+onLee, "user", "add", "boss", "--name", "Boss",
		"--role", "manager", "--region", "na", "--key", lee+" boss@desk", "--as=maria")
	refusedUnchanged(t, st, lee+" pasted\n", "caseboard: cannot add a key to maria: "+onLee, "user", "key", "maria", "-", "--as=maria")
	refusedUnchanged(t, st, "", "caseboard: cannot add a key to lee: the key is already theirs", "user", "key", "lee", lee, "--as=maria")

	// Import: a text that is not a key, a key of the store, one key on two
	// users of one document.
	sam, _ := testKey("sam")
	for _, c := range []struct{ doc, want string }{
		{`{"users": [{"id": "zoe", "name": "Z", "role": "specialist", "region": "na", "keys": ["hello world"]}]}`,
			"users[0].keys[0]: " + notKey},
		{`{"users": [{"id": "zoe", "name": "Z", "role": "manager", "region": "na", "keys": ["` + lee + `"]}]}`,
			"users[0].keys[0]: key " + leeFP + " is already on lee (in the store)"},
		{`{"users": [{"id": "zoe", "name": "Z", "role": "manager", "region": "na", "keys": ["` + sam + `"]},
		  {"id": "zed", "name": "Z", "role": "specialist", "region": "na", "keys": ["` + sam + ` copy"]}]}`,
			"users[1].keys[0]: key "},
	} {
		before := export(t, st)
		r := runOn(t, st, c.doc, "import", "-", "--as=maria")
		if r.code != 1 || !strings.Contains(r.stderr, c.want) || !strings.HasPrefix(r.stderr, "caseboard: import refused, nothing written") {
			t.Fatalf("import: exit %d %q, want %q", r.code, r.stderr, c.want)
		}
		if export(t, st) != before {
			t.Fatal("a refused import wrote")
		}
	}
}

// TestUserKeyRemoveAndShow: user show and user list --json give each key's
// fingerprint; --remove FINGERPRINT removes the key, one line; an unknown
// fingerprint names the user's.
func TestUserKeyRemoveAndShow(t *testing.T) {
	st := deskStore(t)
	a, aFP := testKey("sam-a")
	b, bFP := testKey("sam-b")
	// Stored canonical: extra whitespace folded, the comment kept.
	must(t, st, "user", "key", "sam", "  "+strings.Replace(a, " ", "   ", 1)+"   sam@laptop ", "--as=maria")
	must(t, st, "user", "key", "sam", b, "--as=maria")
	if !strings.Contains(export(t, st), `"keys": [
        "`+a+` sam@laptop",
        "`+b+`"
      ]`) {
		t.Fatalf("keys not stored canonical:\n%s", export(t, st))
	}
	out := must(t, st, "user", "show", "sam")
	for _, want := range []string{"user    sam", aFP + "  ssh-ed25519  sam@laptop", bFP + "  ssh-ed25519  -"} {
		if !strings.Contains(out, want) {
			t.Errorf("user show lacks %q:\n%s", want, out)
		}
	}
	var list []struct {
		ID           string    `json:"id"`
		Keys         []string  `json:"keys"`
		Fingerprints []*string `json:"fingerprints"`
	}
	if err := json.Unmarshal([]byte(must(t, st, "user", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	for _, u := range list {
		if len(u.Keys) != len(u.Fingerprints) {
			t.Fatalf("%s: %d keys, %d fingerprints", u.ID, len(u.Keys), len(u.Fingerprints))
		}
		if u.ID == "sam" && (len(u.Fingerprints) != 2 || *u.Fingerprints[0] != aFP || *u.Fingerprints[1] != bFP) {
			t.Fatalf("sam's fingerprints %v", u.Fingerprints)
		}
	}
	if out := must(t, st, "user", "show", "sam", "--json"); !strings.Contains(out, `"fingerprints": [
    "`+aFP+`",`) {
		t.Fatalf("user show --json:\n%s", out)
	}

	refusedUnchanged(t, st, "", "caseboard: cannot remove a key from sam: sam has no key SHA256:nope (their keys: "+aFP+", "+bFP+")",
		"user", "key", "sam", "--remove", "SHA256:nope", "--as=maria")
	refusedUnchanged(t, st, "", "caseboard: sam may not remove a key from sam: only a manager may",
		"user", "key", "sam", "--remove", aFP, "--as=sam")
	if r := runOn(t, st, "", "user", "key", "sam", b, "--remove", aFP, "--as=maria"); r.code != 2 {
		t.Fatalf("--remove with a key: %+v", r)
	}
	if r := runOn(t, st, "", "user", "key", "sam", "--remove", "", "--as=maria"); r.code != 2 ||
		!strings.HasPrefix(r.stderr, "caseboard: --remove needs a fingerprint") {
		t.Fatalf("--remove with nothing: %+v", r)
	}
	if out := must(t, st, "user", "key", "sam", "--remove", aFP, "--as=maria"); out != "removed key "+aFP+" from sam\n" {
		t.Fatalf("--remove: %q", out)
	}
	if out := must(t, st, "user", "show", "sam"); strings.Contains(out, aFP) || !strings.Contains(out, bFP) {
		t.Fatalf("after --remove:\n%s", out)
	}
	if !strings.Contains(export(t, st), `"kind": "user-key-removed"`) {
		t.Fatal("no user-key-removed event")
	}
	if r := runOn(t, st, "", "user", "show", "nobody"); r.code != 1 || r.stderr != "caseboard: no user nobody\n" {
		t.Fatalf("user show nobody: %+v", r)
	}
}

// TestSSHKeyArgumentMustBeStdin: over SSH a key argument, like any FILE,
// must be "-": a path (which named a file on the server, and was stored
// as the key's text) and an inline key are refused, one line, nothing
// written; "-" works.
func TestSSHKeyArgumentMustBeStdin(t *testing.T) {
	sv := servedDesk(t)
	st := sv.Holding().Store
	if r := runReal(t, st, "", "case", "take", "99999999", "--as=maria"); r.code != 1 {
		t.Fatalf("settling the auto-close: %+v", r)
	}
	zoe, zoeFP := testKey("zoe")
	const want = "caseboard: over SSH, a key must be - (standard input): ssh ... user key ID - < key.pub\n"
	for _, args := range [][]string{
		{"user", "key", "maria", "/any/path"},
		{"user", "key", "maria", zoe},
		{"user", "add", "zoe", "--name", "Zoe", "--role", "specialist", "--region", "na", "--key", "/any/path"},
	} {
		before := export(t, st)
		r := sshExec(t, sv.Addr, "maria", zoe+"\n", args...)
		if r.code != 1 || r.stderr != want || r.stdout != "" {
			t.Fatalf("%s over SSH: %+v", strings.Join(args, " "), r)
		}
		if export(t, st) != before {
			t.Fatalf("%s over SSH was refused but wrote", strings.Join(args, " "))
		}
	}
	if r := sshExec(t, sv.Addr, "maria", zoe+" zoe@laptop\n", "user", "key", "maria", "-"); r.code != 0 {
		t.Fatalf("user key maria - over SSH: %+v", r)
	}
	if r := sshExec(t, sv.Addr, "maria", "", "user", "show", "maria"); r.code != 0 || !strings.Contains(r.stdout, zoeFP+"  ssh-ed25519  zoe@laptop") {
		t.Fatalf("user show over SSH: %+v", r)
	}
}
