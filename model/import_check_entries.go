package model

import (
	"strings"
	"time"
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
// entryCheck is what the check of time entries keeps between them.
type entryCheck struct {
	today       Date
	capMin      int64
	ids         map[int64]int         // id -> index + 1
	overBank    map[BankMonth]int     // banks already reported: the pending problem
	month       map[BankMonth][]int64 // the entries of a month not (yet) past its bank
	overProject map[ProjectOf]bool    // projects already reported
}

func (ec *entryCheck) init(ck *DocCheck) {
	ec.today = DateOf(ck.o.Now, ck.p.TAMZone)
	ec.capMin = int64(ck.p.ImplementationCap / time.Minute)
	ec.ids, ec.overBank, ec.month, ec.overProject = map[int64]int{}, map[BankMonth]int{}, map[BankMonth][]int64{}, map[ProjectOf]bool{}
}

// checkEntry checks a time entry as time log checks each one: an id in
// range, an account with a TAM plan, a TAM who is a tam, minutes in
// range, no date after the import's today, a case of the same account, a
// project for implementation guidance, managed mode only where the plan
// has it; and, over the document and what the store already holds, every
// month of an account within its plan's bank (as the plan is now, like
// the action) and every project within the implementation cap. Exactly
// reaching a bank or the cap is allowed. The totals it leaves are the
// stored values to write; they add to the desk's running totals, read the
// first time (each addend is at most MaxEntryMinutes, so no sum can wrap).
func (ck *DocCheck) checkEntry(i int, r *TimeEntryRecord) {
	p, ec, tot := ck.p, &ck.entries, &ck.tot
	e, err := TimeEntryFromRecord(r)
	if err != nil {
		ck.badErr("time_entries", i, err)
	}
	okID := true
	switch {
	case !ValidNumber(r.ID):
		ck.bad("time_entries", i, "id", "%d is not an id (1 to %d)", r.ID, MaxNumber)
		okID = false
	case ec.ids[r.ID] > 0:
		ck.bad("time_entries", i, "id", "%d appears twice (also %s)", r.ID, ck.where("time_entries", ec.ids[r.ID]-1))
		okID = false
	case ck.look.HasTimeEntry(r.ID):
		ck.bad("time_entries", i, "id", "time entry %d already exists in the store", r.ID)
		okID = false
	default:
		ec.ids[r.ID] = i + 1
	}
	acct, okAcct := ck.account(r.Account)
	if !okAcct {
		ck.bad("time_entries", i, "account", "%q is not an account", r.Account)
		okID = false
	}
	// The action records the acting TAM, or the account's TAM (a tam).
	if u, ok := ck.user(r.TAM); !ok {
		ck.badUnless([]string{removedUser(r.TAM)}, "time_entries", i, "tam", "%q is not a user", r.TAM)
	} else if u.Role != TAM {
		ck.bad("time_entries", i, "tam", "%s is a %s, not a tam", u.ID, u.Role)
	}
	okMin := true
	if err := CheckEntryMinutes(r.Minutes); err != nil {
		ck.bad("time_entries", i, "minutes", "%v", err)
		okMin = false
	}
	if !ValidCategory(r.Category) {
		ck.bad("time_entries", i, "category", "%q is not a category (%s)", r.Category, oneOf(categories))
	}
	if e.Mode == "" {
		e.Mode = ModeConsultative
	}
	if !inList(modes, e.Mode) {
		ck.bad("time_entries", i, "mode", "%q is not a mode (%s)", r.Mode, oneOf(modes))
	}
	if !e.Date.IsZero() && ec.today.Before(e.Date) {
		ck.bad("time_entries", i, "date", "%s is in the future (today is %s)", e.Date, ec.today)
	}
	if r.Case != nil {
		if !ck.caseExists(*r.Case) {
			ck.bad("time_entries", i, "case", "%d is not a case", *r.Case)
		} else if owner := ck.caseAccount(*r.Case); okAcct && owner != acct.ID {
			ck.bad("time_entries", i, "case", "case %s belongs to %s", CaseNumber(*r.Case), owner)
		}
	}
	if r.Category == CatImplementation && strings.TrimSpace(e.Project) == "" {
		ck.bad("time_entries", i, "project", "implementation guidance needs a project")
	}
	if !okID {
		return
	}
	tot.Entries++
	tot.MaxEntry = max(tot.MaxEntry, e.ID)
	ck.fail(ck.w.Entry(&e))
	rec := TimeEntryToRecord(&e, p)
	ck.imported(0, &rec)
	if !e.Counts() || !okMin || e.Date.IsZero() {
		return
	}
	// The plan as it is now, like the action; an entry the document's
	// events show logged was checked against the plan of its day.
	logged := []string{loggedEntry(e.ID)}
	spec, hasPlan := p.TAMPlans[acct.TAMPlan]
	switch {
	case !hasPlan:
		ck.badUnless(logged, "time_entries", i, "account", "%s has no TAM plan", acct.ID)
	case e.Mode == ModeManaged && !spec.Managed:
		ck.badUnless(logged, "time_entries", i, "mode", "%s has no managed services", spec.Name)
	}
	read := func(n int64, err error) int64 {
		ck.fail(err)
		return n
	}
	month := e.Date.MonthOf()
	bk := BankMonth{e.Account, month.String()}
	if _, ok := tot.Bank[bk]; !ok {
		tot.Bank[bk] = read(ck.look.BankMinutes(bk.Account, bk.Month))
	}
	tot.Bank[bk] += int64(e.Minutes)
	// A month past its bank is excused when the events show every entry
	// of it in the document logged.
	k, over := ec.overBank[bk]
	if over {
		ck.needMore(k, logged[0])
	} else {
		ec.month[bk] = append(ec.month[bk], e.ID)
	}
	if used := tot.Bank[bk]; hasPlan && used > int64(spec.BankMinutes()) && !over {
		var needs []string
		for _, id := range ec.month[bk] {
			needs = append(needs, loggedEntry(id))
		}
		delete(ec.month, bk)
		ec.overBank[bk] = ck.badUnless(needs, "time_entries", i, "minutes", "%s's bank for %s is %s (%s): this entry takes it to %s",
			acct.ID, month, HoursMinutes(spec.BankMinutes()), spec.Name, HoursMinutes(int(used)))
	}
	if e.Category == CatImplementation && e.Project != "" {
		pk := ProjectOf{e.Account, e.Project}
		if _, ok := tot.Projects[pk]; !ok {
			tot.Projects[pk] = read(ck.look.ProjectMinutes(pk.Account, pk.Project))
		}
		tot.Projects[pk] += int64(e.Minutes)
		if used := tot.Projects[pk]; used > ec.capMin && !ec.overProject[pk] {
			ec.overProject[pk] = true
			ck.bad("time_entries", i, "minutes", "%s", ProjectCapMessage(p, e.Project))
		}
	}
}
