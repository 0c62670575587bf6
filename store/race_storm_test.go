package store

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"caseboard/model"
)

// stormDesk: a manager pair, 20 NA specialists, one TAM account with 10
// hours left this month, and `cases` severity-3 cases opened weeks ago
// (eligible for escalation), all new.
func stormDesk(t *testing.T, cases int) *Store {
	t.Helper()
	s := openMem(t)
	na := "na"
	tam, ana := "tina", "Ana"
	doc := &model.Document{Format: 1,
		Users: []model.UserRecord{
			{ID: "maria", Name: "Maria", Role: "manager", Region: &na, Keys: []string{}},
			{ID: "omar", Name: "Omar", Role: "manager", Region: &na, Keys: []string{}},
			{ID: "tina", Name: "Tina", Role: "tam", Region: &na, Keys: []string{}},
		},
		Accounts: []model.AccountRecord{{ID: "acme", Name: "Acme", Plan: "premium", Region: "na",
			TAMPlan: "tam10", TAM: &tam, Contacts: []model.ContactRecord{{Name: "Ana", Kind: "contact"}}}},
	}
	for i := 0; i < 20; i++ {
		doc.Users = append(doc.Users, model.UserRecord{ID: fmt.Sprintf("spec%d", i), Name: "S", Role: "specialist", Region: &na, Keys: []string{}})
	}
	for i := 1; i <= cases; i++ {
		doc.Cases = append(doc.Cases, model.CaseRecord{Number: int64(i), Account: "acme", Severity: 3,
			Title: fmt.Sprintf("storm %d", i), Status: "new", Contact: &ana, OpenedAt: "2026-11-02T10:00:00-05:00"})
	}
	if _, err := s.Import(doc, "maria", t0); err != nil {
		t.Fatal(err)
	}
	return s
}

// race runs g goroutines doing one action each and returns how many
// succeeded; refusals are expected, any other error fails the test.
func race(t *testing.T, s *Store, g int, act func(i int) (string, model.Action)) int {
	var won atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < g; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			actor, a := act(i)
			_, err := s.Do(actor, a, t0)
			var r *model.Refusal
			switch {
			case err == nil:
				won.Add(1)
			case errors.As(err, &r):
			default:
				t.Errorf("%s %T: %v", actor, a, err)
			}
		}(i)
	}
	wg.Wait()
	return int(won.Load())
}

// TestConflictingActionsExactlyOnce: on every case at once, waves of
// goroutines race through the whole life of a case via Store.Do and the
// real rules (take, respond, set status, escalate, accept, close the
// escalation, close the case), while others log time at the edge of the
// bank. Every wave has exactly one winner, the bank ends exactly full, the
// audit trail has one event per win, and everything ends before a
// deadline (no deadlock).
func TestConflictingActionsExactlyOnce(t *testing.T) {
	const cases, g = 8, 12
	s := stormDesk(t, cases)
	d := model.Date{Year: 2026, Month: 11, Day: 3}
	done := make(chan struct{})
	var bankWins atomic.Int32
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // the bank edge: 10 h = 600 min, 40 x 20 min tries
			defer wg.Done()
			bankWins.Store(int32(race(t, s, 40, func(i int) (string, model.Action) {
				actor := "tina"
				if i%2 == 1 {
					actor = "maria"
				}
				return actor, model.LogTime{Account: "acme", Minutes: 20, Category: "cadence-call", Date: d, Note: fmt.Sprint(i)}
			})))
		}()
		for n := int64(1); n <= cases; n++ {
			wg.Add(1)
			go func(n int64) {
				defer wg.Done()
				var owner atomic.Value
				waves := []struct {
					name string
					act  func(i int) (string, model.Action)
				}{
					{"take", func(i int) (string, model.Action) {
						return fmt.Sprintf("spec%d", (int(n)+i)%20), model.TakeCase{Number: n}
					}},
					{"respond", func(i int) (string, model.Action) {
						return owner.Load().(string), model.RespondCase{Number: n}
					}},
					{"status", func(i int) (string, model.Action) {
						return owner.Load().(string), model.SetStatus{Number: n, To: model.StatusWaitingDevelopment}
					}},
					{"escalate", func(i int) (string, model.Action) {
						actor := owner.Load().(string)
						if i%2 == 1 {
							actor = "maria"
						}
						return actor, model.Escalate{Number: n, By: "contact:Ana", Channel: model.ChannelPhone, Justification: "go-live"}
					}},
					{"accept", func(i int) (string, model.Action) {
						return []string{"maria", "omar"}[i%2], model.AcceptEscalation{Number: n, Every: 4 * time.Hour}
					}},
					{"close escalation", func(i int) (string, model.Action) {
						return []string{"maria", "omar"}[i%2], model.CloseEscalation{Number: n, Outcome: model.OutcomeFix, Summary: "fixed"}
					}},
					{"close", func(i int) (string, model.Action) {
						actor := owner.Load().(string)
						if i%3 == 0 {
							actor = "maria"
						}
						return actor, model.CloseCase{Number: n, Reason: model.ReasonResolved}
					}},
				}
				for _, w := range waves {
					if got := race(t, s, g, w.act); got != 1 {
						t.Errorf("case %d: %s: %d winners of %d", n, w.name, got, g)
						return
					}
					if w.name == "take" {
						c, err := s.Case(n)
						if err != nil {
							t.Error(err)
							return
						}
						owner.Store(c.Owner)
					}
				}
			}(n)
		}
		wg.Wait()
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		buf := make([]byte, 1<<20)
		t.Fatalf("deadlock: the storm did not end in 60 s\n%s", buf[:runtime.Stack(buf, true)])
	}
	if t.Failed() {
		return
	}
	if bankWins.Load() != 30 {
		t.Errorf("%d time entries passed the bank check, want 30 (600 min / 20)", bankWins.Load())
	}
	if used, _ := s.BankUsed("acme", d.MonthOf()); used != 600 {
		t.Errorf("bank used %d of 600", used)
	}
	p := s.Policy()
	for n := int64(1); n <= cases; n++ {
		c, err := s.Case(n)
		if err != nil {
			t.Fatal(err)
		}
		escs, _ := s.Escalations(n)
		if c.Status != model.StatusClosed || len(escs) != 1 || escs[0].Status != model.EscClosed {
			t.Errorf("case %d ends %s with %d escalations", n, c.Status, len(escs))
		}
		if err := caseInvariants(&c, escs); err != nil {
			t.Errorf("case %d: %v", n, err)
		}
		evs, _ := s.Events(n)
		var kinds []string
		for _, ev := range evs {
			kinds = append(kinds, ev.Kind)
		}
		want := "[imported taken responded status escalated accepted escalation-closed closed]"
		if fmt.Sprint(kinds) != want {
			t.Errorf("case %d: events %v, want %s", n, kinds, want)
		}
		got, _, err := model.ReplayCase(evs)
		if err != nil || recordJSON(*got) != recordJSON(model.CaseToRecord(&c, p)) {
			t.Errorf("case %d: the audit trail does not replay to the case (%v)", n, err)
		}
	}
}
