package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// panelNow is 07:30 ET on Mon 23 Nov: 00001006 (S1, due 07:15 ET) has
// breached today.
var panelNow = at("2026-11-23T12:30:00Z")

func TestGoldenReportsPanel(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
	}{{"panel_120x40", 120, 40}, {"panel_80x24", 80, 24}} {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := testBoard(t, Options{Actor: "maria", Start: panelNow}, tc.w, tc.h)
			press(b, "P")
			got := screen(b)
			for _, w := range []string{"Reports", "SLA attainment, week 2026-W48", "this week  ▲ 0.0% met (0 of 1 due, 1 breached)",
				"last 8 weeks", "Open cases at the end of each day", "✖ BREACHED 1 today", "00001006"} {
				if !strings.Contains(got, w) {
					t.Errorf("panel lacks %q", w)
				}
			}
			if strings.Contains(got, "\x1b") {
				t.Error("an escape sequence reached the screen")
			}
			golden(t, tc.name, got)
			press(b, "esc")
			if panelShown(b) || strings.Contains(screen(b), "SLA attainment") {
				t.Error("esc did not close the panel")
			}
		})
	}
}

// logThisWeek logs 90 minutes of cadence call on acme today, through the
// backend, and feeds the change to the board as the store's feed would.
func logThisWeek(t *testing.T, b *board, fb *fakeBackend) {
	t.Helper()
	ch, err := fb.Do("tina", model.LogTime{Account: "acme", Minutes: 90, Category: "cadence-call",
		Mode: model.ModeConsultative, Note: "weekly call"}, b.now)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(feedMsg{updates: []Update{{Change: ch}}})
}

func TestGoldenTAMWeek(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
		keys []string
	}{{"tam_week_120x40", 120, 40, nil}, {"tam_week_80x24", 80, 24, []string{"enter"}}} {
		t.Run(tc.name, func(t *testing.T) {
			b, fb := testBoard(t, Options{Actor: "tina"}, tc.w, tc.h)
			before := b.bank.week.r
			logThisWeek(t, b, fb)
			if b.bank.week.r == before {
				t.Error("the week was not recomputed after a time entry")
			}
			press(b, tc.keys...)
			got := screen(b)
			for _, w := range []string{"this week 2026-W48: 1h30m in 1 entry", "W weekly report"} {
				if !strings.Contains(got, w) {
					t.Errorf("screen lacks %q", w)
				}
			}
			golden(t, tc.name, got)
		})
	}
}

// TestPanelCachedUntilStale: ticks do not recompute the panel until its
// data go stale; then a running clock's due turns into a breach.
func TestPanelCachedUntilStale(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "maria", Start: at("2026-11-23T12:14:58Z"), tickEvery: time.Hour}, 120, 40)
	press(b, "P")
	first := b.panel.data
	if first == nil || len(first.BreachesToday) != 0 {
		t.Fatalf("at 07:14:58 ET: %+v", first)
	}
	tick := func() { b.Update(tickMsg{gen: b.tickGen}) }
	tick() // 12:14:59
	tick() // 12:15:00: due, not yet breached
	if b.panel.data != first {
		t.Error("a tick before the data's Until recomputed the panel")
	}
	tick() // 12:15:01
	if b.panel.data == first || len(b.panel.data.BreachesToday) != 1 || !strings.Contains(b.View(), "✖ BREACHED 1 today of 1 due: 00001006") {
		t.Errorf("past 00001006's due the panel shows:\n%s", b.View())
	}
	// A change to a case recomputes it.
	second := b.panel.data
	ch, err := fb.Do("maria", model.TakeCase{Number: 1001}, b.now)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(feedMsg{updates: []Update{{Change: ch}}})
	if b.panel.data == second {
		t.Error("a case change did not recompute the panel")
	}
	// Closed, the panel is not kept up to date.
	press(b, "P")
	if panelShown(b) {
		t.Fatal("P did not close the panel")
	}
	b.panel.reload()
	b.Update(tickMsg{gen: b.tickGen})
	if !b.panel.stale {
		t.Error("a closed panel was recomputed")
	}
}

// TestReportKeysByRole: only managers open the panel; TAMs and managers
// get the weekly report; specialists neither, and the wall has no keys.
func TestReportKeysByRole(t *testing.T) {
	help := func(b *board) string {
		defer press(b, "esc")
		return helpScreenText(b)
	}
	for _, tc := range []struct {
		actor         string
		panel, weekly bool
	}{{"maria", true, true}, {"tina", false, true}, {"sam", false, false}, {"lee", false, false}} {
		b, _ := testBoard(t, Options{Actor: tc.actor}, 120, 40)
		h := help(b)
		if strings.Contains(h, "reports panel") != tc.panel || strings.Contains(h, "weekly report") != tc.weekly {
			t.Errorf("%s: help offers panel %v weekly %v:\n%s", tc.actor, strings.Contains(h, "reports panel"), strings.Contains(h, "weekly report"), h)
		}
		press(b, "P")
		if panelShown(b) != tc.panel {
			t.Errorf("%s: P opens the panel: %v", tc.actor, panelShown(b))
		}
		press(b, "esc")
		if !tc.weekly {
			press(b, "W")
			if !strings.Contains(b.View(), "the weekly report is for TAMs and managers") {
				t.Errorf("%s: W was not refused", tc.actor)
			}
			entries, _ := os.ReadDir(b.o.ReportDir)
			if len(entries) != 0 {
				t.Errorf("%s: W wrote %v", tc.actor, entries)
			}
		}
	}
	b, _ := testBoard(t, Options{Actor: "wall"}, 160, 45)
	before := b.View()
	press(b, "P", "W")
	if b.View() != before || panelShown(b) || outputOpen(b, "Weekly report") {
		t.Error("the wall answered a reports key")
	}
}

// TestWeeklyReportFile: W writes model.WeeklyReport's Markdown to the
// report directory, says where, and never overwrites.
func TestWeeklyReportFile(t *testing.T) {
	dir := t.TempDir()
	b, fb := testBoard(t, Options{Actor: "tina", ReportDir: dir}, 120, 40)
	logThisWeek(t, b, fb)

	r, err := model.WeeklyReport(b.desk, b.p, "acme", model.Week{Year: 2026, Week: 48}, b.now)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := r.RenderMarkdown(&want); err != nil {
		t.Fatal(err)
	}

	press(b, "W")
	path := filepath.Join(dir, "caseboard-acme-2026-W48.md")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() {
		t.Errorf("file:\n%s\nwant:\n%s", got, want.String())
	}
	if !strings.Contains(string(got), "weekly call") {
		t.Error("the report lacks this week's entry")
	}
	if !statusShows(t, b, "wrote weekly report to "+path, false) {
		msg, _, _, _ := statusOf(t, b)
		t.Errorf("status %q", msg)
	}

	press(b, "W")
	second := filepath.Join(dir, "caseboard-acme-2026-W48-1.md")
	if again, err := os.ReadFile(second); err != nil || string(again) != want.String() {
		t.Errorf("second press: %v", err)
	}
	if !statusShows(t, b, "wrote weekly report to "+second, false) {
		msg, _, _, _ := statusOf(t, b)
		t.Errorf("status %q", msg)
	}
	if first, _ := os.ReadFile(path); string(first) != want.String() {
		t.Error("the second press changed the first file")
	}
	press(b, "W")
	if _, err := os.Stat(filepath.Join(dir, "caseboard-acme-2026-W48-2.md")); err != nil {
		t.Errorf("third press: %v", err)
	}
}

// TestWeeklyReportError: a directory that cannot be written says so in
// the status line.
func TestWeeklyReportError(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	b, _ := testBoard(t, Options{Actor: "tina", ReportDir: dir}, 120, 40)
	press(b, "W")
	if msg, isErr, _, _ := statusOf(t, b); !isErr || !strings.Contains(msg, "write the weekly report") || !strings.Contains(b.View(), "✖ write the weekly report") {
		t.Errorf("status %q (error %v)", msg, isErr)
	}
}

// TestWeeklyReportRemote: over SSH no file is written; the Markdown shows
// in a pane, inert.
func TestWeeklyReportRemote(t *testing.T) {
	dir := t.TempDir()
	b, fb := testBoard(t, Options{Actor: "tina", ReportDir: dir, Remote: true}, 120, 40)
	// A note with an escape sequence must reach the pane as text.
	ch, err := fb.Do("tina", model.LogTime{Account: "acme", Minutes: 30, Category: "cadence-call",
		Mode: model.ModeConsultative, Note: "see \x1b[31mred\x1b[0m"}, b.now)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(feedMsg{updates: []Update{{Change: ch}}})
	_, cmd := b.Update(keyOf("W"))
	if cmd != nil {
		if _, ok := cmd().(reportWrittenMsg); ok {
			t.Fatal("a remote board wrote a file")
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
	got := b.View()
	for _, w := range []string{"Weekly report acme, 2026-W48", "# Weekly update: Acme Corp, 2026-W48", "| Date | TAM |", "^[[31mred"} {
		if !strings.Contains(got, w) {
			t.Errorf("pane lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "\x1b") {
		t.Error("an escape sequence reached the screen")
	}
	if !outputOpen(b, "Weekly report acme") {
		t.Fatal("the report pane is not shown")
	}
	press(b, "esc")
	if outputOpen(b, "Weekly report acme") {
		t.Error("esc did not close the report pane")
	}
}

// TestWeeklyReportFlow: the same through a running program.
func TestWeeklyReportFlow(t *testing.T) {
	dir := t.TempDir()
	tm := startFlow(t, Options{Actor: "tina", ReportDir: dir}, nil)
	waitFor(t, tm, "W weekly report")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("W")})
	waitFor(t, tm, "wrote weekly report to")
	finalBoard(t, tm)
	if _, err := os.Stat(filepath.Join(dir, "caseboard-acme-2026-W48.md")); err != nil {
		t.Error(err)
	}
}

// TestPanelCountsNeverRunTogether: with three-digit counts (a big desk)
// each day's count stays its own column ("96 113", never "96113").
func TestPanelCountsNeverRunTogether(t *testing.T) {
	b, _ := testBoard(t, Options{Actor: "maria"}, 120, 40)
	press(b, "P")
	if b.panel.data == nil {
		t.Fatal("the panel has no data")
	}
	data := *b.panel.data
	data.Days = []model.DayCount{{Date: model.Date{Year: 2026, Month: 11, Day: 24}, Open: 96},
		{Date: model.Date{Year: 2026, Month: 11, Day: 25}, Open: 113}}
	b.panel.data = &data
	var open string
	for _, l := range b.panel.lines(120) {
		if strings.HasPrefix(strings.TrimSpace(l), "open ") {
			open = l
		}
	}
	if f := strings.Fields(open); len(f) < 3 || f[1] != "96" || f[2] != "113" {
		t.Errorf("the open row reads %q, want the counts 96 and 113 apart", open)
	}
}
