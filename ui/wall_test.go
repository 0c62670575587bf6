package ui

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"caseboard/model"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// wallSizes are the screens the wall is drawn at in its goldens.
var wallSizes = [][2]int{{80, 24}, {120, 40}, {200, 60}, {300, 80}}

// wallPages are the wall's pages in their order, with what each shows.
var wallPages = []struct {
	name  string
	wants []string
}{
	{"emea", []string{"· EMEA ·", "OPEN", "✖ BREACHED", "● DUE IN", "00001004"}},
	{"na", []string{"· North America ·", "☎ CALL", "00001002 · S2 · acme", "-2d15h", "▲ due soon 15m"}},
	{"escalations", []string{"· Escalations ·", "REQUESTED", "00001007 · S2 · initech", "00001011 · S2 · acme"}},
	{"team", []string{"· Team load ·", "sam", "lee", "✖ BREACHED 2"}},
}

// secondsSpan is a length with seconds ("14m59s", "12s"): only the
// header's clock may tick on the wall.
var secondsSpan = regexp.MustCompile(`\b\d+m\d+s\b|\b\d+s\b`)

// wallGoldens draws every page of the wall at 80x24 to 300x80 (pinned
// clock, size and ASCII colour profile: what NO_COLOR shows); a subtest
// of TestGoldenScreens, beside the board's screens.
func wallGoldens(t *testing.T) {
	for _, sz := range wallSizes {
		b, _ := testBoard(t, Options{Actor: "wall"}, sz[0], sz[1])
		for _, pg := range wallPages {
			name := fmt.Sprintf("wall_%s_%dx%d", pg.name, sz[0], sz[1])
			got := screen(b)
			t.Run(name, func(t *testing.T) {
				for _, w := range pg.wants {
					if !strings.Contains(got, w) {
						t.Errorf("screen lacks %q", w)
					}
				}
				if strings.Contains(got, "\x1b") {
					t.Errorf("an escape sequence reached the screen")
				}
				lines := strings.Split(got, "\n")
				if len(lines) != sz[1] {
					t.Errorf("%d lines on a %d-line screen", len(lines), sz[1])
				}
				for _, l := range lines[1:] {
					if m := secondsSpan.FindString(l); m != "" {
						t.Errorf("seconds %q outside the header: %q", m, l)
					}
				}
				golden(t, name, got)
			})
			press(b, " ")
		}
		// A region's page with its last alerts, their ages in minutes.
		b, _ = testBoard(t, Options{Actor: "wall", Start: testNow.Add(12 * time.Minute)}, sz[0], sz[1])
		deliver(b, newCaseAlert(1001), newCaseAlert(1006))
		press(b, " ")
		name := fmt.Sprintf("wall_na_alerts_%dx%d", sz[0], sz[1])
		got := screen(b)
		t.Run(name, func(t *testing.T) {
			for _, w := range []string{"Last alerts", "42m ago", "new-case", "00001001 S1 acme", "4h", "00001006 S1 hooli"} {
				if !strings.Contains(got, w) {
					t.Errorf("screen lacks %q", w)
				}
			}
			for _, l := range strings.Split(got, "\n")[1:] {
				if m := secondsSpan.FindString(l); m != "" {
					t.Errorf("seconds %q outside the header: %q", m, l)
				}
			}
			golden(t, name, got)
		})
	}
}

// figureSize is the tallest block figure on a screen (lines in a run
// holding a block) and the widest line of blocks in it.
func figureSize(s string) (rows, span int) {
	run := 0
	for _, l := range strings.Split(s, "\n") {
		first, last := strings.Index(l, "█"), strings.LastIndex(l, "█")
		if first < 0 {
			run = 0
			continue
		}
		run++
		rows = max(rows, run)
		span = max(span, len([]rune(l[:last]))-len([]rune(l[:first]))+1)
	}
	return rows, span
}

// TestWallScalesWithScreen: the figures grow with the screen on every
// page, and at 300x80 the tiles fill the width.
func TestWallScalesWithScreen(t *testing.T) {
	for p, pg := range wallPages {
		prevRows, prevSpan := 0, 0
		for _, sz := range wallSizes {
			b, _ := testBoard(t, Options{Actor: "wall"}, sz[0], sz[1])
			for i := 0; i < p; i++ {
				press(b, " ")
			}
			s := screen(b)
			rows, span := figureSize(s)
			if rows < 5 {
				t.Errorf("%s at %dx%d: figures %d lines high, want block figures", pg.name, sz[0], sz[1], rows)
			}
			if rows < prevRows || span <= prevSpan {
				t.Errorf("%s at %dx%d: figures %d lines, %d columns of blocks; smaller than %d, %d on the smaller screen",
					pg.name, sz[0], sz[1], rows, span, prevRows, prevSpan)
			}
			prevRows, prevSpan = rows, span
			if sz[0] == 300 {
				if rows < 10 {
					t.Errorf("%s at 300x80: figures only %d lines high", pg.name, rows)
				}
				full := false
				for _, l := range strings.Split(s, "\n") {
					r := []rune(l)
					if len(r) == 300 && (r[0] == '┌' || r[0] == '│') && (r[299] == '┐' || r[299] == '│') {
						full = true
					}
				}
				if !full {
					t.Errorf("%s at 300x80: no row of tiles spans the width:\n%s", pg.name, s)
				}
			}
		}
	}
}

// colourBoard is a wall on a colour terminal: the flash's inverse video
// reaches the screen.
func colourBoard(t *testing.T, start time.Time) *board {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	b, _ := testBoard(t, Options{Actor: "wall", Renderer: r, Start: start, tickEvery: time.Hour, Rotate: time.Hour}, 160, 45)
	return b
}

// bannerLine is the line of the flash banner, or "".
func bannerLine(b *board) string {
	for _, l := range strings.Split(b.View(), "\n")[:5] {
		if strings.Contains(l, "! ") && (strings.Contains(l, flashBreached) || strings.Contains(l, flashSev1)) {
			return l
		}
	}
	return ""
}

// TestWallFlashesNewBreach: the tick at which a case's clock passes its
// due flashes it on the wall for five seconds of board time (the ticks
// at +1s to +5s, gone at +6s): a banner in
// inverse video with the word, and its row and tile; then it stops.
func TestWallFlashesNewBreach(t *testing.T) {
	due := at("2026-11-23T12:15:00Z") // 00001006, sev 1 Basic phoned 08:15Z: 4 h
	b := colourBoard(t, due)
	if it, ok := b.ix.Get(1006); !ok || !it.Urgent.Due.Equal(due) {
		t.Fatalf("fixture: 00001006 is not due at %v", due)
	}
	inverse := paintOf(b.th.Flash).pre
	if inverse == "" || !strings.Contains(inverse, "7") {
		t.Fatalf("the flash style %q is not inverse video", inverse)
	}
	if l := bannerLine(b); l != "" {
		t.Fatalf("a flash before the breach: %q", l)
	}
	press(b, " ") // the North America page, where 00001006 is
	for i := 1; i <= 6; i++ {
		b.Update(tickMsg{gen: b.tickGen})
		l := bannerLine(b)
		if i <= 5 {
			if !strings.Contains(l, "! "+flashBreached+" 00001006 · S1 · hooli") || !strings.Contains(l, inverse) {
				t.Fatalf("%ds after the breach, the banner is %q", i, l)
			}
			continue
		}
		if l != "" {
			t.Errorf("the flash is still on 5s after the breach: %q", l)
		}
	}
	// The row and its tile flashed with the banner.
	b = colourBoard(t, due)
	press(b, " ")
	b.Update(tickMsg{gen: b.tickGen})
	v := b.View()
	rowFlash := strings.Contains(v, inverse+"! 00001006")
	// The banner's and the tile's heads, each in inverse video.
	heads := regexp.MustCompile(regexp.QuoteMeta(inverse)+` *! `+regexp.QuoteMeta(flashBreached)).FindAllString(v, -1)
	tileFlash := len(heads) >= 2
	if !rowFlash || !tileFlash {
		t.Errorf("row flashes %v, tile flashes %v:\n%s", rowFlash, tileFlash, b.View())
	}
	// Without colour (NO_COLOR, a monochrome terminal) the flash still
	// reads: the mark and the word on the banner, the tile and the row.
	mono, _ := testBoard(t, Options{Actor: "wall", Start: due, tickEvery: time.Hour, Rotate: time.Hour}, 160, 45)
	press(mono, " ")
	mono.Update(tickMsg{gen: mono.tickGen})
	mv := mono.View()
	if !strings.Contains(bannerLine(mono), "! "+flashBreached+" 00001006") || strings.Count(mv, "! "+flashBreached) < 2 ||
		!strings.Contains(mv, "! 00001006") || strings.Contains(mv, "\x1b") {
		t.Errorf("without colour the flash does not read:\n%s", mv)
	}
	// Another tick with nothing new due: nothing new flashes.
	for i := 0; i < 6; i++ {
		b.Update(tickMsg{gen: b.tickGen})
	}
	if l := bannerLine(b); l != "" {
		t.Errorf("a flash with nothing newly breached: %q", l)
	}
}

// TestWallFlashesNewSev1: a new severity 1 case flashes on the wall at
// once, with its word, whatever the page; a note on a severity 1 case
// already open does not; the flash goes after five seconds.
func TestWallFlashesNewSev1(t *testing.T) {
	b := colourBoard(t, testNow)
	fb := b.o.Backend.(*fakeBackend)
	feed := func(a model.Action) {
		t.Helper()
		ch, err := fb.Do("maria", a, b.now)
		if err != nil {
			t.Fatal(err)
		}
		b.Update(feedMsg{updates: []Update{{Change: ch}}})
	}
	press(b, " ", " ") // the escalations page
	feed(model.NoteCase{Number: 1006, Text: "still down"})
	if l := bannerLine(b); l != "" {
		t.Fatalf("a note on an open sev 1 flashed: %q", l)
	}
	feed(model.NewCase{Account: "hooli", Severity: 1, Title: "Everything down", Contact: "Ops"})
	l := bannerLine(b)
	if !strings.Contains(l, "! "+flashSev1+" ") || !strings.Contains(l, "S1 · hooli") || !strings.Contains(l, paintOf(b.th.Flash).pre) {
		t.Fatalf("the new sev 1's banner is %q", l)
	}
	for i := 0; i < 5; i++ {
		b.Update(tickMsg{gen: b.tickGen})
	}
	if l := bannerLine(b); l != "" {
		t.Errorf("the flash is still on 5s later: %q", l)
	}
	// A severity 2 case opened: no flash.
	feed(model.NewCase{Account: "hooli", Severity: 2, Title: "Slow", Contact: "Ops"})
	if l := bannerLine(b); l != "" {
		t.Errorf("a new sev 2 flashed: %q", l)
	}
}

// TestWallSwitchUserInDemo: in the demo, u on the wall opens the user
// picker, and the user chosen gets their own board even with --wall; the
// wall user brings the wall back.
func TestWallSwitchUserInDemo(t *testing.T) {
	b, _ := testBoard(t, Options{Demo: true, Wall: true, Actor: "maria"}, 120, 40)
	if !strings.HasPrefix(b.View(), "caseboard wall") || !strings.Contains(b.View(), "u switch user") {
		t.Fatalf("not a wall offering u:\n%s", b.View())
	}
	press(b, "u")
	if !b.picking || !strings.Contains(b.View(), "Who is at this terminal?") {
		t.Fatalf("u on the demo's wall opened no picker:\n%s", b.View())
	}
	press(b, "j", "enter") // lee maria [sam] tina wall
	if v := b.View(); b.wallMode || !strings.Contains(v, "Sam Ortiz (sam)") {
		t.Fatalf("chose sam, got:\n%s", v)
	}
	press(b, "u", "j", "j", "enter") // sam -> tina -> wall
	if v := b.View(); !b.wallMode || !strings.HasPrefix(v, "caseboard wall") {
		t.Fatalf("chose the wall user, got:\n%s", v)
	}
	// Outside the demo, u does nothing on the wall (it stays read-only).
	w, _ := testBoard(t, Options{Wall: true, Actor: "maria"}, 120, 40)
	before := w.View()
	press(w, "u")
	if w.picking || w.View() != before || strings.Contains(before, "u switch user") {
		t.Errorf("u acted on a wall outside the demo:\n%s", w.View())
	}
}

// TestWallFlashesOnTheHoldersDesk: on a holder's shared desk the change is
// applied before the wall hears of it; the new severity 1 still flashes
// (the note keeps the cases as they were).
func TestWallFlashesOnTheHoldersDesk(t *testing.T) {
	b := colourBoard(t, testNow)
	fb := b.o.Backend.(*fakeBackend)
	ch, err := fb.Do("maria", model.NewCase{Account: "hooli", Severity: 1, Title: "Everything down", Contact: "Ops"}, b.now)
	if err != nil {
		t.Fatal(err)
	}
	b.sh.mu.Lock() // as the holder does: applied first, the boards told after
	n, ok := b.sh.apply(ch, b.now)
	b.sh.mu.Unlock()
	if !ok {
		t.Fatal("the change was not applied")
	}
	b.Update(feedMsg{notes: []note{n}})
	if l := bannerLine(b); !strings.Contains(l, "! "+flashSev1+" ") || !strings.Contains(l, "S1 · hooli") {
		t.Fatalf("the new sev 1's banner on the shared desk is %q", l)
	}
}
