package model

import (
	"slices"
	"testing"
)

// TestStatusMoves: the statuses a status change may reach, as DOMAIN.md's
// table has them, each once and in its order.
func TestStatusMoves(t *testing.T) {
	for from, want := range map[Status][]Status{
		StatusNew:             nil,
		StatusAssigned:        nil,
		StatusInProgress:      {StatusWaitingCustomer, StatusWaitingDevelopment, StatusFixAvailable},
		StatusWaitingCustomer: {StatusInProgress, StatusWaitingDevelopment, StatusFixAvailable},
		StatusFixAvailable:    {StatusInProgress, StatusWaitingCustomer},
		StatusClosed:          nil,
	} {
		if got := StatusMoves(from); !slices.Equal(got, want) {
			t.Errorf("StatusMoves(%s) = %v, want %v", from, got, want)
		}
	}
}

// TestAssignableUsersAndAccountsOf: on the fixture desk, a case is
// assignable to the specialists and managers but its owner; a TAM's
// accounts are their own, a manager's all of them, both by id.
func TestAssignableUsersAndAccountsOf(t *testing.T) {
	f := newFixture(t)
	var ids []string
	for _, u := range AssignableUsers(f.d, Case{Owner: "sam"}) {
		ids = append(ids, u.ID)
	}
	if want := []string{"eve", "lee", "maria", "max"}; !slices.Equal(ids, want) {
		t.Errorf("assignable: %v, want %v", ids, want)
	}
	accts := func(u User) []string {
		var out []string
		for _, a := range AccountsOf(f.d, u) {
			out = append(out, a.ID)
		}
		return out
	}
	if got, want := accts(*f.d.Users["tina"]), []string{"acme", "initech"}; !slices.Equal(got, want) {
		t.Errorf("tina's accounts: %v, want %v", got, want)
	}
	if got, want := accts(*f.d.Users["maria"]), []string{"acme", "globex", "initech", "umbrella"}; !slices.Equal(got, want) {
		t.Errorf("maria's accounts: %v, want %v", got, want)
	}
}
