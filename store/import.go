package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
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

// Problem is one bad field of one record (model.DocCheck finds them).
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

// Import adds a document held in memory to the store, all or nothing
// (see stage.go for documents larger than one transaction). Every record
// is checked first (model.DocCheck, against what the store holds); any
// problem refuses the whole import with an *ImportError. Without events,
// one "imported" event is recorded per record (actor, now); with events,
// they are kept as they are and each case with events must be what
// replaying them gives.
func (s *Store) Import(doc *model.Document, actor string, now time.Time) (ImportResult, error) {
	return s.importDoc(doc, actor, now, importOptions{})
}

func (s *Store) importDoc(doc *model.Document, actor string, now time.Time, o importOptions) (ImportResult, error) {
	return s.importFrom(func(ck *model.DocCheck) error {
		model.FeedDocument(ck, doc)
		return nil
	}, actor, now, o)
}

// ImportJSON reads an interchange document from r and imports it as
// Import does, record by record: the document is never held, and a
// problem or a fault anywhere in it writes nothing. A document whose
// lists are not in the order accounts, users, cases, escalations,
// time_entries, events is read more than once; r is read whole into a
// file of the data directory first unless it is a file itself (so that
// a slow writer of r does not keep the store's writes waiting).
func (s *Store) ImportJSON(r io.Reader, actor string, now time.Time) (ImportResult, error) {
	return s.importJSON(r, actor, now, importOptions{})
}

func (s *Store) importJSON(r io.Reader, actor string, now time.Time, o importOptions) (ImportResult, error) {
	f, done, err := s.importInput(r)
	if err != nil {
		return ImportResult{}, err
	}
	defer done()
	return s.importFrom(func(ck *model.DocCheck) error {
		for first := true; !ck.Done(); first = false {
			if !first {
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					return fmt.Errorf("read the document again: %w", err)
				}
			}
			if err := ParseDocumentStream(f, 1024, checkSink{ck}); err != nil {
				return err
			}
			ck.EndPass()
		}
		return nil
	}, actor, now, o)
}

// importInput is r as a file read from its start: r itself when it is a
// regular file at its start, else a copy in the data directory (or the
// system's temporary directory for a store in memory), removed by done.
func (s *Store) importInput(r io.Reader) (f *os.File, done func(), err error) {
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if off, err := f.Seek(0, io.SeekCurrent); err == nil && off == 0 {
				return f, func() {}, nil
			}
		}
	}
	dir := s.dir
	if s.opts.InMemory {
		dir = ""
	}
	if dir != "" {
		if err := s.checkSpace(); err != nil {
			return nil, nil, err
		}
	}
	f, err = os.CreateTemp(dir, importInputName+"*")
	if err != nil {
		return nil, nil, fmt.Errorf("keep the document: %w", err)
	}
	done = func() {
		f.Close()
		os.Remove(f.Name())
	}
	if _, err := io.Copy(f, r); err != nil {
		done()
		return nil, nil, fmt.Errorf("read the document: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		done()
		return nil, nil, fmt.Errorf("read the document: %w", err)
	}
	return f, done, nil
}

// importInputName begins the name of an import's copy of its document in
// the data directory; Open removes a leftover.
const importInputName = "import.input."

// checkSink gives a streamed document to the import's check.
type checkSink struct{ ck *model.DocCheck }

func (c checkSink) Format(n int) error { c.ck.Format(n); return c.ck.Err() }
func (c checkSink) Accounts(chunk []model.AccountRecord) error {
	c.ck.Accounts(chunk)
	return c.ck.Err()
}
func (c checkSink) Users(chunk []model.UserRecord) error { c.ck.Users(chunk); return c.ck.Err() }
func (c checkSink) Cases(chunk []model.CaseRecord) error { c.ck.Cases(chunk); return c.ck.Err() }
func (c checkSink) Escalations(chunk []model.EscalationRecord) error {
	c.ck.Escalations(chunk)
	return c.ck.Err()
}
func (c checkSink) TimeEntries(chunk []model.TimeEntryRecord) error {
	c.ck.TimeEntries(chunk)
	return c.ck.Err()
}
func (c checkSink) Events(chunk []model.EventRecord) error { c.ck.Events(chunk); return c.ck.Err() }
func (c checkSink) End(list string) error                  { c.ck.End(list); return c.ck.Err() }

// importOptions are the ways of one import beyond the document.
type importOptions struct {
	// where names positions (CSV rows); nil is list[i].
	where func(list string, i int) string
	// checked runs once the document is checked without a problem, before
	// anything is written (the benchmark measures the check's memory).
	checked func()
	// written runs once a large import's keys are all written in place,
	// before its commit point (tests kill the process there, or fail the
	// import with its error).
	written func() error
}

// importFrom checks the document feed gives its records to, spooling
// each record as it is checked, and writes it if it has no problem.
func (s *Store) importFrom(feed func(*model.DocCheck) error, actor string, now time.Time, o importOptions) (ImportResult, error) {
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
	sp, err := s.newSpool()
	if err != nil {
		return ImportResult{}, err
	}
	defer sp.close()
	w := newImportWriter(sp, s.policy)
	txn := s.db.NewTransaction(false)
	ck := model.NewDocCheck(s.policy, txnLookup{txn}, w, model.CheckOptions{
		Now: now, RecordedAt: time.Now().Truncate(time.Second), Actor: actor, Where: o.where})
	err = feed(ck)
	var tot model.ImportTotals
	var problems []Problem
	if err == nil {
		tot, problems, err = ck.Finish()
	}
	txn.Discard()
	if err != nil {
		return ImportResult{}, err
	}
	if len(problems) > 0 {
		return ImportResult{}, &ImportError{Problems: problems}
	}
	if o.checked != nil {
		o.checked()
	}
	res, err := s.writeImport(w, &tot, o)
	if err != nil {
		return ImportResult{}, err
	}
	s.feed.resync()
	s.log.Info("imported", "cases", res.Cases, "accounts", res.Accounts, "users", res.Users,
		"time_entries", res.TimeEntries, "events", res.Events, "staged", res.Staged)
	return res, nil
}

// writeImport writes a checked import from its spool: in one transaction
// when it fits, else in place with a journal (stage.go). A full disk met
// before its commit point is a *DiskFullError: nothing was written.
func (s *Store) writeImport(w *importWriter, t *model.ImportTotals, o importOptions) (res ImportResult, err error) {
	res = ImportResult{Accounts: t.Accounts, Users: t.Users, Cases: t.Cases,
		Escalations: t.Escalations, TimeEntries: t.Entries, Events: t.Events}
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
	seqs := map[string]int64{kCaseSeq: max(caseNext, t.MaxCase+1), kEntrySeq: max(entryNext, t.MaxEntry+1)}
	if err := w.totals(t, seqs); err != nil {
		return res, s.writeErr(err, 0)
	}
	// Badger writes into mmapped files it does not reserve: a disk that
	// fills during the write is a SIGBUS, so the space is asked for first.
	need := importFactor * w.sp.size
	if err := s.checkSpaceFor(need + minFree); err != nil {
		return res, err
	}
	// One transaction when it fits: a spool of under half Badger's limit
	// is tried.
	if w.sp.size < uint64(s.db.MaxBatchSize()/2) {
		txn := s.db.NewTransaction(true)
		err = w.sp.emit(txn.Set)
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
	keep := importKeep(t)
	*w = importWriter{sp: w.sp} // the replay check's offsets are done with
	runtime.GC()                // the check's memory is let go before Badger's write needs its own
	return res, s.writeErr(s.writeJournaled(keep, w.sp.emit, o.written), need)
}

// importKeep is every key an import overwrites rather than adds: its
// undo sets them back (stage.go).
func importKeep(t *model.ImportTotals) [][]byte {
	keep := [][]byte{[]byte(kEventSeq), []byte(kCaseSeq), []byte(kEntrySeq)}
	for k := range t.Bank {
		keep = append(keep, bankKey(k.Account, k.Month))
	}
	for k := range t.Projects {
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
// keeps ~6 MB (55 bytes a case: model.DocCheck) and the write from the
// spool ~100-130 MB (Badger's memtables and table builders).
// The start's live heap is counted in so that a holder (serve, with its
// desk and its boards) is not held to a command's budget (the live heap
// of the last collection: no collection is forced).
var importHeapBudget int64 = 140 << 20

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
