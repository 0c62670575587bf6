package demo

import (
	"reflect"
	"testing"
	"time"

	"caseboard/model"
)

// caseOf is the case a move acts on (0 for none: a new case, time).
func caseOf(a model.Action) int64 {
	v := reflect.ValueOf(a)
	if f := v.FieldByName("Number"); f.IsValid() && f.Kind() == reflect.Int64 {
		return f.Int()
	}
	return 0
}

// TestSimulatorSparesThePersonAtTheKeyboard: over thousands of steps,
// while the person at the keyboard switches user (u) and takes cases and
// decides escalations themselves, the simulator never acts as them, nor on
// a case they own, nor on one whose escalation they accepted or declined;
// it still keeps the rest of the desk moving.
func TestSimulatorSparesThePersonAtTheKeyboard(t *testing.T) {
	p := model.DefaultPolicy()
	d := build(t, 5).Desk
	person := "maria"
	sim := NewSimulator(p, 5)
	events := func(n int64) ([]model.Event, error) {
		var out []model.Event
		for _, ev := range d.Events {
			if ev.Case == n {
				out = append(out, ev)
			}
		}
		return out, nil
	}
	sim.Spare(Keyboard{Actor: func() string { return person }, Events: events})
	decidedBy := func(n int64, who string) bool {
		evs, _ := events(n)
		for _, ev := range evs {
			if (ev.Kind == "accepted" || ev.Kind == "declined") && ev.Actor == who {
				return true
			}
		}
		return false
	}
	people := []string{"maria", "sam", "omar", "eva", "tina"}
	now := demoNow
	done, spared := 0, 0
	for i := 0; i < 3000; i++ {
		now = now.Add(5 * time.Second)
		if i%300 == 0 {
			person = people[(i/300)%len(people)] // u: someone else sits down
		}
		if i%40 == 0 {
			// The person works too: takes the newest case, accepts a
			// requested escalation (a manager).
			for _, n := range d.CaseNumbers() {
				c := d.Cases[n]
				if c.Status == model.StatusNew {
					if _, err := d.Do(p, person, model.TakeCase{Number: n}, now, now); err == nil {
						break
					}
				}
			}
			for _, n := range d.CaseNumbers() {
				if e, ok := d.Escalation(n); ok && e.Status == model.EscRequested {
					if _, err := d.Do(p, person, model.AcceptEscalation{Number: n, Every: 2 * time.Hour}, now, now); err == nil {
						break
					}
				}
			}
		}
		m, ok := sim.Next(d, now)
		if !ok {
			continue
		}
		if m.Actor == person {
			t.Fatalf("step %d: the simulator acts as %s: %#v", i, person, m.Action)
		}
		if n := caseOf(m.Action); n != 0 {
			if c := d.Cases[n]; c.Owner == person {
				t.Fatalf("step %d: the simulator acts on %s's case %d: %#v", i, person, n, m.Action)
			}
			if decidedBy(n, person) {
				t.Fatalf("step %d: the simulator acts on %d, whose escalation %s decided: %#v", i, n, person, m.Action)
			}
		}
		if _, err := d.Do(p, m.Actor, m.Action, now, now); err == nil {
			done++
		}
		owned := 0
		for _, c := range d.Cases {
			if c.IsOpen() && c.Owner == person {
				owned++
			}
		}
		if owned > 0 {
			spared++
		}
	}
	if done < 1500 {
		t.Errorf("only %d of 3000 moves were allowed: the simulator stopped moving the desk", done)
	}
	if spared < 1000 {
		t.Errorf("the person owned open cases in only %d steps: the test proves little", spared)
	}
}
