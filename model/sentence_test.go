package model

import (
	"strings"
	"testing"
)

// TestEventSentenceEveryKind: every kind of DOMAIN.md's event list reads
// as one sentence naming who did it and what mattered, never a field dump
// or an instant; people's text in it is inert.
func TestEventSentenceEveryKind(t *testing.T) {
	cases := []struct{ kind, actor, before, after, want string }{
		{"opened", "lee", ``, `{"number":7,"account":"acme","severity":1,"title":"Down","status":"new","contact":"Megan Bowen","opened_at":"2026-11-20T10:00:00Z","refers_to":null}`,
			"opened by lee: Sev 1, contact Megan Bowen"},
		{"taken", "sam", `{"status":"new","owner":null}`, `{"status":"assigned","owner":"sam"}`, "taken by sam"},
		{"assigned", "lee", `{"owner":null}`, `{"status":"assigned","owner":"maria"}`, "assigned to maria by lee"},
		{"called", "sam", `{"phoned_at":null}`, `{"phoned_at":"2026-11-03T05:59:00Z"}`, "customer phoned, logged by sam"},
		{"responded", "maria", `{"status":"assigned","responded_at":null}`, `{"status":"in-progress","responded_at":"2026-10-26T17:04:00-04:00"}`, "responded by maria"},
		{"noted", "sam", ``, `{"note":"sent \u001b[31mlogs"}`, "note by sam: sent ^[[31mlogs"},
		{"status", "maria", `{"status":"in-progress"}`, `{"status":"waiting-customer"}`, "status in-progress -> waiting-customer by maria"},
		{"severity", "maria", `{"severity":2}`, `{"severity":1,"agreed_by":"Ana Ruiz"}`, "severity 2 -> 1 by maria, agreed by Ana Ruiz"},
		{"replied", "sam", `{"status":"waiting-customer","replied_at":null}`, `{"status":"in-progress","replied_at":"2026-11-04T00:03:00Z"}`, "customer replied, logged by sam"},
		{"followed-up", "eva", `{"followup1_at":null}`, `{"followup1_at":"2026-11-24T14:24:00Z"}`, "follow-up 1 by eva"},
		{"closed", "sam", `{"status":"in-progress"}`, `{"status":"closed","closed_at":"2026-10-28T13:34:00-04:00","close_reason":"duplicate","duplicate_of":1042}`, "closed by sam: duplicate of 00001042"},
		{"auto-closed", "caseboard", `{"status":"waiting-customer"}`, `{"status":"closed","close_reason":"no-response"}`, "auto-closed by caseboard: no response from the customer"},
		{"reopened", "sam", `{"status":"closed"}`, `{"status":"in-progress","closed_at":null,"close_reason":null}`, "reopened by sam: in-progress"},
		{"escalated", "priya", ``, `{"case":12,"status":"requested","requested_at":"2026-11-06T20:57:00-05:00","requested_by":"contact:Pepper Potts","recorded_by":"priya","channel":"portal","justification":"Three weeks"}`,
			"escalation requested by contact:Pepper Potts by portal, recorded by priya: Three weeks"},
		{"escalation-followed-up", "maria", `{"followed_up_at":null}`, `{"followed_up_at":"2026-11-25T08:37:00-05:00"}`, "escalation followed up by maria"},
		{"accepted", "maria", `{"status":"requested"}`, `{"status":"accepted","update_every":"4h"}`, "escalation accepted by maria: updates every 4h"},
		{"declined", "omar", `{"status":"requested"}`, `{"status":"declined","reason":"A workaround is in place."}`, "escalation declined by omar: A workaround is in place."},
		{"updated", "maria", `{"updates":[]}`, `{"updates":[{"at":"2026-11-09T12:13:00-05:00","by":"maria","summary":"old"},{"at":"2026-11-09T15:00:00-05:00","by":"maria","summary":"Fix in staging"}]}`, "escalation update by maria: Fix in staging"},
		{"de-escalated", "omar", `{"status":"accepted"}`, `{"status":"de-escalated","reason":"No test environment"}`, "de-escalated by omar: No test environment"},
		{"escalation-closed", "maria", `{"status":"accepted"}`, `{"status":"closed","outcome":"fix","summary":"Deployed"}`, "escalation closed by maria: " + OutcomeName("fix") + "; Deployed"},
		{"time-logged", "tina", ``, `{"id":7,"account":"acme","tam":"tina","minutes":90,"category":"cadence-call","note":"Weekly"}`, "1h30m cadence-call logged by tina (entry 7): Weekly"},
		{"time-voided", "maria", `{"id":7,"voided_at":null,"void_reason":null}`, `{"id":7,"voided_at":"2026-11-20T10:00:00-05:00","void_reason":"wrong account"}`, "time entry 7 voided by maria: wrong account"},
		{"user-added", "maria", ``, `{"id":"sam","name":"Sam","role":"specialist","region":"na","keys":[]}`, "user sam added by maria (specialist)"},
		{"user-removed", "maria", `{"id":"sam","name":"Sam","role":"specialist"}`, ``, "user sam removed by maria"},
		{"user-key-added", "maria", `{"id":"sam","keys":[]}`, `{"id":"sam","keys":["ssh-ed25519 AAA"]}`, "a key added to sam by maria"},
		{"user-key-removed", "maria", `{"id":"sam","keys":["ssh-ed25519 AAA"]}`, `{"id":"sam","keys":[]}`, "a key removed from sam by maria"},
		{"account-added", "maria", ``, `{"id":"acme","name":"Acme Corp","plan":"premium"}`, "account acme added by maria"},
		{"account-changed", "maria", `{"id":"acme","plan":"basic","tam":null}`, `{"id":"acme","plan":"plus","tam":"tina"}`, "account acme changed by maria: plan basic -> plus, tam none -> tina"},
		{"contact-added", "maria", `{"id":"acme","contacts":[]}`, `{"id":"acme","contacts":[{"name":"Ana Ruiz","kind":"contact"}]}`, "contact Ana Ruiz added to acme by maria"},
		{"imported", "maria", ``, `{"number":7}`, "imported by maria"},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.kind] = true
		ev := &Event{Kind: tc.kind, Actor: tc.actor}
		if tc.before != "" {
			ev.Before = []byte(tc.before)
		}
		if tc.after != "" {
			ev.After = []byte(tc.after)
		}
		got := EventSentence(ev)
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.kind, got, tc.want)
		}
		if strings.ContainsAny(got, "{}\n\x1b") || strings.Contains(got, "_at") || strings.Contains(got, "2026") {
			t.Errorf("%s: %q holds a raw field, an instant or a control byte", tc.kind, got)
		}
	}
	for _, k := range EventKinds() {
		if !covered[k] {
			t.Errorf("event kind %q has no sentence test", k)
		}
	}
}
