package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// Key prefixes of alerts and webhooks (doc.go's layout, continued):
//
//	hk/ID                    webhook (model.Hook as JSON)
//	al/ID                    every alert ever raised (model.Alert): it is
//	                         raised once, so an id here is never raised again
//	ob/SEQ HOOK              outbox: an alert not yet delivered to a hook
//	hl/NANOS HOOK            delivery log: one attempt's outcome
//	aq/SEQ                   the id of alert SEQ (raise order): the board
//	                         reads the newest alerts, not every one (schema 4)
//	meta/alertseq            last alert sequence number
const (
	pHook     = "hk/"
	pAlert    = "al/"
	pAlertSeq = "aq/"
	pOutbox   = "ob/"
	pHookLog  = "hl/"
	kAlertSeq = "meta/alertseq"
)

func alertSeqKey(seq int64) []byte { return cat(pAlertSeq, num(seq)) }

func hookKey(id string) []byte  { return cat(pHook, []byte(id)) }
func alertKey(id string) []byte { return cat(pAlert, []byte(id)) }
func outboxKey(seq int64, hook string) []byte {
	return cat(pOutbox, num(seq), []byte(hook))
}

// ErrHookExists is returned by AddHook for an id already taken.
var ErrHookExists = errors.New("hook exists")

// AddHook stores a new webhook (checked by the caller with
// model.CheckHook); an id already taken is refused.
func (s *Store) AddHook(h model.Hook) error {
	return s.hookWrite(func(txn *badger.Txn) error {
		if _, err := txn.Get(hookKey(h.ID)); err == nil {
			return model.RuleRefusal("add", "hook "+h.ID, "it exists")
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		return txn.Set(hookKey(h.ID), encode(&h))
	})
}

// RemoveHook deletes a webhook and what it has not been sent yet (its
// delivery log stays). A hook whose endpoint was down holds thousands of
// alerts, more than one transaction takes: they go removeChunk at a time,
// and the hook with the last of them. Cut short, the hook stays, with
// fewer of the alerts it was to lose anyway.
func (s *Store) RemoveHook(id string) error {
	for {
		last := false
		err := s.hookWrite(func(txn *badger.Txn) error {
			if _, err := txn.Get(hookKey(id)); errors.Is(err, badger.ErrKeyNotFound) {
				return model.RuleRefusal("remove", "hook "+id, "no such hook")
			} else if err != nil {
				return err
			}
			var drop [][]byte
			err := eachKey(txn, []byte(pOutbox), func(rest []byte) error {
				if len(rest) > 8 && string(rest[8:]) == id && len(drop) <= removeChunk {
					drop = append(drop, cat(pOutbox, rest))
				}
				return nil
			})
			if err != nil {
				return err
			}
			last = len(drop) <= removeChunk
			if !last {
				drop = drop[:removeChunk]
			}
			for _, k := range drop {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			if !last {
				return nil
			}
			return txn.Delete(hookKey(id))
		})
		if err != nil || last {
			return err
		}
	}
}

// removeChunk is how many outbox entries one transaction of RemoveHook
// deletes at the most.
const removeChunk = 2000

// hookWrite runs one write of the hook records under the writers' mutex.
func (s *Store) hookWrite(fn func(txn *badger.Txn) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return ErrClosed
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		err := s.db.Update(fn)
		if errors.Is(err, badger.ErrConflict) {
			continue
		}
		return err
	}
	return fmt.Errorf("the store stayed busy: %d attempts conflicted with other writes; try again", maxAttempts)
}

// Hooks lists the webhooks in id order.
func (s *Store) Hooks() ([]model.Hook, error) { return collect[model.Hook](s, []byte(pHook)) }

// Hook reads one webhook (ErrNotFound wrapped when missing).
func (s *Store) Hook(id string) (model.Hook, error) {
	return getOne[model.Hook](s, hookKey(id), func() error { return notFound("no hook %s", model.Inert(id)) })
}

// DeliveryLog is one attempt to deliver an alert to a hook.
type DeliveryLog struct {
	At    time.Time `json:"at"`
	Hook  string    `json:"hook"`
	Alert string    `json:"alert"`
	// Attempt counts from 1.
	Attempt int `json:"attempt"`
	// Status is the HTTP status (0 when no answer came).
	Status int    `json:"status"`
	Error  string `json:"error"`
	// Final: no more attempts follow (delivered, refused with a 4xx, or
	// given up after the retry period).
	Final bool `json:"final"`
}

// Failed reports whether the attempt did not deliver.
func (l *DeliveryLog) Failed() bool { return l.Status < 200 || l.Status > 299 }

// HookLog lists delivery attempts, oldest first: of one hook, or of all
// when hook is "".
func (s *Store) HookLog(hook string) ([]DeliveryLog, error) {
	all, err := collect[DeliveryLog](s, []byte(pHookLog))
	if err != nil || hook == "" {
		return all, err
	}
	var out []DeliveryLog
	for _, l := range all {
		if l.Hook == hook {
			out = append(out, l)
		}
	}
	return out, nil
}

// LogDelivery records an attempt outside the outbox (hook test).
func (s *Store) LogDelivery(l DeliveryLog) error {
	return s.db.Update(func(txn *badger.Txn) error { return putLog(txn, &l) })
}

func putLog(txn *badger.Txn, l *DeliveryLog) error {
	return txn.Set(cat(pHookLog, num(time.Now().UnixNano()), []byte(l.Hook)), encode(l))
}
