package store

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/model"
	"caseboard/store/demo"
)

// The mixed crash loop complements TestCrashAcknowledgedWritesSurvive
// (hand-built case openings through Apply): here the child runs the demo
// simulator's real actions through Store.Do on an imported desk (new
// cases, takes, calls, responses, status changes, replies, follow-ups,
// closes, escalation steps, time entries), and the parent checks the whole
// desk against the rules after every SIGKILL.

// crashMixedRounds is -crash.rounds when given, else 10 (CI stays fast).
func crashMixedRounds() int {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "crash.rounds" })
	if set {
		return *crashRounds
	}
	return 10
}

// crashMixedChild is the "mixed" child: it loads the desk and does one
// simulated move after another, printing each acknowledged write as
// "ok KIND CASE ENTRY SEQ,SEQ..." (CASE and ENTRY 0 when none).
func crashMixedChild(s *Store) {
	seed, _ := strconv.ParseUint(os.Getenv("CASEBOARD_CRASH_SEED"), 10, 64)
	d, err := s.LoadDesk()
	if err != nil {
		fmt.Println("load:", err)
		os.Exit(3)
	}
	sim := demo.NewSimulator(s.Policy(), seed)
	for {
		now := time.Now().Truncate(time.Second)
		m, ok := sim.Next(d, now)
		if !ok {
			fmt.Println("nothing to do")
			os.Exit(3)
		}
		ch, err := s.Do(m.Actor, m.Action, now)
		if err != nil {
			if _, refused := err.(*model.Refusal); refused {
				continue // the simulator may try what the rules refuse
			}
			fmt.Println("write:", err)
			os.Exit(3)
		}
		d.Apply(ch, now)
		var seqs []string
		var kind string
		var caseN, entry int64
		for _, ev := range ch.Events {
			seqs = append(seqs, strconv.FormatInt(ev.Seq, 10))
			kind, caseN = ev.Kind, ev.Case
		}
		if len(ch.TimeEntries) > 0 {
			entry = ch.TimeEntries[0].ID
		}
		fmt.Printf("ok %s %d %d %s\n", kind, caseN, entry, strings.Join(seqs, ","))
	}
}

// ackedWrite is one acknowledged write as the child printed it.
type ackedWrite struct {
	kind        string
	caseN       int64
	entry       int64
	seqs        []int64
	round, line int
}

func parseAck(l string) (ackedWrite, bool) {
	f := strings.Fields(l)
	if len(f) != 5 || f[0] != "ok" {
		return ackedWrite{}, false
	}
	w := ackedWrite{kind: f[1]}
	w.caseN, _ = strconv.ParseInt(f[2], 10, 64)
	w.entry, _ = strconv.ParseInt(f[3], 10, 64)
	for _, s := range strings.Split(f[4], ",") {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return ackedWrite{}, false
		}
		w.seqs = append(w.seqs, n)
	}
	return w, true
}

// TestCrashMixedLoad: a child doing a mixed load through Store.Do is
// killed with SIGKILL at random moments; after each kill the store is
// reopened and checked: every acknowledged write is there, no case number
// or entry id is handed out twice, no bank is over its limit, every case
// is in a state its lifecycle allows, and each case's audit trail replays
// to its stored state.
func TestCrashMixedLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test")
	}
	rounds := crashMixedRounds()
	dir := t.TempDir()
	p := model.DefaultPolicy()
	now := time.Now().Truncate(time.Second)
	res, err := demo.Build(p, demo.Options{Seed: 18, Now: now, Cases: 40})
	if err != nil {
		t.Fatal(err)
	}
	s := openDir(t, dir)
	if _, err := s.Import(res.Desk.Document(p), "maria", now); err != nil {
		t.Fatalf("import the demo desk: %v", err)
	}
	s.Close()

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	var acked []ackedWrite
	openedBy := map[int64]int{} // case number -> acknowledged openings
	entryBy := map[int64]int{}  // time entry id -> acknowledged logs
	kinds := map[string]int{}   // acknowledged writes by event kind
	lost := 0
	for round := 0; round < rounds; round++ {
		t.Setenv("CASEBOARD_CRASH_SEED", strconv.Itoa(round+1))
		c := startChild(t, dir, "mixed")
		var lines []string
		select {
		case l, ok := <-c.lines:
			if !ok {
				t.Fatalf("round %d: child ended early", round)
			}
			lines = append(lines, l)
		case <-time.After(60 * time.Second):
			c.kill()
			t.Fatalf("round %d: child never wrote", round)
		}
		time.Sleep(time.Duration(rng.Intn(200)) * time.Millisecond)
		lines = append(lines, c.kill()...)
		for i, l := range lines {
			w, ok := parseAck(l)
			if !ok {
				t.Fatalf("round %d: child said %q", round, l)
			}
			w.round, w.line = round, i
			acked = append(acked, w)
			kinds[w.kind]++
			if w.kind == "opened" {
				openedBy[w.caseN]++
				if openedBy[w.caseN] > 1 {
					t.Fatalf("round %d: case number %d handed out twice", round, w.caseN)
				}
			}
			if w.kind == "time-logged" {
				entryBy[w.entry]++
				if entryBy[w.entry] > 1 {
					t.Fatalf("round %d: time entry id %d handed out twice", round, w.entry)
				}
			}
		}
		s := openDir(t, dir)
		lost += checkCrashedDesk(t, s, p, acked, round)
		s.Close()
		if t.Failed() {
			break
		}
	}
	t.Logf("mixed crash loop: %d rounds, %d writes acknowledged, %d lost; by kind %v", rounds, len(acked), lost, kinds)
	if lost != 0 {
		t.Fatalf("%d acknowledged writes lost", lost)
	}
}

// checkCrashedDesk checks a reopened store after a kill and returns how
// many acknowledged writes are missing.
func checkCrashedDesk(t *testing.T, s *Store, p *model.Policy, acked []ackedWrite, round int) int {
	t.Helper()
	evs, err := s.AllEvents()
	if err != nil {
		t.Fatal(err)
	}
	bySeq := map[int64]model.Event{}
	opened := map[int64]int{}
	for i, ev := range evs {
		if ev.Seq != int64(i+1) {
			t.Fatalf("round %d: event %d has seq %d (a gap or a repeat)", round, i, ev.Seq)
		}
		bySeq[ev.Seq] = ev
		if ev.Kind == "opened" {
			opened[ev.Case]++
		}
	}
	lost := 0
	for _, w := range acked {
		for _, seq := range w.seqs {
			ev, ok := bySeq[seq]
			if !ok || ev.Kind != w.kind && seq == w.seqs[len(w.seqs)-1] || ev.Case != w.caseN && seq == w.seqs[len(w.seqs)-1] {
				t.Errorf("round %d: acknowledged write (round %d, line %d) %s of case %d, event %d, is missing or changed: %+v",
					round, w.round, w.line, w.kind, w.caseN, seq, ev)
				lost++
				break
			}
		}
		if w.entry != 0 {
			if _, err := s.TimeEntry(w.entry); err != nil {
				t.Errorf("round %d: acknowledged time entry %d lost: %v", round, w.entry, err)
				lost++
			}
		}
	}
	for n, k := range opened {
		if k > 1 {
			t.Errorf("round %d: case %d opened %d times", round, n, k)
		}
	}
	cases, err := s.Cases()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		escs, err := s.Escalations(c.Number)
		if err != nil {
			t.Fatal(err)
		}
		if err := caseInvariants(&c, escs); err != nil {
			t.Errorf("round %d: case %d: %v", round, c.Number, err)
		}
		cevs, err := s.Events(c.Number)
		if err != nil {
			t.Fatal(err)
		}
		got, gotEscs, err := model.ReplayCase(cevs)
		if err != nil {
			t.Errorf("round %d: case %d: replay: %v", round, c.Number, err)
			continue
		}
		if want := model.CaseToRecord(&c, p); !reflect.DeepEqual(recordJSON(*got), recordJSON(want)) {
			t.Errorf("round %d: case %d: audit trail replays to\n%s\nstored\n%s", round, c.Number, recordJSON(*got), recordJSON(want))
		}
		if len(gotEscs) != len(escs) {
			t.Errorf("round %d: case %d: %d escalations replayed, %d stored", round, c.Number, len(gotEscs), len(escs))
			continue
		}
		for i := range escs {
			want := model.EscalationToRecord(&escs[i], p.RegionZone(c.Region))
			if recordJSON(gotEscs[i]) != recordJSON(want) {
				t.Errorf("round %d: case %d escalation %d replays to\n%s\nstored\n%s", round, c.Number, i+1, recordJSON(gotEscs[i]), recordJSON(want))
			}
		}
	}
	checkBanks(t, s, p, round)
	return lost
}

// recordJSON compares records by their interchange form (instants are
// compared as written, so a zone difference alone is not a change).
func recordJSON(v any) string {
	b, _ := json.Marshal(v)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for k, x := range m {
		if s, ok := x.(string); ok {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				m[k] = t.UTC().Format(time.RFC3339)
			}
		}
	}
	b, _ = json.Marshal(m)
	return string(b)
}

// caseInvariants are the lifecycle's promises about a stored case.
func caseInvariants(c *model.Case, escs []model.Escalation) error {
	if _, ok := model.ParseStatus(string(c.Status)); !ok {
		return fmt.Errorf("unknown status %q", c.Status)
	}
	switch c.Status {
	case model.StatusNew:
		if c.Owner != "" {
			return fmt.Errorf("new but owned by %s", c.Owner)
		}
	case model.StatusClosed:
		if c.ClosedAt.IsZero() {
			return fmt.Errorf("closed without closed_at")
		}
		switch c.CloseReason {
		case model.ReasonResolved, model.ReasonNoResponse:
		case model.ReasonDuplicate:
			if c.DuplicateOf == 0 || c.DuplicateOf == c.Number {
				return fmt.Errorf("closed as duplicate of %d", c.DuplicateOf)
			}
		default:
			return fmt.Errorf("closed with reason %q", c.CloseReason)
		}
		for i := range escs {
			if escs[i].Open() {
				return fmt.Errorf("closed while its escalation %d is %s", i+1, escs[i].Status)
			}
		}
	default:
		if c.Owner == "" {
			return fmt.Errorf("%s without an owner", c.Status)
		}
	}
	switch c.Status {
	case model.StatusInProgress, model.StatusWaitingCustomer, model.StatusWaitingDevelopment, model.StatusFixAvailable:
		if c.RespondedAt.IsZero() {
			return fmt.Errorf("%s without responded_at", c.Status)
		}
	}
	if c.Status == model.StatusWaitingCustomer && c.WaitingSince.IsZero() {
		return fmt.Errorf("waiting-customer without waiting_since")
	}
	if !c.Followup2At.IsZero() && c.Followup1At.IsZero() {
		return fmt.Errorf("follow-up 2 without follow-up 1")
	}
	open := 0
	for i := range escs {
		if escs[i].Open() {
			open++
			if i != len(escs)-1 {
				return fmt.Errorf("escalation %d open but not the latest", i+1)
			}
		}
	}
	if c.Severity < 1 || c.Severity > 4 {
		return fmt.Errorf("severity %d", c.Severity)
	}
	return nil
}

// checkBanks: each account's stored month totals equal its counted
// entries, and none is past the bank of its TAM plan.
func checkBanks(t *testing.T, s *Store, p *model.Policy, round int) {
	t.Helper()
	accts, err := s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accts {
		entries, err := s.TimeEntries(a.ID)
		if err != nil {
			t.Fatal(err)
		}
		sums := map[model.Month]int{}
		for i := range entries {
			if entries[i].Counts() {
				sums[entries[i].Date.MonthOf()] += entries[i].Minutes
			}
		}
		spec, hasBank := p.TAMPlans[a.TAMPlan]
		for m, sum := range sums {
			used, err := s.BankUsed(a.ID, m)
			if err != nil {
				t.Fatal(err)
			}
			if used != sum {
				t.Errorf("round %d: %s %s: stored bank total %d, entries sum to %d", round, a.ID, m, used, sum)
			}
			if !hasBank || used > spec.BankMinutes() {
				t.Errorf("round %d: %s %s: %d minutes used on plan %s", round, a.ID, m, used, a.TAMPlan)
			}
		}
	}
}
