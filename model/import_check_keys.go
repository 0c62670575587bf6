package model

import "fmt"

// keyCheck is the import check of users' SSH keys: each parses, and each
// is on one user only, across the document and the store (serve tells
// users apart by their keys alone).
type keyCheck struct {
	inDoc   map[string]string   // fingerprint -> user id, for the document
	inStore map[string][]string // fingerprint -> user ids, read once
}

// checkUserKeys checks user i's keys and puts them in canonical form in u.
func (ck *DocCheck) checkUserKeys(i int, u *User) {
	if ck.keys == nil {
		ck.keys = &keyCheck{inDoc: map[string]string{}}
	}
	kc := ck.keys
	if kc.inStore == nil && len(u.Keys) > 0 {
		kc.inStore = map[string][]string{}
		users, err := ck.look.Users()
		if err != nil {
			ck.bad("users", i, "keys", "read the store's users: %v", err)
			return
		}
		for _, su := range users {
			for _, k := range su.Keys {
				if fp, ok := KeyFingerprint(k); ok {
					kc.inStore[fp] = append(kc.inStore[fp], su.ID)
				}
			}
		}
	}
	for j, k := range u.Keys {
		field := fmt.Sprintf("keys[%d]", j)
		p, err := ParseSSHKey(k)
		if err != nil {
			ck.bad("users", i, field, "%v", err)
			continue
		}
		u.Keys[j] = p.Line
		if ids := kc.inStore[p.Fingerprint]; len(ids) > 0 {
			ck.bad("users", i, field, "key %s is already on %s (in the store)", p.Fingerprint, ids[0])
			continue
		}
		if other, dup := kc.inDoc[p.Fingerprint]; dup {
			if other == u.ID {
				ck.bad("users", i, field, "key %s is given twice", p.Fingerprint)
			} else {
				ck.bad("users", i, field, "key %s is already on %s", p.Fingerprint, other)
			}
			continue
		}
		kc.inDoc[p.Fingerprint] = u.ID
	}
}
