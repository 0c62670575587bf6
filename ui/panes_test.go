package ui

import (
	"io"
	"strings"
	"testing"

	"caseboard/model"

	"github.com/charmbracelet/lipgloss"
)

// TestGoldenPanes renders each pane on its own at a pinned clock.
func TestGoldenPanes(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "maria"}, 120, 40)
	f := b.frame()
	golden(t, "pane_header", b.renderHeader())
	golden(t, "pane_tabs", b.q.tabsLine())
	golden(t, "pane_queue", b.q.render(f.queueW, f.body))
	golden(t, "pane_status", b.renderStatus(f))
	golden(t, "pane_help", b.help.View(b.km.HelpFor(b.context(), b.offerKey)))

	sel := func(n int64) *model.QueueItem { it, _ := b.ix.Get(n); return it }
	golden(t, "pane_detail_1002", strings.Join(b.det.detailLines(sel(1002), 60), "\n"))
	golden(t, "pane_stepper_1007", strings.Join(b.det.stepperLines(sel(1007), 60), "\n"))
	golden(t, "pane_stepper_1011", strings.Join(b.det.stepperLines(sel(1011), 60), "\n"))
	press(b, selectKeys(testDesk(), "maria", 1011)...)
	golden(t, "pane_bank_acme", strings.Join(b.bank.lines(50), "\n"))
}

// TestDetailTrailIsInert: a note carrying an escape sequence shows as
// visible text, and the trail comes from Backend.Events.
func TestDetailTrailIsInert(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "sam"}, 160, 40)
	press(b, "j", "j") // 1001, 1006, 1002
	if sel := selectedRow(b); sel != "00001002" {
		t.Fatalf("selected %s, want 00001002", sel)
	}
	got := b.View()
	for _, want := range []string{"note by sam: see ^[[31mlog^[[0m", "taken by sam", "opened by sam"} {
		if !strings.Contains(got, want) {
			t.Errorf("detail lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b") {
		t.Error("an escape sequence from a note reached the screen")
	}
}

// TestStaleEventsDropped: a reply for an older request never replaces the
// newest one (the cursor moved on).
func TestStaleEventsDropped(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "sam"}, 120, 40)
	old := b.fetchDetail()
	press(b, "j", "j")
	evs, _ := fb.Events(1002)
	_ = evs
	b.Update(old()) // the stale reply for 1001 arrives late
	if v := b.View(); strings.Contains(v, "loading…") || !strings.Contains(v, "note by sam: see") {
		t.Fatalf("detail does not show 1002's trail after a stale reply:\n%s", v)
	}
}

// TestNoColor: with NO_COLOR the board still tells every state by symbol
// and word, and writes no colour.
func TestNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	r := lipgloss.NewRenderer(io.Discard)
	b, _ := testBoard(t, Options{Actor: "maria", Renderer: r}, 120, 40)
	got := b.View()
	for _, w := range []string{wordBreached, wordDueSoon, wordCall, wordPaused, "⚑"} {
		if !strings.Contains(got, w) {
			t.Errorf("NO_COLOR screen lacks %q", w)
		}
	}
	if strings.Contains(got, "\x1b[") {
		t.Error("NO_COLOR screen has escape sequences")
	}
	golden(t, "no_color_120x40", got)
}

// TestResizeReflows: the same board drawn at two sizes fills each exactly.
func TestResizeReflows(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "sam"}, 120, 40)
	for _, sz := range [][2]int{{80, 24}, {200, 60}, {60, 16}} {
		b.Update(teaSize(sz[0], sz[1]))
		lines := strings.Split(b.View(), "\n")
		if len(lines) != sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], len(lines))
		}
		for i, l := range lines {
			if w := lipgloss.Width(l); w > sz[0] {
				t.Errorf("%dx%d: line %d is %d wide", sz[0], sz[1], i, w)
			}
		}
	}
	b.Update(teaSize(59, 40))
	if b.View() != tooSmall {
		t.Errorf("below 60 columns: %q", b.View())
	}
	b.Update(teaSize(100, 15))
	if b.View() != tooSmall {
		t.Errorf("below 16 rows: %q", b.View())
	}
}
