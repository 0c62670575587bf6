package ui

import (
	"strings"
	"testing"

	"caseboard/model"
)

// TestNewCaseSeverityStartsUnchosen: enter on a new-case form with a title
// opens nothing (no Sev 1 by default); the form names the missing choice
// and, once a severity is picked (→ or its digit), shows its definition.
func TestNewCaseSeverityStartsUnchosen(t *testing.T) {
	b, fb := testBoard(t, Options{Actor: "maria"}, 80, 24)
	press(b, "N")
	golden(t, "new_case_80x24", b.View())
	if got := formChoices(b, "severity"); len(got) == 0 || strings.Contains(b.View(), "[1 ") {
		t.Fatalf("severity 1 is chosen before any key: %v\n%s", got, b.View())
	}
	press(b, "down", "down", "Broken SSO", "enter")
	if fb.doCount() != 0 || b.form == nil {
		t.Fatalf("enter without a severity did something (%d actions)", fb.doCount())
	}
	v := b.View()
	if !strings.Contains(v, "choose a severity") || !strings.Contains(v, "▸ severity") {
		t.Errorf("the form does not name the missing severity:\n%s", v)
	}
	if strings.Contains(v, model.SeverityHelp(1)[:30]) {
		t.Errorf("a definition shows with nothing chosen:\n%s", v)
	}
	press(b, "2")
	if v := b.View(); !strings.Contains(v, "[2 ") || !strings.Contains(v, model.SeverityHelp(2)[:30]) {
		t.Errorf("2 did not choose severity 2 with its definition:\n%s", v)
	}
	press(b, "enter")
	if fb.doCount() != 1 {
		t.Fatalf("%d actions after choosing", fb.doCount())
	}
	if a, ok := fb.dos[0].(model.NewCase); !ok || a.Severity != 2 || a.Title != "Broken SSO" {
		t.Errorf("the board opened %#v", fb.dos[0])
	}
}

// TestRefusedFormStaysOpen: a rule refusal of a filled form leaves the
// form open, everything typed kept, the refusal under it; nothing written.
func TestRefusedFormStaysOpen(t *testing.T) {
	t.Run("duplicate of itself", func(t *testing.T) {
		b, fb := testBoard(t, Options{Actor: "sam"}, 120, 40)
		press(b, "tab", "/", "00001010", "enter", "x", "right", "tab", "1010", "enter", "y")
		golden(t, "duplicate_of_itself_120x40", b.View())
		refusedInForm(t, b, fb, "cannot close 00001010: a case cannot duplicate itself", "1010█")
		// Corrected in place, it goes through and the form closes.
		press(b, "backspace", "2", "enter", "y")
		if fb.doCount() != 1 || b.form != nil {
			t.Errorf("the corrected form: %d actions, form open %v", fb.doCount(), b.form != nil)
		}
	})
	t.Run("over the bank", func(t *testing.T) {
		b, fb := testBoard(t, Options{Actor: "tina"}, 120, 40)
		press(b, "/", "umbrella", "enter", "T", "tab", "11h", "enter")
		refusedInForm(t, b, fb, "bank exhausted", "11h█")
	})
	t.Run("refused by the store", func(t *testing.T) {
		// The store saw a take the board has not yet: its refusal comes
		// back after the board's own check passed, and the form stays.
		b, fb := testBoard(t, Options{Actor: "sam"}, 120, 40)
		press(b, "tab", "/", "00001001", "enter")
		if _, err := fb.Do("maria", model.AssignCase{Number: 1001, To: "lee"}, testNow); err != nil {
			t.Fatal(err)
		}
		press(b, "t", "enter")
		if b.form == nil || !strings.Contains(b.form.err, "00001001") {
			t.Fatalf("the store's refusal closed the form:\n%s", b.View())
		}
		if !strings.Contains(b.View(), "✖ "+b.form.err) {
			t.Errorf("the refusal is not under the form:\n%s", b.View())
		}
	})
}

func refusedInForm(t *testing.T, b *board, fb *fakeBackend, refusal, typed string) {
	t.Helper()
	if fb.doCount() != 0 {
		t.Errorf("%d actions reached the store", fb.doCount())
	}
	if b.form == nil {
		t.Fatalf("the refusal closed the form:\n%s", b.View())
	}
	v := b.View()
	if !strings.Contains(v, "✖ "+refusal) || !strings.Contains(v, typed) {
		t.Errorf("want the form with %q and %q:\n%s", refusal, typed, v)
	}
}

// TestFormThatCannotSucceedDoesNotOpen: D on an accepted escalation and m
// with no allowed move open nothing; the status line says why.
func TestFormThatCannotSucceedDoesNotOpen(t *testing.T) {
	for _, c := range []struct {
		name, actor, sel, key, why string
	}{
		{"decline an accepted escalation", "maria", "00001011", "D",
			"cannot decline the escalation of 00001011: its escalation is accepted, not requested"},
		{"status with no allowed move", "maria", "00001001", "m",
			"no status change from new on 00001001 (allowed: " + strings.Join(model.AllowedMoves(model.StatusNew), ", ") + ")"},
		{"respond after the response", "sam", "00001003", "r",
			"cannot respond on 00001003: first response already given at Thu 19 Nov 11:00 ET"},
		{"take a case one owns", "sam", "00001002", "t", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, fb := testBoard(t, Options{Actor: c.actor}, 120, 40)
			press(b, "/", c.sel, "enter")
			press(b, c.key)
			if b.form != nil || fb.doCount() != 0 {
				t.Fatalf("%s opened a form:\n%s", c.key, b.View())
			}
			msg, isErr, _, _ := statusOf(t, b)
			if !isErr || (c.why != "" && msg != c.why) || msg == "" {
				t.Errorf("status %q (error %v), want %q", msg, isErr, c.why)
			}
		})
	}
}

// TestHelpOffersOnlyWhatWouldPass: the help bar leaves out the keys whose
// action the rules would refuse now.
func TestHelpOffersOnlyWhatWouldPass(t *testing.T) {
	for _, c := range []struct {
		actor, sel string
		absent     []string
		present    []string
	}{
		{"sam", "00001002", []string{"t take"}, []string{"r respond", "n note"}},       // sam's own, not responded
		{"sam", "00001003", []string{"t take", "r respond"}, []string{"n note"}},       // responded
		{"maria", "00001011", []string{"D decline", "A accept"}, []string{"n note"}},   // accepted escalation
		{"maria", "00001001", []string{"m status", "D decline"}, []string{"a assign"}}, // new, no escalation
	} {
		b, _ := testBoard(t, Options{Actor: c.actor}, 300, 40)
		press(b, "/", c.sel, "enter")
		h := b.help.View(b.km.HelpFor(b.context(), b.offerKey))
		for _, k := range c.absent {
			if strings.Contains(h, k) {
				t.Errorf("%s on %s is offered %q: %s", c.actor, c.sel, k, h)
			}
		}
		for _, k := range c.present {
			if !strings.Contains(h, k) {
				t.Errorf("%s on %s is not offered %q: %s", c.actor, c.sel, k, h)
			}
		}
	}
}
