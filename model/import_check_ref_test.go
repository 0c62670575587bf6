package model

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Run longer with: go test ./model/ -run SameAsLegacy -checkref.n 50000
// (the package before the flags, or go test takes them for the binary);
// a failure prints the seed to rerun alone with -checkref.seed S -checkref.n 1.
var (
	checkRefN    = flag.Int("checkref.n", 2000, "random documents of TestCheckDocumentSameAsLegacy")
	checkRefSeed = flag.Int64("checkref.seed", 1, "first seed of TestCheckDocumentSameAsLegacy (0: from the clock)")
)

// TestCheckDocumentSameAsLegacy checks random documents against random
// desks with CheckDocument and with the check as it was before it ran
// record by record (import_check_legacy_test.go): the same error or none,
// the same problems (in any order: the current check reports them list by
// list), and for an accepted document the same plan, every event its
// EachEvent gives included.
func TestCheckDocumentSameAsLegacy(t *testing.T) {
	p := DefaultPolicy()
	seed0 := *checkRefSeed
	if seed0 == 0 {
		seed0 = time.Now().UnixNano()
		t.Logf("first seed %d", seed0)
	}
	st := refStats{shapes: map[string]*[3]int{}, seen: map[string]int{}}
	for i := 0; i < *checkRefN; i++ {
		seed := seed0 + int64(i)
		rc, err := genRefCase(rand.New(rand.NewSource(seed)), p)
		if err != nil {
			t.Fatalf("seed %d: the generator failed: %v", seed, err)
		}
		diff, problems, failed := compareChecks(rc, p)
		if diff != "" {
			t.Fatalf("seed %d: %s\n\nrerun alone: go test ./model/ -run 'TestCheckDocumentSameAsLegacy$' -checkref.seed %d -checkref.n 1",
				seed, refFailure(rc, diff), seed)
		}
		st.add(rc, problems, failed)
	}
	t.Log(st.String())
	if *checkRefN >= 2000 {
		st.mustReach(t)
	}
}

// FuzzCheckDocumentSameAsLegacy is the same comparison with the
// generator's choices read from the fuzzer's bytes (then from a source
// seeded by them), so that a mutation of the input changes a choice.
func FuzzCheckDocumentSameAsLegacy(f *testing.F) {
	p := DefaultPolicy()
	for _, s := range []string{"", "\x00", "\x05\x00\x01", "\x09\x09\x09\x09", "\x07\x03\x00\x00\x02\x01",
		"\x0f\x0f\x0f\x0f\x00\xff", "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rc, err := genRefCase(rand.New(newRefByteSource(data)), p)
		if err != nil {
			t.Fatalf("the generator failed: %v", err)
		}
		if diff, _, _ := compareChecks(rc, p); diff != "" {
			t.Fatal(refFailure(rc, diff))
		}
	})
}

// refByteSource gives the fuzzer's bytes, one per draw, then a seeded
// source.
type refByteSource struct {
	data []byte
	rest rand.Source
}

func newRefByteSource(data []byte) *refByteSource {
	h := fnv.New64a()
	h.Write(data)
	return &refByteSource{data: data, rest: rand.NewSource(int64(h.Sum64()))}
}

func (s *refByteSource) Int63() int64 {
	if len(s.data) == 0 {
		return s.rest.Int63()
	}
	b := s.data[0]
	s.data = s.data[1:]
	return int64(uint64(b) * 0x0101010101010101 >> 1) // the byte in every bit window Intn reads
}

func (s *refByteSource) Seed(int64) {}

// refKeyLines are SSH keys for the generated users, made once.
var refKeyLines = sync.OnceValue(func() []string {
	var keys []string
	for _, n := range []string{"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"} {
		keys = append(keys, testKey(n))
	}
	return keys
})

// genRefCase is one random import.
func genRefCase(rng *rand.Rand, p *Policy) (*refCase, error) {
	g := &refGen{rng: rng, p: p, keys: refKeyLines(), rate: []float64{0, 0, 0.02, 0.06, 0.2}[rng.Intn(5)]}
	shape := rng.Intn(10)
	g.look = newRefLook(genLookDesk(g))
	rc := &refCase{look: g.look, o: CheckOptions{Now: t0.Add(5 * 24 * time.Hour), Actor: "importer"}}
	switch {
	case shape < 4:
		rc.shape = "scratch"
		rc.doc = genScratch(g)
	default:
		rc.shape = "desk"
		withEvents := shape >= 6
		if withEvents {
			rc.shape = "events"
		}
		doc, last, err := genDeskDoc(g, withEvents)
		if err != nil {
			return nil, err
		}
		rc.doc = doc
		rc.o.Now = last.Add(time.Duration(g.n(48)) * time.Hour)
		if g.n(8) == 0 {
			rc.o.Now = last.Add(-72 * time.Hour) // some entries in the future
		}
		if g.n(2) == 0 {
			for m := 1 + g.n(2); m > 0; m-- {
				if withEvents && g.n(2) == 0 {
					mutateEvents(g, doc)
				} else {
					mutateRecords(g, doc)
				}
			}
		}
	}
	if g.n(5) == 0 { // empty lists given, not left out
		d := rc.doc
		d.Accounts, d.Users, d.Cases = nonNil(d.Accounts), nonNil(d.Users), nonNil(d.Cases)
		d.Escalations, d.TimeEntries, d.Events = nonNil(d.Escalations), nonNil(d.TimeEntries), nonNil(d.Events)
	}
	rc.o.RecordedAt = rc.o.Now.Add(time.Duration(1+g.n(90)) * time.Second)
	if g.n(10) == 0 {
		rc.o.Where = func(list string, i int) string { return fmt.Sprintf("%s row %d", list, i+2) }
	}
	// now and then a read of the desk fails
	l := g.look
	l.failUsers = g.n(40) == 0
	l.failLastSeq = g.n(60) == 0
	if g.n(30) == 0 && len(rc.doc.TimeEntries) > 0 {
		l.failBank = rc.doc.TimeEntries[g.n(len(rc.doc.TimeEntries))].Account
	}
	if g.n(30) == 0 {
		l.failProject = true
	}
	rc.seed = rng.Int63()
	return rc, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// refLook is a DocumentLookup over a desk, as the store answers it.
type refLook struct {
	d           *Desk
	bank        map[BankMonth]int64
	projects    map[ProjectOf]int64
	failUsers   bool   // Users fails
	failLastSeq bool   // LastEventSeq fails
	failBank    string // BankMinutes of this account fails
	failProject bool   // ProjectMinutes fails
}

var errRefRead = errors.New("disk on fire")

func newRefLook(d *Desk) *refLook {
	l := &refLook{d: d, bank: map[BankMonth]int64{}, projects: map[ProjectOf]int64{}}
	for k, m := range d.Bank {
		l.bank[BankMonth{k.Account, k.Month.String()}] = int64(m)
	}
	for k, m := range d.Projects {
		l.projects[ProjectOf(k)] = int64(m)
	}
	return l
}

func (l *refLook) HasAccount(id string) bool  { return l.d.Accounts[id] != nil }
func (l *refLook) HasUser(id string) bool     { return l.d.Users[id] != nil }
func (l *refLook) HasCase(n int64) bool       { return l.d.Cases[n] != nil }
func (l *refLook) HasTimeEntry(id int64) bool { return l.d.TimeEntries[id] != nil }
func (l *refLook) AnyUser() bool              { return len(l.d.Users) > 0 }

func (l *refLook) Account(id string) (*Account, bool) {
	a, ok := l.d.Account(id)
	return &a, ok
}

func (l *refLook) User(id string) (*User, bool) {
	u, ok := l.d.User(id)
	return &u, ok
}

func (l *refLook) Case(n int64) (*Case, bool) {
	c, ok := l.d.Case(n)
	return &c, ok
}

// Users is in id order, as the store's.
func (l *refLook) Users() ([]User, error) {
	if l.failUsers {
		return nil, errRefRead
	}
	var out []User
	for _, id := range sortedKeys(l.d.Users) {
		u, _ := l.d.User(id)
		out = append(out, u)
	}
	return out, nil
}

func (l *refLook) LastEscalationSeq(n int64) (int, bool) {
	k := len(l.d.Escalations[n])
	return k, k > 0
}

func (l *refLook) BankMinutes(account, month string) (int64, error) {
	if account == l.failBank {
		return 0, errRefRead
	}
	return l.bank[BankMonth{account, month}], nil
}

func (l *refLook) ProjectMinutes(account, project string) (int64, error) {
	if l.failProject {
		return 0, errRefRead
	}
	return l.projects[ProjectOf{account, project}], nil
}

func (l *refLook) LastEventSeq() (int64, error) {
	if l.failLastSeq {
		return 0, errRefRead
	}
	return l.d.LastSeq(), nil
}

// refCheck is a way of running the current check on a whole document.
type refCheck struct {
	name  string
	check func(rc *refCase, doc *Document, p *Policy) (*ImportPlan, []Problem, error)
}

// refChecks are the ways compared with the legacy check: CheckDocument,
// and whatever else feeds the same check (a front end that gives the
// lists in pieces or out of order belongs here too).
var refChecks = []refCheck{
	{"CheckDocument", func(rc *refCase, doc *Document, p *Policy) (*ImportPlan, []Problem, error) {
		return CheckDocument(doc, p, rc.look, rc.o)
	}},
}

// compareChecks runs the legacy check and each of refChecks, each on its
// own copy of the document, and describes how they differ ("" when they
// do not). It also returns the problems and whether the checks failed
// with an error.
func compareChecks(rc *refCase, p *Policy) (diff string, problems []Problem, failed bool) {
	for _, c := range refChecks {
		diff, problems, failed = compareCheck(rc, p, c)
		if diff != "" {
			return c.name + ": " + diff, problems, failed
		}
	}
	return "", problems, failed
}

func compareCheck(rc *refCase, p *Policy, c refCheck) (diff string, problems []Problem, failed bool) {
	lp, lprob, lerr := legacyCheckDocument(cloneDocument(rc.doc), p, rc.look, rc.o)
	cp, cprob, cerr := c.check(rc, cloneDocument(rc.doc), p)
	if (lerr != nil) != (cerr != nil) {
		return fmt.Sprintf("the legacy check's error is %v, the current one's %v", lerr, cerr), nil, false
	}
	if lerr != nil {
		return "", nil, true
	}
	if d := diffMultiset("problems", problemLines(lprob), problemLines(cprob)); d != "" {
		return d, lprob, false
	}
	if len(lprob) > 0 {
		return "", lprob, false
	}
	if (lp == nil) != (cp == nil) {
		return fmt.Sprintf("legacy plan %v, current plan %v", lp != nil, cp != nil), nil, false
	}
	lv := refPlanView(lp.Accounts, lp.Users, lp.Cases, lp.Escalations, lp.Entries, lp.EachEvent, lp.EventCount(),
		lp.Bank, lp.Projects, lp.EventSeq, lp.MaxCase, lp.MaxEntry)
	cv := refPlanView(cp.Accounts, cp.Users, cp.Cases, cp.Escalations, cp.Entries, cp.EachEvent, cp.EventCount(),
		cp.Bank, cp.Projects, cp.EventSeq, cp.MaxCase, cp.MaxEntry)
	var b strings.Builder
	for _, sec := range refPlanSections {
		b.WriteString(diffLines("plan."+sec, lv[sec], cv[sec]))
	}
	if b.Len() > 0 {
		return "the plans of an accepted document differ:\n" + b.String(), nil, false
	}
	return "", nil, false
}

func problemLines(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Where + ": " + p.Msg
	}
	return out
}

var refPlanSections = []string{"accounts", "users", "cases", "escalations", "entries", "events", "event_count",
	"bank", "projects", "event_seq", "max_case", "max_entry"}

// refPlanView is a plan as lines per section, every field printed.
func refPlanView(accts []Account, users []User, cases []Case, escs []Escalation, entries []TimeEntry,
	each func(func(*Event) error) error, count int, bank map[BankMonth]int64, projects map[ProjectOf]int64,
	seq, maxCase, maxEntry int64) map[string][]string {
	v := map[string][]string{}
	for _, x := range accts {
		v["accounts"] = append(v["accounts"], fmt.Sprintf("%+v", x))
	}
	for _, x := range users {
		v["users"] = append(v["users"], fmt.Sprintf("%+v", x))
	}
	for _, x := range cases {
		v["cases"] = append(v["cases"], fmt.Sprintf("%+v", x))
	}
	for _, x := range escs {
		v["escalations"] = append(v["escalations"], fmt.Sprintf("%+v", x))
	}
	for _, x := range entries {
		v["entries"] = append(v["entries"], fmt.Sprintf("%+v", x))
	}
	err := each(func(ev *Event) error {
		v["events"] = append(v["events"], fmt.Sprintf("seq %d kind %s actor %q case %d at %s recorded_at %s before %s after %s",
			ev.Seq, ev.Kind, ev.Actor, ev.Case, ev.At, ev.RecordedAt, ev.Before, ev.After))
		return nil
	})
	if err != nil {
		v["events"] = append(v["events"], "error: "+err.Error())
	}
	v["event_count"] = []string{fmt.Sprint(count)}
	for k, n := range bank {
		v["bank"] = append(v["bank"], fmt.Sprintf("%s %s: %d", k.Account, k.Month, n))
	}
	sort.Strings(v["bank"])
	for k, n := range projects {
		v["projects"] = append(v["projects"], fmt.Sprintf("%s %s: %d", k.Account, k.Project, n))
	}
	sort.Strings(v["projects"])
	v["event_seq"] = []string{fmt.Sprint(seq)}
	v["max_case"] = []string{fmt.Sprint(maxCase)}
	v["max_entry"] = []string{fmt.Sprint(maxEntry)}
	return v
}

// diffLines shows where two lists of lines part ("" if they do not).
func diffLines(name string, want, got []string) string {
	if strings.Join(want, "\n") == strings.Join(got, "\n") && len(want) == len(got) {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: legacy has %d, current %d\n", name, len(want), len(got))
	shown := 0
	for i := 0; i < max(len(want), len(got)) && shown < 4; i++ {
		w, g := "(none)", "(none)"
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			fmt.Fprintf(&b, "  [%d] legacy:  %s\n  [%d] current: %s\n", i, w, i, g)
			shown++
		}
	}
	return b.String()
}

// diffMultiset shows the lines one list has more often than the other.
func diffMultiset(name string, want, got []string) string {
	count := map[string]int{}
	for _, s := range want {
		count[s]++
	}
	for _, s := range got {
		count[s]--
	}
	var only, extra []string
	for s, n := range count {
		for ; n > 0; n-- {
			only = append(only, s)
		}
		for ; n < 0; n++ {
			extra = append(extra, s)
		}
	}
	if len(only)+len(extra) == 0 {
		return ""
	}
	sort.Strings(only)
	sort.Strings(extra)
	var b strings.Builder
	fmt.Fprintf(&b, "%s differ (legacy %d, current %d):\n", name, len(want), len(got))
	for _, s := range only {
		fmt.Fprintf(&b, "  only legacy:  %s\n", s)
	}
	for _, s := range extra {
		fmt.Fprintf(&b, "  only current: %s\n", s)
	}
	return b.String()
}

// refFailure is a failure's diff with the document and the desk.
func refFailure(rc *refCase, diff string) string {
	doc := refDocLines(rc.doc)
	if len(doc) > 16000 {
		doc = doc[:16000] + "\n... (cut)"
	}
	d := rc.look.d
	return fmt.Sprintf("the current check differs from the legacy one on a %s document:\n%s\n"+
		"desk: accounts %v, users %v, cases %v, time entries %d, bank %v, last event %d; failing reads: users %v, bank of %q, projects %v, last seq %v\n"+
		"now %s\ndocument:\n%s",
		rc.shape, diff, sortedKeys(d.Accounts), sortedKeys(d.Users), d.CaseNumbers(), len(d.TimeEntries), d.Bank, d.LastSeq(),
		rc.look.failUsers, rc.look.failBank, rc.look.failProject, rc.look.failLastSeq, rc.o.Now, doc)
}

// refDocLines is a document one record a line, named as the problems
// name them.
func refDocLines(d *Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format %d\n", d.Format)
	line := func(list string, i int, v any) {
		js, _ := json.Marshal(v)
		fmt.Fprintf(&b, "%s[%d] %s\n", list, i, js)
	}
	for i := range d.Accounts {
		line("accounts", i, &d.Accounts[i])
	}
	for i := range d.Users {
		line("users", i, &d.Users[i])
	}
	for i := range d.Cases {
		line("cases", i, &d.Cases[i])
	}
	for i := range d.Escalations {
		line("escalations", i, &d.Escalations[i])
	}
	for i := range d.TimeEntries {
		line("time_entries", i, &d.TimeEntries[i])
	}
	for i, r := range d.Events {
		// before and after as they are: Marshal would compact them
		fmt.Fprintf(&b, "events[%d] seq %d at %q recorded_at %q actor %q case %v kind %q before %q after %q\n",
			i, r.Seq, r.At, r.RecordedAt, r.Actor, derefNum(r.Case), r.Kind, r.Before, r.After)
	}
	return b.String()
}

func derefNum(n *int64) any {
	if n == nil {
		return "null"
	}
	return *n
}

// cloneDocument is a deep copy: neither check sees what the other did to
// its document.
func cloneDocument(d *Document) *Document {
	// an empty list stays a list: only a missing one is nil
	c := &Document{Format: d.Format, Accounts: clip(d.Accounts), Users: clip(d.Users), Cases: clip(d.Cases),
		Escalations: clip(d.Escalations), TimeEntries: clip(d.TimeEntries), Events: clip(d.Events)}
	cs := func(p *string) *string {
		if p == nil {
			return nil
		}
		s := *p
		return &s
	}
	cn := func(p *int64) *int64 {
		if p == nil {
			return nil
		}
		n := *p
		return &n
	}
	cb := func(b json.RawMessage) json.RawMessage {
		if b == nil {
			return nil
		}
		return append(json.RawMessage{}, b...)
	}
	for _, r := range d.Accounts {
		r.TAM = cs(r.TAM)
		r.Contacts = append([]ContactRecord(nil), r.Contacts...)
		c.Accounts = append(c.Accounts, r)
	}
	for _, r := range d.Users {
		r.Region = cs(r.Region)
		r.Keys = append([]string(nil), r.Keys...)
		c.Users = append(c.Users, r)
	}
	for _, r := range d.Cases {
		r.Contact, r.PhonedAt, r.RespondedAt, r.Owner = cs(r.Contact), cs(r.PhonedAt), cs(r.RespondedAt), cs(r.Owner)
		r.WaitingSince, r.Followup1At, r.Followup2At = cs(r.WaitingSince), cs(r.Followup1At), cs(r.Followup2At)
		r.RepliedAt, r.ClosedAt, r.CloseReason = cs(r.RepliedAt), cs(r.ClosedAt), cs(r.CloseReason)
		r.DuplicateOf, r.RefersTo = cn(r.DuplicateOf), cn(r.RefersTo)
		c.Cases = append(c.Cases, r)
	}
	for _, r := range d.Escalations {
		r.FollowedUpAt, r.DecidedAt, r.Reason, r.UpdateEvery = cs(r.FollowedUpAt), cs(r.DecidedAt), cs(r.Reason), cs(r.UpdateEvery)
		r.Outcome, r.Summary, r.EndedAt = cs(r.Outcome), cs(r.Summary), cs(r.EndedAt)
		r.Updates = append([]UpdateRecord(nil), r.Updates...)
		c.Escalations = append(c.Escalations, r)
	}
	for _, r := range d.TimeEntries {
		r.Case, r.Project, r.VoidedAt, r.VoidReason = cn(r.Case), cs(r.Project), cs(r.VoidedAt), cs(r.VoidReason)
		c.TimeEntries = append(c.TimeEntries, r)
	}
	for _, r := range d.Events {
		r.Case, r.Before, r.After = cn(r.Case), cb(r.Before), cb(r.After)
		c.Events = append(c.Events, r)
	}
	return c
}

// clip is an empty list of s's capacity, nil for nil.
func clip[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return make([]T, 0, len(s))
}

// refStats counts what the generator reached.
type refStats struct {
	shapes map[string]*[3]int // accepted, refused, failed
	seen   map[string]int     // problem fragments (refRules) seen
}

// refRules are fragments of the problems the generator must reach in a
// default run: a rule the documents never break is not compared.
var refRules = []string{
	"format: ", "is reserved", "is not an id", "appears twice", "already exists in the store", "is not a plan",
	"is not a region", "is not a TAM plan", ".name: missing", "is not a contact kind", "tam: \"", "not a tam",
	"must include a manager", "is not a role", "is already on", "(in the store)", "is given twice", "keys[0]: ",
	"is not a case number", "is not an account", "needs closed_at", "needs a close reason", "names the case it duplicates",
	"cannot duplicate itself", "duplicate_of: 999 is not a case", "is not another case", "cases go to a specialist",
	"is not a close reason", "severity: ", "status: ", "opened_at: ",
	"is not an escalation status", "is not a channel", "is not an outcome", "requested_by: missing", "update_every",
	"escalations[0].case: ", "time entry", "bank for", "implementation guidance for", "has no managed services",
	"has no TAM plan", "is in the future", "belongs to", "needs a project", "is not a category", "is not a mode",
	"minutes (31 days)", "date: ",
	"is not a seq", "is not above the store's last event", "is not a case of this document", "is not an event kind",
	"must be an object or null", "actor: missing", "at: ", "its events do not replay", "is not what replaying its events gives",
	"its events give", "is not what replaying the events of case", "read the store's users", " row ",
}

func (st *refStats) add(rc *refCase, problems []Problem, failed bool) {
	c := st.shapes[rc.shape]
	if c == nil {
		c = &[3]int{}
		st.shapes[rc.shape] = c
	}
	switch {
	case failed:
		c[2]++
	case len(problems) == 0:
		c[0]++
	default:
		c[1]++
	}
	for _, line := range problemLines(problems) {
		for _, r := range refRules {
			if strings.Contains(line, r) {
				st.seen[r]++
			}
		}
	}
}

func (st *refStats) String() string {
	var b strings.Builder
	for _, s := range []string{"scratch", "desk", "events"} {
		if c := st.shapes[s]; c != nil {
			fmt.Fprintf(&b, "%s: %d accepted, %d refused, %d failed reads; ", s, c[0], c[1], c[2])
		}
	}
	fmt.Fprintf(&b, "\nproblems seen: %v", st.seen)
	return b.String()
}

// mustReach fails when the documents did not reach every rule or did not
// make both accepted and refused documents of each shape common.
func (st *refStats) mustReach(t *testing.T) {
	t.Helper()
	var missing []string
	for _, r := range refRules {
		if st.seen[r] == 0 {
			missing = append(missing, fmt.Sprintf("%q", r))
		}
	}
	if len(missing) > 0 {
		t.Errorf("the generator never reached: %s", strings.Join(missing, ", "))
	}
	for s, c := range st.shapes {
		if n := c[0] + c[1] + c[2]; c[0] < n/6 || c[1] < n/6 {
			t.Errorf("%s documents: %d accepted, %d refused: the generator is lopsided", s, c[0], c[1])
		}
	}
}
