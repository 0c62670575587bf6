package model

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// The policy file's TOML as it is written; ParsePolicy checks it section
// by section (policy_clocks.go, policy_calendars.go, policy_tam.go) into
// a Policy.

// failFunc makes the error of one key of the policy file.
type failFunc func(key, format string, args ...any) error

type rawShift struct {
	Days  []string `toml:"days"`
	Open  string   `toml:"open"`
	Close string   `toml:"close"`
}

type rawRegion struct {
	Name        string     `toml:"name"`
	Zone        string     `toml:"zone"`
	Label       string     `toml:"label"`
	BusinessDay string     `toml:"business_day"`
	Holidays    *bool      `toml:"holidays"`
	Shifts      []rawShift `toml:"shifts"`
}

type rawHoliday struct {
	Name    string `toml:"name"`
	Date    string `toml:"date"`
	Month   int    `toml:"month"`
	Weekday string `toml:"weekday"`
	Nth     int    `toml:"nth"`
}

type rawPolicy struct {
	DueSoon          string                `toml:"due_soon"`
	ReopenWindow     string                `toml:"reopen_window"`
	Targets          map[string][]string   `toml:"targets"`
	AroundTheClock   []int                 `toml:"around_the_clock"`
	Holidays         []rawHoliday          `toml:"holidays"`
	Regions          map[string]*rawRegion `toml:"regions"`
	Escalation       *rawEscalation        `toml:"escalation"`
	CustomerFollowup *rawFollowup          `toml:"customer_followup"`
	TAM              *rawTAM               `toml:"tam"`
	Alerts           *rawAlerts            `toml:"alerts"`
}

type rawEscalation struct {
	Zone              string     `toml:"zone"`
	Label             string     `toml:"label"`
	Holidays          *bool      `toml:"holidays"`
	Shifts            []rawShift `toml:"shifts"`
	Followup          string     `toml:"followup"`
	EligibleAfterDays []int      `toml:"eligible_after_days"`
}

type rawFollowup struct {
	FollowupDays  []int `toml:"followup_days"`
	AutoCloseDays *int  `toml:"auto_close_days"`
}

type rawTAM struct {
	Zone              string                 `toml:"zone"`
	ImplementationCap string                 `toml:"implementation_cap"`
	Plans             map[string]*rawTAMPlan `toml:"plans"`
}

type rawTAMPlan struct {
	Name    string  `toml:"name"`
	Hours   int     `toml:"hours"`
	Managed bool    `toml:"managed"`
	Next    *string `toml:"next"`
}

// tomlKeyError matches the TOML decoder's type errors:
// `toml: line 10 (last key "due_soon"): incompatible types: ...`.
var tomlKeyError = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "((?:[^"\\]|\\.)*)"\): (.*)$`)

// ParsePolicy reads a policy file's bytes. file names it in errors ("" for
// the embedded default). Every error names the key and the problem.
func ParsePolicy(data []byte, file string) (p *Policy, err error) {
	fail := func(key, format string, args ...any) error {
		return &PolicyError{File: file, Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	var raw rawPolicy
	md, derr := toml.Decode(string(data), &raw)
	if derr != nil {
		var pe toml.ParseError
		if errors.As(derr, &pe) {
			return nil, fail(pe.LastKey, "line %d: %s", pe.Position.Line, OneLine(pe.Message))
		}
		// Type mismatches are plain errors that carry the key in their text:
		// take it out so the key comes first, like every other error.
		msg := OneLine(derr.Error())
		if m := tomlKeyError.FindStringSubmatch(msg); m != nil {
			key, uerr := strconv.Unquote(`"` + m[2] + `"`)
			if uerr != nil {
				key = m[2]
			}
			if m[1] != "" {
				return nil, fail(key, "line %s: %s", m[1], m[3])
			}
			return nil, fail(key, "%s", m[3])
		}
		return nil, fail("", "%s", strings.TrimPrefix(msg, "toml: "))
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fail(und[0].String(), "unknown key")
	}
	p = &Policy{
		Targets:  map[Plan][4]time.Duration{},
		Regions:  map[Region]*Calendar{},
		TAMPlans: map[TAMPlan]TAMPlanSpec{},
	}
	if err := parseTargets(p, &raw, fail); err != nil {
		return nil, err
	}
	if err := parseCalendars(p, &raw, fail); err != nil {
		return nil, err
	}
	if err := parseFollowup(p, raw.CustomerFollowup, fail); err != nil {
		return nil, err
	}
	if err := parseTAM(p, raw.TAM, fail); err != nil {
		return nil, err
	}
	if p.Alerts, err = parseAlertPolicy(raw.Alerts, fail); err != nil {
		return nil, err
	}
	p.Always = &Calendar{Name: "24x7", Label: "UTC", loc: time.UTC, always: true, BusinessDay: 24 * time.Hour}
	p.index()
	p.Digest = fmt.Sprintf("%x", sha256.Sum256(data))
	return p, nil
}

func policyDuration(s, key string, fail func(string, string, ...any) error) (time.Duration, error) {
	if s == "" {
		return 0, fail(key, "missing")
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fail(key, "%q is not a duration (like \"90m\" or \"4h\")", s)
	}
	if d <= 0 {
		return 0, fail(key, "must be positive, is %s", s)
	}
	if d%time.Minute != 0 {
		return 0, fail(key, "must be a whole number of minutes, is %s", s)
	}
	return d, nil
}

// validSlug reports whether s is a policy id (a region or a TAM plan):
// lower-case letters, digits and '-', at most 32. It is narrower than
// ValidID (the desk's user and account ids, which also take '_' and '.').
func validSlug(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
