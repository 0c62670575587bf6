package model

import (
	"fmt"
	"net/url"
	"strings"
)

// Hook formats: the body a webhook receives.
const (
	HookJSON  = "json"
	HookSlack = "slack"
	HookTeams = "teams"
)

// HookFormats lists the formats.
var HookFormats = []string{HookJSON, HookSlack, HookTeams}

// Hook is a webhook: where alerts are posted, in which format, and which
// alerts (empty filters take every alert).
type Hook struct {
	ID     string   `json:"id"`
	URL    string   `json:"url"`
	Format string   `json:"format"`
	Secret string   `json:"secret"`
	Kinds  []string `json:"kinds"`
	// Account, Region and Severities narrow the alerts to one account, one
	// region, some severities (an account's bank alert has no severity: a
	// hook with severities never gets it).
	Account    string `json:"account"`
	Region     string `json:"region"`
	Severities []int  `json:"severities"`
}

// hookVerb names hook actions in refusals ("add hook", "remove hook").
func hookObject(id string) string { return "hook " + id }

// PermitHooks checks that u may manage webhooks (add, remove, test, read
// them, their URLs and secrets included): the row of users and accounts,
// managers only. verb is the action ("add", "list"); id the hook or "".
func PermitHooks(u User, verb, id string) error {
	if Allowed(u.Role, CapAdmin) {
		return nil
	}
	obj := "hooks"
	if id != "" {
		obj = hookObject(id)
	}
	return PermissionRefusal(u.ID, verb, obj, noScopeReason(u.Role, CapAdmin))
}

// CheckHook checks a hook before it is stored: an id, an http or https
// URL with a host, a known format, known kinds and severities, and a
// region of the policy.
func CheckHook(h *Hook, p *Policy) error {
	verb, obj := "add", hookObject(h.ID)
	if !ValidID(h.ID) || h.ID == System {
		return RuleRefusal(verb, obj, "an id is lower-case letters, digits, '-', '_' or '.'")
	}
	u, err := url.Parse(h.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return RuleRefusal(verb, obj, "the URL must be http:// or https:// with a host")
	}
	if u.User != nil {
		return RuleRefusal(verb, obj, "the URL must not carry a user or password (use --secret)")
	}
	if !hasString(HookFormats, h.Format) {
		return RuleRefusal(verb, obj, fmt.Sprintf("format %q is not one of %s", h.Format, strings.Join(HookFormats, ", ")))
	}
	for _, k := range h.Kinds {
		if _, ok := ParseAlertKind(k); !ok {
			names := make([]string, len(AlertKinds))
			for i, k := range AlertKinds {
				names[i] = string(k)
			}
			return RuleRefusal(verb, obj, fmt.Sprintf("%q is not an alert kind (%s)", k, strings.Join(names, ", ")))
		}
	}
	for _, s := range h.Severities {
		if s < 1 || s > 4 {
			return RuleRefusal(verb, obj, fmt.Sprintf("severity %d is not 1 to 4", s))
		}
	}
	if h.Region != "" {
		if _, ok := p.Regions[Region(h.Region)]; !ok {
			return RuleRefusal(verb, obj, fmt.Sprintf("no region %s", h.Region))
		}
	}
	return nil
}

// Matches reports whether the hook takes the alert. A test alert goes to
// whichever hook is tested, never through Matches.
func (h *Hook) Matches(a *Alert) bool {
	if a.Kind == AlertTest {
		return false
	}
	if len(h.Kinds) > 0 && !hasString(h.Kinds, string(a.Kind)) {
		return false
	}
	if h.Account != "" && a.Account != h.Account {
		return false
	}
	if h.Region != "" && string(a.Region) != h.Region {
		return false
	}
	if len(h.Severities) > 0 {
		ok := false
		for _, s := range h.Severities {
			ok = ok || s == a.Severity
		}
		if !ok {
			return false
		}
	}
	return true
}

// MaskedURL shows a hook's URL without what makes it a credential: the
// scheme and host only (incoming-webhook URLs carry their token in the
// path or query).
func (h *Hook) MaskedURL() string {
	u, err := url.Parse(h.URL)
	if err != nil || u.Host == "" {
		return "***"
	}
	if u.Path == "" && u.RawQuery == "" {
		return u.Scheme + "://" + u.Host
	}
	return u.Scheme + "://" + u.Host + "/***"
}

// MaskedSecret shows whether a hook signs its bodies, never the secret.
func (h *Hook) MaskedSecret() string {
	if h.Secret == "" {
		return "-"
	}
	return "***"
}

func hasString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
