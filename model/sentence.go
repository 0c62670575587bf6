package model

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// EventSentence tells one audit event as a sentence for the desk: who did
// what, with what matters of it ("opened by lee: Sev 1, contact Megan
// Bowen", "assigned to maria by lee", "status in-progress ->
// waiting-customer by maria", "note by sam: sent the logs"). It never
// dumps raw fields and holds no instant (the caller writes the event's
// time beside it). Every text from people in it is inert; every kind of
// EventKinds has its own wording.
func EventSentence(ev *Event) string {
	before, after := eventObject(ev.Before), eventObject(ev.After)
	by := Inert(OrDash(ev.Actor, "nobody"))
	get := func(m map[string]json.RawMessage, k string) string { return Inert(rawString(m[k])) }
	with := func(s, extra string) string {
		if extra == "" {
			return s
		}
		return s + ": " + extra
	}
	change := func(field string) string {
		return fmt.Sprintf("%s %s -> %s by %s", field, OrDash(get(before, field), "none"), OrDash(get(after, field), "none"), by)
	}
	switch ev.Kind {
	case "opened":
		var parts []string
		if s := get(after, "severity"); s != "" {
			parts = append(parts, "Sev "+s)
		}
		if c := get(after, "contact"); c != "" {
			parts = append(parts, "contact "+c)
		}
		if r := get(after, "refers_to"); r != "" {
			parts = append(parts, "refers to "+caseRef(r))
		}
		return with("opened by "+by, strings.Join(parts, ", "))
	case "taken":
		return "taken by " + by
	case "assigned":
		return fmt.Sprintf("assigned to %s by %s", OrDash(get(after, "owner"), "nobody"), by)
	case "called":
		return "customer phoned, logged by " + by
	case "responded":
		return "responded by " + by
	case "noted":
		return with("note by "+by, get(after, "note"))
	case "status":
		return change("status")
	case "severity":
		s := change("severity")
		if a := get(after, "agreed_by"); a != "" {
			s += ", agreed by " + a
		}
		return s
	case "replied":
		return "customer replied, logged by " + by
	case "followed-up":
		if _, ok := after["followup2_at"]; ok {
			return "follow-up 2 by " + by
		}
		return "follow-up 1 by " + by
	case "closed":
		reason := get(after, "close_reason")
		if d := get(after, "duplicate_of"); d != "" {
			reason = "duplicate of " + caseRef(d)
		}
		return with("closed by "+by, reason)
	case "auto-closed":
		return "auto-closed by " + by + ": no response from the customer"
	case "reopened":
		return with("reopened by "+by, get(after, "status"))
	case "escalated":
		s := "escalation requested by " + OrDash(get(after, "requested_by"), "?")
		if ch := get(after, "channel"); ch != "" {
			s += " by " + ch
		}
		if rec := get(after, "recorded_by"); rec != "" && rec != get(after, "requested_by") {
			s += ", recorded by " + rec
		}
		return with(s, get(after, "justification"))
	case "escalation-followed-up":
		return "escalation followed up by " + by
	case "accepted":
		if every := get(after, "update_every"); every != "" {
			return fmt.Sprintf("escalation accepted by %s: updates every %s", by, every)
		}
		return "escalation accepted by " + by
	case "declined":
		return with("escalation declined by "+by, get(after, "reason"))
	case "updated":
		return with("escalation update by "+by, lastUpdate(after))
	case "de-escalated":
		return with("de-escalated by "+by, get(after, "reason"))
	case "escalation-closed":
		out := get(after, "outcome")
		if out != "" {
			if n := OutcomeName(rawString(after["outcome"])); n != "" {
				out = n
			}
		}
		if sum := get(after, "summary"); sum != "" {
			out = strings.TrimPrefix(out+"; "+sum, "; ")
		}
		return with("escalation closed by "+by, out)
	case "time-logged":
		s := fmt.Sprintf("%s %s logged by %s", minutesOf(after), OrDash(get(after, "category"), "time"), by)
		if id := get(after, "id"); id != "" {
			s += " (entry " + id + ")"
		}
		return with(s, get(after, "note"))
	case "time-voided":
		return with(fmt.Sprintf("time entry %s voided by %s", OrDash(get(after, "id"), "?"), by), get(after, "void_reason"))
	case "user-added":
		return fmt.Sprintf("user %s added by %s (%s)", OrDash(get(after, "id"), "?"), by, OrDash(get(after, "role"), "?"))
	case "user-removed":
		return fmt.Sprintf("user %s removed by %s", OrDash(get(before, "id"), "?"), by)
	case "user-key-added":
		return fmt.Sprintf("a key added to %s by %s", OrDash(get(after, "id"), "?"), by)
	case "user-key-removed":
		return fmt.Sprintf("a key removed from %s by %s", OrDash(get(after, "id"), "?"), by)
	case "account-added":
		return fmt.Sprintf("account %s added by %s", OrDash(get(after, "id"), "?"), by)
	case "account-changed":
		return with(fmt.Sprintf("account %s changed by %s", OrDash(get(after, "id"), get(before, "id")), by), fieldChanges(before, after))
	case "contact-added":
		return fmt.Sprintf("contact %s added to %s by %s", OrDash(lastContact(after), "?"), OrDash(get(after, "id"), get(before, "id")), by)
	case "imported":
		return "imported by " + by
	}
	return Inert(ev.Kind) + " by " + by
}

// rawString is a JSON string or number as text ("" for null, objects and
// lists).
func rawString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// caseRef writes a case number as the desk does ("00001042"), or the text
// as given when it is no number.
func caseRef(s string) string {
	if n, err := ParseCaseNumber(s); err == nil {
		return CaseNumber(n)
	}
	return s
}

func minutesOf(m map[string]json.RawMessage) string {
	var n int
	if json.Unmarshal(m["minutes"], &n) != nil {
		return "?"
	}
	return HoursMinutes(n)
}

// lastUpdate is the summary of the newest escalation update in an
// "updated" event's list.
func lastUpdate(m map[string]json.RawMessage) string {
	var ups []struct {
		Summary string `json:"summary"`
	}
	if json.Unmarshal(m["updates"], &ups) != nil || len(ups) == 0 {
		return ""
	}
	return Inert(ups[len(ups)-1].Summary)
}

// lastContact is the name of the newest contact in an account record.
func lastContact(m map[string]json.RawMessage) string {
	var cs []struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(m["contacts"], &cs) != nil || len(cs) == 0 {
		return ""
	}
	return Inert(cs[len(cs)-1].Name)
}

// fieldChanges writes the plain fields an event changed, "plan basic ->
// plus, tam tina -> tom", in name order (lists and objects are left out).
func fieldChanges(before, after map[string]json.RawMessage) string {
	var keys []string
	for k := range after {
		if k != "id" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		b, a := rawString(before[k]), rawString(after[k])
		if b == a {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s -> %s", Inert(k), OrDash(Inert(b), "none"), OrDash(Inert(a), "none")))
	}
	return strings.Join(parts, ", ")
}
