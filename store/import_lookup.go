package store

import (
	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// txnLookup answers model.DocCheck's questions about the records the
// store already holds, inside the import's read transaction. The rules
// live in model; only the keys are the store's.
type txnLookup struct{ txn *badger.Txn }

var _ model.DocumentLookup = txnLookup{}

func (l txnLookup) has(key []byte) bool {
	_, err := l.txn.Get(key)
	return err == nil
}

func (l txnLookup) HasAccount(id string) bool  { return l.has(accountKey(id)) }
func (l txnLookup) HasUser(id string) bool     { return l.has(userKey(id)) }
func (l txnLookup) HasCase(n int64) bool       { return l.has(caseKey(n)) }
func (l txnLookup) HasTimeEntry(id int64) bool { return l.has(entryKey(id)) }
func (l txnLookup) AnyUser() bool              { return exists(l.txn, []byte(pUser)) }

func (l txnLookup) Users() ([]model.User, error) { return txnUsers(l.txn) }

func (l txnLookup) Account(id string) (*model.Account, bool) {
	var a model.Account
	if ok, err := getJSON(l.txn, accountKey(id), &a); err != nil || !ok {
		return nil, false
	}
	return &a, true
}

func (l txnLookup) User(id string) (*model.User, bool) {
	var u model.User
	if ok, err := getJSON(l.txn, userKey(id), &u); err != nil || !ok {
		return nil, false
	}
	return &u, true
}

func (l txnLookup) Case(n int64) (*model.Case, bool) {
	var c model.Case
	if ok, _ := getJSON(l.txn, caseKey(n), &c); !ok {
		return nil, false
	}
	return &c, true
}

func (l txnLookup) LastEscalationSeq(n int64) (int, bool) {
	last, ok, _ := lastEscalation(l.txn, n)
	return last.Seq, ok
}

func (l txnLookup) BankMinutes(account, month string) (int64, error) {
	return getInt(l.txn, bankKey(account, month))
}

func (l txnLookup) ProjectMinutes(account, project string) (int64, error) {
	return getInt(l.txn, projectKey(account, project))
}

func (l txnLookup) LastEventSeq() (int64, error) { return getInt(l.txn, []byte(kEventSeq)) }
