package store

import (
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

// outboxDesk is a store with a manager, a TAM account and two hooks: one
// for every alert, one for breaches only.
func outboxDesk(t *testing.T) *Store {
	t.Helper()
	s := openMem(t)
	boot := t0.Add(-24 * time.Hour)
	for _, a := range []struct {
		actor string
		a     model.Action
	}{
		{"", model.AddUser{User: model.User{ID: "maria", Name: "Maria", Role: model.Manager, Region: model.NA}}},
		{"maria", model.AddUser{User: model.User{ID: "tina", Name: "Tina", Role: model.TAM, Region: model.NA}}},
		{"maria", model.AddAccount{Account: model.Account{ID: "acme", Name: "Acme", Plan: model.Premium, Region: model.NA,
			TAMPlan: "enterprise", TAM: "tina"}}},
	} {
		if _, err := s.Do(a.actor, a.a, boot); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range []model.Hook{{ID: "all", URL: "https://example.test/a", Format: model.HookJSON},
		{ID: "late", URL: "https://example.test/b", Format: model.HookJSON, Kinds: []string{"breached"}}} {
		if err := s.AddHook(h); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func outboxIDs(t *testing.T, s *Store) []string {
	t.Helper()
	ps, err := s.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.Hook+" "+p.Alert.ID)
	}
	return out
}

// A change's alerts are in the outbox when the change returns (same
// transaction), for the hooks that take them; the tick raises each clock
// step once, however often it runs.
func TestOutboxRaisedWithTheChangeAndOnce(t *testing.T) {
	s := outboxDesk(t)
	alerts, stop := s.SubscribeAlerts(16)
	defer stop()
	// Premium sev 2: 2h, due 12:00 ET.
	ch, err := s.Do("maria", model.NewCase{Account: "acme", Severity: 2, Title: "Index stuck", Contact: "Ana"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	n := model.CaseNumber(ch.Cases[0].Number)
	if got := strings.Join(outboxIDs(t, s), ","); got != "all new-case/"+n {
		t.Fatalf("outbox after opening: %s", got)
	}
	select {
	case a := <-alerts:
		if a.ID != "new-case/"+n {
			t.Fatalf("watcher got %s", a.ID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no alert published")
	}
	if _, next, err := s.RaiseDue(t0); err != nil || !next.Equal(t0.Add(time.Hour)) {
		t.Fatalf("next after opening: %s %v, want the 60m step", next, err)
	}
	for _, now := range []time.Time{t0.Add(59 * time.Minute), t0.Add(61 * time.Minute), t0.Add(62 * time.Minute),
		t0.Add(2*time.Hour + time.Second), t0.Add(3 * time.Hour)} {
		if _, _, err := s.RaiseDue(now); err != nil {
			t.Fatal(err)
		}
	}
	due := t0.Add(2 * time.Hour).Unix()
	want := []string{"all new-case/" + n,
		"all due-soon/" + n + "/initial-response/" + itoa(int(due)) + "/1h",
		"all breached/" + n + "/initial-response/" + itoa(int(due)) + "/breached",
		"late breached/" + n + "/initial-response/" + itoa(int(due)) + "/breached"}
	if got := strings.Join(outboxIDs(t, s), "\n"); got != strings.Join(want, "\n") {
		t.Fatalf("outbox:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	as, err := s.Alerts()
	if err != nil || len(as) != 3 {
		t.Fatalf("alerts %d %v", len(as), err)
	}
	// Delivered: out of the outbox, logged; removing a hook drops its rest.
	ps, _ := s.Outbox()
	if err := s.Delivered(ps[0], DeliveryLog{At: t0, Hook: ps[0].Hook, Alert: ps[0].Alert.ID, Attempt: 1, Status: 200, Final: true}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delivered(ps[1], DeliveryLog{At: t0, Hook: ps[1].Hook, Alert: ps[1].Alert.ID, Attempt: 1, Status: 503}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveHook("late"); err != nil {
		t.Fatal(err)
	}
	rest, _ := s.Outbox()
	if len(rest) != 2 || rest[0].Attempt != 1 || !rest[0].NextAt.Equal(t0.Add(time.Minute)) || rest[1].Hook != "all" {
		t.Fatalf("outbox after delivery: %+v", rest)
	}
	logs, _ := s.HookLog("all")
	if len(logs) != 2 || logs[0].Status != 200 || !logs[1].Failed() {
		t.Fatalf("log %+v", logs)
	}
	if err := s.RemoveHook("late"); err == nil || err.Error() != "cannot remove hook late: no such hook" {
		t.Fatalf("second remove: %v", err)
	}
	if err := s.AddHook(model.Hook{ID: "all", URL: "https://x.test", Format: "json"}); err == nil || err.Error() != "cannot add hook all: it exists" {
		t.Fatalf("duplicate add: %v", err)
	}
}

// A refused action raises nothing.
func TestOutboxNothingForARefusal(t *testing.T) {
	s := outboxDesk(t)
	if _, err := s.Do("maria", model.NewCase{Account: "nope", Severity: 2, Title: "x", Contact: "Ana"}, t0); err == nil {
		t.Fatal("allowed")
	}
	if got := outboxIDs(t, s); len(got) != 0 {
		t.Fatalf("outbox %v", got)
	}
}

// TestRaiseDueMoreThanATransaction: a desk that owes more alerts at once
// than one transaction holds (a first start on an imported desk full of
// breaches) raises every one, each once and in every hook's outbox. It
// used to fail whole ("Txn is too big") on every tick: a desk of 100,000
// cases never raised an alert.
func TestRaiseDueMoreThanATransaction(t *testing.T) {
	s := openMem(t)
	if _, err := s.Import(bigDoc(6000), "maria", t0); err != nil {
		t.Fatal(err)
	}
	const hooks = 6
	for i := 0; i < hooks; i++ {
		if err := s.AddHook(model.Hook{ID: "h" + itoa(i), URL: "https://example.test/" + itoa(i), Format: model.HookJSON}); err != nil {
			t.Fatal(err)
		}
	}
	raised, _, err := s.RaiseDue(t0)
	if err != nil {
		t.Fatalf("raise due: %v", err)
	}
	// bigDoc closes one case in five; none has a response: each open case
	// is breached, or at severity 1 with no call logged, call-required.
	open := 6000 * 4 / 5
	owed := map[string]int{}
	for _, a := range raised {
		if a.Kind == model.AlertBreached || a.Kind == model.AlertCallRequired {
			owed[model.CaseNumber(a.Case)]++
		}
	}
	if len(owed) != open || len(raised) != open {
		t.Fatalf("%d alerts raised, for %d cases; want one for each of the %d open cases", len(raised), len(owed), open)
	}
	as, err := s.Alerts()
	if err != nil || len(as) != len(raised) {
		t.Fatalf("%d alerts stored (%v), %d raised", len(as), err, len(raised))
	}
	ps, err := s.Outbox()
	if err != nil || len(ps) != hooks*len(raised) {
		t.Fatalf("outbox holds %d (%v), want %d hooks x %d alerts", len(ps), err, hooks, len(raised))
	}
	if again, _, err := s.RaiseDue(t0); err != nil || len(again) != 0 {
		t.Fatalf("raised %d again (%v)", len(again), err)
	}
	t.Logf("%d alerts, %d outbox entries", len(raised), len(ps))
}

// TestRemoveHookWithABacklog: a hook whose endpoint was down holds more
// undelivered alerts than one transaction can delete; removing it drops
// them all, and the other hook keeps its own. It used to fail whole ("Txn
// is too big"): such a hook could not be removed.
func TestRemoveHookWithABacklog(t *testing.T) {
	s := openMem(t)
	for _, id := range []string{"down", "up"} {
		if err := s.AddHook(model.Hook{ID: id, URL: "https://example.test/" + id, Format: model.HookJSON}); err != nil {
			t.Fatal(err)
		}
	}
	raiseMany(t, s, 0, 9000)
	if ps, err := s.Outbox(); err != nil || len(ps) != 18000 {
		t.Fatalf("outbox %d %v", len(ps), err)
	}
	if err := s.RemoveHook("down"); err != nil {
		t.Fatalf("remove a hook with 9,000 undelivered: %v", err)
	}
	ps, err := s.Outbox()
	if err != nil || len(ps) != 9000 {
		t.Fatalf("outbox after: %d %v, want the other hook's 9,000", len(ps), err)
	}
	for _, p := range ps {
		if p.Hook != "up" {
			t.Fatalf("%s's alert %s left in the outbox", p.Hook, p.Alert.ID)
		}
	}
	if hs, _ := s.Hooks(); len(hs) != 1 || hs[0].ID != "up" {
		t.Fatalf("hooks after: %+v", hs)
	}
	if err := s.RemoveHook("down"); err == nil || err.Error() != "cannot remove hook down: no such hook" {
		t.Fatalf("second remove: %v", err)
	}
}
