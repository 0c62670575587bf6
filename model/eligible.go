package model

import "sort"

// What a form may offer: the choices the rules allow, so the board's forms
// offer nothing the model would refuse for a reason the form could know.

// StatusMoves lists the statuses `case status` may move a case to from
// its status, in the lifecycle table's order, each once.
func StatusMoves(from Status) []Status {
	var out []Status
	seen := map[Status]bool{}
	for _, m := range MovesFrom(from) {
		if m.By == "status" && !seen[m.To] {
			seen[m.To] = true
			out = append(out, m.To)
		}
	}
	return out
}

// AssignableUsers lists who a case may be assigned to: the specialists and
// managers of the desk other than its owner, by id.
func AssignableUsers(d *Desk, c Case) []User {
	var out []User
	for _, u := range d.Users {
		if (u.Role == Specialist || u.Role == Manager) && u.ID != c.Owner {
			out = append(out, *u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// AccountsOf lists the accounts a user opens cases and logs time for, by
// id: a TAM's own accounts, every account for anyone else.
func AccountsOf(d *Desk, u User) []Account {
	out := make([]Account, 0, len(d.Accounts))
	for _, a := range d.Accounts {
		if u.Role == TAM && a.TAM != u.ID {
			continue
		}
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
