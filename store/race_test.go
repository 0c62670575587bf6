package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"caseboard/model"
)

// TestTakeExactlyOnceApply: 100 goroutines take the same case through
// Apply and a hand-written take; exactly one wins. This proves the store's
// part (one transaction, serialized writers) without model.Do.
func TestTakeExactlyOnceApply(t *testing.T) {
	s := openMem(t)
	if _, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(1, "acme", t0), nil }); err != nil {
		t.Fatal(err)
	}
	var won, refused atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := s.Apply(takeFn(1, fmt.Sprintf("user%d", i), t0))
			var r *model.Refusal
			switch {
			case err == nil:
				won.Add(1)
			case errors.As(err, &r) && strings.Contains(r.Msg, "owned by"):
				refused.Add(1)
			default:
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if won.Load() != 1 || refused.Load() != 99 {
		t.Fatalf("won %d, refused %d", won.Load(), refused.Load())
	}
	evs, _ := s.Events(1)
	if len(evs) != 2 {
		t.Fatalf("%d events, want opened + one taken", len(evs))
	}
}

// TestBankEdgeApply: 50 goroutines log an hour each against a bank with
// 10 hours left; exactly 10 pass and the bank is never exceeded.
func TestBankEdgeApply(t *testing.T) {
	s := openMem(t)
	d := model.Date{Year: 2026, Month: 11, Day: 3}
	const bank = 3000
	if _, err := s.Apply(logTimeFn(1, "acme", bank-600, bank, d)); err != nil {
		t.Fatal(err)
	}
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := s.Apply(logTimeFn(int64(100+i), "acme", 60, bank, d)); err == nil {
				ok.Add(1)
			}
		}(i)
	}
	wg.Wait()
	used, _ := s.BankUsed("acme", d.MonthOf())
	if ok.Load() != 10 || used != bank {
		t.Fatalf("%d entries passed, bank used %d of %d", ok.Load(), used, bank)
	}
}

// skipUntilRules skips a test that needs model.Do while it is a stub.
func skipUntilRules(t *testing.T, err error) {
	if err != nil && strings.Contains(err.Error(), "not implemented") {
		t.Skip("model.Do is not implemented yet: this test runs once the rules land")
	}
}

// raceDesk imports a desk with 100 specialists (NA) and the sample.
func raceDesk(t *testing.T) *Store {
	s := openMem(t)
	doc := mustParse(t, sampleDoc)
	na := "na"
	for i := 0; i < 100; i++ {
		doc.Users = append(doc.Users, model.UserRecord{ID: fmt.Sprintf("spec%d", i), Name: "S", Role: "specialist", Region: &na, Keys: []string{}})
	}
	if _, err := s.Import(doc, "maria", t0); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTakeExactlyOnceRules: the same race through Store.Do and the real
// rules (model.Do). NEEDS model.Do: skipped while it is a stub.
func TestTakeExactlyOnceRules(t *testing.T) {
	s := raceDesk(t)
	ch, err := s.Do("maria", model.NewCase{Account: "acme", Severity: 3, Title: "race"}, t0)
	skipUntilRules(t, err)
	if err != nil {
		t.Fatal(err)
	}
	n := ch.Cases[0].Number
	var won, refused atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := s.Do(fmt.Sprintf("spec%d", i), model.TakeCase{Number: n}, t0)
			var r *model.Refusal
			switch {
			case err == nil:
				won.Add(1)
			case errors.As(err, &r) && strings.Contains(r.Msg, "cannot take "+model.CaseNumber(n)+": owned by"):
				refused.Add(1)
			default:
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if won.Load() != 1 || refused.Load() != 99 {
		t.Fatalf("won %d, refused %d", won.Load(), refused.Load())
	}
}

// TestBankEdgeRules: 50 goroutines log an hour through Store.Do at the
// bank's edge. NEEDS model.Do: skipped while it is a stub.
func TestBankEdgeRules(t *testing.T) {
	s := raceDesk(t)
	d := model.Date{Year: 2026, Month: 11, Day: 3}
	// acme is on TAM Enterprise (50 h); the sample used 150 minutes.
	_, err := s.Do("tina", model.LogTime{Account: "acme", Minutes: 3000 - 150 - 600, Category: "cadence-call", Date: d}, t0)
	skipUntilRules(t, err)
	if err != nil {
		t.Fatal(err)
	}
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Do("tina", model.LogTime{Account: "acme", Minutes: 60, Category: "cadence-call", Date: d}, t0); err == nil {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	used, _ := s.BankUsed("acme", d.MonthOf())
	if ok.Load() != 10 || used != 3000 {
		t.Fatalf("%d entries passed, bank used %d of 3000", ok.Load(), used)
	}
}
