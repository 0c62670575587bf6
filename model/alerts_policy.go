package model

import (
	"fmt"
	"sort"
	"time"
)

// AlertPolicy is the policy's [alerts] section.
type AlertPolicy struct {
	// Before is the due-soon ladder: wall-clock time before due, longest
	// first.
	Before []time.Duration
	// Bank lists the time-bank thresholds, in percent of the month's bank.
	Bank []int
	// CallAfter is how long after opening a 24x7 case with no call logged
	// raises call-required.
	CallAfter time.Duration
}

// rawAlerts is [alerts] as written.
type rawAlerts struct {
	Before    []string `toml:"before"`
	Bank      []int    `toml:"bank"`
	CallAfter string   `toml:"call_required_after"`
}

// DefaultAlertPolicy is [alerts] of the embedded policy. A policy file
// written before alerts existed has no [alerts] section and gets these:
// alerts are new, and a desk's file should not stop working for them.
func DefaultAlertPolicy() AlertPolicy {
	return AlertPolicy{Before: []time.Duration{60 * time.Minute, 30 * time.Minute, 15 * time.Minute},
		Bank: []int{80, 100}, CallAfter: 10 * time.Minute}
}

// parseAlertPolicy checks [alerts]; every key it has must be valid.
func parseAlertPolicy(r *rawAlerts, fail func(key, format string, args ...any) error) (AlertPolicy, error) {
	ap := DefaultAlertPolicy()
	if r == nil {
		return ap, nil
	}
	if r.Before != nil {
		ap.Before = nil
		for i, s := range r.Before {
			d, err := policyDuration(s, fmt.Sprintf("alerts.before[%d]", i), fail)
			if err != nil {
				return AlertPolicy{}, err
			}
			ap.Before = append(ap.Before, d)
		}
		sort.Slice(ap.Before, func(i, j int) bool { return ap.Before[i] > ap.Before[j] })
		for i := 1; i < len(ap.Before); i++ {
			if ap.Before[i] == ap.Before[i-1] {
				return AlertPolicy{}, fail("alerts.before", "%s is given twice", stepName(ap.Before[i]))
			}
		}
	}
	if r.Bank != nil {
		ap.Bank = nil
		for i, pct := range r.Bank {
			if pct < 1 || pct > 100 {
				return AlertPolicy{}, fail(fmt.Sprintf("alerts.bank[%d]", i), "%d is not a percent from 1 to 100", pct)
			}
			ap.Bank = append(ap.Bank, pct)
		}
		sort.Ints(ap.Bank)
	}
	if r.CallAfter != "" {
		d, err := policyDuration(r.CallAfter, "alerts.call_required_after", fail)
		if err != nil {
			return AlertPolicy{}, err
		}
		ap.CallAfter = d
	}
	return ap, nil
}
