package store

import (
	"encoding/binary"
	"fmt"
)

// Key prefixes; the layout is described in doc.go.
const (
	pCase      = "c/"
	pOpen      = "o/"
	pOwner     = "w/"
	pEsc       = "x/"
	pAccount   = "a/"
	pUser      = "u/"
	pEntry     = "t/"
	pEntryAcct = "ta/"
	pBank      = "b/"
	pProject   = "p/"
	pEvent     = "e/"
	pCaseEvent = "ec/"
	pStage     = "stage/"
	pAutoClose = "ac/"
	pClosed    = "cl/"

	kSchema    = "meta/schema"
	kEventSeq  = "meta/eventseq"
	kImport    = "meta/import"
	kAutoClose = "meta/autoclose"
	kCaseSeq   = "seq/case"
	kEntrySeq  = "seq/entry"
)

func be64(b []byte, n uint64) []byte {
	var x [8]byte
	binary.BigEndian.PutUint64(x[:], n)
	return append(b, x[:]...)
}

func cat(prefix string, parts ...[]byte) []byte {
	k := []byte(prefix)
	for _, p := range parts {
		k = append(k, p...)
	}
	return k
}

func num(n int64) []byte { return be64(nil, uint64(n)) }

func caseKey(n int64) []byte  { return cat(pCase, num(n)) }
func openKey(n int64) []byte  { return cat(pOpen, num(n)) }
func entryKey(n int64) []byte { return cat(pEntry, num(n)) }
func eventKey(seq int64) []byte {
	return cat(pEvent, num(seq))
}
func caseEventKey(n, seq int64) []byte { return cat(pCaseEvent, num(n), num(seq)) }
func caseEventPrefix(n int64) []byte   { return cat(pCaseEvent, num(n)) }
func escKey(n int64, seq int) []byte   { return cat(pEsc, num(n), be64(nil, uint64(seq))[4:]) }
func escPrefix(n int64) []byte         { return cat(pEsc, num(n)) }
func accountKey(id string) []byte      { return cat(pAccount, []byte(id)) }
func userKey(id string) []byte         { return cat(pUser, []byte(id)) }

// Ids never hold a NUL (import and the model refuse them), so NUL ends an
// id inside a composite key and one id's keys never run into another's.
func ownerPrefix(user string) []byte { return cat(pOwner, []byte(user), []byte{0}) }
func ownerKey(user string, n int64) []byte {
	return append(ownerPrefix(user), num(n)...)
}
func entryAcctPrefix(acct string) []byte { return cat(pEntryAcct, []byte(acct), []byte{0}) }
func entryAcctKey(acct string, id int64) []byte {
	return append(entryAcctPrefix(acct), num(id)...)
}
func bankKey(acct string, month string) []byte {
	return cat(pBank, []byte(acct), []byte{0}, []byte(month))
}
func projectKey(acct, project string) []byte {
	return cat(pProject, []byte(acct), []byte{0}, []byte(project))
}

func decNum(b []byte) int64 { return int64(binary.BigEndian.Uint64(b)) }

// encInt and decInt store counters and totals as 8-byte big-endian.
func encInt(n int64) []byte { return num(n) }

func decInt(b []byte) (int64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("bad counter value of %d bytes", len(b))
	}
	return decNum(b), nil
}
