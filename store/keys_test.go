package store

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"caseboard/model"
)

// samKey is the key sampleDoc gives sam (testKey("sam") without comment).
const samKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPTu+L2JWLOxLarlfK//g/OmmbigLpTfqpVd3ai6ZrBN"

// testKey is a deterministic ed25519 public key line for name.
func testKey(name string) (line, fingerprint string) {
	seed := sha256.Sum256([]byte(name))
	pk, err := ssh.NewPublicKey(ed25519.NewKeyFromSeed(seed[:]).Public())
	if err != nil {
		panic(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk))), ssh.FingerprintSHA256(pk)
}

// TestImportChecksKeys: every key of an import is an SSH public key on one
// user only, across the document and the store; refused means nothing
// written.
func TestImportChecksKeys(t *testing.T) {
	_, samFP := testKey("sam")
	tinaKey, tinaFP := testKey("tina")
	if line, _ := testKey("sam"); line != samKey {
		t.Fatalf("samKey is not testKey(sam): %s", line)
	}
	cases := []struct{ name, keys, want string }{
		{"not a key", `["hello world"]`, `users[2].keys[0]: not an SSH public key: no key found`},
		{"a path", `["/any/path"]`, `users[2].keys[0]: not an SSH public key: it is neither an authorized_keys line nor a base64 key`},
		{"same key as sam", `["` + samKey + ` tina@other"]`, `users[2].keys[0]: key ` + samFP + ` is already on sam`},
		{"twice on tina", `["` + tinaKey + `", "` + tinaKey + ` again"]`, `users[2].keys[1]: key ` + tinaFP + ` is given twice`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openMem(t)
			before := exportBytes(t, s)
			doc := strings.Replace(sampleDoc, `"role": "tam",
             "region": "na", "keys": []`, `"role": "tam",
             "region": "na", "keys": `+c.keys, 1)
			if doc == sampleDoc {
				t.Fatal("fixture changed")
			}
			_, err := s.Import(mustParse(t, doc), "", t0)
			var ie *ImportError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v\nwant %s", err, c.want)
			}
			if after := exportBytes(t, s); !bytes.Equal(before, after) {
				t.Fatal("a refused import wrote")
			}
		})
	}

	// Between the store and a later import.
	s := openMem(t)
	if _, err := s.Import(mustParse(t, sampleDoc), "", t0); err != nil {
		t.Fatal(err)
	}
	before := exportBytes(t, s)
	more := `{"users": [{"id": "boss", "name": "Boss", "role": "manager", "region": "na", "keys": ["` + samKey + ` boss@laptop"]}]}`
	_, err := s.Import(mustParse(t, more), "maria", t0)
	if err == nil || !strings.Contains(err.Error(), `users[0].keys[0]: key `+samFP+` is already on sam (in the store)`) {
		t.Fatalf("got %v", err)
	}
	if after := exportBytes(t, s); !bytes.Equal(before, after) {
		t.Fatal("a refused import wrote")
	}
	// Two users of one document with one key.
	lee, leeFP := testKey("lee")
	two := `{"users": [{"id": "lee", "name": "Lee", "role": "specialist", "region": "na", "keys": ["` + lee + `"]},
	  {"id": "boss", "name": "Boss", "role": "manager", "region": "na", "keys": ["` + lee + ` copy"]},
	  {"id": "zoe", "name": "Zoe", "role": "specialist", "region": "na", "keys": ["` + lee + `"]}]}`
	_, err = s.Import(mustParse(t, two), "maria", t0)
	if err == nil || !strings.Contains(err.Error(), `users[1].keys[0]: key `+leeFP+` is already on lee`) ||
		!strings.Contains(err.Error(), `users[2].keys[0]: key `+leeFP+` is already on lee`) {
		t.Fatalf("got %v", err)
	}
	if after := exportBytes(t, s); !bytes.Equal(before, after) {
		t.Fatal("a refused import wrote")
	}
}

// TestImportStoresCanonicalKeys: a key imported with extra whitespace and
// a comment is stored as TYPE BASE64 COMMENT.
func TestImportStoresCanonicalKeys(t *testing.T) {
	s := openMem(t)
	messy := strings.Replace(samKey, " ", `\t  `, 1) + `   sam@laptop  `
	doc := strings.Replace(sampleDoc, samKey+` sam@laptop`, messy, 1)
	if doc == sampleDoc {
		t.Fatal("fixture changed")
	}
	if _, err := s.Import(mustParse(t, doc), "", t0); err != nil {
		t.Fatal(err)
	}
	u, err := s.User("sam")
	if err != nil || len(u.Keys) != 1 || u.Keys[0] != samKey+" sam@laptop" {
		t.Fatalf("%q %v", u.Keys, err)
	}
}

// TestKeyEventsRoundTrip: user-key-added and user-key-removed export and
// import back byte for byte, and the store's view finds a key's owner.
func TestKeyEventsRoundTrip(t *testing.T) {
	a := openMem(t)
	if _, err := a.Import(mustParse(t, sampleDoc), "", t0); err != nil {
		t.Fatal(err)
	}
	lee, leeFP := testKey("lee")
	if _, err := a.Do("maria", model.AddUserKey{ID: "tina", Key: lee}, t0); err != nil {
		t.Fatal(err)
	}
	_, err := a.Do("maria", model.AddUserKey{ID: "maria", Key: lee + " pasted"}, t0)
	if err == nil || err.Error() != "cannot add a key to maria: it is already on tina ("+leeFP+")" {
		t.Fatalf("got %v", err)
	}
	if _, err := a.Do("maria", model.RemoveUserKey{ID: "tina", Fingerprint: leeFP}, t0); err != nil {
		t.Fatal(err)
	}
	first := exportBytes(t, a)
	if !strings.Contains(string(first), `"kind": "user-key-removed"`) {
		t.Fatal("no user-key-removed event")
	}
	b := openMem(t)
	doc, err := ParseDocument(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Import(doc, "", t0); err != nil {
		t.Fatal(err)
	}
	if second := exportBytes(t, b); !bytes.Equal(first, second) {
		t.Fatalf("export differs after a round trip:\n%s\n----\n%s", first, second)
	}
}
