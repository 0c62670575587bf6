package ui

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// bells is a terminal that counts the BELs a board rings.
type bells struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *bells) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *bells) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), "\a")
}

// newCaseAlert is the new-case alert of a test desk case, for managers
// and the account's TAM (model's own rule on the case).
func newCaseAlert(n int64) model.Alert {
	d := testDesk()
	c := d.Cases[n]
	ev := model.Event{At: c.OpenedAt, Case: n, Kind: "opened"}
	as := model.EventAlerts(&ev, c, d.Accounts[c.Account], model.DefaultPolicy())
	if len(as) != 1 {
		panic("no new-case alert")
	}
	return as[0]
}

// deliver sends alerts as the feed would and runs what the board asks.
func deliver(b *board, as ...model.Alert) {
	_, cmd := b.Update(alertMsg{alerts: as})
	run(b, cmd)
}

func headerOf(b *board) string { return strings.Join(screenLines(b)[:2], "\n") }

// A new alert for the user rings once, flashes its row for 5 s of board
// clock and counts in the header; the same alert again rings nothing; x
// in the list acknowledges it (stored), the count drops, and a board
// rebuilt on the store holding the ack rings nothing for it.
func TestAlertRingsOnceAndNeverAgain(t *testing.T) {
	bell := &bells{}
	b, fb := testBoard(t, Options{Actor: "maria", Bell: bell}, 120, 40)
	if bell.count() != 0 || strings.Contains(headerOf(b), "alert") {
		t.Fatalf("a board with no alerts rang %d or counts some:\n%s", bell.count(), headerOf(b))
	}
	a := newCaseAlert(1001)
	fb.raise(a)
	deliver(b, a)
	if bell.count() != 1 {
		t.Fatalf("a new alert rang %d times, want once", bell.count())
	}
	if !strings.Contains(headerOf(b), "! 1 alert") {
		t.Fatalf("header does not count the alert:\n%s", headerOf(b))
	}
	row := func() string {
		for _, l := range screenLines(b) {
			if i := strings.Index(l, "00001001"); i >= 0 && i <= 4 {
				return l
			}
		}
		return ""
	}
	if r := row(); !strings.HasPrefix(r, " !00001001") && !strings.HasPrefix(r, "▸!00001001") {
		t.Fatalf("the alert's row is not marked:\n%q", row())
	}
	deliver(b, a)
	if bell.count() != 1 {
		t.Fatalf("the same alert rang again: %d bells", bell.count())
	}
	for i := 0; i < 5; i++ {
		b.Update(tickMsg{gen: b.tickGen})
	}
	if r := row(); strings.HasPrefix(r, " !") || strings.HasPrefix(r, "▸!") {
		t.Fatalf("the row still flashes after 5 s:\n%q", row())
	}

	press(b, "!", "x")
	if acks, _ := fb.Acks("maria"); len(acks) != 1 || acks[0] != a.ID {
		t.Fatalf("stored acks %q, want [%s]", acks, a.ID)
	}
	if strings.Contains(headerOf(b), "alert") {
		t.Fatalf("header still counts an acknowledged alert:\n%s", headerOf(b))
	}
	if v := b.View(); !strings.Contains(v, "✓") || !strings.Contains(v, "0 of 1") {
		t.Fatalf("the list does not show the alert acknowledged:\n%s", v)
	}
	deliver(b, a)
	if bell.count() != 1 {
		t.Fatalf("an acknowledged alert rang: %d bells", bell.count())
	}

	// Rebuilt on the same store: maria acknowledged it, so nothing rings;
	// tina (its TAM) has not, so her board rings once at start.
	again := &bells{}
	b2, _ := testBoard(t, Options{Backend: fb, Actor: "maria", Bell: again}, 120, 40)
	deliver(b2, a)
	if again.count() != 0 || strings.Contains(headerOf(b2), "alert") {
		t.Fatalf("the rebuilt board rang %d for an acknowledged alert:\n%s", again.count(), headerOf(b2))
	}
	tina := &bells{}
	b3, _ := testBoard(t, Options{Backend: fb, Actor: "tina", Bell: tina}, 120, 40)
	deliver(b3, a)
	if tina.count() != 1 || !strings.Contains(headerOf(b3), "! 1 alert") {
		t.Fatalf("tina's board rang %d for her unacknowledged alert, want once:\n%s", tina.count(), headerOf(b3))
	}
	// lee is an EMEA specialist: neither NA's sev 1 nor a sev 4 is his.
	lee := &bells{}
	b4, _ := testBoard(t, Options{Backend: fb, Actor: "lee", Bell: lee}, 120, 40)
	deliver(b4, newCaseAlert(1009))
	if lee.count() != 0 || strings.Contains(headerOf(b4), "alert") {
		t.Fatalf("lee's board rang %d for alerts not his", lee.count())
	}
}

// --quiet: nothing rings, at start or live; the alert still counts.
func TestAlertQuietNeverRings(t *testing.T) {
	bell := &bells{}
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 64)
	fb.raise(newCaseAlert(1001))
	b, _ := testBoard(t, Options{Backend: fb, Actor: "maria", Bell: bell, Quiet: true}, 120, 40)
	deliver(b, newCaseAlert(1004))
	if bell.count() != 0 {
		t.Fatalf("a quiet board rang %d times", bell.count())
	}
	if !strings.Contains(headerOf(b), "! 2 alerts") {
		t.Fatalf("header:\n%s", headerOf(b))
	}
}

// The list: `!` shows the user's alerts newest first; enter goes to the
// case (in whichever of the user's queues holds it) and closes the list;
// esc closes it without a change.
func TestAlertListJumpsToTheCase(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "sam"}, 120, 40)
	// A sev 1 new case reaches the specialists of its region.
	a := newCaseAlert(1001)
	deliver(b, a)
	press(b, "!")
	if b.context() != "alerts" || !strings.Contains(b.View(), model.Inert(a.Text)) {
		t.Fatalf("the list does not show the alert:\n%s", b.View())
	}
	press(b, "esc")
	if b.context() != "queue" {
		t.Fatalf("esc left the board in %s", b.context())
	}
	press(b, "j", "j", "!", "enter")
	if b.context() != "queue" || b.q.sel != 1001 {
		t.Fatalf("enter selected %d in %s, want 00001001 in the queue", b.q.sel, b.context())
	}
	if e := b.q.selected(); e == nil || e.Case.Number != 1001 {
		t.Fatalf("the cursor is not on the case: %v", e)
	}
}

// Goldens of the list at both sizes: one acknowledged, two not, one of
// them an account's bank alert.
func TestAlertListGolden(t *testing.T) {
	for _, sz := range []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"120x40", 120, 40}} {
		t.Run(sz.name, func(t *testing.T) {
			b, fb := testBoard(t, Options{Actor: "tina"}, sz.w, sz.h)
			d := testDesk()
			bank, ok := model.BankAlert(d.Accounts["initech"], 1200, model.DefaultPolicy(), testNow)
			if !ok {
				t.Fatal("no bank alert")
			}
			first := newCaseAlert(1009)
			deliver(b, first, newCaseAlert(1001), bank)
			fb.Ack("tina", first.ID)
			b.alerts.acked[first.ID] = true
			press(b, "!")
			golden(t, sz.name, b.View())
		})
	}
}

// The wall shows the last alerts of its page's scope (a region's, the
// escalations'), titles hidden unless --titles, and never rings.
func TestWallShowsPageAlerts(t *testing.T) {
	bell := &bells{}
	b, _ := testBoard(t, Options{Actor: "wall", Bell: bell, Rotate: time.Hour}, 160, 45)
	na, emea := newCaseAlert(1001), newCaseAlert(1004)
	esc := newCaseAlert(1007)
	esc.ID, esc.Kind, esc.Text = "escalation-requested/00001007/1", model.AlertEscalationRequested, "00001007 initech sev 2: escalation requested: Go-live"
	deliver(b, na, emea, esc)
	if bell.count() != 0 {
		t.Fatalf("the wall rang %d times", bell.count())
	}
	pages := map[string]string{}
	for i := 0; i < b.wall.pages(); i++ {
		v := b.View()
		pages[strings.Split(v, "\n")[0]] = v
		press(b, " ")
	}
	var got []string
	for head, v := range pages {
		i := strings.Index(v, "Last alerts")
		switch {
		case strings.Contains(head, "North America"):
			if i < 0 || !strings.Contains(v[i:], "00001001") || strings.Contains(v[i:], "00001004") {
				t.Errorf("NA page's alerts:\n%s", v)
			}
		case strings.Contains(head, "Escalations"):
			if i < 0 || !strings.Contains(v[i:], "escalation-requested") || strings.Contains(v[i:], "new-case") {
				t.Errorf("escalations page's alerts:\n%s", v)
			}
		case strings.Contains(head, "Team load"):
			if i >= 0 {
				t.Errorf("team load page shows alerts:\n%s", v)
			}
		}
		if i >= 0 {
			got = append(got, head)
			if strings.Contains(v[i:], "Search down") {
				t.Errorf("the wall shows an alert's title without --titles:\n%s", v[i:])
			}
		}
	}
	if len(got) < 3 {
		t.Errorf("alerts on %d pages, want each region's and the escalations'", len(got))
	}
	press(b, "!", "x")
	if bell.count() != 0 || b.context() != "wall" {
		t.Fatalf("the wall answered ! and x: %s", b.context())
	}
}

// Hostile text in an alert reaches the list, the wall and the header
// inert.
func TestAlertTextInert(t *testing.T) {
	for name, payload := range hostile {
		t.Run(name, func(t *testing.T) {
			a := newCaseAlert(1004)
			a.Text = "X" + payload // as if model had not made it inert
			a.Account = "acct" + payload
			for _, o := range []Options{{Actor: "maria"}, {Actor: "wall", Titles: true}} {
				b, _ := testBoard(t, o, 160, 50)
				deliver(b, a)
				press(b, "!")
				for i := 0; i < 4; i++ {
					v := b.View()
					if j := strings.IndexAny(v, "\x1b\x00\x07\x08\u009b\u202e"); j >= 0 {
						t.Fatalf("%s: raw control %q on screen:\n%s", o.Actor, v[j:min(len(v), j+12)], v)
					}
					if o.Actor == "maria" && i == 0 && !strings.Contains(v, model.Inert(a.Text)) {
						t.Fatalf("the text is not shown inert:\n%s", v)
					}
					b.Update(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
				}
			}
		})
	}
}
