package model

import "strconv"

// AudienceRecord is an alert's "for" in the interchange: roles and users.
type AudienceRecord struct {
	Roles []string `json:"roles"`
	Users []string `json:"users"`
}

// AlertRecord is an alert in the interchange: a webhook's json body and a
// line of watch --json. Case and severity are null for an account's alert.
type AlertRecord struct {
	ID       string         `json:"id"`
	Kind     string         `json:"kind"`
	At       string         `json:"at"`
	Case     *int64         `json:"case"`
	Severity *int           `json:"severity"`
	Region   string         `json:"region"`
	Account  string         `json:"account"`
	Text     string         `json:"text"`
	For      AudienceRecord `json:"for"`
}

// AlertToRecord writes an alert for the interchange: its instant in its
// region's zone (the home zone for no region), its text inert.
func AlertToRecord(a *Alert, p *Policy) AlertRecord {
	r := AlertRecord{ID: a.ID, Kind: string(a.Kind), At: FormatInstant(a.At, p.RegionZone(a.Region)),
		Region: string(a.Region), Account: a.Account, Text: Inert(a.Text),
		For: AudienceRecord{Roles: []string{}, Users: []string{}}}
	if a.Case != 0 {
		n, s := a.Case, a.Severity
		r.Case, r.Severity = &n, &s
	}
	for _, role := range a.For.Roles {
		r.For.Roles = append(r.For.Roles, string(role))
	}
	r.For.Users = append(r.For.Users, a.For.Users...)
	return r
}

// CaseLine names an alert's case for a chat message: "case 00001042 of
// acme, severity 2, na" (the account alone for an account's alert).
func (a *Alert) CaseLine() string {
	if a.Case == 0 {
		if a.Account == "" {
			return "caseboard"
		}
		return Inert("account " + a.Account)
	}
	return Inert("case " + CaseNumber(a.Case) + " of " + a.Account + ", severity " + strconv.Itoa(a.Severity) + ", " + string(a.Region))
}
