package store

import (
	"reflect"
	"testing"
	"time"

	"caseboard/model"
)

// A user's acknowledgement is on disk: the store reopened lists it for
// that user and no other; an alert never raised is refused, nothing
// written.
func TestAcksSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir)
	boot := t0.Add(-24 * time.Hour)
	for _, a := range []struct {
		actor string
		a     model.Action
	}{
		{"", model.AddUser{User: model.User{ID: "maria", Name: "Maria", Role: model.Manager, Region: model.NA}}},
		{"maria", model.AddUser{User: model.User{ID: "tina", Name: "Tina", Role: model.TAM, Region: model.NA}}},
		{"maria", model.AddAccount{Account: model.Account{ID: "acme", Name: "Acme", Plan: model.Premium, Region: model.NA,
			TAMPlan: "enterprise", TAM: "tina"}}},
		{"maria", model.NewCase{Account: "acme", Severity: 2, Title: "Index stuck", Contact: "Ana"}},
	} {
		if _, err := s.Do(a.actor, a.a, boot); err != nil {
			t.Fatal(err)
		}
	}
	as, err := s.Alerts()
	if err != nil || len(as) == 0 {
		t.Fatalf("alerts %v, %v: the new case raised none", as, err)
	}
	id := as[0].ID
	if err := s.Ack("tina", id); err != nil {
		t.Fatal(err)
	}
	if err := s.Ack("tina", id); err != nil {
		t.Fatalf("a second ack: %v", err)
	}
	if err := s.Ack("tina", "no-such-alert"); err == nil {
		t.Fatal("an alert never raised was acknowledged")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openDir(t, dir)
	defer s.Close()
	got, err := s.Acks("tina")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []string{id}) {
		t.Fatalf("tina's acks after reopen = %q, want [%q]", got, id)
	}
	if got, _ := s.Acks("maria"); len(got) != 0 {
		t.Fatalf("maria's acks = %q: another user's ack counted for her", got)
	}
	// "tin" is a prefix of "tina": its acks are its own.
	if got, _ := s.Acks("tin"); len(got) != 0 {
		t.Fatalf("tin's acks = %q", got)
	}
}

// Ending an alert subscription closes its channel (a board blocked on it
// returns), once however often it is ended, and publishes nothing more.
func TestSubscribeAlertsStopCloses(t *testing.T) {
	s := openMem(t)
	ch, stop := s.SubscribeAlerts(4)
	done := make(chan bool)
	go func() {
		_, ok := <-ch
		done <- ok
	}()
	stop()
	stop()
	select {
	case ok := <-done:
		if ok {
			t.Fatal("a stopped subscription delivered an alert")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a reader stayed blocked on a stopped subscription")
	}
	s.alerts.hold([]model.Alert{{ID: "x"}})
	s.alerts.publish() // must not send on the closed channel
}
