package ui

import (
	"io"
	"strings"
	"testing"
	"time"

	"caseboard/model"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func tick(b *board) { b.Update(tickMsg{gen: b.tickGen}) }

// TestStatusMessageFades: a status-line message shows for six seconds of
// the board's clock (its tick), then the line is clear; a newer message
// replaces it and starts its own six seconds.
func TestStatusMessageFades(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "sam"}, 120, 40)
	press(b, selectKeys(fb.desk, "sam", 1002)...)
	press(b, "n", "sent logs", "enter")
	if !statusShows(t, b, "noted 00001002", false) {
		msg, _, _, _ := statusOf(t, b)
		t.Fatalf("no status after the note: %q", msg)
	}
	for i := 0; i < 5; i++ {
		tick(b)
	}
	if !statusShows(t, b, "noted 00001002", false) {
		t.Fatal("the message went before six seconds")
	}
	tick(b)
	if msg, _, _, _ := statusOf(t, b); strings.TrimSpace(msg) != "" {
		t.Fatalf("after six seconds the status line still says %q", msg)
	}

	// A refusal (an error) fades the same way; a new message restarts.
	press(b, "n", "one", "enter")
	tick(b)
	tick(b)
	tick(b)
	press(b, "n", "two", "enter")
	for i := 0; i < 5; i++ {
		tick(b)
	}
	if !statusShows(t, b, "noted 00001002", false) {
		t.Fatal("the newer message did not restart the six seconds")
	}
	tick(b)
	if msg, _, _, _ := statusOf(t, b); strings.TrimSpace(msg) != "" {
		t.Fatalf("the newer message stays past its six seconds: %q", msg)
	}
}

// ansiRenderer is a 16-colour terminal (termenv's ANSI profile).
func ansiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	r.SetHasDarkBackground(true)
	return r
}

// TestSelectedRowIn16Colours: in 16 colours the selected row is bright
// white on blue (not a dark grey that falls to black), and under NO_COLOR
// it still carries its ▸ marker.
func TestSelectedRowIn16Colours(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "sam", Renderer: ansiRenderer()}, 100, 24)
	var sel []string
	for _, l := range screenLines(b) {
		if strings.Contains(l, "▸ 0000") {
			sel = append(sel, l)
		}
	}
	if len(sel) != 1 {
		t.Fatalf("%d selected rows:\n%s", len(sel), b.View())
	}
	if !strings.Contains(sel[0], "\x1b[") || !strings.Contains(sel[0], "97") || !strings.Contains(sel[0], "44") {
		t.Errorf("the selected row is not bright white on blue: %q", sel[0])
	}
	golden(t, "selected_row_ansi", sel[0])

	plain, _ := testBoard(t, Options{Actor: "sam"}, 100, 24) // Ascii: NO_COLOR
	if row := selectedRow(plain); row == "" {
		t.Errorf("without colour the selection has no marker:\n%s", plain.View())
	}
}

// TestEMEAUserReadsGMT: an EMEA specialist's header clock is GMT and
// named; the detail pane's instants (opened, due, the trail) are GMT too,
// also for a case whose clock runs 24x7; an NA user's stay ET.
func TestEMEAUserReadsGMT(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "lee"}, 160, 40)
	head := screenLines(b)[0]
	if !strings.Contains(head, "Mon 23 Nov 2026 12:00:00 GMT") {
		t.Errorf("lee's header clock: %q", head)
	}
	if _, err := fb.Do("lee", model.NoteCase{Number: 1004, Text: "asked for the HAR file"}, testNow); err != nil {
		t.Fatal(err)
	}
	press(b, selectKeys(fb.desk, "lee", 1004)...)
	v := b.View()
	for _, want := range []string{"opened Mon 23 Nov 11:30 GMT", "23 Nov 12:00  note by lee: asked for the HAR file"} {
		if !strings.Contains(v, want) {
			t.Errorf("lee's detail lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, " ET") {
		t.Errorf("an ET time on lee's screen:\n%s", v)
	}
	golden(t, "emea_lee_160x40", v)
	// A North American severity 1 (24x7 clock, ET before): GMT for lee.
	b, fb = testBoard(t, Options{Actor: "lee"}, 120, 40)
	press(b, selectKeys(fb.desk, "lee", 1006)...)
	if v := b.View(); !strings.Contains(v, "opened Mon 23 Nov 08:00 GMT") || strings.Contains(v, " ET") {
		t.Errorf("lee's detail of 00001006 is not in GMT:\n%s", v)
	}

	sam, _ := testBoard(t, Options{Actor: "sam"}, 120, 40)
	if head := screenLines(sam)[0]; !strings.Contains(head, "Mon 23 Nov 2026 07:00:00 ET") {
		t.Errorf("sam's header clock: %q", head)
	}
}

// TestTrailReadsAsSentences: the audit trail is one line per event, its
// short time then a sentence, newest first; a long note wraps indented
// under the sentence and no time is split across lines.
func TestTrailReadsAsSentences(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "sam"}, 80, 40)
	press(b, selectKeys(fb.desk, "sam", 1002)...)
	long := strings.Repeat("the customer sent a long explanation ", 3)
	if _, err := fb.Do("sam", model.NoteCase{Number: 1002, Text: long}, testNow); err != nil {
		t.Fatal(err)
	}
	run(b, b.fetchDetail())
	lines := b.det.trailLines(b.q.selected().Case, 40)
	want := []string{
		"23 Nov 07:00  note by sam: the customer",
		"              sent a long explanation",
	}
	for i, w := range want {
		if i >= len(lines) || lines[i] != w {
			t.Fatalf("trail line %d = %q, want %q\n%s", i, at1(lines, i), w, strings.Join(lines, "\n"))
		}
	}
	joined := strings.Join(lines, "\n")
	for _, w := range []string{"20 Nov 14:20  note by sam: see", "20 Nov 14:10  taken by sam", "20 Nov 14:00  opened by sam"} {
		if !strings.Contains(joined, w) {
			t.Errorf("trail lacks %q:\n%s", w, joined)
		}
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "              ") && !strings.Contains(l[:12], " Nov ") {
			t.Errorf("a line neither starts with a time nor is indented under a sentence: %q", l)
		}
	}
}

func at1(ls []string, i int) string {
	if i < len(ls) {
		return ls[i]
	}
	return "(none)"
}

// TestAtFieldTakesDeskTimes: the call form's "at" reads 09:45-style clock
// times in the case's region zone, -15m and yesterday 17:30, shows the
// instant it read, and refuses a future time in one line naming the forms
// it takes.
func TestAtFieldTakesDeskTimes(t *testing.T) {
	cases := []struct {
		actor string
		n     int64
		typed string
		shown string
		want  time.Time
	}{
		{"sam", 1002, "-15m", "= Mon 23 Nov 06:45 ET", testNow.Add(-15 * time.Minute)},
		{"sam", 1002, "06:30", "= Mon 23 Nov 06:30 ET", at("2026-11-23T11:30:00Z")},
		{"sam", 1002, "yesterday 17:30", "= Sun 22 Nov 17:30 ET", at("2026-11-22T22:30:00Z")},
		{"lee", 1005, "yesterday 17:30", "= Sun 22 Nov 17:30 GMT", at("2026-11-22T17:30:00Z")}, // EMEA: GMT
		{"lee", 1005, "11:15", "= Mon 23 Nov 11:15 GMT", at("2026-11-23T11:15:00Z")},
	}
	for _, tc := range cases {
		b, fb := testBoard(t, Options{Actor: tc.actor}, 120, 40)
		press(b, selectKeys(fb.desk, tc.actor, tc.n)...)
		press(b, "c", tc.typed)
		if v := b.View(); !strings.Contains(v, tc.shown) {
			t.Errorf("%s typed %q: the form does not show %q:\n%s", tc.actor, tc.typed, tc.shown, v)
		}
		press(b, "enter")
		if fb.doCount() != 1 {
			t.Fatalf("%q: %d actions\n%s", tc.typed, fb.doCount(), b.View())
		}
		if a, ok := fb.dos[0].(model.CallCase); !ok || !a.At.Equal(tc.want) {
			t.Errorf("%q gave %#v, want the call at %s", tc.typed, fb.dos[0], tc.want)
		}
	}

	b, fb := testBoard(t, Options{Actor: "sam"}, 120, 40)
	press(b, selectKeys(fb.desk, "sam", 1002)...)
	press(b, "c", "07:30", "enter")
	v := b.View()
	if fb.doCount() != 0 || !strings.Contains(v, "is in the future") {
		t.Errorf("a future time: %d actions\n%s", fb.doCount(), v)
	}
	press(b, "backspace", "backspace", "backspace", "backspace", "backspace", "9.45", "enter")
	if v := b.View(); fb.doCount() != 0 || !strings.Contains(v, "use 09:45, -15m, -2h, yesterday 17:30") {
		t.Errorf("a mistyped time does not name the forms:\n%s", v)
	}
}

// TestVoidFormListsEntries: V lists the selected case's account's time
// entries to pick (date, time, category and note, who; newest first; a
// voided one left out), ↓ picks, and the chosen entry is the one voided;
// no id is typed.
func TestVoidFormListsEntries(t *testing.T) {
	p := model.DefaultPolicy()
	d := testDesk()
	if _, err := d.Do(p, "maria", model.VoidTime{ID: 2, Reason: "logged twice"}, testNow, testNow); err != nil {
		t.Fatal(err)
	}
	fb := newFakeBackend(d, p, 64)
	b, _ := testBoard(t, Options{Actor: "maria", Backend: fb}, 100, 30)
	press(b, selectKeys(d, "maria", 1002)...)
	press(b, "V")
	v := b.View()
	golden(t, "void_form_100x30", v)
	first := strings.Index(v, "2026-11-17   1h30m  metrics-reporting  (tina, #3)")
	second := strings.Index(v, "2026-11-03   2h00m  cadence-call  (tina, #1)")
	if first < 0 || second < 0 || second < first {
		t.Fatalf("acme's entries are not listed newest first:\n%s", v)
	}
	if strings.Contains(v, "#2)") || strings.Contains(v, "#4)") || strings.Contains(v, "the time entry's id") {
		t.Errorf("a voided entry, another account's, or an id prompt shows:\n%s", v)
	}
	press(b, "down", "down", "tab", "wrong account", "enter")
	if fb.doCount() != 1 {
		t.Fatalf("%d actions:\n%s", fb.doCount(), b.View())
	}
	if a, ok := fb.dos[0].(model.VoidTime); !ok || a.ID != 1 || a.Reason != "wrong account" {
		t.Errorf("voided %#v, want entry 1", fb.dos[0])
	}
}

// TestBoardTellsItsActor: the board says who acts at the start and after
// each u, so the demo's simulator keeps off that person's cases.
func TestBoardTellsItsActor(t *testing.T) {
	var heard []string
	b, _ := testBoard(t, Options{Actor: "sam", Demo: true, OnActor: func(id string) { heard = append(heard, id) }}, 120, 40)
	press(b, "u", "j", "enter") // tina
	if len(heard) < 2 || heard[0] != "sam" || heard[len(heard)-1] != "tina" {
		t.Errorf("the board told %v, want sam first and tina last", heard)
	}
}
