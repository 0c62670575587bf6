package store

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// waitingDoc is a desk of n cases for the auto-close index: waiting for the
// customer with both follow-ups logged (due at instants spread over three
// weeks, some replied since, one escalated), with one follow-up only, in
// progress, closed, in both regions.
func waitingDoc(n int) *model.Document {
	na, emea := "na", "emea"
	doc := &model.Document{Format: 1,
		Users: []model.UserRecord{
			{ID: "maria", Name: "Maria Chen", Role: "manager", Region: &na, Keys: []string{}},
			{ID: "sam", Name: "Sam Ortiz", Role: "specialist", Region: &na, Keys: []string{}},
		},
		Accounts: []model.AccountRecord{
			{ID: "acme", Name: "Acme", Plan: "premium", Region: na, TAMPlan: "none", Contacts: []model.ContactRecord{}},
			{ID: "globex", Name: "Globex", Plan: "basic", Region: emea, TAMPlan: "none", Contacts: []model.ContactRecord{}},
		}}
	ts := func(t time.Time) *string { s := t.UTC().Format(time.RFC3339); return &s }
	owner := "sam"
	base := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		acct, region := "acme", na
		if i%2 == 0 {
			acct, region = "globex", emea
		}
		opened := base.Add(time.Duration(i) * 97 * time.Minute)
		c := model.CaseRecord{Number: int64(i), Account: acct, Severity: 2 + i%3, Title: fmt.Sprintf("case %d", i),
			Status: "waiting-customer", Region: region, OpenedAt: *ts(opened), Owner: &owner,
			RespondedAt: ts(opened.Add(time.Hour)), WaitingSince: ts(opened.Add(2 * time.Hour))}
		switch i % 6 {
		case 0, 1, 2: // both follow-ups: may auto-close
			c.Followup1At, c.Followup2At = ts(opened.Add(20*time.Hour)), ts(opened.Add(50*time.Hour))
		case 3: // answered since
			c.Followup1At, c.Followup2At = ts(opened.Add(20*time.Hour)), ts(opened.Add(50*time.Hour))
			c.RepliedAt = ts(opened.Add(60 * time.Hour))
		case 4:
			c.Followup1At = ts(opened.Add(20 * time.Hour))
		case 5:
			reason := "resolved"
			c.Status, c.ClosedAt, c.CloseReason = "closed", ts(opened.Add(3*time.Hour)), &reason
		}
		doc.Cases = append(doc.Cases, c)
	}
	doc.Escalations = append(doc.Escalations, model.EscalationRecord{Case: 6, Status: "requested",
		RequestedAt: *ts(base.Add(30 * time.Hour)), RequestedBy: "contact:Ana", RecordedBy: "sam", Channel: "phone",
		Justification: "go-live", Updates: []model.UpdateRecord{}})
	return doc
}

// indexKeys lists the auto-close index as "UNIX/NUM".
func indexKeys(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	err := s.db.View(func(txn *badger.Txn) error {
		return eachKey(txn, []byte(pAutoClose), func(rest []byte) error {
			out = append(out, fmt.Sprintf("%d/%d", int64(uint64(decNum(rest[:8]))^1<<63), decNum(rest[8:])))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wantKeys is what the index must hold under p: every open case that may
// auto-close, at its due instant, read the slow way.
func wantKeys(t *testing.T, s *Store, p *model.Policy) []string {
	t.Helper()
	open, err := s.OpenCases()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var keys [][]byte
	for i := range open {
		if due, ok := model.AutoCloseDue(&open[i], p); ok {
			keys = append(keys, autoCloseKey(due, open[i].Number))
		}
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i], keys[j]) < 0 })
	for _, k := range keys {
		rest := k[len(pAutoClose):]
		out = append(out, fmt.Sprintf("%d/%d", int64(uint64(decNum(rest[:8]))^1<<63), decNum(rest[8:])))
	}
	return out
}

// dueBoth is what the auto-close closes at each of many instants, from the
// store's candidates and from every open case: they must be the same.
// indexed: the candidates come from the index (only the due cases, and
// the escalated one), else from every open case.
func dueBoth(t *testing.T, s *Store, p *model.Policy, indexed bool) {
	t.Helper()
	escOpen := func(n int64) bool { e, err := s.Escalation(n); return err == nil && e.Open() }
	open, err := s.OpenCases()
	if err != nil {
		t.Fatal(err)
	}
	some := 0
	for at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC); at.Before(time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)); at = at.Add(11*time.Hour + 13*time.Minute) {
		cands, err := s.AutoCloseCandidates(p, at)
		if err != nil {
			t.Fatal(err)
		}
		got := model.DueAutoCloses(cands, escOpen, p, at)
		want := model.DueAutoCloses(open, escOpen, p, at)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("at %s the index gives %v, every open case %v", at, got, want)
		}
		some = max(some, len(want))
		if indexed && len(cands) > len(want)+1 { // the escalated case stays a candidate
			t.Fatalf("at %s the index gave %d candidates for %d due", at, len(cands), len(want))
		}
	}
	if some < 10 {
		t.Fatalf("the desk never had more than %d cases due: the test tests nothing", some)
	}
	if cands, _ := s.AutoCloseCandidates(p, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); indexed != (len(cands) == 0) {
		t.Fatalf("indexed %v, yet %d candidates before anything is due", indexed, len(cands))
	}
}

// TestAutoCloseIndexFollowsTheCase: the index key of a case is written in
// the case's own transaction, moves with its due instant and goes when
// the case can no longer auto-close (a reply, a close).
func TestAutoCloseIndexFollowsTheCase(t *testing.T) {
	s := openMem(t)
	if _, err := s.Import(waitingDoc(12), "maria", t0); err != nil {
		t.Fatal(err)
	}
	p := s.policy
	if got, want := indexKeys(t, s), wantKeys(t, s, p); !reflect.DeepEqual(got, want) || len(got) != 6 {
		t.Fatalf("after the import the index is %v, want %v", got, want)
	}
	write := func(n int64, edit func(c *model.Case)) {
		t.Helper()
		if _, err := s.Apply(func(v model.View) (*model.Change, error) {
			c, _ := v.Case(n)
			edit(&c)
			return &model.Change{Cases: []model.Case{c}, Events: []model.Event{{At: t0, Actor: "sam", Case: n, Kind: "noted"}}}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	write(4, func(c *model.Case) { c.Followup2At = c.Followup1At.Add(30 * time.Hour) }) // had one follow-up only
	c4, _ := s.Case(4)
	due, _ := model.AutoCloseDue(&c4, p)
	if !strings.Contains(strings.Join(indexKeys(t, s), " "), fmt.Sprintf("%d/4", due.Unix())) {
		t.Fatalf("follow-up 2 logged: no key for case 4 due %s in %v", due, indexKeys(t, s))
	}
	if got, err := s.AutoCloseCandidates(p, due.Add(-time.Second)); err != nil || hasCase(got, 4) {
		t.Fatalf("a second before due: %v, %v", numbers(got), err)
	}
	if got, _ := s.AutoCloseCandidates(p, due); !hasCase(got, 4) {
		t.Fatalf("at due: %v", numbers(got))
	}
	write(4, func(c *model.Case) { c.Followup2At = c.Followup2At.Add(200 * time.Hour) }) // a later follow-up moves it
	write(1, func(c *model.Case) { c.RepliedAt = c.Followup2At.Add(time.Hour) })         // answered
	write(2, func(c *model.Case) {
		c.Status, c.ClosedAt, c.CloseReason = model.StatusClosed, c.Followup2At.Add(time.Hour), model.ReasonResolved
	})
	if got, want := indexKeys(t, s), wantKeys(t, s, p); !reflect.DeepEqual(got, want) || len(got) != 5 {
		t.Fatalf("after the changes the index is %v, want %v", got, want)
	}
}

func hasCase(cs []model.Case, n int64) bool {
	for _, c := range cs {
		if c.Number == n {
			return true
		}
	}
	return false
}

func numbers(cs []model.Case) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.Number)
	}
	return out
}

// makeOld turns a store into one written before the index: schema 1, no
// rule, no index key.
func makeOld(t *testing.T, s *Store) {
	t.Helper()
	err := s.db.Update(func(txn *badger.Txn) error {
		var keys [][]byte
		if err := eachKey(txn, []byte(pAutoClose), func(rest []byte) error {
			keys = append(keys, cat(pAutoClose, rest))
			return nil
		}); err != nil {
			return err
		}
		for _, k := range append(keys, []byte(kAutoClose)) {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return txn.Set([]byte(kSchema), encInt(1))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func schemaOf(t *testing.T, s *Store) int64 {
	t.Helper()
	var n int64
	if err := s.db.View(func(txn *badger.Txn) (err error) { n, err = getInt(txn, []byte(kSchema)); return err }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOldStoreGetsTheAutoCloseIndex: a store of schema 1 (no index) opened
// by a command that only reads is left as it is, and its auto-close still
// finds every due case (from the open cases); the first open that may act
// builds the index and raises the schema, and from then on the index's
// candidates close exactly what reading every open case would, at every
// instant of two months.
func TestOldStoreGetsTheAutoCloseIndex(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir)
	if _, err := s.Import(waitingDoc(600), "maria", t0); err != nil {
		t.Fatal(err)
	}
	makeOld(t, s)
	s.Close()

	r, err := Open(Options{Dir: dir, Role: "command", Read: true})
	if err != nil {
		t.Fatal(err)
	}
	if keys := indexKeys(t, r); len(keys) != 0 || schemaOf(t, r) != 1 {
		t.Fatalf("a read open wrote: schema %d, %d index keys", schemaOf(t, r), len(keys))
	}
	dueBoth(t, r, r.policy, false)
	r.Close()

	s = openDir(t, dir)
	defer s.Close()
	if schemaOf(t, s) != SchemaVersion {
		t.Fatalf("schema %d after the open that may act", schemaOf(t, s))
	}
	if got, want := indexKeys(t, s), wantKeys(t, s, s.policy); !reflect.DeepEqual(got, want) || len(got) != 300 {
		t.Fatalf("built index: %d keys, want %d", len(got), len(want))
	}
	dueBoth(t, s, s.policy, true)
}

// TestAutoCloseIndexUnderAnotherPolicy: the index holds one policy's due
// instants. Opened under a policy with other auto-close days, a store
// builds it again; asked under a policy it was not built for, it answers
// from every open case; back under the first policy, built again.
func TestAutoCloseIndexUnderAnotherPolicy(t *testing.T) {
	short, err := model.ParsePolicy(bytes.Replace(model.DefaultPolicyTOML(), []byte("auto_close_days = 4"), []byte("auto_close_days = 2"), 1), "short.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := openDir(t, dir)
	if _, err := s.Import(waitingDoc(300), "maria", t0); err != nil {
		t.Fatal(err)
	}
	dueBoth(t, s, short, false) // not the index's policy: every open case
	s.Close()

	s, err = Open(Options{Dir: dir, Role: "command", Policy: short})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := indexKeys(t, s), wantKeys(t, s, short); !reflect.DeepEqual(got, want) {
		t.Fatalf("under the short policy the index is %v, want %v", got, want)
	}
	if reflect.DeepEqual(wantKeys(t, s, short), wantKeys(t, s, model.DefaultPolicy())) {
		t.Fatal("the two policies give the same due instants: the test tests nothing")
	}
	dueBoth(t, s, short, true)
	s.Close()

	s = openDir(t, dir)
	defer s.Close()
	if got, want := indexKeys(t, s), wantKeys(t, s, s.policy); !reflect.DeepEqual(got, want) {
		t.Fatalf("back under the default policy the index is %v, want %v", got, want)
	}
	dueBoth(t, s, s.policy, true)
}

// TestAutoCloseIndexBuildResumes: a build cut short leaves no rule (it is
// deleted first and written last), so the next open builds the whole
// index again, dropping what the cut build left of it.
func TestAutoCloseIndexBuildResumes(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir)
	if _, err := s.Import(waitingDoc(120), "maria", t0); err != nil {
		t.Fatal(err)
	}
	want := wantKeys(t, s, s.policy)
	// As a build cut after its first batches would leave it: no rule, half
	// the keys, and a key of a case that can no longer auto-close.
	err := s.db.Update(func(txn *badger.Txn) error {
		if err := txn.Delete([]byte(kAutoClose)); err != nil {
			return err
		}
		i := 0
		if err := eachKey(txn, []byte(pAutoClose), func(rest []byte) error {
			i++
			if i%2 == 0 {
				return txn.Delete(cat(pAutoClose, rest))
			}
			return nil
		}); err != nil {
			return err
		}
		return txn.Set(autoCloseKey(t0, 5), nil) // case 5 is closed
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openDir(t, dir)
	defer s.Close()
	if got := indexKeys(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the cut build the index is %v, want %v", got, want)
	}
}
