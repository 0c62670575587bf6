package store

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// encode writes a stored value: the model type as JSON, instants in UTC
// (see inUTC), HTML escaping off (so event before/after keep their bytes).
func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(inUTC(v)); err != nil {
		// Model types always encode; a failure here is a programming error.
		panic("store: encode: " + err.Error())
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// getJSON reads one key into v; ok=false when it is missing.
func getJSON(txn *badger.Txn, key []byte, v any) (bool, error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
}

func getInt(txn *badger.Txn, key []byte) (int64, error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var n int64
	err = item.Value(func(b []byte) error {
		n, err = decInt(b)
		return err
	})
	return n, err
}

// exists reports whether any key has the prefix.
func exists(txn *badger.Txn, prefix []byte) bool {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	it.Rewind()
	return it.Valid()
}

// lastEscalation returns the case's latest escalation, reading backwards.
func lastEscalation(txn *badger.Txn, n int64) (model.Escalation, bool, error) {
	p := escPrefix(n)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: p, Reverse: true, PrefetchValues: false})
	defer it.Close()
	it.Seek(append(append([]byte(nil), p...), 0xff, 0xff, 0xff, 0xff, 0xff))
	if !it.Valid() {
		return model.Escalation{}, false, nil
	}
	var e model.Escalation
	err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &e) })
	return e, err == nil, err
}

// txnView is model.View over one read-write transaction: every read goes
// through the transaction, so Badger's conflict detection sees it. The
// View methods cannot return errors; the first one is kept and fails the
// write.
type txnView struct {
	txn *badger.Txn
	err error
}

var _ model.View = (*txnView)(nil)

func (v *txnView) fail(err error) {
	if err != nil && v.err == nil {
		v.err = err
	}
}

func (v *txnView) Case(n int64) (model.Case, bool) {
	var c model.Case
	ok, err := getJSON(v.txn, caseKey(n), &c)
	v.fail(err)
	return c, ok && err == nil
}

func (v *txnView) Escalation(n int64) (model.Escalation, bool) {
	e, ok, err := lastEscalation(v.txn, n)
	v.fail(err)
	return e, ok
}

func (v *txnView) Account(id string) (model.Account, bool) {
	var a model.Account
	ok, err := getJSON(v.txn, accountKey(id), &a)
	v.fail(err)
	return a, ok && err == nil
}

func (v *txnView) User(id string) (model.User, bool) {
	var u model.User
	ok, err := getJSON(v.txn, userKey(id), &u)
	v.fail(err)
	return u, ok && err == nil
}

func (v *txnView) HasUsers() bool { return exists(v.txn, []byte(pUser)) }

func (v *txnView) TimeEntry(id int64) (model.TimeEntry, bool) {
	var e model.TimeEntry
	ok, err := getJSON(v.txn, entryKey(id), &e)
	v.fail(err)
	return e, ok && err == nil
}

// BankUsed reads the one key holding the month's total.
func (v *txnView) BankUsed(account string, m model.Month) int {
	n, err := getInt(v.txn, bankKey(account, m.String()))
	v.fail(err)
	return int(n)
}

// ProjectUsed reads the one key holding the project's total.
func (v *txnView) ProjectUsed(account, project string) int {
	n, err := getInt(v.txn, projectKey(account, project))
	v.fail(err)
	return int(n)
}

func (v *txnView) OwnsOpenCases(user string) bool { return exists(v.txn, ownerPrefix(user)) }

// TAMOf reads every account: a desk has tens of them, and writers are
// serialized, so none can be given the user as TAM before the commit.
func (v *txnView) TAMOf(user string) []string {
	var out []string
	v.fail(eachJSON(v.txn, []byte(pAccount), func(a *model.Account) error {
		if a.TAM == user {
			out = append(out, a.ID)
		}
		return nil
	}))
	return out
}

// KeyOwners reads every user: a team is small, and writers are serialized
// (writeMu), so no other write can add the key between this read and the
// commit.
func (v *txnView) KeyOwners(fingerprint string) []string {
	users, err := txnUsers(v.txn)
	v.fail(err)
	return model.UsersWithKey(users, fingerprint)
}

// txnUsers reads every user through txn.
func txnUsers(txn *badger.Txn) ([]model.User, error) {
	var users []model.User
	err := eachJSON(txn, []byte(pUser), func(u *model.User) error {
		users = append(users, *u)
		return nil
	})
	return users, err
}
