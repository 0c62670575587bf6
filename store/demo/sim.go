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

	kb Keyboard
	// deciders caches who accepted or declined each case's escalations,
	// read from its trail again only when it has more decisions.
	deciders map[int64]decided
}

// Keyboard is the person at the demo board's keyboard, whom the simulator
// leaves alone: it never acts as them, nor on a case they own or one whose
// escalation they accepted or declined (their decision stands until they
// change it).
type Keyboard struct {
	// Actor is the board's acting user now ("" while nobody is chosen);
	// it changes when they switch user (u).
	Actor func() string
	// Events is a case's audit trail: who decided its escalations is
	// recorded there only.
	Events func(n int64) ([]model.Event, error)
}

type decided struct {
	count int      // escalations with a decision when read
	by    []string // who made them
}

// Spare makes the simulator leave the person at the keyboard alone.
func (s *Simulator) Spare(k Keyboard) { s.kb = k }

// person is who is at the keyboard now ("" nobody).
func (s *Simulator) person() string {
	if s.kb.Actor == nil {
		return ""
	}
	return s.kb.Actor()
}

// theirs reports whether the case belongs to the person: they own it or
// decided one of its escalations. A trail that cannot be read counts as
// theirs (leave it alone rather than guess).
func (s *Simulator) theirs(d *model.Desk, c *model.Case, person string) bool {
	if person == "" {
		return false
	}
	if c.Owner == person {
		return true
	}
	n := 0
	for _, e := range d.Escalations[c.Number] {
		if !e.DecidedAt.IsZero() {
			n++
		}
	}
	if n == 0 {
		return false
	}
	got, ok := s.deciders[c.Number]
	if !ok || got.count != n {
		if s.kb.Events == nil {
			return true
		}
		evs, err := s.kb.Events(c.Number)
		if err != nil {
			return true
		}
		got = decided{count: n}
		for _, ev := range evs {
			if ev.Kind == "accepted" || ev.Kind == "declined" {
				got.by = append(got.by, ev.Actor)
			}
		}
		if s.deciders == nil {
			s.deciders = map[int64]decided{}
		}
		s.deciders[c.Number] = got
	}
	for _, by := range got.by {
		if by == person {
			return true
		}
	}
	return false
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
	person := s.person()
	addc := func(m Move, weight int) {
		if m.Actor == "" || m.Actor == person {
			return // never as the person at the keyboard
		}
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
	addc(Move{s.specialist(acct.Region, person), model.NewCase{Account: acct.ID, Severity: sev,
		Title: titles[sev][s.rng.IntN(len(titles[sev]))], Contact: acct.Contacts[0].Name}}, 3)

	nums := d.CaseNumbers()
	sort.Slice(nums, func(i, j int) bool { return nums[i] > nums[j] }) // newest first
	for _, n := range nums {
		c := d.Cases[n]
		if !c.IsOpen() || s.theirs(d, c, person) {
			continue
		}
		esc, hasEsc := d.Escalation(n)
		mgr := "maria"
		if c.Region == model.EMEA {
			mgr = "omar"
		}
		switch c.Status {
		case model.StatusNew:
			addc(Move{s.specialist(c.Region, person), model.TakeCase{Number: n}}, 3)
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

// specialist picks a specialist of the region other than the person at
// the keyboard ("" when there is none).
func (s *Simulator) specialist(r model.Region, person string) string {
	var ids []string
	for _, u := range users {
		if u.Role == model.Specialist && u.Region == r && u.ID != person {
			ids = append(ids, u.ID)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return ids[s.rng.IntN(len(ids))]
}
