package model

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// testPublicKey is a deterministic ed25519 public key for name.
func testPublicKey(name string) ssh.PublicKey {
	seed := sha256.Sum256([]byte(name))
	pk, err := ssh.NewPublicKey(ed25519.NewKeyFromSeed(seed[:]).Public())
	if err != nil {
		panic(err)
	}
	return pk
}

// testKey is name's key as an authorized_keys line, comment name@test.
func testKey(name string) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(testPublicKey(name)))) + " " + name + "@test"
}

func testFingerprint(name string) string { return ssh.FingerprintSHA256(testPublicKey(name)) }

func TestParseSSHKey(t *testing.T) {
	bare := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(testPublicKey("lee"))))
	blob := strings.Fields(bare)[1]
	for _, in := range []string{
		bare + " lee@test",
		"  " + strings.Replace(bare, " ", "\t  ", 1) + "   lee@test  \n",
		"# lee's key\n\n" + bare + " lee@test\n",
	} {
		k, err := ParseSSHKey(in)
		if err != nil || k.Line != bare+" lee@test" || k.Fingerprint != testFingerprint("lee") || k.Comment != "lee@test" {
			t.Fatalf("%q: %+v %v", in, k, err)
		}
	}
	for _, in := range []string{bare, blob, bare + "\n"} {
		k, err := ParseSSHKey(in)
		if err != nil || k.Line != bare || k.Fingerprint != testFingerprint("lee") || k.Type != "ssh-ed25519" {
			t.Fatalf("%q: %+v %v", in, k, err)
		}
	}
	if k, _ := ParseSSHKey(bare + " two  words\there"); k.Line != bare+" two words here" {
		t.Fatalf("comment whitespace: %q", k.Line)
	}
	for in, why := range map[string]string{
		"":                           "it is empty",
		"hello world":                "no key found",
		"hunter2-secret":             "it is neither an authorized_keys line nor a base64 key",
		"/any/path":                  "it is neither",
		"ssh-ed25519 AAAA x@y":       "no key found",
		bare[:len(bare)-8]:           "no key found",
		`from="10.0.0.0/8" ` + bare:  "authorized_keys options",
		bare + "\n" + testKey("sam"): "it holds more than one key",
	} {
		_, err := ParseSSHKey(in)
		var ke *KeyError
		if err == nil || !strings.HasPrefix(err.Error(), "not an SSH public key: ") || !strings.Contains(err.Error(), why) {
			t.Fatalf("%q: %v, want %q", in, err, why)
		}
		if !errors.As(err, &ke) {
			t.Fatalf("%q: %T is not a *KeyError", in, err)
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "hello") {
			t.Fatalf("the error quotes the input: %v", err)
		}
	}
	if _, err := ParseSSHKey(base64.StdEncoding.EncodeToString([]byte("not a key blob"))); err == nil {
		t.Fatal("a base64 text that is not a key was taken")
	}
}

// TestKeyDoors: the model's key actions refuse a text that is not a key and
// a key already on another user (issue 21 item 6: a specialist's key pasted
// onto a new manager made the specialist a manager), and store keys in
// canonical form.
func TestKeyDoors(t *testing.T) {
	f := newFixture(t)
	f.mustDo("maria", AddUserKey{ID: "lee", Key: testKey("lee")}, t0)

	f.refused("maria", AddUserKey{ID: "lee", Key: "my password is hunter2"}, t0,
		"cannot add a key to lee: not an SSH public key: no key found (an SSH public key looks like ssh-ed25519 AAAA... name@host)")
	f.refused("maria", AddUserKey{ID: "maria", Key: "/any/path"}, t0,
		"cannot add a key to maria: not an SSH public key: it is neither an authorized_keys line nor a base64 key")
	f.refused("maria", AddUser{User{ID: "zoe", Role: Specialist, Region: NA, Keys: []string{"hello world"}}}, t0,
		"cannot add user zoe: not an SSH public key: no key found (an SSH public key looks like ssh-ed25519 AAAA... name@host)")
	f.refused("maria", AddUser{User{ID: "zoe", Role: Specialist, Region: NA, Keys: []string{testKey("zoe"), ""}}}, t0,
		"cannot add user zoe: key 2: not an SSH public key: it is empty")

	// The old scenario: lee's key, pasted (with another comment) onto a
	// new manager or onto maria, is refused, naming lee.
	pasted := strings.Replace(testKey("lee"), "lee@test", "boss@laptop", 1)
	fp := testFingerprint("lee")
	f.refused("maria", AddUser{User{ID: "boss", Role: Manager, Region: NA, Keys: []string{pasted}}}, t0,
		"cannot add user boss: it is already on lee ("+fp+")")
	f.refused("maria", AddUserKey{ID: "maria", Key: pasted}, t0, "cannot add a key to maria: it is already on lee ("+fp+")")
	f.refused("maria", AddUserKey{ID: "lee", Key: pasted}, t0, "cannot add a key to lee: the key is already theirs")
	f.refused("maria", AddUser{User{ID: "zoe", Role: Specialist, Region: NA, Keys: []string{testKey("zoe"), testKey("zoe")}}}, t0,
		"cannot add user zoe: key "+testFingerprint("zoe")+" is given twice")
	if got := f.d.Users["maria"].Keys; len(got) != 0 {
		t.Fatalf("maria's keys %q", got)
	}
	if _, ok := f.d.Users["boss"]; ok {
		t.Fatal("boss was added")
	}

	// Canonical storage: whitespace folded, the comment kept.
	messy := "\n  " + strings.Replace(testKey("zoe"), " ", "   ", -1) + "  \n"
	f.mustDo("maria", AddUser{User{ID: "zoe", Role: Specialist, Region: NA, Keys: []string{messy}}}, t0)
	if got := f.d.Users["zoe"].Keys; len(got) != 1 || got[0] != testKey("zoe") {
		t.Fatalf("zoe's keys %q, want %q", got, testKey("zoe"))
	}
	ch := f.mustDo("maria", AddUserKey{ID: "zoe", Key: "\t" + testKey("zoe2") + "\r\n"}, t0)
	if string(ch.Events[0].After) != `{"id":"zoe","keys":["`+testKey("zoe")+`","`+testKey("zoe2")+`"]}` {
		t.Fatalf("user-key-added %s", ch.Events[0].After)
	}
}

func TestRemoveUserKey(t *testing.T) {
	f := newFixture(t)
	f.mustDo("maria", AddUserKey{ID: "lee", Key: testKey("lee")}, t0)
	f.mustDo("maria", AddUserKey{ID: "lee", Key: testKey("lee2")}, t0)
	f.refused("sam", RemoveUserKey{ID: "lee", Fingerprint: testFingerprint("lee")}, t0,
		"sam may not remove a key from lee: only a manager may")
	f.refused("maria", RemoveUserKey{ID: "lee", Fingerprint: "SHA256:nope"}, t0,
		"cannot remove a key from lee: lee has no key SHA256:nope (their keys: "+testFingerprint("lee")+", "+testFingerprint("lee2")+")")
	f.refused("maria", RemoveUserKey{ID: "sam", Fingerprint: "SHA256:nope"}, t0, "cannot remove a key from sam: sam has no keys")
	f.refused("maria", RemoveUserKey{ID: "zed", Fingerprint: "SHA256:nope"}, t0, "cannot remove a key from zed: no such user")

	// The base64 part alone names the key too (as some tools print it).
	ch := f.mustDo("maria", RemoveUserKey{ID: "lee", Fingerprint: strings.TrimPrefix(testFingerprint("lee"), "SHA256:")}, t0)
	ev := ch.Events[0]
	if ev.Kind != "user-key-removed" || ch.Message != "removed key "+testFingerprint("lee")+" from lee" ||
		string(ev.Before) != `{"id":"lee","keys":["`+testKey("lee")+`","`+testKey("lee2")+`"]}` ||
		string(ev.After) != `{"id":"lee","keys":["`+testKey("lee2")+`"]}` {
		t.Fatalf("%s %q %s -> %s", ev.Kind, ch.Message, ev.Before, ev.After)
	}
	if got := f.d.Users["lee"].Keys; len(got) != 1 || got[0] != testKey("lee2") {
		t.Fatalf("lee's keys %q", got)
	}
	// A removed key may go to someone else.
	f.mustDo("maria", AddUserKey{ID: "sam", Key: testKey("lee")}, t0)

	// An old store may hold a text that is not a key: it is named by its text.
	f.d.Users["eve"].Keys = []string{"secret text", testKey("eve")}
	f.refused("maria", RemoveUserKey{ID: "eve", Fingerprint: "SHA256:nope"}, t0,
		`cannot remove a key from eve: eve has no key SHA256:nope (their keys: "secret text", `+testFingerprint("eve")+")")
	ch = f.mustDo("maria", RemoveUserKey{ID: "eve", Fingerprint: "secret text"}, t0)
	if ch.Message != "removed a text that is not a key from eve" || len(f.d.Users["eve"].Keys) != 1 {
		t.Fatalf("%q %q", ch.Message, f.d.Users["eve"].Keys)
	}
}

func TestKeyProblems(t *testing.T) {
	users := []User{
		{ID: "sam", Keys: []string{testKey("lee")}},
		{ID: "lee", Keys: []string{testKey("lee"), "secret"}},
		{ID: "eve", Keys: []string{testKey("eve"), testKey("eve")}},
	}
	got := strings.Join(KeyProblems(users), "\n")
	want := "user lee key 2: not an SSH public key: it is neither an authorized_keys line nor a base64 key\n" +
		"key " + testFingerprint("lee") + " is on several users: lee, sam"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if p := KeyProblems(users[2:]); len(p) != 0 {
		t.Fatalf("%q", p)
	}
	if ids := UsersWithKey(users, testFingerprint("lee")); strings.Join(ids, ",") != "lee,sam" {
		t.Fatalf("%q", ids)
	}
}

// FuzzParseSSHKey: any text parses or is refused with one line that does
// not quote it; a parsed key's canonical line parses back to itself.
func FuzzParseSSHKey(f *testing.F) {
	for _, s := range []string{testKey("a"), "hello world", "", "ssh-ed25519 AAAA", `command="x" ` + testKey("b"),
		strings.Fields(testKey("c"))[1], testKey("d") + "\n" + testKey("e"), "# c\n" + testKey("f") + " x\ty "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		k, err := ParseSSHKey(in)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "not an SSH public key: ") || strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("%q: %v", in, err)
			}
			return
		}
		again, err := ParseSSHKey(k.Line)
		if err != nil || again != k {
			t.Fatalf("%q: canonical %q parses to %+v %v", in, k.Line, again, err)
		}
	})
}
