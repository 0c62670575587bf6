package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// bigDoc is a desk with n cases over a few accounts (every 5th closed).
func bigDoc(n int) *model.Document {
	na, emea := "na", "emea"
	owner := "sam"
	doc := &model.Document{Format: 1,
		Users: []model.UserRecord{
			{ID: "maria", Name: "Maria Chen", Role: "manager", Region: &na, Keys: []string{}},
			{ID: "sam", Name: "Sam Ortiz", Role: "specialist", Region: &na, Keys: []string{}},
		}}
	for i := 0; i < 10; i++ {
		region := na
		if i%2 == 1 {
			region = emea
		}
		doc.Accounts = append(doc.Accounts, model.AccountRecord{ID: fmt.Sprintf("acct%d", i), Name: "Account",
			Plan: "plus", Region: region, TAMPlan: "none", Contacts: []model.ContactRecord{}})
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		c := model.CaseRecord{Number: int64(i), Account: fmt.Sprintf("acct%d", i%10), Severity: 1 + i%4,
			Title: fmt.Sprintf("Something is wrong with index %d", i), Status: "new",
			OpenedAt: base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)}
		switch i % 5 {
		case 0:
			closed := base.Add(time.Duration(i)*time.Minute + time.Hour).Format(time.RFC3339)
			reason := "resolved"
			c.Status, c.ClosedAt, c.CloseReason = "closed", &closed, &reason
		case 1:
			c.Status, c.Owner = "assigned", &owner
		}
		doc.Cases = append(doc.Cases, c)
	}
	return doc
}

func TestImportLarge(t *testing.T) {
	n := 100000
	if testing.Short() || raceOn {
		n = 20000 // still several transactions
	}
	s := openMem(t)
	start := time.Now()
	res, err := s.Import(bigDoc(n), "maria", t0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %d cases in %v (staged %v)", n, time.Since(start), res.Staged)
	if !res.Staged {
		t.Fatal("a 100,000-case import fit in one transaction: the test does not test staging")
	}
	open, err := s.OpenCases()
	if err != nil || len(open) != n*4/5 {
		t.Fatalf("%d open cases, %v", len(open), err)
	}
	if next, _ := s.NextCaseNumber(); next <= int64(n) {
		t.Fatalf("next case number %d", next)
	}
	var staged bool
	s.db.View(func(txn *badger.Txn) error { staged = exists(txn, []byte(pStage)); return nil })
	if staged {
		t.Fatal("staging left behind")
	}
}
