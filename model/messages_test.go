package model

import (
	"testing"
	"time"
)

// TestDomainMessages produces every refusal DOMAIN.md quotes, word for word.
func TestDomainMessages(t *testing.T) {
	opened := time.Date(2026, 11, 20, 10, 0, 0, 0, et)
	respond := time.Date(2026, 11, 24, 10, 5, 0, 0, et)
	newCase := func(f *fixture, account string) {
		f.mustDo("maria", NewCase{Number: 1042, Account: account, Severity: 2, Title: "Index rebuild stuck", Contact: "Ana Ruiz"}, opened)
	}

	f := newFixture(t)
	newCase(f, "acme")
	f.refused("maria", SetStatus{Number: 1042, To: StatusWaitingCustomer}, opened,
		"cannot move 00001042 from new to waiting-customer (allowed: assigned, closed as duplicate)")
	f.mustDo("maria", AssignCase{Number: 1042, To: "lee"}, opened)
	// Taking an owned case is refused the same way for every role, before
	// any role limit.
	for _, actor := range []string{"sam", "maria", "tina", "tom", "wally", "lee"} {
		f.refused(actor, TakeCase{Number: 1042}, opened, "cannot take 00001042: owned by lee")
	}
	f.mustDo("lee", RespondCase{Number: 1042}, respond)
	f.refused("lee", RespondCase{Number: 1042}, respond.Add(time.Hour),
		"cannot respond on 00001042: first response already given at Tue 24 Nov 10:05 ET")
	f.refused("sam", CloseCase{Number: 1042, Reason: ReasonResolved}, respond, "sam may not close 00001042: it is owned by lee")
	f.mustDo("lee", Escalate{Number: 1042, By: "contact:Ana Ruiz", Channel: ChannelPhone, Justification: "go-live Friday"}, respond)
	f.refused("lee", CloseCase{Number: 1042, Reason: ReasonResolved}, respond, "cannot close 00001042: its escalation is open")
	f.mustDo("maria", DeclineEscalation{Number: 1042, Reason: "normal process"}, respond)
	f.mustDo("lee", CloseCase{Number: 1042, Reason: ReasonResolved}, respond)
	f.refused("lee", ReopenCase{Number: 1042}, respond.Add(30*24*time.Hour+time.Second),
		"cannot reopen 00001042: closed more than 30 days ago: open a new case that refers to 00001042")

	f = newFixture(t)
	newCase(f, "globex")
	f.refused("max", Escalate{Number: 1042, By: "tina", Channel: ChannelPhone, Justification: "x"}, respond.Add(24*time.Hour),
		"cannot escalate 00001042: tina is not the TAM of globex")
	f.refused("tom", LogTime{Account: "umbrella", Minutes: 60, Category: "platform-administration", Mode: ModeManaged}, respond,
		"cannot log time for umbrella: TAM 20 has no managed services")
	f.refused("tom", LogTime{Account: "globex", Minutes: 60, Category: "cadence-call"}, respond,
		"cannot log time for globex: no TAM plan")
	f.mustDo("tina", LogTime{Account: "initech", Minutes: 540, Category: "cadence-call"}, respond)
	f.refused("tina", LogTime{Account: "initech", Minutes: 61, Category: "cadence-call"}, respond,
		"bank exhausted: 1h00m left this month; the next package is TAM 20")
	f.mustDo("tom", LogTime{Account: "umbrella", Minutes: 1140, Category: "cadence-call"}, respond)
	f.refused("tom", LogTime{Account: "umbrella", Minutes: 61, Category: "cadence-call"}, respond,
		"bank exhausted: 1h00m left this month; the next package is TAM Enterprise")
	f.mustDo("tina", LogTime{Account: "acme", Minutes: 2940, Category: "cadence-call"}, respond)
	f.refused("tina", LogTime{Account: "acme", Minutes: 61, Category: "cadence-call"}, respond,
		"bank exhausted: 1h00m left this month; Enterprise is the largest plan")
	f.mustDo("tina", LogTime{Account: "acme", Minutes: 60, Category: "cadence-call"}, respond) // exactly the bank
	f.refused("tom", LogTime{Account: "umbrella", Minutes: 481, Category: CatImplementation, Project: "NAME"}, respond.Add(10*24*time.Hour),
		"implementation guidance for NAME would pass 8 hours: hand it to professional services")
}
