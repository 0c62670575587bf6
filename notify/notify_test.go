package notify

import (
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"caseboard/model"
	"caseboard/store"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("", -5*3600))

// receiver is a webhook receiver on 127.0.0.1 that answers each path with
// the statuses queued for it (then 200), and keeps what it got.
type receiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	got  []received
	plan map[string][]int
	more chan struct{}
}

type received struct {
	path, sig, alert string
	body             []byte
	status           int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{plan: map[string][]int{}, more: make(chan struct{}, 1024)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		status := 200
		if q := r.plan[req.URL.Path]; len(q) > 0 {
			status, r.plan[req.URL.Path] = q[0], q[1:]
		}
		r.got = append(r.got, received{path: req.URL.Path, sig: req.Header.Get(SignatureHeader),
			alert: req.Header.Get("X-Caseboard-Alert"), body: body, status: status})
		r.mu.Unlock()
		w.WriteHeader(status)
		r.more <- struct{}{}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// waitFor waits until cond holds on what was received, with a deadline.
func (r *receiver) waitFor(t *testing.T, what string, cond func([]received) bool) []received {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if got := r.received(); cond(got) {
			return got
		}
		select {
		case <-r.more:
		case <-deadline:
			t.Fatalf("timed out waiting for %s; got %d requests", what, len(r.received()))
		}
	}
}

func deskStore(t *testing.T, s *store.Store) {
	t.Helper()
	boot := t0.Add(-24 * time.Hour)
	for _, a := range []struct {
		actor string
		a     model.Action
	}{
		{"", model.AddUser{User: model.User{ID: "maria", Name: "Maria", Role: model.Manager, Region: model.NA}}},
		{"maria", model.AddUser{User: model.User{ID: "tina", Name: "Tina", Role: model.TAM, Region: model.NA}}},
		{"maria", model.AddAccount{Account: model.Account{ID: "acme", Name: "Acme", Plan: model.Premium, Region: model.NA,
			TAMPlan: "enterprise", TAM: "tina"}}},
	} {
		if _, err := s.Do(a.actor, a.a, boot); err != nil {
			t.Fatal(err)
		}
	}
}

func openCase(t *testing.T, s *store.Store, title string) int64 {
	t.Helper()
	ch, err := s.Do("maria", model.NewCase{Account: "acme", Severity: 2, Title: title, Contact: "Ana"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return ch.Cases[0].Number
}

func memStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	deskStore(t, s)
	return s
}

func fast() Options {
	return Options{Tick: 20 * time.Millisecond, Backoff: func(int) time.Duration { return 10 * time.Millisecond }}
}

// Each format reaches a local receiver; the json one is signed with its
// secret, and its body has the interface's fields in order.
func TestDeliverEachFormatSigned(t *testing.T) {
	rc := newReceiver(t)
	s := memStore(t)
	for _, h := range []model.Hook{
		{ID: "j", URL: rc.srv.URL + "/json", Format: model.HookJSON, Secret: "s3cret", Kinds: []string{"new-case"}},
		{ID: "s", URL: rc.srv.URL + "/slack", Format: model.HookSlack, Kinds: []string{"new-case"}},
		{ID: "m", URL: rc.srv.URL + "/teams", Format: model.HookTeams, Kinds: []string{"new-case"}},
	} {
		if err := s.AddHook(h); err != nil {
			t.Fatal(err)
		}
	}
	d := Start(s, fast())
	defer d.Stop()
	n := openCase(t, s, "Index <!channel> stuck\x1b[2J")
	got := rc.waitFor(t, "three formats", func(g []received) bool { return len(g) >= 3 })
	by := map[string]received{}
	for _, g := range got {
		by[g.path] = g
	}
	j := by["/json"]
	if !hmac.Equal([]byte(j.sig), []byte(Sign("s3cret", j.body))) || !strings.HasPrefix(j.sig, "sha256=") || len(j.sig) != 7+64 {
		t.Fatalf("signature %q for %s", j.sig, j.body)
	}
	var keys []string
	dec := json.NewDecoder(strings.NewReader(string(j.body)))
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	if strings.Join(keys, ",") != "id,kind,at,case,severity,region,account,text,for" {
		t.Fatalf("json keys %v", keys)
	}
	var rec model.AlertRecord
	if err := json.Unmarshal(j.body, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.ID != "new-case/"+model.CaseNumber(n) || rec.Kind != "new-case" || *rec.Case != n || *rec.Severity != 2 ||
		rec.Account != "acme" || rec.Region != "na" || rec.At != "2026-11-20T10:00:00-05:00" ||
		strings.Contains(rec.Text, "\x1b") || strings.Join(rec.For.Users, ",") != "tina" {
		t.Fatalf("json body %s", j.body)
	}
	if by["/slack"].sig != "" {
		t.Fatalf("unsigned hook sent a signature")
	}
	var slack struct{ Text string }
	json.Unmarshal(by["/slack"].body, &slack)
	if !strings.Contains(slack.Text, "&lt;!channel&gt;") || !strings.HasSuffix(slack.Text, "\ncase "+model.CaseNumber(n)+" of acme, severity 2, na") {
		t.Fatalf("slack body %s", by["/slack"].body)
	}
	var teams map[string]string
	json.Unmarshal(by["/teams"].body, &teams)
	if teams["@type"] != "MessageCard" || !strings.Contains(teams["text"], "case "+model.CaseNumber(n)) {
		t.Fatalf("teams body %s", by["/teams"].body)
	}
}

// A 500 is retried after the backoff and delivered once; a 404 is final
// and logged; nothing is sent again afterwards.
func TestDeliverRetryThenOnce(t *testing.T) {
	rc := newReceiver(t)
	rc.plan["/flaky"] = []int{500}
	rc.plan["/gone"] = []int{404}
	s := memStore(t)
	for _, h := range []model.Hook{
		{ID: "flaky", URL: rc.srv.URL + "/flaky", Format: model.HookJSON, Kinds: []string{"new-case"}},
		{ID: "gone", URL: rc.srv.URL + "/gone", Format: model.HookJSON, Kinds: []string{"new-case"}},
	} {
		if err := s.AddHook(h); err != nil {
			t.Fatal(err)
		}
	}
	cycles := make(chan struct{}, 1024)
	o := fast()
	o.AfterCycle = func() { cycles <- struct{}{} }
	d := Start(s, o)
	defer d.Stop()
	openCase(t, s, "flaky")
	rc.waitFor(t, "retry", func(g []received) bool { return len(g) >= 3 })
	// The outbox is empty once both are final; a few more cycles send nothing.
	deadline := time.After(20 * time.Second)
	for {
		if ps, _ := s.Outbox(); len(ps) == 0 {
			break
		}
		select {
		case <-cycles:
		case <-deadline:
			t.Fatal("outbox never emptied")
		}
	}
	for i := 0; i < 3; i++ {
		<-cycles
	}
	d.Stop()
	var flaky, gone []int
	for _, g := range rc.received() {
		if g.path == "/flaky" {
			flaky = append(flaky, g.status)
		} else {
			gone = append(gone, g.status)
		}
	}
	if len(flaky) != 2 || flaky[0] != 500 || flaky[1] != 200 || len(gone) != 1 || gone[0] != 404 {
		t.Fatalf("flaky %v gone %v", flaky, gone)
	}
	logs, _ := s.HookLog("")
	var lines []string
	for _, l := range logs {
		lines = append(lines, l.Hook+" "+itoa(l.Attempt)+" "+itoa(l.Status)+" "+boolWord(l.Final))
	}
	want := map[string]bool{"flaky 1 500 retry": true, "flaky 2 200 final": true, "gone 1 404 final": true}
	if len(lines) != 3 {
		t.Fatalf("log %v", lines)
	}
	for _, l := range lines {
		if !want[l] {
			t.Fatalf("log %v", lines)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func boolWord(final bool) string {
	if final {
		return "final"
	}
	return "retry"
}

// Giving up: past RetryFor the last failure is final.
func TestDeliverGivesUp(t *testing.T) {
	rc := newReceiver(t)
	rc.plan["/down"] = []int{503, 503, 503, 503, 503, 503, 503, 503}
	s := memStore(t)
	if err := s.AddHook(model.Hook{ID: "down", URL: rc.srv.URL + "/down", Format: model.HookJSON}); err != nil {
		t.Fatal(err)
	}
	o := fast()
	o.RetryFor = 50 * time.Millisecond
	o.Backoff = func(int) time.Duration { return 30 * time.Millisecond }
	// The clock runs a second per call: the retry period is soon over.
	var mu sync.Mutex
	clock := time.Now()
	o.Clock = func() time.Time { mu.Lock(); defer mu.Unlock(); clock = clock.Add(time.Second); return clock }
	d := Start(s, o)
	defer d.Stop()
	openCase(t, s, "down")
	deadline := time.After(20 * time.Second)
	for {
		logs, _ := s.HookLog("down")
		if len(logs) > 0 && logs[len(logs)-1].Final {
			if !strings.Contains(logs[len(logs)-1].Error, "given up") {
				t.Fatalf("last %+v", logs[len(logs)-1])
			}
			break
		}
		select {
		case <-rc.more:
		case <-deadline:
			t.Fatal("never gave up")
		}
	}
}

// The deliverer raises a clock's ladder step by itself when the clock
// reaches it (the tick), and delivers it once.
func TestDeliverRaisesTheStepAtItsTime(t *testing.T) {
	rc := newReceiver(t)
	s := memStore(t)
	if err := s.AddHook(model.Hook{ID: "soon", URL: rc.srv.URL + "/soon", Format: model.HookJSON, Kinds: []string{"due-soon"}}); err != nil {
		t.Fatal(err)
	}
	n := openCase(t, s, "slow") // premium sev 2 at t0: due t0+2h, the 60m step at t0+1h
	var mu sync.Mutex
	clock := t0.Add(time.Minute)
	o := fast()
	o.Clock = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	cycles := make(chan struct{}, 1024)
	o.AfterCycle = func() { cycles <- struct{}{} }
	d := Start(s, o)
	defer d.Stop()
	for i := 0; i < 3; i++ {
		<-cycles
	}
	if got := rc.received(); len(got) != 0 {
		t.Fatalf("before the step: %d requests", len(got))
	}
	mu.Lock()
	clock = t0.Add(time.Hour)
	mu.Unlock()
	got := rc.waitFor(t, "the 60m step", func(g []received) bool { return len(g) >= 1 })
	want := "due-soon/" + model.CaseNumber(n) + "/initial-response/" + strconv.FormatInt(t0.Add(2*time.Hour).Unix(), 10) + "/1h"
	if got[0].alert != want {
		t.Fatalf("got %s, want %s", got[0].alert, want)
	}
	for i := 0; i < 3; i++ {
		<-cycles
	}
	if got := rc.received(); len(got) != 1 {
		t.Fatalf("sent %d times", len(got))
	}
}
