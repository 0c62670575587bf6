package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
	"caseboard/store/demo"
)

// deskFromRecords is the desk as LoadDesk built it before it decoded
// straight into the desk: every record read through the store's readers
// and applied as one Change.
func deskFromRecords(t *testing.T, s *Store) *model.Desk {
	t.Helper()
	ch := &model.Change{}
	var err error
	if ch.Cases, err = s.Cases(); err != nil {
		t.Fatal(err)
	}
	if ch.Escalations, err = s.AllEscalations(); err != nil {
		t.Fatal(err)
	}
	if ch.Accounts, err = s.Accounts(); err != nil {
		t.Fatal(err)
	}
	if ch.Users, err = s.Users(); err != nil {
		t.Fatal(err)
	}
	if ch.TimeEntries, err = s.TimeEntries(""); err != nil {
		t.Fatal(err)
	}
	_ = s.view(func(txn *badger.Txn) error {
		if err := eachTotal(txn, pBank, func(acct, rest string, n int64) {
			m, _ := model.ParseMonth(rest)
			ch.Bank = append(ch.Bank, model.BankDelta{Account: acct, Month: m, Minutes: int(n)})
		}); err != nil {
			return err
		}
		return eachTotal(txn, pProject, func(acct, rest string, n int64) {
			ch.Projects = append(ch.Projects, model.ProjectDelta{Account: acct, Project: rest, Minutes: int(n)})
		})
	})
	d := model.NewDesk()
	d.DropEvents = true
	d.Apply(ch, time.Time{})
	seq, _ := s.LastSeq()
	d.SetLastSeq(seq)
	return d
}

// TestLoadDeskSameAsRecords (guard): the desk LoadDesk decodes straight
// from the store is the desk its records make, on the demo desk (every
// stage, escalations, time entries, banks, projects) after a day of the
// simulator, with a hostile title: every case, escalation, account,
// user, entry, total and the next numbers.
func TestLoadDeskSameAsRecords(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)
	res, err := demo.Build(model.DefaultPolicy(), demo.Options{Seed: 7, Now: now, Cases: 400})
	if err != nil {
		t.Fatal(err)
	}
	s := openDir(t, t.TempDir())
	defer s.Close()
	if _, err := s.Import(res.Desk.Document(model.DefaultPolicy()), "", now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(func(v model.View) (*model.Change, error) {
		c, _ := v.Case(3)
		c.Title = "\x1b[2J \"quoted\" \u202e naïve"
		return &model.Change{Cases: []model.Case{c}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadWholeDesk()
	if err != nil {
		t.Fatal(err)
	}
	want := deskFromRecords(t, s)
	if len(got.Cases) != len(want.Cases) || len(got.Cases) < 400 {
		t.Fatalf("%d cases loaded, %d stored", len(got.Cases), len(want.Cases))
	}
	for n, c := range want.Cases {
		if !reflect.DeepEqual(got.Cases[n], c) {
			t.Fatalf("case %d:\nloaded %+v\nstored %+v", n, got.Cases[n], c)
		}
	}
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"escalations", got.Escalations, want.Escalations}, {"accounts", got.Accounts, want.Accounts},
		{"users", got.Users, want.Users}, {"time entries", got.TimeEntries, want.TimeEntries},
		{"banks", got.Bank, want.Bank}, {"projects", got.Projects, want.Projects},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Fatalf("%s differ", f.name)
		}
	}
	if len(want.Escalations) == 0 || len(want.TimeEntries) == 0 || len(want.Bank) == 0 {
		t.Fatal("the demo desk has no escalation, entry or bank: the test tests little")
	}
	if got.LastSeq() != want.LastSeq() || got.NextCaseNumber() != want.NextCaseNumber() || got.NextEntryID() != want.NextEntryID() {
		t.Fatal("the loaded desk numbers differently")
	}
}
