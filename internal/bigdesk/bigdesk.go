// Package bigdesk builds the large desks of the scale tests and benchmarks
// (issue 25): the shape of the measurements (a fifth of the cases
// closed, 60 accounts, 50 users), every case at a stage of its life
// (waiting for the customer with both follow-ups logged included, so that
// the auto-close index has entries), some escalated. It is for tests only;
// nothing in the program imports it.
package bigdesk

import (
	"fmt"
	"os"
	"time"

	"caseboard/model"
	"caseboard/store"
)

// Now is the instant the desks are built for: Wednesday 25 November 2026,
// 10:30 ET. Nothing in them is due to auto-close at Now.
var Now = time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)

// Accounts and Users are how many the desk has.
const (
	Accounts = 60
	Users    = 50
)

// Manager is a manager of the desk (acting user of the tests).
const Manager = "mgr0"

func ts(t time.Time) *string {
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// Doc is a desk of n cases (numbered 1..n), deterministic.
func Doc(n int) *model.Document {
	doc := &model.Document{Format: 1}
	regions := []string{"na", "emea"}
	var specialists []string
	for i := 0; i < Users; i++ {
		r := regions[i%2]
		u := model.UserRecord{Name: fmt.Sprintf("User %d", i), Region: &r, Keys: []string{}}
		switch {
		case i < 4:
			u.ID, u.Role = fmt.Sprintf("mgr%d", i), "manager"
		case i < 8:
			u.ID, u.Role = fmt.Sprintf("tam%d", i), "tam"
		case i == 8:
			u.ID, u.Role, u.Region = "wall", "wall", nil
		default:
			u.ID, u.Role = fmt.Sprintf("ps%d", i), "specialist"
			specialists = append(specialists, u.ID)
		}
		doc.Users = append(doc.Users, u)
	}
	plans := []string{"basic", "plus", "premium"}
	tamPlans := []string{"none", "tam10", "tam20", "enterprise"}
	for i := 0; i < Accounts; i++ {
		a := model.AccountRecord{ID: fmt.Sprintf("acct%02d", i), Name: fmt.Sprintf("Account %d", i),
			Plan: plans[i%3], Region: regions[i%2], TAMPlan: tamPlans[i%4], Contacts: []model.ContactRecord{
				{Name: fmt.Sprintf("Contact %d", i), Kind: "contact", Email: fmt.Sprintf("c%d@example.com", i)}}}
		if a.TAMPlan != "none" {
			tam := fmt.Sprintf("tam%d", 4+i%4)
			a.TAM = &tam
		}
		doc.Accounts = append(doc.Accounts, a)
	}
	// Cases are opened one every few minutes up to a day before Now.
	step := 3 * time.Minute
	first := Now.Add(-24*time.Hour - time.Duration(n)*step)
	for i := 1; i <= n; i++ {
		acct := &doc.Accounts[i%Accounts]
		opened := first.Add(time.Duration(i) * step)
		contact := acct.Contacts[0].Name
		c := model.CaseRecord{Number: int64(i), Account: acct.ID, Severity: 2 + i%3,
			Title: fmt.Sprintf("Index %d rebuild stuck after upgrade", i), Status: "new",
			Plan: acct.Plan, Region: acct.Region, Contact: &contact}
		c.OpenedAt = *ts(opened)
		owner := specialists[i%len(specialists)]
		responded := opened.Add(20 * time.Minute)
		switch i % 10 {
		case 0, 5: // closed
			c.Status, c.Owner, c.RespondedAt = "closed", &owner, ts(responded)
			reason := "resolved"
			c.ClosedAt, c.CloseReason = ts(opened.Add(2*time.Hour)), &reason
		case 1: // new
		case 2:
			c.Status, c.Owner = "assigned", &owner
		case 3, 4:
			c.Status, c.Owner, c.RespondedAt = "in-progress", &owner, ts(responded)
		case 6: // waiting, no follow-up yet
			c.Status, c.Owner, c.RespondedAt = "waiting-customer", &owner, ts(responded)
			c.WaitingSince = ts(Now.Add(-2 * time.Hour))
		case 7: // waiting with both follow-ups: auto-closes two business days after Now
			c.Status, c.Owner, c.RespondedAt = "waiting-customer", &owner, ts(responded)
			c.WaitingSince = ts(Now.Add(-3 * time.Hour))
			c.Followup1At, c.Followup2At = ts(Now.Add(-2*time.Hour)), ts(Now.Add(-time.Hour))
		case 8:
			c.Status, c.Owner, c.RespondedAt = "waiting-development", &owner, ts(responded)
		case 9:
			c.Status, c.Owner, c.RespondedAt = "in-progress", &owner, ts(responded)
			if i%50 == 9 {
				doc.Escalations = append(doc.Escalations, model.EscalationRecord{Case: int64(i), Status: "requested",
					RequestedAt: *ts(Now.Add(-30 * time.Minute)), RequestedBy: "contact:" + contact, RecordedBy: owner,
					Channel: "phone", Justification: "Go-live on Friday", Updates: []model.UpdateRecord{}})
			}
		}
		doc.Cases = append(doc.Cases, c)
	}
	return doc
}

// Build writes Doc(n) into a new store in dir through the store's import
// (checked like any import), then closes it.
func Build(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	s, err := store.Open(store.Options{Dir: dir, Role: "command"})
	if err != nil {
		return err
	}
	if _, err := s.Import(Doc(n), Manager, Now); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}
