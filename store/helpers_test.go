package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

func openMem(t testing.TB) *Store {
	t.Helper()
	s, err := Open(Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openDir(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(Options{Dir: dir, Role: "command", HeldWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("", -5*3600))

// sampleDoc is the DOMAIN.md example, written by hand.
const sampleDoc = `{
  "format": 1,
  "accounts": [{"id": "acme", "name": "Acme Corp", "plan": "premium",
                "region": "na", "tam_plan": "enterprise", "tam": "tina",
                "contacts": [{"name": "Ana Ruiz", "kind": "contact",
                              "email": "ana@acme.example"}]}],
  "users": [{"id": "sam", "name": "Sam Ortiz", "role": "specialist",
             "region": "na", "keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPTu+L2JWLOxLarlfK//g/OmmbigLpTfqpVd3ai6ZrBN sam@laptop"]},
            {"id": "maria", "name": "Maria Chen", "role": "manager",
             "region": "na", "keys": []},
            {"id": "tina", "name": "Tina Okafor", "role": "tam",
             "region": "na", "keys": []}],
  "cases": [{"number": 1042, "account": "acme", "severity": 2,
             "title": "Index rebuild stuck", "status": "in-progress",
             "plan": "premium", "region": "na", "contact": "Ana Ruiz",
             "opened_at": "2026-11-20T10:00:00-05:00", "phoned_at": null,
             "responded_at": "2026-11-20T11:10:00-05:00", "owner": "sam",
             "waiting_since": null,
             "followup1_at": null, "followup2_at": null, "replied_at": null,
             "closed_at": null, "close_reason": null, "duplicate_of": null,
             "refers_to": null},
            {"number": 1043, "account": "acme", "severity": 3,
             "title": "=cmd|' /C calc'!A0", "status": "closed",
             "opened_at": "2026-11-20T10:00:00Z",
             "closed_at": "2026-11-21T10:00:00Z", "close_reason": "duplicate", "duplicate_of": 1042}],
  "escalations": [{"case": 1042, "status": "accepted",
                   "requested_at": "2026-11-24T10:30:00-05:00",
                   "requested_by": "contact:Ana Ruiz", "recorded_by": "sam",
                   "channel": "phone", "justification": "Go-live Friday <b>",
                   "followed_up_at": "2026-11-24T10:55:00-05:00",
                   "decided_at": "2026-11-24T10:55:00-05:00",
                   "reason": null, "update_every": "4h",
                   "updates": [{"at": "2026-11-24T13:00:00-05:00",
                                "by": "maria", "summary": "patch in QA"}],
                   "outcome": null, "summary": null, "ended_at": null}],
  "time_entries": [{"id": 7, "account": "acme", "tam": "tina",
                    "date": "2026-11-03", "minutes": 60,
                    "category": "cadence-call", "mode": "consultative",
                    "case": null, "project": null, "note": "",
                    "voided_at": null, "void_reason": null},
                   {"id": 8, "account": "acme", "tam": "tina",
                    "date": "2026-11-04", "minutes": 90,
                    "category": "implementation-guidance", "project": "search-v2", "note": "-1 tricky"}]
}`

func mustParse(t testing.TB, s string) *model.Document {
	t.Helper()
	doc, err := ParseDocument(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func exportBytes(t testing.TB, s *Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.ExportJSON(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newCaseChange is a hand-built change opening a case (the store's tests
// do not depend on model.Do).
func newCaseChange(n int64, account string, at time.Time) *model.Change {
	c := model.Case{Number: n, Account: account, Severity: 3, Title: fmt.Sprintf("case %d", n),
		Status: model.StatusNew, Plan: model.Premium, Region: model.NA, OpenedAt: at}
	rec := model.CaseToRecord(&c, model.DefaultPolicy())
	after, _ := json.Marshal(map[string]any{"number": rec.Number, "status": rec.Status})
	return &model.Change{Cases: []model.Case{c}, Events: []model.Event{{At: at, Actor: "sam", Case: n, Kind: "opened", After: after}},
		Message: "opened " + model.CaseNumber(n)}
}

// takeFn is a hand-written "take": it reads the case through the view and
// refuses if someone owns it.
func takeFn(n int64, actor string, at time.Time) func(v model.View) (*model.Change, error) {
	return func(v model.View) (*model.Change, error) {
		c, ok := v.Case(n)
		if !ok {
			return nil, &model.Refusal{Msg: "no case " + model.CaseNumber(n)}
		}
		if c.Owner != "" {
			return nil, model.RuleRefusal("take", model.CaseNumber(n), "owned by "+c.Owner)
		}
		old := model.CaseToRecord(&c, model.DefaultPolicy())
		c.Owner, c.Status = actor, model.StatusAssigned
		nw := model.CaseToRecord(&c, model.DefaultPolicy())
		before, after := model.Diff(old, nw)
		return &model.Change{Cases: []model.Case{c}, Events: []model.Event{{At: at, Actor: actor, Case: n,
			Kind: "taken", Before: before, After: after}}}, nil
	}
}

// logTimeFn is a hand-written time log that checks the bank through
// BankUsed (one key) and refuses past it.
func logTimeFn(id int64, account string, minutes, bank int, d model.Date) func(v model.View) (*model.Change, error) {
	return func(v model.View) (*model.Change, error) {
		used := v.BankUsed(account, d.MonthOf())
		if used+minutes > bank {
			return nil, &model.Refusal{Msg: fmt.Sprintf("bank exhausted: %d left", bank-used)}
		}
		e := model.TimeEntry{ID: id, Account: account, TAM: "tina", Date: d, Minutes: minutes,
			Category: "cadence-call", Mode: model.ModeConsultative}
		return &model.Change{TimeEntries: []model.TimeEntry{e},
			Bank:   []model.BankDelta{{Account: account, Month: d.MonthOf(), Minutes: minutes}},
			Events: []model.Event{{At: t0, Actor: "tina", Kind: "time-logged"}}}, nil
	}
}
