package cli

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"caseboard/model"
)

// tableReads counts the reads of a whole table (every case, every open
// case, every account, escalation or user) a command asks of its store.
type tableReads struct {
	Backend
	n map[string]int
}

func (r *tableReads) LoadDesk() (*model.Desk, error) {
	r.n["LoadDesk"]++
	return r.Backend.LoadDesk()
}

func (r *tableReads) OpenCases() ([]model.Case, error) {
	r.n["OpenCases"]++
	return r.Backend.OpenCases()
}

func (r *tableReads) Accounts() ([]model.Account, error) {
	r.n["Accounts"]++
	return r.Backend.Accounts()
}

func (r *tableReads) AllEscalations() ([]model.Escalation, error) {
	r.n["AllEscalations"]++
	return r.Backend.AllEscalations()
}

func (r *tableReads) Users() ([]model.User, error) {
	r.n["Users"]++
	return r.Backend.Users()
}

func (r *tableReads) Export() (*model.Document, error) {
	r.n["Export"]++
	return r.Backend.Export()
}

func (r *tableReads) String() string {
	var parts []string
	for k, v := range r.n {
		parts = append(parts, k+"="+strconv.Itoa(v))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// TestSingleCaseCommandsReadByKey: `case show`, `case note` and every
// other action on one case (and time logged on a case) read that case,
// its escalation, its account and the acting user by key, and their
// auto-close its candidates from the store's index: none reads a whole
// table, so its cost does not grow with the desk (issue 25). Before, a
// show loaded the whole desk and every action read every open case.
func TestSingleCaseCommandsReadByKey(t *testing.T) {
	st := &tableReads{Backend: deskStore(t), n: map[string]int{}}
	now := "--now=2026-11-25T10:30:00-05:00"
	refused := 0
	for _, args := range [][]string{
		{"case", "show", "1044"}, {"case", "show", "1044", "--json"}, {"case", "show", "1046", "--as", "tina"},
		{"case", "show", "99"},
		{"case", "note", "1042", "Asked", "for", "the", "logs", "--as", "sam"},
		{"case", "take", "1042", "--as", "sam"},
		{"case", "assign", "1043", "--to", "lee", "--as", "maria"},
		{"case", "call", "1043", "--as", "lee"},
		{"case", "respond", "1042", "--as", "sam"},
		{"case", "status", "1042", "waiting-customer", "--as", "sam"},
		{"case", "followup", "1042", "--as", "sam"},
		{"case", "reply", "1042", "--as", "sam"},
		{"escalate", "1042", "--by", "contact:Megan Bowen", "--channel", "phone", "--justification", "go-live", "--as", "sam"},
		{"escalation", "followup", "1042", "--as", "maria"},
		{"escalation", "accept", "1042", "--every", "4h", "--as", "maria"},
		{"escalation", "update", "1042", "--summary", "patch in QA", "--as", "maria"},
		{"escalation", "close", "1042", "--outcome", "fix", "--summary", "4.2.1", "--as", "maria"},
		{"escalate", "1042", "--by", "contact:Megan Bowen", "--channel", "portal", "--justification", "again", "--as", "sam"},
		{"escalation", "decline", "1042", "--reason", "a workaround is in place", "--as", "maria"},
		{"escalate", "1042", "--by", "contact:Megan Bowen", "--channel", "portal", "--justification", "again", "--as", "sam"},
		{"escalation", "accept", "1042", "--every", "4h", "--as", "maria"},
		{"escalation", "deescalate", "1042", "--reason", "no test system", "--as", "maria"},
		{"case", "severity", "1042", "--to", "3", "--agreed-by", "Megan Bowen", "--as", "sam"},
		{"time", "log", "--account", "acme", "--minutes", "30", "--category", "cadence-call", "--case", "1043", "--as", "tina"},
		{"case", "close", "1045", "--reason", "resolved", "--as", "eva"},
		{"case", "reopen", "1046", "--as", "sam"},
		{"case", "take", "1045", "--as", "nobody"},
	} {
		for k := range st.n {
			delete(st.n, k)
		}
		r := runOn(t, st, "", append(args, now)...)
		if r.code == ExitUsage {
			t.Errorf("%s: usage error %s", strings.Join(args, " "), r.stderr)
		}
		if r.code != ExitOK {
			refused++
		}
		if len(st.n) > 0 {
			t.Errorf("%s (exit %d): read whole tables: %s", strings.Join(args, " "), r.code, st)
		}
	}
	if refused != 3 { // no case 99, closing an assigned case, nobody: refusals read by key too
		t.Errorf("%d commands refused, want 3: the scene is not the one the test means", refused)
	}
}

// TestQueueReadsOpenCasesOnly: `queue` (and account list and show) read
// the open cases through the store's open-case index, with the accounts
// and escalations they show, never the whole desk (closed cases, time
// entries, users); what they print is what they printed from it.
func TestQueueReadsOpenCasesOnly(t *testing.T) {
	st := &tableReads{Backend: deskStore(t), n: map[string]int{}}
	for _, args := range [][]string{
		{"queue", "--json", "--now", seenAt}, {"queue", "--by-due", "--as", "tina", "--now", seenAt},
		{"account", "list"}, {"account", "show", "acme", "--now", seenAt},
	} {
		for k := range st.n {
			delete(st.n, k)
		}
		out := must(t, st, args...)
		if st.n["LoadDesk"] > 0 || st.n["OpenCases"] != 1 {
			t.Errorf("%s: %s, want the open cases read once and no whole desk", strings.Join(args, " "), st)
		}
		if strings.Contains(out, "1046") { // the closed case
			t.Errorf("%s shows the closed case:\n%s", strings.Join(args, " "), out)
		}
	}
}
