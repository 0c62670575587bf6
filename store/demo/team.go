// Package demo builds the demo desk of `caseboard --demo` and of tests: a
// realistic team, accounts on every plan, region and TAM plan, a month of
// cases at every stage, escalations and time entries. Everything goes
// through the model's actions, exactly as people would have done it, so
// the audit trail is real; the result is deterministic for a seed and now.
package demo

import "caseboard/model"

// Manager is the demo's support manager (the default acting user).
const Manager = "maria"

var users = []model.User{
	{ID: "maria", Name: "Maria Chen", Role: model.Manager, Region: model.NA},
	{ID: "omar", Name: "Omar Haddad", Role: model.Manager, Region: model.EMEA},
	{ID: "sam", Name: "Sam Ortiz", Role: model.Specialist, Region: model.NA},
	{ID: "lee", Name: "Lee Park", Role: model.Specialist, Region: model.NA},
	{ID: "priya", Name: "Priya Nair", Role: model.Specialist, Region: model.NA},
	{ID: "eva", Name: "Eva Lindqvist", Role: model.Specialist, Region: model.EMEA},
	{ID: "jonas", Name: "Jonas Weber", Role: model.Specialist, Region: model.EMEA},
	{ID: "amara", Name: "Amara Diallo", Role: model.Specialist, Region: model.EMEA},
	{ID: "tina", Name: "Tina Okafor", Role: model.TAM, Region: model.NA},
	{ID: "raj", Name: "Raj Patel", Role: model.TAM, Region: model.EMEA},
	{ID: "wall", Name: "Wall Monitor", Role: model.Wall},
}

// account is a demo customer with the share of its TAM bank used this
// month (the pace the demo shows).
type account struct {
	model.Account
	bankUse float64
}

func contacts(domain string, people ...string) []model.Contact {
	kinds := []string{"contact", "customer-admin", "developer", "csm", "customer-manager"}
	out := make([]model.Contact, 0, len(people))
	for i, name := range people {
		first := name
		for j, r := range name {
			if r == ' ' {
				first = name[:j]
				break
			}
		}
		out = append(out, model.Contact{Name: name, Kind: kinds[i%len(kinds)],
			Email: lower(first) + "@" + domain})
	}
	return out
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

var accounts = []account{
	{model.Account{ID: "acme", Name: "Acme Corp", Plan: model.Premium, Region: model.NA, TAMPlan: "enterprise", TAM: "tina",
		Contacts: contacts("acme.example", "Ana Ruiz", "Ben Carter", "Dev Patel")}, 0.62},
	{model.Account{ID: "globex", Name: "Globex", Plan: model.Plus, Region: model.NA, TAMPlan: model.TAMNone,
		Contacts: contacts("globex.example", "Hank Scorpio", "Lisa Wong")}, 0},
	{model.Account{ID: "initech", Name: "Initech", Plan: model.Basic, Region: model.NA, TAMPlan: "tam10", TAM: "tina",
		Contacts: contacts("initech.example", "Bill Lumbergh", "Milton Waddams")}, 1.0},
	{model.Account{ID: "umbrella", Name: "Umbrella Health", Plan: model.Plus, Region: model.EMEA, TAMPlan: "tam20", TAM: "raj",
		Contacts: contacts("umbrella.example", "Alice Abernathy", "Carlos Olivera", "Jill Valentine")}, 0.93},
	{model.Account{ID: "contoso", Name: "Contoso", Plan: model.Basic, Region: model.NA, TAMPlan: model.TAMNone,
		Contacts: contacts("contoso.example", "Megan Bowen", "Adele Vance")}, 0},
	{model.Account{ID: "wayne", Name: "Wayne Retail", Plan: model.Premium, Region: model.EMEA, TAMPlan: "enterprise", TAM: "raj",
		Contacts: contacts("wayne.example", "Lucius Fox", "Selina Kyle")}, 0.48},
	{model.Account{ID: "stark", Name: "Stark Industrial", Plan: model.Premium, Region: model.NA, TAMPlan: "tam20", TAM: "tina",
		Contacts: contacts("stark.example", "Pepper Potts", "Happy Hogan")}, 0.41},
	{model.Account{ID: "hooli", Name: "Hooli", Plan: model.Plus, Region: model.EMEA, TAMPlan: "tam10", TAM: "raj",
		Contacts: contacts("hooli.example", "Gavin Belson", "Jared Dunn")}, 0.9},
	{model.Account{ID: "soylent", Name: "Soylent Foods", Plan: model.Basic, Region: model.EMEA, TAMPlan: model.TAMNone,
		Contacts: contacts("soylent.example", "Sol Roth")}, 0},
	{model.Account{ID: "tyrell", Name: "Tyrell Bio", Plan: model.Premium, Region: model.EMEA, TAMPlan: model.TAMNone,
		Contacts: contacts("tyrell.example", "Rachael Rosen", "Hannibal Chew")}, 0},
	{model.Account{ID: "cyberdyne", Name: "Cyberdyne Systems", Plan: model.Plus, Region: model.NA, TAMPlan: "tam10", TAM: "tina",
		Contacts: contacts("cyberdyne.example", "Miles Dyson", "Sarah Connor")}, 0.3},
	{model.Account{ID: "vandelay", Name: "Vandelay Imports", Plan: model.Basic, Region: model.EMEA, TAMPlan: "tam20", TAM: "raj",
		Contacts: contacts("vandelay.example", "Art Vandelay", "Kel Varnsen")}, 0.72},
}

// titles are realistic case titles by severity, after the texts'
// definitions.
var titles = [5][]string{{},
	{"Search page down in production", "Query pipeline returns 500 for every query",
		"Usage Analytics records no search events since 02:00", "Active security incident: API key used from unknown IP",
		"Production index unreachable after deploy", "Critical CVE in hosted search UI"},
	{"Indexing service not functional for SharePoint source", "Search results don't match index content",
		"Administration console fails to load", "UA dashboards show incomplete data for last week",
		"Search response time degraded to 4 s", "Sev 1 symptoms in staging organization",
		"Crawler stuck at 0% on web source"},
	{"Indexing slower than usual on Salesforce source", "Index browser not loading", "Sort by date option ignored",
		"Low-impact vulnerability in search UI package", "Facet counts off by one on mobile",
		"Thumbnail previews missing for PDFs", "Query suggestions lag behind catalogue"},
	{"How to set up an A/B test on the query pipeline?", "Clarify release note on ML model retraining",
		"Request: raise the soft limit on sources", "Enhancement: export UA reports as CSV",
		"Documentation for SSO with Okta", "Advice on result templates for the new storefront",
		"Please rotate our API keys (customer cannot)"},
}

var notes = []string{
	"Customer sent logs; reproducing on a trial org.",
	"Asked for the organization id and a HAR file.",
	"Reproduced: happens only with the new query pipeline.",
	"Dev team confirmed the bug, fix targeted for next release.",
	"Workaround shared: rebuild the source from scratch.",
	"Customer confirmed the workaround works for now.",
	"Escalated internally to the indexing team.",
	"Called the customer, walked through the configuration.",
}

var justifications = []string{
	"Go-live on Friday; the issue blocks the launch.",
	"Executive visibility: outage affects all storefronts.",
	"Three weeks without a workaround; business impact growing.",
	"Black Friday traffic expected; search must be stable.",
}

var updates = []string{
	"Patch in QA, deployment planned tomorrow.",
	"Root cause narrowed to the shard allocator.",
	"Dev team working on a hotfix; next update in the agreed window.",
	"Fix deployed to staging; customer validating.",
}
