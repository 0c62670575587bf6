package store

import (
	"strings"
	"time"

	"caseboard/model"
)

// checkEntries checks the document's time entries as time log checks
// each one: an id in range, an account with a TAM plan, a TAM who is a
// tam, minutes in range, no date after the import's today, a case of the
// same account, a project for implementation guidance, managed mode only
// where the plan has it; and, over the document and what the store
// already holds, every month of an account within its plan's bank (as
// the plan is now, like the action) and every project within the
// implementation cap. Exactly reaching a bank or the cap is allowed.
// The totals it leaves in plan are the stored values to write.
func (ck *checker) checkEntries(plan *importPlan) error {
	d := ck.doc
	p := ck.s.policy
	today := model.DateOf(ck.now, p.TAMZone)
	capMin := int64(p.ImplementationCap / time.Minute)
	entryIDs := map[int64]int{}
	over := map[string]bool{} // bank and project keys already reported
	// total adds to a stored running total, read from the store the first
	// time; each addend is at most MaxEntryMinutes, so no sum can wrap.
	var readErr error
	total := func(m map[string]int64, k string, add int) int64 {
		if _, ok := m[k]; !ok {
			n, err := getInt(ck.txn, []byte(k))
			if err != nil && readErr == nil {
				readErr = err
			}
			m[k] = n
		}
		m[k] += int64(add)
		return m[k]
	}
	for i := range d.TimeEntries {
		r := &d.TimeEntries[i]
		e, err := model.TimeEntryFromRecord(r)
		if err != nil {
			ck.badErr("time_entries", i, err)
		}
		okID := true
		switch {
		case !model.ValidNumber(r.ID):
			ck.bad("time_entries", i, "id", "%d is not an id (1 to %d)", r.ID, model.MaxNumber)
			okID = false
		case entryIDs[r.ID] > 0:
			ck.bad("time_entries", i, "id", "%d appears twice (also %s)", r.ID, ck.where("time_entries", entryIDs[r.ID]-1))
			okID = false
		case ck.has(entryKey(r.ID)):
			ck.bad("time_entries", i, "id", "time entry %d already exists in the store", r.ID)
			okID = false
		default:
			entryIDs[r.ID] = i + 1
		}
		acct, okAcct := ck.account(r.Account)
		if !okAcct {
			ck.bad("time_entries", i, "account", "%q is not an account", r.Account)
			okID = false
		}
		// The action records the acting TAM, or the account's TAM (a tam).
		if u, ok := ck.user(r.TAM); !ok {
			ck.bad("time_entries", i, "tam", "%q is not a user", r.TAM)
		} else if u.Role != model.TAM {
			ck.bad("time_entries", i, "tam", "%s is a %s, not a tam", u.ID, u.Role)
		}
		okMin := true
		if err := model.CheckEntryMinutes(r.Minutes); err != nil {
			ck.bad("time_entries", i, "minutes", "%v", err)
			okMin = false
		}
		if !model.ValidCategory(r.Category) {
			ck.bad("time_entries", i, "category", "%q is not a category (%s)", r.Category, strings.Join(model.Categories(), ", "))
		}
		if e.Mode == "" {
			e.Mode = model.ModeConsultative
		}
		if e.Mode != model.ModeConsultative && e.Mode != model.ModeManaged {
			ck.bad("time_entries", i, "mode", "%q is not a mode (consultative, managed)", r.Mode)
		}
		if !e.Date.IsZero() && today.Before(e.Date) {
			ck.bad("time_entries", i, "date", "%s is in the future (today is %s)", e.Date, today)
		}
		if r.Case != nil {
			if !ck.caseExists(*r.Case) {
				ck.bad("time_entries", i, "case", "%d is not a case", *r.Case)
			} else if owner := ck.caseAccount(*r.Case); okAcct && owner != acct.ID {
				ck.bad("time_entries", i, "case", "case %s belongs to %s", model.CaseNumber(*r.Case), owner)
			}
		}
		if r.Category == model.CatImplementation && strings.TrimSpace(e.Project) == "" {
			ck.bad("time_entries", i, "project", "implementation guidance needs a project")
		}
		if !okID {
			continue
		}
		plan.entries = append(plan.entries, e)
		plan.maxEntry = max(plan.maxEntry, e.ID)
		if !e.Counts() || !okMin || e.Date.IsZero() {
			continue
		}
		spec, hasPlan := p.TAMPlans[acct.TAMPlan]
		switch {
		case !hasPlan:
			ck.bad("time_entries", i, "account", "%s has no TAM plan", acct.ID)
		case e.Mode == model.ModeManaged && !spec.Managed:
			ck.bad("time_entries", i, "mode", "%s has no managed services", spec.Name)
		}
		month := e.Date.MonthOf()
		bk := string(bankKey(e.Account, month.String()))
		if used := total(plan.bank, bk, e.Minutes); hasPlan && used > int64(spec.BankMinutes()) && !over[bk] {
			over[bk] = true
			ck.bad("time_entries", i, "minutes", "%s's bank for %s is %s (%s): this entry takes it to %s",
				acct.ID, month, model.HoursMinutes(spec.BankMinutes()), spec.Name, model.HoursMinutes(int(used)))
		}
		if e.Category == model.CatImplementation && e.Project != "" {
			pk := string(projectKey(e.Account, e.Project))
			if used := total(plan.projects, pk, e.Minutes); used > capMin && !over[pk] {
				over[pk] = true
				ck.bad("time_entries", i, "minutes", "%s", model.ProjectCapMessage(p, e.Project))
			}
		}
	}
	return readErr
}

// caseAccount is the account of a case of the document or the store.
func (ck *checker) caseAccount(n int64) string {
	if i, ok := ck.cases[n]; ok {
		return ck.caseVals[i].Account
	}
	var c model.Case
	if ok, _ := getJSON(ck.txn, caseKey(n), &c); ok {
		return c.Account
	}
	return ""
}
