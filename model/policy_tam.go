package model

import "time"

// parseTAM reads [tam] and its plans.
func parseTAM(p *Policy, t *rawTAM, fail failFunc) (err error) {
	if t == nil {
		return fail("tam", "missing")
	}
	if t.Zone == "" {
		return fail("tam.zone", "missing")
	}
	if p.TAMZone, err = time.LoadLocation(t.Zone); err != nil {
		return fail("tam.zone", "unknown time zone %q", t.Zone)
	}
	if p.ImplementationCap, err = policyDuration(t.ImplementationCap, "tam.implementation_cap", fail); err != nil {
		return err
	}
	if len(t.Plans) == 0 {
		return fail("tam.plans", "missing: at least one TAM plan is needed")
	}
	for id, tp := range t.Plans {
		key := "tam.plans." + id
		if !validSlug(id) || id == string(TAMNone) {
			return fail(key, "TAM plan ids are lower-case letters, digits and '-', and not \"none\"")
		}
		if tp.Hours <= 0 {
			return fail(key+".hours", "must be positive")
		}
		if tp.Hours > MaxPlanHours {
			return fail(key+".hours", "%d is more than %d", tp.Hours, MaxPlanHours)
		}
		if tp.Next == nil {
			return fail(key+".next", "missing (\"\" for the largest plan)")
		}
		spec := TAMPlanSpec{ID: TAMPlan(id), Name: tp.Name, Hours: tp.Hours, Managed: tp.Managed, Next: TAMPlan(*tp.Next)}
		if spec.Name == "" {
			spec.Name = id
		}
		p.TAMPlans[TAMPlan(id)] = spec
	}
	for id, spec := range p.TAMPlans {
		if spec.Next == "" {
			continue
		}
		next, ok := p.TAMPlans[spec.Next]
		if !ok {
			return fail("tam.plans."+string(id)+".next", "unknown TAM plan %q", spec.Next)
		}
		if next.Hours <= spec.Hours {
			return fail("tam.plans."+string(id)+".next", "the next package must have more hours")
		}
	}
	return nil
}
