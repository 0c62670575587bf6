package model

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/crypto/ssh"
)

// A user's SSH public key is who they are over SSH (serve), so every door
// a key comes in by (user add, user key, import) parses it here, and one
// key is on one user only.
//
// The stored form is canonical: "TYPE BASE64" as ssh.MarshalAuthorizedKey
// writes it, then the comment (its whitespace folded to single spaces), if
// the key came with one. The comment is kept because it is how people tell
// their keys apart ("sam@laptop"); it is a label, not part of the key: two
// keys are the same key when their fingerprints (SHA256 of the key
// material) are, whatever their comments.

// SSHKey is a parsed SSH public key.
type SSHKey struct {
	// Line is the canonical stored form: TYPE BASE64[ COMMENT].
	Line string
	// Fingerprint is ssh.FingerprintSHA256 of the key ("SHA256:...").
	Fingerprint string
	// Type is the key's algorithm ("ssh-ed25519").
	Type string
	// Comment is the key's comment, "" if none.
	Comment string
}

// KeyError says why a text is not an SSH public key. Its message never
// quotes the text: a file given by mistake may hold a secret.
type KeyError struct{ Why string }

func (e *KeyError) Error() string { return "not an SSH public key: " + e.Why }

// ParseSSHKey parses one SSH public key: an authorized_keys line
// ("ssh-ed25519 AAAA... comment") or a bare key ("ssh-ed25519 AAAA..." or
// the base64 blob alone). Blank lines and # comment lines around it are
// allowed; a second key, or authorized_keys options (from=, command=:
// caseboard would not honour them), are refused with a *KeyError.
func ParseSSHKey(text string) (SSHKey, error) {
	in := []byte(strings.TrimSpace(text))
	if len(in) == 0 {
		return SSHKey{}, &KeyError{"it is empty"}
	}
	if !strings.ContainsAny(string(in), " \t\r\n") {
		// A bare base64 blob: the key in wire format.
		blob, err := base64.StdEncoding.DecodeString(string(in))
		var pk ssh.PublicKey
		if err == nil {
			pk, err = ssh.ParsePublicKey(blob)
		}
		if err != nil {
			return SSHKey{}, &KeyError{"it is neither an authorized_keys line nor a base64 key"}
		}
		return sshKey(pk, "")
	}
	pk, comment, options, rest, err := ssh.ParseAuthorizedKey(in)
	if err != nil {
		return SSHKey{}, &KeyError{keyWhy(err)}
	}
	if len(options) > 0 {
		name, _, _ := strings.Cut(options[0], "=")
		return SSHKey{}, &KeyError{"authorized_keys options (" + Inert(name) + ") are not supported: give the key alone"}
	}
	if _, _, _, _, err := ssh.ParseAuthorizedKey(rest); err == nil {
		return SSHKey{}, &KeyError{"it holds more than one key: give them one at a time"}
	}
	return sshKey(pk, comment)
}

func sshKey(pk ssh.PublicKey, comment string) (SSHKey, error) {
	if _, ok := pk.(*ssh.Certificate); ok {
		return SSHKey{}, &KeyError{"it is a certificate: give the public key itself"}
	}
	comment = strings.Join(strings.Fields(comment), " ")
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk)))
	if comment != "" {
		line += " " + comment
	}
	return SSHKey{Line: line, Fingerprint: ssh.FingerprintSHA256(pk), Type: pk.Type(), Comment: comment}, nil
}

// keyWhy turns x/crypto's parse errors into words without the input.
func keyWhy(err error) string {
	msg := strings.TrimPrefix(err.Error(), "ssh: ")
	if msg == "no key found" {
		return "no key found (an SSH public key looks like ssh-ed25519 AAAA... name@host)"
	}
	return msg
}

// KeyFingerprint is the fingerprint of a stored key, ok=false when the
// stored text is not a key (a store written before keys were checked).
func KeyFingerprint(stored string) (string, bool) {
	k, err := ParseSSHKey(stored)
	if err != nil {
		return "", false
	}
	return k.Fingerprint, true
}

// ParseFingerprint reads a FINGERPRINT argument: "SHA256:..." as ssh-keygen
// -l prints it, or the base64 part alone.
func ParseFingerprint(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "SHA256:") {
		return s
	}
	return "SHA256:" + s
}

// UsersWithKey lists, in id order, the users among users holding a key
// with the fingerprint (View.KeyOwners over a list of users).
func UsersWithKey(users []User, fingerprint string) []string {
	var ids []string
	for i := range users {
		for _, k := range users[i].Keys {
			if fp, ok := KeyFingerprint(k); ok && fp == fingerprint {
				ids = append(ids, users[i].ID)
				break
			}
		}
	}
	sort.Strings(ids)
	return ids
}

// KeyProblems checks the keys of a set of users as a whole, as a restore
// or an old store may hold them: each text that is not a key, each key on
// more than one user. Empty means every key parses and is on one user.
func KeyProblems(users []User) []string {
	sorted := append([]User(nil), users...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	var out []string
	owners := map[string][]string{}
	var fps []string
	for _, u := range sorted {
		seen := map[string]bool{}
		for i, k := range u.Keys {
			p, err := ParseSSHKey(k)
			if err != nil {
				out = append(out, fmt.Sprintf("user %s key %d: %v", u.ID, i+1, err))
				continue
			}
			if seen[p.Fingerprint] {
				continue
			}
			seen[p.Fingerprint] = true
			if owners[p.Fingerprint] == nil {
				fps = append(fps, p.Fingerprint)
			}
			owners[p.Fingerprint] = append(owners[p.Fingerprint], u.ID)
		}
	}
	for _, fp := range fps {
		if ids := owners[fp]; len(ids) > 1 {
			out = append(out, fmt.Sprintf("key %s is on several users: %s", fp, strings.Join(ids, ", ")))
		}
	}
	return out
}
