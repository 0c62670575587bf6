package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"sync"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// ErrNotFound is wrapped by the errors of reads that find no record.
var ErrNotFound = errors.New("not found")

// view runs fn in a read-only transaction, never during the publication
// of an import.
func (s *Store) view(fn func(txn *badger.Txn) error) error {
	s.pubMu.RLock()
	defer s.pubMu.RUnlock()
	if s.dbClosed {
		return ErrClosed // (Badger panics on a read of a closed DB)
	}
	return s.db.View(fn)
}

func notFound(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrNotFound)
}

// eachJSON decodes every value under prefix, in key order.
func eachJSON[T any](txn *badger.Txn, prefix []byte, fn func(*T) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		var v T
		if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &v) }); err != nil {
			return fmt.Errorf("read %q: %w", it.Item().Key(), err)
		}
		if err := fn(&v); err != nil {
			return err
		}
	}
	return nil
}

// eachKey calls fn with the part of every key after prefix.
func eachKey(txn *badger.Txn, prefix []byte, fn func(rest []byte) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if err := fn(it.Item().Key()[len(prefix):]); err != nil {
			return err
		}
	}
	return nil
}

func collect[T any](s *Store, prefix []byte) ([]T, error) {
	var out []T
	err := s.view(func(txn *badger.Txn) error {
		return eachJSON(txn, prefix, func(v *T) error {
			out = append(out, *v)
			return nil
		})
	})
	return out, err
}

func getOne[T any](s *Store, key []byte, missing func() error) (T, error) {
	var v T
	var ok bool
	err := s.view(func(txn *badger.Txn) (err error) {
		ok, err = getJSON(txn, key, &v)
		return err
	})
	if err == nil && !ok {
		err = missing()
	}
	return v, err
}

// Case reads one case.
func (s *Store) Case(n int64) (model.Case, error) {
	return getOne[model.Case](s, caseKey(n), func() error { return notFound("no case %s", model.CaseNumber(n)) })
}

// Cases reads every case, in number order.
func (s *Store) Cases() ([]model.Case, error) { return collect[model.Case](s, []byte(pCase)) }

// OpenCases reads every case that is not closed, in number order, through
// the open-case index.
func (s *Store) OpenCases() ([]model.Case, error) {
	var out []model.Case
	err := s.view(func(txn *badger.Txn) error {
		return eachKey(txn, []byte(pOpen), func(rest []byte) error {
			var c model.Case
			ok, err := getJSON(txn, caseKey(decNum(rest)), &c)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, c)
			}
			return nil
		})
	})
	return out, err
}

// Escalation reads the case's latest escalation.
func (s *Store) Escalation(n int64) (model.Escalation, error) {
	var e model.Escalation
	var ok bool
	err := s.view(func(txn *badger.Txn) (err error) {
		e, ok, err = lastEscalation(txn, n)
		return err
	})
	if err == nil && !ok {
		err = notFound("case %s has no escalation", model.CaseNumber(n))
	}
	return e, err
}

// Escalations reads every escalation of a case, oldest first.
func (s *Store) Escalations(n int64) ([]model.Escalation, error) {
	return collect[model.Escalation](s, escPrefix(n))
}

// AllEscalations reads every escalation, by case then age.
func (s *Store) AllEscalations() ([]model.Escalation, error) {
	return collect[model.Escalation](s, []byte(pEsc))
}

// Account reads one account.
func (s *Store) Account(id string) (model.Account, error) {
	return getOne[model.Account](s, accountKey(id), func() error { return notFound("no account %q", id) })
}

// Accounts reads every account, by id.
func (s *Store) Accounts() ([]model.Account, error) {
	return collect[model.Account](s, []byte(pAccount))
}

// User reads one user.
func (s *Store) User(id string) (model.User, error) {
	return getOne[model.User](s, userKey(id), func() error { return notFound("no user %q", id) })
}

// Users reads every user, by id.
func (s *Store) Users() ([]model.User, error) { return collect[model.User](s, []byte(pUser)) }

// HasUsers reports whether any user exists (an empty store bootstraps).
func (s *Store) HasUsers() (bool, error) {
	var ok bool
	err := s.view(func(txn *badger.Txn) error {
		ok = exists(txn, []byte(pUser))
		return nil
	})
	return ok, err
}

// TimeEntry reads one time entry.
func (s *Store) TimeEntry(id int64) (model.TimeEntry, error) {
	return getOne[model.TimeEntry](s, entryKey(id), func() error { return notFound("no time entry %d", id) })
}

// TimeEntries reads every time entry of an account ("" for all), by id.
func (s *Store) TimeEntries(account string) ([]model.TimeEntry, error) {
	if account == "" {
		return collect[model.TimeEntry](s, []byte(pEntry))
	}
	var out []model.TimeEntry
	err := s.view(func(txn *badger.Txn) error {
		return eachKey(txn, entryAcctPrefix(account), func(rest []byte) error {
			var e model.TimeEntry
			ok, err := getJSON(txn, entryKey(decNum(rest)), &e)
			if ok {
				out = append(out, e)
			}
			return err
		})
	})
	return out, err
}

// BankUsed is the counted minutes of an account's month.
func (s *Store) BankUsed(account string, m model.Month) (int, error) {
	var n int64
	err := s.view(func(txn *badger.Txn) (err error) {
		n, err = getInt(txn, bankKey(account, m.String()))
		return err
	})
	return int(n), err
}

// ProjectUsed is the counted implementation minutes of a project.
func (s *Store) ProjectUsed(account, project string) (int, error) {
	var n int64
	err := s.view(func(txn *badger.Txn) (err error) {
		n, err = getInt(txn, projectKey(account, project))
		return err
	})
	return int(n), err
}

// Events reads a case's audit trail in commit order.
func (s *Store) Events(n int64) ([]model.Event, error) {
	var out []model.Event
	p := caseEventPrefix(n)
	err := s.view(func(txn *badger.Txn) error {
		return eachKey(txn, p, func(rest []byte) error {
			var ev model.Event
			ok, err := getJSON(txn, eventKey(decNum(rest)), &ev)
			if ok {
				out = append(out, ev)
			}
			return err
		})
	})
	return out, err
}

// AllEvents reads the whole audit trail in commit order.
func (s *Store) AllEvents() ([]model.Event, error) { return collect[model.Event](s, []byte(pEvent)) }

// EventsSince reads the events after seq, in commit order (for a
// subscriber catching up).
func (s *Store) EventsSince(seq int64) ([]model.Event, error) {
	var out []model.Event
	err := s.view(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pEvent), PrefetchValues: true})
		defer it.Close()
		for it.Seek(eventKey(seq + 1)); it.Valid(); it.Next() {
			var ev model.Event
			if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &ev) }); err != nil {
				return err
			}
			out = append(out, ev)
		}
		return nil
	})
	return out, err
}

// LastSeq is the sequence number of the latest event (0 when none).
func (s *Store) LastSeq() (int64, error) {
	var n int64
	err := s.view(func(txn *badger.Txn) (err error) {
		n, err = getInt(txn, []byte(kEventSeq))
		return err
	})
	return n, err
}

// LoadDesk reads the desk (not the events) into a model.Desk, from one
// consistent snapshot: the board's starting state. The open cases and
// their escalations are read into memory; the closed ones stay on disk,
// read through the desk's Closed (closed.go) when something asks for
// them. A store whose closed-case index is not built yet (schema 2, opened
// only to read) is loaded whole, Closed nil. Cases are decoded straight
// into the desk (decodeCase, no Change in between), a slab of them at a
// time, with their repeated strings shared.
func (s *Store) LoadDesk() (*model.Desk, error) {
	return s.loadDesk(s.clReady.Load())
}

// LoadWholeDesk is LoadDesk with every case in memory, closed ones too
// (Closed nil): the old load, kept to compare against.
func (s *Store) LoadWholeDesk() (*model.Desk, error) { return s.loadDesk(false) }

func (s *Store) loadDesk(archive bool) (*model.Desk, error) {
	defer paceGC(loadGCPercent)()
	var d *model.Desk
	err := s.view(func(txn *badger.Txn) error {
		seq, err := getInt(txn, []byte(kEventSeq))
		if err != nil {
			return err
		}
		var parts [][]*model.Case
		if archive {
			if parts, err = loadOpenCases(txn); err != nil {
				return err
			}
		} else if parts, err = loadCases(txn); err != nil {
			return err
		}
		n := 0
		for _, p := range parts {
			n += len(p)
		}
		d = model.NewDeskSized(n)
		d.DropEvents = true
		d.SetLastSeq(seq)
		for _, p := range parts {
			for _, c := range p {
				d.PutCase(c)
			}
		}
		if archive {
			d.Closed = closedArchive{s}
			d.NoteCaseNumber(lastCaseNumber(txn))
		}
		in := interner{}
		if err := eachEscalation(txn, func(n int64) bool {
			_, open := d.Cases[n]
			return open || !archive // a closed case's stay on disk, not decoded
		}, func(e *model.Escalation) { d.PutEscalation(*e) }); err != nil {
			return err
		}
		if err := eachJSON(txn, []byte(pAccount), func(a *model.Account) error {
			d.PutAccount(a)
			return nil
		}); err != nil {
			return err
		}
		if err := eachJSON(txn, []byte(pUser), func(u *model.User) error {
			d.PutUser(u)
			return nil
		}); err != nil {
			return err
		}
		if err := eachJSON(txn, []byte(pEntry), func(e *model.TimeEntry) error {
			e.Account, e.TAM = in.str(e.Account), in.str(e.TAM)
			e.Category, e.Mode = in.str(e.Category), in.str(e.Mode)
			d.PutTimeEntry(e)
			return nil
		}); err != nil {
			return err
		}
		if err := eachTotal(txn, pBank, func(acct, rest string, n int64) {
			m, err := model.ParseMonth(rest)
			if err == nil {
				d.AddBank(model.BankDelta{Account: acct, Month: m, Minutes: int(n)})
			}
		}); err != nil {
			return err
		}
		return eachTotal(txn, pProject, func(acct, rest string, n int64) {
			d.AddProject(model.ProjectDelta{Account: acct, Project: rest, Minutes: int(n)})
		})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// loadGCPercent is the collector's pace while a desk loads: every block
// of the case tables is decompressed into memory that is garbage a moment
// later, and at the default pace (100) that garbage stayed resident until
// the heap doubled (VmHWM 104-115 MB at 100,000 cases; 92-97 MB at 25).
const loadGCPercent = 25

var gcPace struct {
	sync.Mutex
	holders int
	prev    int
}

// paceGC runs the collector at percent (when it runs at a slower pace)
// until the returned func is called; concurrent callers share it.
func paceGC(percent int) func() {
	gcPace.Lock()
	defer gcPace.Unlock()
	if gcPace.holders == 0 {
		gcPace.prev = debug.SetGCPercent(percent)
		if gcPace.prev < percent { // off (-1), or already faster
			debug.SetGCPercent(gcPace.prev)
		}
	}
	gcPace.holders++
	return func() {
		gcPace.Lock()
		defer gcPace.Unlock()
		if gcPace.holders--; gcPace.holders == 0 {
			debug.SetGCPercent(gcPace.prev)
		}
	}
}

// loadCases decodes every case, the two halves of the case numbers each
// in a goroutine of its own (reading Badger's blocks and decoding them
// take about the same time; a desk has two cores or more).
func loadCases(txn *badger.Txn) ([][]*model.Case, error) {
	first, last, ok := caseRange(txn)
	if !ok {
		return nil, nil
	}
	return inHalves(first, last, func(from, to int64) ([]*model.Case, error) {
		return decodeCases(txn, caseKey(from), caseKey(to))
	})
}

// inHalves runs decode on [first, mid) and [mid, last] side by side.
func inHalves(first, last int64, decode func(from, to int64) ([]*model.Case, error)) ([][]*model.Case, error) {
	mid := first + (last-first)/2 + 1
	bounds := [][2]int64{{first, mid}, {mid, last + 1}}
	parts := make([][]*model.Case, len(bounds))
	errs := make([]error, len(bounds))
	var wg sync.WaitGroup
	for i, b := range bounds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i], errs[i] = decode(b[0], b[1])
		}()
	}
	wg.Wait()
	return parts, errors.Join(errs...)
}

// caseRange is the lowest and the highest case number stored.
func caseRange(txn *badger.Txn) (first, last int64, ok bool) { return numRange(txn, pCase) }

// numRange is the lowest and the highest number of the keys prefix NUM.
func numRange(txn *badger.Txn, prefix string) (first, last int64, ok bool) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
	it.Rewind()
	if it.Valid() {
		first, ok = decNum(it.Item().Key()[len(prefix):]), true
	}
	it.Close()
	if !ok {
		return 0, 0, false
	}
	it = txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), Reverse: true})
	defer it.Close()
	it.Seek(cat(prefix, num(math.MaxInt64)))
	if !it.Valid() {
		return 0, 0, false
	}
	return first, decNum(it.Item().Key()[len(prefix):]), true
}

// decodeCases decodes the cases whose keys are in [from, to) (to nil:
// to the end), into slabs of caseSlab.
func decodeCases(txn *badger.Txn, from, to []byte) ([]*model.Case, error) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pCase)})
	defer it.Close()
	in := interner{}
	var slab []model.Case
	var out []*model.Case
	for it.Seek(from); it.Valid(); it.Next() {
		item := it.Item()
		if to != nil && bytes.Compare(item.Key(), to) >= 0 {
			break
		}
		if len(slab) == cap(slab) {
			slab = make([]model.Case, 0, caseSlab)
		}
		slab = slab[:len(slab)+1]
		c := &slab[len(slab)-1]
		if err := item.Value(func(b []byte) error { return decodeCase(b, c, in) }); err != nil {
			return nil, fmt.Errorf("read %q: %w", item.Key(), err)
		}
		out = append(out, c)
	}
	return out, nil
}

// caseSlab is how many cases LoadDesk allocates at once: one allocation
// instead of 1,024, and no size-class rounding. A case replaced later
// leaves its slot unused until the whole slab goes.
const caseSlab = 1024

// eachTotal reads the totals under a prefix whose keys are ACCOUNT NUL REST.
func eachTotal(txn *badger.Txn, prefix string, fn func(acct, rest string, n int64)) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().Key()[len(prefix):]
		var acct, rest string
		for i, b := range k {
			if b == 0 {
				acct, rest = string(k[:i]), string(k[i+1:])
				break
			}
		}
		var n int64
		if err := it.Item().Value(func(b []byte) (err error) {
			n, err = decInt(b)
			return err
		}); err != nil {
			return err
		}
		fn(acct, rest, n)
	}
	return nil
}

// eachEscalation decodes the escalations of the cases keep keeps (asked
// with the case number in the key, before any decoding), in key order.
func eachEscalation(txn *badger.Txn, keep func(n int64) bool, fn func(*model.Escalation)) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pEsc)})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if !keep(decNum(item.Key()[len(pEsc):])) {
			continue
		}
		var e model.Escalation
		if err := item.Value(func(b []byte) error { return json.Unmarshal(b, &e) }); err != nil {
			return fmt.Errorf("read %q: %w", item.Key(), err)
		}
		fn(&e)
	}
	return nil
}
