package model

import (
	"fmt"
	"time"
)

// parseTargets reads the top of the file: due_soon, reopen_window, the
// targets per plan and the severities that run around the clock.
func parseTargets(p *Policy, raw *rawPolicy, fail failFunc) (err error) {
	if p.DueSoon, err = policyDuration(raw.DueSoon, "due_soon", fail); err != nil {
		return err
	}
	if p.ReopenWindow, err = policyDuration(raw.ReopenWindow, "reopen_window", fail); err != nil {
		return err
	}
	if raw.Targets == nil {
		return fail("targets", "missing")
	}
	for name := range raw.Targets {
		if _, ok := ParsePlan(name); !ok {
			return fail("targets."+name, "unknown plan (plans: %s)", oneOf(plans))
		}
	}
	for _, plan := range plans {
		vals, ok := raw.Targets[string(plan)]
		key := "targets." + string(plan)
		if !ok {
			return fail(key, "missing")
		}
		if len(vals) != 4 {
			return fail(key, "needs 4 targets (severities 1 to 4), has %d", len(vals))
		}
		var t [4]time.Duration
		for i, v := range vals {
			if t[i], err = policyDuration(v, fmt.Sprintf("%s[%d]", key, i), fail); err != nil {
				return err
			}
		}
		p.Targets[plan] = t
	}
	for i, s := range raw.AroundTheClock {
		if s < 1 || s > 4 {
			return fail(fmt.Sprintf("around_the_clock[%d]", i), "severity %d is not 1 to 4", s)
		}
		p.AroundTheClock[s] = true
	}
	return nil
}

// parseFollowup reads [customer_followup].
func parseFollowup(p *Policy, cf *rawFollowup, fail failFunc) error {
	if cf == nil {
		return fail("customer_followup", "missing")
	}
	if len(cf.FollowupDays) != 2 {
		return fail("customer_followup.followup_days", "needs 2 values (follow-ups 1 and 2), has %d", len(cf.FollowupDays))
	}
	if cf.FollowupDays[0] <= 0 || cf.FollowupDays[1] < cf.FollowupDays[0] {
		return fail("customer_followup.followup_days", "must be positive and in order")
	}
	p.FollowupDays = [2]int{cf.FollowupDays[0], cf.FollowupDays[1]}
	if cf.AutoCloseDays == nil {
		return fail("customer_followup.auto_close_days", "missing")
	}
	if *cf.AutoCloseDays <= 0 {
		return fail("customer_followup.auto_close_days", "must be positive")
	}
	p.AutoCloseDays = *cf.AutoCloseDays
	return nil
}
