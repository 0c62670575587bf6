package store

import (
	"errors"
	"fmt"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// ImportResult counts what an import added.
type ImportResult struct {
	Accounts, Users, Cases, Escalations, TimeEntries, Events int
	// Staged is true when the import was larger than one transaction and
	// was written in several, with an undo journal (stage.go).
	Staged bool
}

// Problem is one bad field of one record (model.CheckDocument finds them).
type Problem = model.Problem

// ImportError lists every problem of a refused import; nothing was
// written. Its message's first line is a summary, then one line each.
type ImportError struct {
	Problems []Problem
}

func (e *ImportError) Error() string {
	var b strings.Builder
	n := len(e.Problems)
	fmt.Fprintf(&b, "import refused, nothing written: %d problem", n)
	if n != 1 {
		b.WriteString("s")
	}
	for _, p := range e.Problems {
		b.WriteString("\n")
		b.WriteString(p.Where)
		b.WriteString(": ")
		b.WriteString(p.Msg)
	}
	return b.String()
}

// Import adds a document to the store, all or nothing (see stage.go for
// documents larger than one transaction). Every record is checked first
// (model.CheckDocument, against what the store holds); any problem
// refuses the whole import with an *ImportError. Without events, one
// "imported" event is recorded per record (actor, now); with events, they
// are kept as they are and each case with events must be what replaying
// them gives.
func (s *Store) Import(doc *model.Document, actor string, now time.Time) (ImportResult, error) {
	return s.importDoc(doc, actor, now, importOptions{})
}

// importOptions are the ways of one import beyond the document.
type importOptions struct {
	// where names positions (CSV rows); nil is list[i].
	where func(list string, i int) string
	// written runs once a large import's keys are all written in place,
	// before its commit point (tests kill the process there, or fail the
	// import with its error).
	written func() error
}

func (s *Store) importDoc(doc *model.Document, actor string, now time.Time, o importOptions) (ImportResult, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return ImportResult{}, ErrClosed
	}
	if err := s.checkSpace(); err != nil {
		return ImportResult{}, err
	}
	defer holdHeap()()
	if actor == "" {
		actor = model.System
	}
	txn := s.db.NewTransaction(false)
	plan, problems, err := model.CheckDocument(doc, s.policy, txnLookup{txn}, model.CheckOptions{
		Now: now, RecordedAt: time.Now().Truncate(time.Second), Actor: actor, Where: o.where})
	txn.Discard()
	if err != nil {
		return ImportResult{}, err
	}
	if len(problems) > 0 {
		return ImportResult{}, &ImportError{Problems: problems}
	}
	// Badger writes into mmapped files it does not reserve: a disk that
	// fills during the write is a SIGBUS, so the space is asked for first.
	need := importFactor * planSize(plan, s.policy)
	if err := s.checkSpaceFor(need + minFree); err != nil {
		return ImportResult{}, err
	}
	res, err := s.writeImport(plan, o, need)
	if err != nil {
		return ImportResult{}, err
	}
	s.feed.resync()
	s.log.Info("imported", "cases", res.Cases, "accounts", res.Accounts, "users", res.Users,
		"time_entries", res.TimeEntries, "events", res.Events, "staged", res.Staged)
	return res, nil
}

// writeImport writes a checked import: in one transaction when it fits,
// else in place with a journal (stage.go). A full disk met before its
// commit point (need: the space it was estimated to take) is a
// *DiskFullError: nothing was written.
func (s *Store) writeImport(p *model.ImportPlan, o importOptions, need uint64) (res ImportResult, err error) {
	res = ImportResult{Accounts: len(p.Accounts), Users: len(p.Users), Cases: len(p.Cases),
		Escalations: len(p.Escalations), TimeEntries: len(p.Entries), Events: p.EventCount()}
	// The sequences are given back so that their stored values are the
	// next numbers, raised above the imported ones in the same write, and
	// taken again whatever happens.
	if err := s.releaseSequences(); err != nil {
		return res, fmt.Errorf("release the number sequences: %w", err)
	}
	defer func() {
		if s.closed {
			return
		}
		if terr := s.takeSequences(); terr != nil && err == nil {
			err = terr
		}
	}()
	var caseNext, entryNext int64
	if err := s.db.View(func(txn *badger.Txn) error {
		var err error
		if caseNext, err = getSeq(txn, kCaseSeq); err != nil {
			return err
		}
		entryNext, err = getSeq(txn, kEntrySeq)
		return err
	}); err != nil {
		return res, fmt.Errorf("read the number sequences: %w", err)
	}
	seqs := map[string]int64{kCaseSeq: max(caseNext, p.MaxCase+1), kEntrySeq: max(entryNext, p.MaxEntry+1)}
	emit := func(set func(k, v []byte) error) error { return emitImport(p, s.policy, set, seqs) }

	// One transaction when it fits: a plan of under half Badger's limit
	// is tried (its size, need, is counted with the same emit).
	if need/importFactor < uint64(s.db.MaxBatchSize()/2) {
		txn := s.db.NewTransaction(true)
		err = emit(txn.Set)
		if err == nil {
			err = txn.Commit()
			txn.Discard()
			return res, s.writeErr(err, need)
		}
		txn.Discard()
		if !errors.Is(err, badger.ErrTxnTooBig) {
			return res, s.writeErr(fmt.Errorf("write the import: %w", err), need)
		}
	}
	res.Staged = true
	keep := importKeep(p)
	if s.opts.InMemory {
		return res, s.writeErr(s.writeJournaled(keep, emit, o.written), need)
	}
	sp, err := s.spoolImport(emit)
	if err != nil {
		return res, s.writeErr(err, need)
	}
	defer sp.remove()
	dropPlan(func() { *p = model.ImportPlan{} }) // its caller has done with it
	return res, s.writeErr(s.writeJournaled(keep, sp.emit, o.written), need)
}

// importKeep is every key an import overwrites rather than adds: its
// undo sets them back (stage.go).
func importKeep(p *model.ImportPlan) [][]byte {
	keep := [][]byte{[]byte(kEventSeq), []byte(kCaseSeq), []byte(kEntrySeq)}
	for k := range p.Bank {
		keep = append(keep, bankKey(k.Account, k.Month))
	}
	for k := range p.Projects {
		keep = append(keep, projectKey(k.Account, k.Project))
	}
	return keep
}

// importPendingTxns is how many of a staged import's transactions may wait
// to be committed at once (Badger's default, 16, holds 16 x 2.4 MB).
const importPendingTxns = 2

// importHeapBudget is what an import may add to the Go heap: while it
// runs, the collector's soft limit is the live heap at its start plus
// this (unless a lower limit is already set). Badger's table building
// and the check's decoding leave garbage faster than the collector's
// default pace returns it, which doubled an import's resident memory; the
// limit only makes the collector run sooner. At 100,000 cases the check
// holds ~70-90 MB (records and plan) and the write from the spool ~100-130
// MB (Badger's memtables and table builders; the plan is let go first).
// The start's live heap is counted in so that a holder (serve, with its
// desk and its boards) is not held to a command's budget (the live heap
// of the last collection: no collection is forced).
var importHeapBudget int64 = 140 << 20

// HoldImportHeap holds the Go heap to an import's budget while a document
// is read and imported (the import command parses its document before it
// imports it); it returns what puts the previous limit back.
func HoldImportHeap() func() { return holdHeap() }

// holdHeap sets the import's heap limit and returns what puts the
// previous limit back.
func holdHeap() func() {
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	limit := int64(live[0].Value.Uint64()) + importHeapBudget
	prev := debug.SetMemoryLimit(-1)
	if prev <= limit {
		return func() {}
	}
	debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}

func getSeq(txn *badger.Txn, key string) (int64, error) {
	item, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var n int64
	err = item.Value(func(b []byte) (err error) {
		n, err = decInt(b)
		return err
	})
	return n, err
}

// importFactor is the disk space an import takes at its peak against the
// bytes of its keys and values: each is written to the memtable's log and
// then to a table, and a staged import does that twice (under the staging
// prefix, then in its place) before the staging is dropped. Measured 3.35
// (20,000 cases of 2 KB incompressible titles: 97 MB of keys and values,
// 325 MB at the peak).
const importFactor = 4

// planSize is the bytes of every key and value the import writes.
func planSize(p *model.ImportPlan, pol *model.Policy) uint64 {
	var n uint64
	count := func(k, v []byte) error {
		n += uint64(len(k) + len(v) + 16) // + Badger's per-entry header
		return nil
	}
	_ = emitImport(p, pol, count, map[string]int64{})
	return n
}

// emitImport writes every key of the import with its final value; pol is
// the policy of the auto-close index's due instants.
func emitImport(p *model.ImportPlan, pol *model.Policy, set func(k, v []byte) error, seqs map[string]int64) error {
	for i := range p.Accounts {
		if err := set(accountKey(p.Accounts[i].ID), encode(&p.Accounts[i])); err != nil {
			return err
		}
	}
	for i := range p.Users {
		if err := set(userKey(p.Users[i].ID), encode(&p.Users[i])); err != nil {
			return err
		}
	}
	noDel := func([]byte) error { return nil }
	for i := range p.Cases {
		c := &p.Cases[i]
		if err := set(caseKey(c.Number), encode(c)); err != nil {
			return err
		}
		if err := caseIndexes(set, noDel, pol, nil, c); err != nil {
			return err
		}
	}
	for i := range p.Escalations {
		e := &p.Escalations[i]
		if err := set(escKey(e.Case, e.Seq), encode(e)); err != nil {
			return err
		}
	}
	for i := range p.Entries {
		e := &p.Entries[i]
		if err := set(entryKey(e.ID), encode(e)); err != nil {
			return err
		}
		if err := set(entryAcctKey(e.Account, e.ID), nil); err != nil {
			return err
		}
	}
	bank := make(map[string]int64, len(p.Bank))
	for k, n := range p.Bank {
		bank[string(bankKey(k.Account, k.Month))] = n
	}
	projects := make(map[string]int64, len(p.Projects))
	for k, n := range p.Projects {
		projects[string(projectKey(k.Account, k.Project))] = n
	}
	for _, totals := range []map[string]int64{bank, projects} {
		keys := make([]string, 0, len(totals))
		for k := range totals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := set([]byte(k), encInt(totals[k])); err != nil {
				return err
			}
		}
	}
	if err := p.EachEvent(func(ev *model.Event) error { return putEvent(set, ev) }); err != nil {
		return err
	}
	if err := set([]byte(kEventSeq), encInt(p.EventSeq)); err != nil {
		return err
	}
	for _, k := range []string{kCaseSeq, kEntrySeq} {
		if err := set([]byte(k), encInt(seqs[k])); err != nil {
			return err
		}
	}
	return nil
}
