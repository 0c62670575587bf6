package store

import (
	"io"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// Export reads the whole store, from one snapshot, as an interchange
// document: every field, records in key order, instants in the zone of
// their case's region (the home zone otherwise). Write it with
// model.MarshalDocument.
func (s *Store) Export() (*model.Document, error) {
	p := s.policy
	doc := &model.Document{Format: 1, Accounts: []model.AccountRecord{}, Users: []model.UserRecord{},
		Cases: []model.CaseRecord{}, Escalations: []model.EscalationRecord{},
		TimeEntries: []model.TimeEntryRecord{}, Events: []model.EventRecord{}}
	zone := map[int64]*time.Location{}
	zoneOf := func(n int64) *time.Location {
		if l, ok := zone[n]; ok {
			return l
		}
		return p.HomeZone()
	}
	err := s.view(func(txn *badger.Txn) error {
		if err := eachJSON(txn, []byte(pAccount), func(a *model.Account) error {
			doc.Accounts = append(doc.Accounts, model.AccountToRecord(a))
			return nil
		}); err != nil {
			return err
		}
		if err := eachJSON(txn, []byte(pUser), func(u *model.User) error {
			doc.Users = append(doc.Users, model.UserToRecord(u))
			return nil
		}); err != nil {
			return err
		}
		if err := eachJSON(txn, []byte(pCase), func(c *model.Case) error {
			zone[c.Number] = p.RegionZone(c.Region)
			doc.Cases = append(doc.Cases, model.CaseToRecord(c, p))
			return nil
		}); err != nil {
			return err
		}
		if err := eachJSON(txn, []byte(pEsc), func(e *model.Escalation) error {
			doc.Escalations = append(doc.Escalations, model.EscalationToRecord(e, zoneOf(e.Case)))
			return nil
		}); err != nil {
			return err
		}
		if err := eachJSON(txn, []byte(pEntry), func(e *model.TimeEntry) error {
			doc.TimeEntries = append(doc.TimeEntries, model.TimeEntryToRecord(e, p))
			return nil
		}); err != nil {
			return err
		}
		return eachJSON(txn, []byte(pEvent), func(e *model.Event) error {
			doc.Events = append(doc.Events, model.EventToRecord(e, zoneOf(e.Case)))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// ExportJSON writes Export as the interchange JSON.
func (s *Store) ExportJSON(w io.Writer) error {
	doc, err := s.Export()
	if err != nil {
		return err
	}
	b, err := model.MarshalDocument(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
