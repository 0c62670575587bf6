package model

import "sort"

// Document converts the whole desk to the interchange document: records
// in id order, escalations by case and sequence, events in commit order.
// It reads the cases in memory: a desk built in memory (Closed nil), as the
// demo builder's; the store exports a loaded desk's records itself.
func (d *Desk) Document(p *Policy) *Document {
	doc := &Document{Format: 1, Accounts: []AccountRecord{}, Users: []UserRecord{}, Cases: []CaseRecord{},
		Escalations: []EscalationRecord{}, TimeEntries: []TimeEntryRecord{}, Events: []EventRecord{}}
	for _, id := range sortedKeys(d.Accounts) {
		doc.Accounts = append(doc.Accounts, AccountToRecord(d.Accounts[id]))
	}
	for _, id := range sortedKeys(d.Users) {
		doc.Users = append(doc.Users, UserToRecord(d.Users[id]))
	}
	zones := map[int64]Region{}
	for _, n := range d.CaseNumbers() {
		c := d.Cases[n]
		zones[n] = c.Region
		doc.Cases = append(doc.Cases, CaseToRecord(c, p))
		for i := range d.Escalations[n] {
			doc.Escalations = append(doc.Escalations, EscalationToRecord(&d.Escalations[n][i], p.RegionZone(c.Region)))
		}
	}
	ids := make([]int64, 0, len(d.TimeEntries))
	for id := range d.TimeEntries {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		doc.TimeEntries = append(doc.TimeEntries, TimeEntryToRecord(d.TimeEntries[id], p))
	}
	for i := range d.Events {
		ev := &d.Events[i]
		loc := p.HomeZone()
		if r, ok := zones[ev.Case]; ok {
			loc = p.RegionZone(r)
		}
		doc.Events = append(doc.Events, EventToRecord(ev, loc))
	}
	return doc
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
