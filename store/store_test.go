package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

func TestSyncWritesOn(t *testing.T) {
	s := openDir(t, t.TempDir())
	defer s.Close()
	if !s.SyncWrites() {
		t.Fatal("SyncWrites is off: an acknowledged write could be lost in a crash")
	}
}

func TestDefaultDir(t *testing.T) {
	env := map[string]string{"XDG_DATA_HOME": "/x", "HOME": "/h"}
	if got := DefaultDir(func(k string) string { return env[k] }); got != "/x/caseboard" {
		t.Fatal(got)
	}
	delete(env, "XDG_DATA_HOME")
	if got := DefaultDir(func(k string) string { return env[k] }); got != "/h/.local/share/caseboard" {
		t.Fatal(got)
	}
}

func TestOpenCreatesDir0700AndHolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := openDir(t, dir)
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("dir mode %v %v", fi.Mode(), err)
	}
	h, ok := readHolder(dir)
	if !ok || h.PID != os.Getpid() || h.Role != "command" {
		t.Fatalf("holder %+v %v", h, ok)
	}
	s.Close()
	if _, ok := readHolder(dir); ok {
		t.Fatal("holder file left after Close")
	}
}

func TestApplyWritesAndReads(t *testing.T) {
	s := openMem(t)
	if _, err := s.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	n, err := s.NextCaseNumber()
	if err != nil || n <= 1043 {
		t.Fatalf("next case number %d %v: must be above every imported one", n, err)
	}
	if _, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(n, "acme", t0), nil }); err != nil {
		t.Fatal(err)
	}
	ch, err := s.Apply(takeFn(n, "sam", t0))
	if err != nil {
		t.Fatal(err)
	}
	if ch.Events[0].Seq == 0 || ch.Events[0].RecordedAt.IsZero() {
		t.Fatalf("event not numbered: %+v", ch.Events[0])
	}
	_, err = s.Apply(takeFn(n, "lee", t0))
	var r *model.Refusal
	if !errors.As(err, &r) || r.Msg != "cannot take "+model.CaseNumber(n)+": owned by sam" {
		t.Fatalf("second take: %v", err)
	}
	c, err := s.Case(n)
	if err != nil || c.Owner != "sam" || c.Status != model.StatusAssigned {
		t.Fatalf("case %+v %v", c, err)
	}
	if _, err := s.Case(99999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing case: %v", err)
	}
	open, _ := s.OpenCases()
	if len(open) != 2 || open[0].Number != 1042 || open[1].Number != n {
		t.Fatalf("open cases %v", open)
	}
	evs, _ := s.Events(n)
	if len(evs) != 2 || evs[0].Kind != "opened" || evs[1].Kind != "taken" || evs[0].Seq >= evs[1].Seq {
		t.Fatalf("events %+v", evs)
	}
	if used, _ := s.BankUsed("acme", model.Month{Year: 2026, Month: 11}); used != 150 {
		t.Fatalf("bank used %d", used)
	}
	if used, _ := s.ProjectUsed("acme", "search-v2"); used != 90 {
		t.Fatalf("project used %d", used)
	}
	tes, _ := s.TimeEntries("acme")
	if len(tes) != 2 {
		t.Fatalf("entries %v", tes)
	}
	e, err := s.Escalation(1042)
	if err != nil || e.Seq != 1 || e.UpdateEvery != 4*time.Hour {
		t.Fatalf("escalation %+v %v", e, err)
	}
	d, err := s.LoadDesk()
	if err != nil || countCases(t, d) != 3 || len(d.Users) != 3 || d.BankUsed("acme", model.Month{Year: 2026, Month: 11}) != 150 {
		t.Fatalf("desk %v", err)
	}
	if !d.OwnsOpenCases("sam") {
		t.Fatal("desk: sam owns open cases")
	}
	var owns bool
	s.Apply(func(v model.View) (*model.Change, error) {
		owns = v.OwnsOpenCases("sam") && !v.OwnsOpenCases("maria") && v.HasUsers()
		return nil, nil
	})
	if !owns {
		t.Fatal("view OwnsOpenCases / HasUsers")
	}
}

func TestRoundTripByteForByte(t *testing.T) {
	a := openMem(t)
	if _, err := a.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	a.Apply(takeFn(1043, "sam", t0)) // a refusal or not: the trail grows either way
	first := exportBytes(t, a)
	b := openMem(t)
	doc, err := ParseDocument(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Import(doc, "maria", t0); err != nil {
		t.Fatal(err)
	}
	second := exportBytes(t, b)
	if !bytes.Equal(first, second) {
		t.Fatalf("export differs after a round trip:\n%s\n----\n%s", first, second)
	}
	if !strings.Contains(string(first), `"Go-live Friday <b>"`) {
		t.Fatal("HTML escaping is on")
	}
	if !strings.Contains(string(first), `"opened_at": "2026-11-20T10:00:00-05:00"`) {
		t.Fatal("NA instants not in Eastern time")
	}
}

// TestReadAfterCloseIsAnError: a read that comes after Close (a feed
// subscriber resyncing as the process stops) gets ErrClosed; Badger itself
// panics on a read of a closed DB, which took serve down at shutdown.
func TestReadAfterCloseIsAnError(t *testing.T) {
	s := openDir(t, t.TempDir())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadDesk(); !errors.Is(err, ErrClosed) {
		t.Errorf("LoadDesk after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Users(); !errors.Is(err, ErrClosed) {
		t.Errorf("Users after Close: %v, want ErrClosed", err)
	}
}

// TestRoundTripAfterPeopleAndPlansChange: a desk whose history outlived
// its people and plans (a specialist who closed a case and left, a TAM who
// logged time and left, an account moved down from Enterprise with managed
// time and a month past the smaller bank, another moved to no TAM plan)
// exports a document that imports into an empty store and exports again
// byte for byte; the import refused each of them before ("is not a user",
// "bank for 2026-11 is 10h00m", "has no managed services", "has no TAM
// plan"). The same records without their events are still refused.
func TestRoundTripAfterPeopleAndPlansChange(t *testing.T) {
	a := openMem(t)
	nov := model.Date{Year: 2026, Month: 11, Day: 3}
	tamPlan := func(p model.TAMPlan) *model.TAMPlan { return &p }
	tam := func(u string) *string { return &u }
	steps := []struct {
		actor string
		a     model.Action
	}{
		{"", model.AddUser{User: model.User{ID: "maria", Name: "Maria", Role: model.Manager, Region: model.NA}}},
		{"maria", model.AddUser{User: model.User{ID: "lee", Name: "Lee", Role: model.Specialist, Region: model.NA}}},
		{"maria", model.AddUser{User: model.User{ID: "tina", Name: "Tina", Role: model.TAM, Region: model.NA}}},
		{"maria", model.AddUser{User: model.User{ID: "tom", Name: "Tom", Role: model.TAM, Region: model.NA}}},
		{"maria", model.AddAccount{Account: model.Account{ID: "acme", Name: "Acme", Plan: model.Premium, Region: model.NA, TAMPlan: "enterprise", TAM: "tina"}}},
		{"maria", model.AddAccount{Account: model.Account{ID: "globex", Name: "Globex", Plan: model.Plus, Region: model.NA, TAMPlan: "tam10", TAM: "tina"}}},
		{"maria", model.NewCase{Account: "acme", Severity: 3, Title: "Facets wrong"}},
		{"lee", model.TakeCase{Number: 1}},
		{"lee", model.RespondCase{Number: 1}},
		{"lee", model.CloseCase{Number: 1, Reason: model.ReasonResolved}},
		{"tina", model.LogTime{Account: "acme", Minutes: 8 * 60, Category: "cadence-call", Date: nov}},
		{"tina", model.LogTime{Account: "acme", Minutes: 7 * 60, Category: "platform-administration", Mode: model.ModeManaged, Date: nov}},
		{"tina", model.LogTime{Account: "globex", Minutes: 60, Category: "cadence-call", Date: nov}},
		{"maria", model.SetAccount{ID: "acme", TAMPlan: tamPlan("tam10"), TAM: tam("tom")}},
		{"maria", model.SetAccount{ID: "globex", TAMPlan: tamPlan(model.TAMNone), TAM: tam("tom")}},
		{"maria", model.RemoveUser{ID: "lee"}},
		{"maria", model.RemoveUser{ID: "tina"}},
	}
	for _, s := range steps {
		if _, err := a.Do(s.actor, s.a, t0); err != nil {
			t.Fatalf("%s %T: %v", s.actor, s.a, err)
		}
	}
	first := exportBytes(t, a)
	doc, err := ParseDocument(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	b := openMem(t)
	if _, err := b.Import(doc, "maria", t0); err != nil {
		t.Fatalf("the export does not import: %v", err)
	}
	if second := exportBytes(t, b); !bytes.Equal(first, second) {
		t.Fatalf("export differs after a round trip:\n%s\n----\n%s", first, second)
	}
	// Without the events that tell the history, each is refused.
	doc.Events = nil
	_, err = openMem(t).Import(doc, "maria", t0)
	for _, want := range []string{`cases[0].owner: "lee" is not a user`, `time_entries[0].tam: "tina" is not a user`,
		"acme's bank for 2026-11 is 10h00m (TAM 10): this entry takes it to 15h00m", "TAM 10 has no managed services",
		"globex has no TAM plan"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the records without their events: %v, want %q", err, want)
		}
	}
}
