package serve

import (
	"errors"
	"testing"

	"caseboard/ui"
)

// ackStore records the acknowledgements that reach the store.
type ackStore struct {
	ui.Backend
	acks []string
}

func (a *ackStore) Ack(user, id string) error {
	a.acks = append(a.acks, user+" "+id)
	return nil
}

// An SSH board's acknowledgement asks the session's guard like every
// write: once the session's access is removed it is refused and nothing
// reaches the store.
func TestGuardedAckAsksTheSession(t *testing.T) {
	st := &ackStore{}
	l := &live{user: "maria"}
	g := guarded{Backend: st, s: &Server{}, l: l}
	l.revoked.Store(true)
	if err := g.Ack("maria", "new-case/00001001"); !errors.Is(err, errAccessRemoved) {
		t.Fatalf("ack after removal: %v, want the access refusal", err)
	}
	if len(st.acks) != 0 {
		t.Fatalf("a removed session's ack reached the store: %q", st.acks)
	}
}
