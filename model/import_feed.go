package model

// FeedDocument gives a held document's lists to a check, in its order,
// in one pass.
func FeedDocument(ck *DocCheck, doc *Document) {
	ck.Format(doc.Format)
	ck.Accounts(doc.Accounts)
	ck.End("accounts")
	ck.Users(doc.Users)
	ck.End("users")
	ck.Cases(doc.Cases)
	ck.End("cases")
	ck.Escalations(doc.Escalations)
	ck.End("escalations")
	ck.TimeEntries(doc.TimeEntries)
	ck.End("time_entries")
	ck.Events(doc.Events)
	ck.End("events")
	ck.EndPass()
}
