package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseboard/model"
)

// noteOnAcme notes 00001002 (acme's) with a hostile text (an escape, a
// pipe, a formula), through the backend, and feeds the change to the
// board as the store's feed would.
func noteOnAcme(t *testing.T, b *board, fb *fakeBackend) {
	t.Helper()
	ch, err := fb.Do("maria", model.NoteCase{Number: 1002, Text: "see \x1b[31mred\x1b[0m | =cmd"}, b.now)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(feedMsg{updates: []Update{{Change: ch}}})
}

// wantDaily is model.DailyReport's Markdown of acme today on the
// backend's own desk (with its events).
func wantDaily(t *testing.T, b *board, fb *fakeBackend) string {
	t.Helper()
	fb.mu.Lock()
	d := copyDesk(fb.desk)
	d.Events = append([]model.Event(nil), fb.desk.Events...)
	fb.mu.Unlock()
	r, err := model.DailyReport(d, b.p, "acme", model.DateOf(b.now, b.p.HomeZone()), fb.Events, b.now)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := r.RenderMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	return md.String()
}

// TestDailyReportFile: Y writes the daily report of the bank pane's
// account to caseboard-acme-2026-11-23-daily.md, says where, and never
// overwrites.
func TestDailyReportFile(t *testing.T) {
	dir := t.TempDir()
	b, fb := testBoard(t, Options{Actor: "tina", ReportDir: dir}, 120, 40)
	noteOnAcme(t, b, fb)
	want := wantDaily(t, b, fb)
	if !strings.Contains(want, "note by maria") || strings.Contains(want, "=cmd") {
		t.Fatalf("the report does not tell the note as a sentence:\n%s", want)
	}

	press(b, "Y")
	path := filepath.Join(dir, "caseboard-acme-2026-11-23-daily.md")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	if fi, _ := os.Stat(path); fi == nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode())
	}
	if !statusShows(t, b, "wrote daily report to "+path, false) {
		msg, _, _, _ := statusOf(t, b)
		t.Errorf("status %q", msg)
	}
	press(b, "Y")
	second := filepath.Join(dir, "caseboard-acme-2026-11-23-daily-1.md")
	if again, err := os.ReadFile(second); err != nil || string(again) != want {
		t.Errorf("second press: %v", err)
	}
	if first, _ := os.ReadFile(path); string(first) != want {
		t.Error("the second press changed the first file")
	}
}

// TestDailyReportRemote: over SSH no file is written; the Markdown shows
// in the output pane, inert.
func TestDailyReportRemote(t *testing.T) {
	dir := t.TempDir()
	b, fb := testBoard(t, Options{Actor: "tina", ReportDir: dir, Remote: true}, 120, 40)
	noteOnAcme(t, b, fb)
	press(b, "Y")
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
	got := b.View()
	for _, w := range []string{"Daily report acme, 2026-11-23", "# Daily report: Acme Corp, Mon 23 Nov 2026",
		"| Case | Sev | Status | Owner | Clock | Due | Escalation | Title |", "note by maria"} {
		if !strings.Contains(got, w) {
			t.Errorf("pane lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "\x1b") {
		t.Error("an escape sequence reached the screen")
	}
	if !statusShows(t, b, "daily report of acme, 2026-11-23: select it to copy (esc closes)", false) {
		msg, _, _, _ := statusOf(t, b)
		t.Errorf("status %q", msg)
	}
	press(b, "esc")
	if outputOpen(b, "Daily report acme") {
		t.Error("esc did not close the report pane")
	}
}

// TestDailyReportByRole: TAMs and managers get Y in the full help and a
// report; a specialist is told why not and nothing is written; the wall
// does not answer.
func TestDailyReportByRole(t *testing.T) {
	for _, tc := range []struct {
		actor string
		ok    bool
	}{{"maria", true}, {"tina", true}, {"sam", false}} {
		b, _ := testBoard(t, Options{Actor: tc.actor}, 120, 40)
		h := helpScreenText(b)
		press(b, "esc")
		if strings.Contains(h, "daily report") != tc.ok {
			t.Errorf("%s: full help offers the daily report: %v", tc.actor, !tc.ok)
		}
		press(b, "Y")
		entries, _ := os.ReadDir(b.o.ReportDir)
		if tc.ok && len(entries) != 1 {
			t.Errorf("%s: Y wrote %v", tc.actor, entries)
		}
		if !tc.ok && (len(entries) != 0 || !strings.Contains(b.View(), "the daily report is for TAMs and managers")) {
			t.Errorf("%s: Y was not refused (wrote %v)", tc.actor, entries)
		}
	}
	b, _ := testBoard(t, Options{Actor: "wall"}, 160, 45)
	before := b.View()
	press(b, "Y")
	if b.View() != before {
		t.Error("the wall answered Y")
	}
	if entries, _ := os.ReadDir(b.o.ReportDir); len(entries) != 0 {
		t.Errorf("the wall wrote %v", entries)
	}
}
