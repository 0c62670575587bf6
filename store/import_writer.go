package store

import (
	"encoding/json"
	"fmt"
	"sort"

	"caseboard/model"
)

// importWriter is the import check's model.ImportWriter: it spools every
// key of each checked record at once (spool.go) and keeps only where the
// records a document's events are checked against were put (a few bytes
// a case), so that a document is never held whole.
type importWriter struct {
	sp  *spool
	pol *model.Policy
	// Offsets in the spool of each case, of its escalations and of the
	// document's events of it, for the replay check (model.DocCheck).
	cases  map[int64]int64
	escs   map[int64][]int64
	events map[int64][]int64
}

var _ model.ImportWriter = (*importWriter)(nil)

// The spool's channels: what is written, and the imported events, dropped
// when the document has its own.
const (
	chWrite    = ""
	chImported = "imported"
)

func newImportWriter(sp *spool, pol *model.Policy) *importWriter {
	return &importWriter{sp: sp, pol: pol, cases: map[int64]int64{}, escs: map[int64][]int64{}, events: map[int64][]int64{}}
}

func (w *importWriter) set(k, v []byte) error {
	_, err := w.sp.put(chWrite, k, v)
	return err
}

func (w *importWriter) Account(a *model.Account) error { return w.set(accountKey(a.ID), encode(a)) }

func (w *importWriter) User(u *model.User) error { return w.set(userKey(u.ID), encode(u)) }

func (w *importWriter) Case(c *model.Case) error {
	off, err := w.sp.put(chWrite, caseKey(c.Number), encode(c))
	if err != nil {
		return err
	}
	w.cases[c.Number] = off
	return caseIndexes(w.set, func([]byte) error { return nil }, w.pol, nil, c)
}

func (w *importWriter) Escalation(e *model.Escalation) error {
	off, err := w.sp.put(chWrite, escKey(e.Case, e.Seq), encode(e))
	if err != nil {
		return err
	}
	if _, mine := w.cases[e.Case]; mine {
		w.escs[e.Case] = append(w.escs[e.Case], off)
	}
	return nil
}

func (w *importWriter) Entry(e *model.TimeEntry) error {
	if err := w.set(entryKey(e.ID), encode(e)); err != nil {
		return err
	}
	return w.set(entryAcctKey(e.Account, e.ID), nil)
}

func (w *importWriter) Event(ev *model.Event, imported bool) error {
	ch := chWrite
	if imported {
		ch = chImported
	}
	off, err := w.sp.put(ch, eventKey(ev.Seq), encode(ev))
	if err != nil {
		return err
	}
	if ev.Case == 0 {
		return nil
	}
	if !imported {
		w.events[ev.Case] = append(w.events[ev.Case], off)
	}
	_, err = w.sp.put(ch, caseEventKey(ev.Case, ev.Seq), nil)
	return err
}

func (w *importWriter) DropImported() error { return w.sp.drop(chImported) }

func (w *importWriter) CaseOf(n int64) (*model.Case, error) {
	off, ok := w.cases[n]
	if !ok {
		return nil, fmt.Errorf("read the import's spool: case %d was not spooled", n)
	}
	var c model.Case
	if err := w.read(pCase, off, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

func (w *importWriter) EventsOf(n int64) ([]model.Event, error) {
	evs := make([]model.Event, len(w.events[n]))
	for i, off := range w.events[n] {
		if err := w.read(pEvent, off, &evs[i]); err != nil {
			return nil, err
		}
	}
	return evs, nil
}

func (w *importWriter) EscalationsOf(n int64) ([]model.Escalation, error) {
	escs := make([]model.Escalation, len(w.escs[n]))
	for i, off := range w.escs[n] {
		if err := w.read(pEsc, off, &escs[i]); err != nil {
			return nil, err
		}
	}
	return escs, nil
}

// read decodes the value spooled at off under prefix.
func (w *importWriter) read(prefix string, off int64, v any) error {
	_, b, err := w.sp.get(chWrite, prefix, off)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("read the import's spool: %w", err)
	}
	return nil
}

// totals spools what the import writes beyond its records: the bank and
// project totals, the event sequence and the number sequences.
func (w *importWriter) totals(t *model.ImportTotals, seqs map[string]int64) error {
	keys := make([]string, 0, len(t.Bank)+len(t.Projects))
	vals := map[string]int64{}
	for k, n := range t.Bank {
		key := string(bankKey(k.Account, k.Month))
		keys, vals[key] = append(keys, key), n
	}
	for k, n := range t.Projects {
		key := string(projectKey(k.Account, k.Project))
		keys, vals[key] = append(keys, key), n
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := w.set([]byte(k), encInt(vals[k])); err != nil {
			return err
		}
	}
	if err := w.set([]byte(kEventSeq), encInt(t.EventSeq)); err != nil {
		return err
	}
	for _, k := range []string{kCaseSeq, kEntrySeq} {
		if err := w.set([]byte(k), encInt(seqs[k])); err != nil {
			return err
		}
	}
	return nil
}
