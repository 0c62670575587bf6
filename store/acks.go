package store

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// Acknowledgements (doc.go's layout, continued):
//
//	ack/USER/ALERTID         a user acknowledged an alert (empty value)
//
// They are the user's own record of what they have seen, not a change of
// the desk: no event, no feed, nothing in the export. A user id is a slug
// (no "/"), so one user's acks are one prefix scan.
const pAck = "ack/"

func ackPrefix(user string) []byte { return cat(pAck, []byte(user), []byte("/")) }

func ackKey(user, alert string) []byte { return cat(string(ackPrefix(user)), []byte(alert)) }

// Ack records that user acknowledged the alert id: it never rings for
// them again, also after a restart. An id not raised is refused; a second
// ack of the same alert changes nothing.
func (s *Store) Ack(user, alertID string) error {
	if user == "" || alertID == "" {
		return model.RuleRefusal("acknowledge", "alert "+model.Inert(alertID), "no user or no alert")
	}
	return s.hookWrite(func(txn *badger.Txn) error {
		if _, err := txn.Get(alertKey(alertID)); errors.Is(err, badger.ErrKeyNotFound) {
			return model.RuleRefusal("acknowledge", "alert "+model.Inert(alertID), "no such alert")
		} else if err != nil {
			return err
		}
		return txn.Set(ackKey(user, alertID), nil)
	})
}

// Acks lists the alert ids user acknowledged, in id order.
func (s *Store) Acks(user string) ([]string, error) {
	var out []string
	err := s.view(func(txn *badger.Txn) error {
		return eachKey(txn, ackPrefix(user), func(rest []byte) error {
			out = append(out, string(rest))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read the acknowledgements of %s: %w", model.Inert(user), err)
	}
	return out, nil
}
