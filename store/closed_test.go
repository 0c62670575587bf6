package store

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
	"caseboard/store/demo"
)

// countCases is how many cases a desk has, in memory and on disk.
func countCases(t *testing.T, d *model.Desk) int {
	t.Helper()
	n := 0
	if err := d.EachCase(func(*model.Case, []model.Escalation) bool { n++; return true }); err != nil {
		t.Fatal(err)
	}
	return n
}

// closedStore is the demo desk of 400 cases imported into a store, with
// a case closed and one reopened through the store since.
func closedStore(t *testing.T, now time.Time) (*Store, string) {
	t.Helper()
	p := model.DefaultPolicy()
	res, err := demo.Build(p, demo.Options{Seed: 7, Now: now, Cases: 400})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := openDir(t, dir)
	if _, err := s.Import(res.Desk.Document(p), "", now); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// closeOne closes an open case with no open escalation and reopens the
// most recently closed one, through the store; it returns both numbers.
func closeOne(t *testing.T, s *Store, d *model.Desk, now time.Time) (closed, reopened int64) {
	t.Helper()
	manager := ""
	for id, u := range d.Users {
		if u.Role == model.Manager && (manager == "" || id < manager) {
			manager = id
		}
	}
	newest, err := closedArchive{s}.NewestClosed(model.ClosedMark{}, 1)
	if err != nil || len(newest) != 1 {
		t.Fatalf("newest closed: %v %v", newest, err)
	}
	reopened = newest[0].Number
	for _, n := range d.CaseNumbers() {
		if !d.Cases[n].IsOpen() {
			continue
		}
		if _, err := s.Do(manager, model.CloseCase{Number: n, Reason: model.ReasonResolved}, now); err == nil {
			closed = n
			break
		}
	}
	if closed == 0 {
		t.Fatal("no case could be closed")
	}
	if _, err := s.Do(manager, model.ReopenCase{Number: reopened}, now); err != nil {
		t.Fatalf("reopen %d: %v", reopened, err)
	}
	return closed, reopened
}

// TestClosedCasesStayOnDisk: a desk loaded from a store holds none of its
// closed cases in memory, yet finds each by number, lists them newest
// first in pages, and gives every report what the whole desk gives.
func TestClosedCasesStayOnDisk(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)
	p := model.DefaultPolicy()
	defer func(n int) { closedBatch = n }(closedBatch)
	closedBatch = 7 // EachClosed crosses many batches
	s, _ := closedStore(t, now)
	defer s.Close()
	whole0, err := s.LoadWholeDesk()
	if err != nil {
		t.Fatal(err)
	}
	closeOne(t, s, whole0, now)

	got, err := s.LoadDesk()
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.LoadWholeDesk()
	if err != nil {
		t.Fatal(err)
	}
	if got.Closed == nil || want.Closed != nil {
		t.Fatal("LoadDesk has no archive, or LoadWholeDesk has one")
	}
	var closed []*model.Case
	for _, n := range want.CaseNumbers() {
		if c := want.Cases[n]; !c.IsOpen() {
			closed = append(closed, c)
		}
	}
	if len(closed) < 50 {
		t.Fatalf("only %d closed cases: the test tests little", len(closed))
	}
	for n, c := range got.Cases {
		if !c.IsOpen() {
			t.Fatalf("closed case %d is in memory", n)
		}
	}
	if len(got.Cases)+len(closed) != len(want.Cases) {
		t.Fatalf("%d open in memory + %d closed != %d cases", len(got.Cases), len(closed), len(want.Cases))
	}
	for n := range got.Escalations {
		if _, ok := got.Cases[n]; !ok {
			t.Fatalf("the escalations of closed case %d are in memory", n)
		}
	}
	if got.NextCaseNumber() != want.NextCaseNumber() {
		t.Fatal("the desk numbers new cases differently")
	}

	// `#`-style lookups, and the View the rules read.
	for _, n := range want.CaseNumbers() {
		c, es, ok, err := got.Lookup(n)
		if err != nil || !ok || !reflect.DeepEqual(c, want.Cases[n]) {
			t.Fatalf("Lookup(%d) = %+v %v %v, want %+v", n, c, ok, err, want.Cases[n])
		}
		if !reflect.DeepEqual(es, want.Escalations[n]) {
			t.Fatalf("Lookup(%d) escalations %+v, want %+v", n, es, want.Escalations[n])
		}
		gv, _ := got.Case(n)
		wv, _ := want.Case(n)
		ge, gok := got.Escalation(n)
		we, wok := want.Escalation(n)
		if !reflect.DeepEqual(gv, wv) || gok != wok || !reflect.DeepEqual(ge, we) {
			t.Fatalf("the View differs on case %d", n)
		}
	}
	if _, ok := got.Find(99999999); ok {
		t.Fatal("a missing case was found")
	}
	// Every case, in number order.
	var nums []int64
	if err := got.EachCase(func(c *model.Case, es []model.Escalation) bool {
		nums = append(nums, c.Number)
		if !reflect.DeepEqual(c, want.Cases[c.Number]) || !reflect.DeepEqual(es, want.Escalations[c.Number]) {
			t.Fatalf("EachCase gives case %d otherwise", c.Number)
		}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(nums, want.CaseNumbers()) {
		t.Fatalf("EachCase gave %d cases, want %d in number order", len(nums), len(want.Cases))
	}

	// The Closed tab's order, a page at a time.
	slices.SortFunc(closed, func(a, b *model.Case) int { return model.CompareClosed(model.MarkOf(a), model.MarkOf(b)) })
	var paged []*model.Case
	mark := model.ClosedMark{}
	for {
		page, err := got.Closed.NewestClosed(mark, 7)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page...)
		if len(page) < 7 {
			break
		}
		mark = model.MarkOf(page[len(page)-1])
	}
	if !reflect.DeepEqual(paged, closed) {
		t.Fatalf("pages give %d closed cases, want %d newest first", len(paged), len(closed))
	}

	// Every report, byte for byte.
	from, to := model.Date{Year: 2026, Month: 10, Day: 1}, model.DateOf(now, p.HomeZone())
	for _, f := range []model.SLAFilter{{}, {Region: model.EMEA}, {Account: "umbrella"}} {
		if g, w := renderSLA(t, got, p, from, to, f, now), renderSLA(t, want, p, from, to, f, now); !bytes.Equal(g, w) {
			t.Fatalf("the SLA report %+v differs:\n%s\nwant:\n%s", f, g, w)
		}
	}
	if g, w := model.ManagerTrend(got, p, now, 8, 14), model.ManagerTrend(want, p, now, 8, 14); !reflect.DeepEqual(g, w) {
		t.Fatalf("the manager's trend differs:\n%+v\nwant\n%+v", g, w)
	}
	for id := range want.Accounts {
		for _, day := range []model.Date{to, {Year: 2026, Month: 11, Day: 20}} {
			g, w := renderDaily(t, got, p, id, day, s.Events, now), renderDaily(t, want, p, id, day, s.Events, now)
			if !bytes.Equal(g, w) {
				t.Fatalf("the daily report of %s on %s differs:\n%s\nwant:\n%s", id, day, g, w)
			}
		}
	}
}

func renderSLA(t *testing.T, d *model.Desk, p *model.Policy, from, to model.Date, f model.SLAFilter, now time.Time) []byte {
	t.Helper()
	r := model.SLAReport(d, p, from, to, f, now)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	var b bytes.Buffer
	if err := r.RenderMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if err := r.RenderJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func renderDaily(t *testing.T, d *model.Desk, p *model.Policy, acct string, day model.Date, evs func(int64) ([]model.Event, error), now time.Time) []byte {
	t.Helper()
	r, err := model.DailyReport(d, p, acct, day, evs, now)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.RenderMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if err := r.RenderJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestClosedCaseLeavesMemoryThroughTheFeed: a change that closes a case
// takes it out of a loaded desk (it is on disk since that commit), and a
// reopen brings it back with its escalations.
func TestClosedCaseLeavesMemoryThroughTheFeed(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)
	s, _ := closedStore(t, now)
	defer s.Close()
	d, err := s.LoadDesk()
	if err != nil {
		t.Fatal(err)
	}
	// A closed case with escalations, within its reopen window.
	var withEsc int64
	page, err := d.Closed.NewestClosed(model.ClosedMark{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range page {
		if _, es, _, _ := d.Lookup(c.Number); len(es) > 0 && now.Sub(c.ClosedAt) < 29*24*time.Hour {
			withEsc = c.Number
			break
		}
	}
	feed, cancel := s.Subscribe()
	defer cancel()
	closed, reopened := closeOne(t, s, d, now)
	for i := 0; i < 2; i++ {
		u := <-feed
		d.Apply(u.Change, now)
	}
	if _, ok := d.Cases[closed]; ok {
		t.Fatalf("case %d closed and stayed in memory", closed)
	}
	if c, ok := d.Find(closed); !ok || c.IsOpen() {
		t.Fatalf("case %d is not found closed: %+v", closed, c)
	}
	if c, ok := d.Cases[reopened]; !ok || !c.IsOpen() {
		t.Fatalf("reopened case %d is not in memory", reopened)
	}
	t.Logf("closed %d, reopened %d, then reopened %d (with escalations)", closed, reopened, withEsc)
	if withEsc == 0 || withEsc == reopened {
		t.Fatal("no closed case with escalations within its window: the test tests little")
	}
	if _, err := s.Do("maria", model.ReopenCase{Number: withEsc}, now); err != nil {
		t.Fatal(err)
	}
	d.Apply((<-feed).Change, now)
	_, es, _, _ := closedArchive{s}.ClosedCase(withEsc)
	if !reflect.DeepEqual(d.Escalations[withEsc], es) || len(es) == 0 {
		t.Fatalf("case %d came back with escalations %+v, want %+v", withEsc, d.Escalations[withEsc], es)
	}
	if d.ClosedErr() != nil {
		t.Fatal(d.ClosedErr())
	}
}

// TestOldStoreGetsTheClosedIndex: a store of schema 2 (no closed index)
// opened only to read loads whole, as before; the first open that may
// act builds the index and raises the schema.
func TestOldStoreGetsTheClosedIndex(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)
	s, dir := closedStore(t, now)
	want, err := s.LoadDesk()
	if err != nil {
		t.Fatal(err)
	}
	wantPage, err := want.Closed.NewestClosed(model.ClosedMark{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	all := countCases(t, want)
	if err := s.db.Update(func(txn *badger.Txn) error {
		var keys [][]byte
		if err := eachKey(txn, []byte(pClosed), func(rest []byte) error {
			keys = append(keys, cat(pClosed, rest))
			return nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return txn.Set([]byte(kSchema), encInt(2))
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	r, err := Open(Options{Dir: dir, Role: "command", Read: true})
	if err != nil {
		t.Fatal(err)
	}
	d, err := r.LoadDesk()
	if err != nil {
		t.Fatal(err)
	}
	if d.Closed != nil || len(d.Cases) != all || schemaOf(t, r) != 2 {
		t.Fatalf("a read open of schema 2: archive %v, %d cases in memory, schema %d", d.Closed != nil, len(d.Cases), schemaOf(t, r))
	}
	r.Close()

	s = openDir(t, dir)
	defer s.Close()
	if schemaOf(t, s) != SchemaVersion {
		t.Fatalf("schema %d after the open that may act", schemaOf(t, s))
	}
	d, err = s.LoadDesk()
	if err != nil || d.Closed == nil {
		t.Fatalf("no archive after the index was built: %v", err)
	}
	page, err := d.Closed.NewestClosed(model.ClosedMark{}, 1000)
	if err != nil || !reflect.DeepEqual(page, wantPage) || len(page) == 0 {
		t.Fatalf("the built index lists %d closed cases, want %d (%v)", len(page), len(wantPage), err)
	}
}
