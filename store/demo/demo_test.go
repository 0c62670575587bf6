package demo

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

var demoNow = time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC) // Wed 10:30 ET, 15:30 GMT

func build(t *testing.T, seed uint64) *Result {
	t.Helper()
	res, err := Build(model.DefaultPolicy(), Options{Seed: seed, Now: demoNow})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestDemoDeskIsARealDesk checks what a newcomer must see on the demo
// board: a whole team, accounts on every plan, region and TAM plan, cases
// at every status and severity, breaches, calls required, escalations at
// every status and outcome, and time entries with an account at its bank.
func TestDemoDeskIsARealDesk(t *testing.T) {
	res := build(t, 1)
	d := res.Desk
	p := model.DefaultPolicy()
	if len(res.Refused) > 0 {
		t.Errorf("the rules refused %d demo steps, first: %s", len(res.Refused), strings.Join(res.Refused[:min(5, len(res.Refused))], "\n"))
	}
	if len(d.Users) < 8 {
		t.Errorf("users = %d, want at least 8", len(d.Users))
	}
	roles := map[model.Role]bool{}
	for _, u := range d.Users {
		roles[u.Role] = true
	}
	for _, r := range model.Roles() {
		if !roles[r] {
			t.Errorf("no demo user with role %s", r)
		}
	}
	if len(d.Accounts) < 12 {
		t.Errorf("accounts = %d, want 12", len(d.Accounts))
	}
	seen := map[string]bool{}
	for _, a := range d.Accounts {
		seen["plan:"+string(a.Plan)] = true
		seen["region:"+string(a.Region)] = true
		seen["tam:"+string(a.TAMPlan)] = true
		if len(a.Contacts) == 0 {
			t.Errorf("account %s has no contacts", a.ID)
		}
	}
	for _, want := range []string{"plan:basic", "plan:plus", "plan:premium", "region:na", "region:emea",
		"tam:none", "tam:tam10", "tam:tam20", "tam:enterprise"} {
		if !seen[want] {
			t.Errorf("no demo account with %s", want)
		}
	}
	if len(d.Cases) < 150 {
		t.Errorf("cases = %d, want 150", len(d.Cases))
	}
	statuses, sevs := map[model.Status]int{}, map[int]int{}
	breached, callRequired, escalated := 0, 0, 0
	for _, c := range d.Cases {
		statuses[c.Status]++
		sevs[c.Severity]++
		esc, hasEsc := d.Escalation(c.Number)
		var ep *model.Escalation
		if hasEsc {
			ep = &esc
			if esc.Open() {
				escalated++
			}
		}
		if !c.IsOpen() {
			continue
		}
		if u, ok := model.Urgent(model.Clocks(c, ep, p)); ok {
			if u.CallRequired {
				callRequired++
			} else if u.At(demoNow, p).State == model.StateBreached {
				breached++
			}
		}
	}
	for _, s := range model.Statuses() {
		if statuses[s] == 0 {
			t.Errorf("no demo case is %s", s)
		}
	}
	for sev := 1; sev <= 4; sev++ {
		if sevs[sev] == 0 {
			t.Errorf("no demo case of severity %d", sev)
		}
	}
	if breached == 0 || callRequired == 0 || escalated == 0 {
		t.Errorf("breached %d, call required %d, escalated %d: want some of each", breached, callRequired, escalated)
	}
	escStatus, outcomes := map[string]bool{}, map[string]bool{}
	for _, es := range d.Escalations {
		for _, e := range es {
			escStatus[e.Status] = true
			if e.Outcome != "" {
				outcomes[e.Outcome] = true
			}
		}
	}
	for _, s := range []string{model.EscRequested, model.EscAccepted, model.EscDeclined, model.EscClosed, model.EscDeescalated} {
		if !escStatus[s] {
			t.Errorf("no demo escalation is %s", s)
		}
	}
	if len(outcomes) < 2 {
		t.Errorf("escalation outcomes %v: want several", outcomes)
	}
	month := model.DateOf(demoNow, p.TAMZone).MonthOf()
	if used := d.BankUsed("initech", month); used != p.TAMPlans["tam10"].BankMinutes() {
		t.Errorf("initech used %d minutes this month, want exactly its bank", used)
	}
	if used := d.BankUsed("hooli", month); used == 0 || used >= p.TAMPlans["tam10"].BankMinutes() {
		t.Errorf("hooli used %d minutes: want near but under its bank", used)
	}
	for _, ev := range d.Events {
		if ev.At.After(demoNow) {
			t.Fatalf("event %d %s at %s is after now", ev.Seq, ev.Kind, ev.At)
		}
	}
}

func TestDemoIsDeterministic(t *testing.T) {
	p := model.DefaultPolicy()
	a, _ := model.MarshalDocument(build(t, 7).Desk.Document(p))
	b, _ := model.MarshalDocument(build(t, 7).Desk.Document(p))
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed and now gave two different desks")
	}
	c, _ := model.MarshalDocument(build(t, 8).Desk.Document(p))
	if bytes.Equal(a, c) {
		t.Fatal("another seed gave the same desk")
	}
}

func TestSimulatorMovesTheDesk(t *testing.T) {
	p := model.DefaultPolicy()
	d := build(t, 3).Desk
	sim := NewSimulator(p, 3)
	now := demoNow
	done := 0
	kinds := map[string]bool{}
	for i := 0; i < 300; i++ {
		now = now.Add(5 * time.Second)
		m, ok := sim.Next(d, now)
		if !ok {
			continue
		}
		if ch, err := d.Do(p, m.Actor, m.Action, now, now); err == nil {
			done++
			for _, ev := range ch.Events {
				kinds[ev.Kind] = true
			}
		}
	}
	if done < 150 {
		t.Errorf("only %d of 300 simulated moves were allowed", done)
	}
	for _, k := range []string{"opened", "taken", "responded", "closed", "time-logged"} {
		if !kinds[k] {
			t.Errorf("the simulator never did %q (did %v)", k, kinds)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	p := model.DefaultPolicy()
	for i := 0; i < b.N; i++ {
		if _, err := Build(p, Options{Seed: 1, Now: demoNow}); err != nil {
			b.Fatal(err)
		}
	}
}
