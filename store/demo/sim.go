package demo

import (
	"math/rand/v2"
	"sort"
	"time"

	"caseboard/model"
)

// Simulator keeps the demo desk moving: each call to Next picks one thing a
// person at the desk would plausibly do now (open, take, call, respond,
// wait for the customer, close, escalate, follow up, accept, update, log
// time), to be done through the same actions as a person.
type Simulator struct {
	p      *model.Policy
	rng    *rand.Rand
	opened int
}

// NewSimulator returns a simulator drawing from seed.
func NewSimulator(p *model.Policy, seed uint64) *Simulator {
	return &Simulator{p: p, rng: rand.New(rand.NewPCG(seed, seed^0x51ed27))}
}

// Move is one simulated action and who does it.
type Move struct {
	Actor  string
	Action model.Action
}

// Next picks a move on the desk at now; ok is false when nothing fits.
func (s *Simulator) Next(d *model.Desk, now time.Time) (Move, bool) {
	var cands []Move
	addc := func(m Move, weight int) {
		for i := 0; i < weight; i++ {
			cands = append(cands, m)
		}
	}
	// Opening a case is always possible.
	acct := accounts[s.rng.IntN(len(accounts))].Account
	sev := 2 + s.rng.IntN(3)
	if s.rng.IntN(8) == 0 {
		sev = 1
	}
	addc(Move{s.specialist(acct.Region), model.NewCase{Account: acct.ID, Severity: sev,
		Title: titles[sev][s.rng.IntN(len(titles[sev]))], Contact: acct.Contacts[0].Name}}, 3)

	nums := d.CaseNumbers()
	sort.Slice(nums, func(i, j int) bool { return nums[i] > nums[j] }) // newest first
	for _, n := range nums {
		c := d.Cases[n]
		if !c.IsOpen() {
			continue
		}
		esc, hasEsc := d.Escalation(n)
		mgr := "maria"
		if c.Region == model.EMEA {
			mgr = "omar"
		}
		switch c.Status {
		case model.StatusNew:
			addc(Move{s.specialist(c.Region), model.TakeCase{Number: n}}, 3)
		case model.StatusAssigned:
			if c.Severity == 1 && c.PhonedAt.IsZero() {
				addc(Move{c.Owner, model.CallCase{Number: n}}, 3)
			} else {
				addc(Move{c.Owner, model.RespondCase{Number: n}}, 2)
			}
		case model.StatusInProgress:
			addc(Move{c.Owner, model.SetStatus{Number: n, To: model.StatusWaitingCustomer}}, 1)
			if !(hasEsc && esc.Open()) {
				addc(Move{c.Owner, model.CloseCase{Number: n, Reason: model.ReasonResolved}}, 1)
			}
		case model.StatusWaitingCustomer:
			addc(Move{c.Owner, model.ReplyCase{Number: n}}, 1)
			addc(Move{c.Owner, model.FollowupCase{Number: n}}, 1)
		case model.StatusWaitingDevelopment:
			addc(Move{c.Owner, model.SetStatus{Number: n, To: model.StatusFixAvailable}}, 1)
		}
		switch {
		case hasEsc && esc.Status == model.EscRequested:
			if esc.FollowedUpAt.IsZero() {
				addc(Move{mgr, model.EscalationFollowup{Number: n}}, 2)
			}
			addc(Move{mgr, model.AcceptEscalation{Number: n, Every: 4 * time.Hour}}, 2)
		case hasEsc && esc.Status == model.EscAccepted:
			addc(Move{mgr, model.UpdateEscalation{Number: n, Summary: updates[s.rng.IntN(len(updates))]}}, 1)
		case c.Severity <= 3 && c.Status != model.StatusNew && s.rng.IntN(10) == 0:
			days := s.p.EligibleAfterDays[c.Severity-1]
			if days == 0 || s.p.ResponseCalendar(c.Region, c.Severity).AddDays(c.OpenedAt, days).After(now) {
				break
			}
			addc(Move{c.Owner, model.Escalate{Number: n, By: "contact:" + c.Contact, Channel: model.ChannelPhone,
				Justification: justifications[s.rng.IntN(len(justifications))]}}, 1)
		}
	}
	// A TAM logs a call on an account with room left in its bank.
	a := accounts[s.rng.IntN(len(accounts))].Account
	if spec, ok := s.p.TAMPlans[a.TAMPlan]; ok {
		mins := 15 + 15*s.rng.IntN(3)
		month := model.DateOf(now, s.p.TAMZone).MonthOf()
		if d.BankUsed(a.ID, month)+mins <= spec.BankMinutes() {
			addc(Move{a.TAM, model.LogTime{Account: a.ID, Minutes: mins, Category: "cadence-call",
				Mode: model.ModeConsultative, Note: "Cadence call"}}, 8)
		}
	}
	if len(cands) == 0 {
		return Move{}, false
	}
	return cands[s.rng.IntN(len(cands))], true
}

func (s *Simulator) specialist(r model.Region) string {
	var ids []string
	for _, u := range users {
		if u.Role == model.Specialist && u.Region == r {
			ids = append(ids, u.ID)
		}
	}
	return ids[s.rng.IntN(len(ids))]
}
