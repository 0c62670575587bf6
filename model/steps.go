package model

import "fmt"

// Step is one of the four steps of an escalation, with its sub-steps as
// the checklist shows them.
type Step struct {
	Name string
	Sub  []string
}

// EscalationSteps are the four steps of the escalation process; the
// follow-up time comes from the policy.
func EscalationSteps(p *Policy) []Step {
	return []Step{
		{Name: "Request", Sub: []string{
			"need identified",
			"support contacted by phone or portal",
			"specialist gathered the information, documented it, contacted the support manager",
		}},
		{Name: "Identification", Sub: []string{
			"support manager reviewed the request and the case",
			fmt.Sprintf("followed up with the customer within %s", spanMinutes(p)),
			"diagnostic and resolution paths discussed, expectations set",
		}},
		{Name: "Resolution cycle", Sub: []string{
			"manager works with the teams",
			"customer and stakeholders updated at the agreed frequency",
		}},
		{Name: "Closure", Sub: []string{
			"resolution status agreed with the customer",
			"final summary sent",
		}},
	}
}

func spanMinutes(p *Policy) string {
	return plural(int(p.EscalationFollowup.Minutes()), "minute")
}

// StepProgress is where an escalation is in its four steps.
type StepProgress struct {
	Steps []Step
	// Done marks each sub-step, indexed like Steps[i].Sub.
	Done [][]bool
	// Current is the index of the first step with an undone sub-step, or
	// len(Steps) once every step is done.
	Current int
	// Ended is true once the escalation was declined, de-escalated or
	// closed (a declined or de-escalated one never finishes its steps).
	Ended bool
}

// EscalationProgress checks off an escalation's sub-steps from its facts.
func EscalationProgress(e *Escalation, p *Policy) StepProgress {
	steps := EscalationSteps(p)
	decided := !e.DecidedAt.IsZero()
	followed := !e.FollowedUpAt.IsZero() || decided
	accepted := e.Status == EscAccepted || e.Status == EscClosed || e.Status == EscDeescalated
	closed := e.Status == EscClosed
	done := [][]bool{
		{true, true, true},
		{followed, followed, decided},
		{accepted, len(e.Updates) > 0},
		{closed, closed && e.Summary != ""},
	}
	cur := len(steps)
	for i := range done {
		complete := true
		for _, d := range done[i] {
			complete = complete && d
		}
		if !complete {
			cur = i
			break
		}
	}
	return StepProgress{Steps: steps, Done: done, Current: cur, Ended: !e.EndedAt.IsZero()}
}

// Stakeholder is someone to keep informed of an escalation.
type Stakeholder struct {
	// Side is "customer" or "support".
	Side string
	// Role says who they are ("primary contact", "customer success manager").
	Role string
	// Name is empty when nobody is named for the role (to be found).
	Name string
}

// Stakeholders lists who to keep informed of a case's escalation: on the
// customer's side the case's primary contact, the account's other
// contacts and its management if required; on ours support management,
// the CSM, the customer manager and anyone else involved (case owner, TAM,
// the requester, whoever recorded or updated it). e may be nil.
func Stakeholders(c *Case, a *Account, e *Escalation) []Stakeholder {
	var out []Stakeholder
	primary := c.Contact
	if primary == "" {
		for _, ct := range a.Contacts {
			if ct.Kind == "contact" {
				primary = ct.Name
				break
			}
		}
	}
	out = append(out, Stakeholder{Side: "customer", Role: "primary contact", Name: primary})
	var csm, cm []string
	for _, ct := range a.Contacts {
		switch {
		case ct.Kind == "csm":
			csm = append(csm, ct.Name)
		case ct.Kind == "customer-manager":
			cm = append(cm, ct.Name)
		case ct.Name != primary:
			out = append(out, Stakeholder{Side: "customer", Role: "contact (" + ct.Kind + ")", Name: ct.Name})
		}
	}
	out = append(out, Stakeholder{Side: "customer", Role: "management or executives (if required)"})
	out = append(out, Stakeholder{Side: "support", Role: "support management"})
	if len(csm) == 0 {
		csm = []string{""}
	}
	for _, n := range csm {
		out = append(out, Stakeholder{Side: "support", Role: "customer success manager", Name: n})
	}
	if len(cm) == 0 {
		cm = []string{""}
	}
	for _, n := range cm {
		out = append(out, Stakeholder{Side: "support", Role: "customer manager", Name: n})
	}
	seen := map[string]bool{}
	involve := func(role, name string) {
		if name == "" || name == System || seen[name] {
			return
		}
		seen[name] = true
		out = append(out, Stakeholder{Side: "support", Role: role, Name: name})
	}
	involve("case owner", c.Owner)
	involve("TAM", a.TAM)
	if e != nil {
		if kind, name := ParseRequester(e.RequestedBy); kind == "" {
			involve("requester", name)
		}
		involve("recorded the request", e.RecordedBy)
		for _, u := range e.Updates {
			involve("sent updates", u.By)
		}
	}
	return out
}
