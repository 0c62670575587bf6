package ui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// sharedBoards starts one board per actor on one shared desk.
func sharedBoards(t *testing.T, fb *fakeBackend, sh *Shared, actors ...string) []*teatest.TestModel {
	t.Helper()
	var tms []*teatest.TestModel
	for _, a := range actors {
		tms = append(tms, startFlow(t, Options{Actor: a, Shared: sh}, fb))
	}
	return tms
}

// TestSharedDeskOneLoadEveryBoardSees: three boards of one holder read
// one desk, loaded once (each board loaded its own before); a change made
// elsewhere shows on every board, and each board's views go back when it
// ends.
func TestSharedDeskOneLoadEveryBoardSees(t *testing.T) {
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 64)
	sh := NewShared(fb, fb.p)
	defer sh.Stop()
	actors := []string{"maria", "sam", "tina"}
	tms := sharedBoards(t, fb, sh, actors...)
	for _, tm := range tms {
		waitFor(t, tm, "Index rebuild stuck")
	}
	if got := fb.loadCount(); got != 1 {
		t.Errorf("%d boards loaded the desk %d times, want once", len(tms), got)
	}
	if sh.Boards() != len(tms) || sh.Views() < len(tms) {
		t.Errorf("%d boards, %d views on the shared desk; want %d boards with a view each", sh.Boards(), sh.Views(), len(tms))
	}
	if _, err := fb.Do("sam", model.NewCase{Number: 2001, Account: "acme", Severity: 3,
		Title: "Synonyms ignored after upgrade", Contact: "Ana Ruiz"}, testNow); err != nil {
		t.Fatal(err)
	}
	for i, tm := range tms {
		t.Logf("waiting on %s", actors[i])
		waitFor(t, tm, "00002001", "Synonyms ignored")
	}
	for _, tm := range tms {
		finalBoard(t, tm).Close()
	}
	if sh.Boards() != 0 || sh.Views() != 0 {
		t.Errorf("after every board ended: %d boards, %d views left on the shared desk", sh.Boards(), sh.Views())
	}
	if got := fb.loadCount(); got != 1 {
		t.Errorf("the desk was loaded %d times, want once", got)
	}
}

// TestSharedDeskBoardsComeAndGo: boards that open, switch tabs, filter and
// end (as SSH sessions do all day) leave nothing registered on the shared
// index.
func TestSharedDeskBoardsComeAndGo(t *testing.T) {
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 64)
	sh := NewShared(fb, fb.p)
	defer sh.Stop()
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 20; round++ {
		actor := []string{"maria", "sam", "lee", "tina", "wall"}[round%5]
		b := newBoard(Options{Backend: fb, Policy: fb.p, Shared: sh, Actor: actor, Start: testNow, Renderer: asciiRenderer()})
		b.Update(teaSize(120, 40))
		b.Update(startMsg{})
		press(b, "tab", "tab", "/", "acme", "enter", "tab")
		if !strings.Contains(b.View(), "caseboard") && !strings.Contains(b.View(), "00001") {
			t.Fatalf("round %d: no board:\n%s", round, b.View())
		}
		b.Close()
		b.Close() // twice: nothing more
		if sh.Boards() != 0 || sh.Views() != 0 {
			t.Fatalf("round %d (%s): %d boards, %d views left after the board ended", round, actor, sh.Boards(), sh.Views())
		}
	}
}

// TestSharedDeskConcurrentBoards: boards drawing and moving in their own
// goroutines while changes are applied (run with -race): every board ends
// on the last change, and none saw a torn desk.
func TestSharedDeskConcurrentBoards(t *testing.T) {
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 4096)
	sh := NewShared(fb, fb.p)
	defer sh.Stop()
	const boards, changes = 6, 60
	var wg sync.WaitGroup
	final := fmt.Sprintf("note %d", changes-1)
	errs := make(chan error, boards)
	target := fb.desk.LastSeq() + changes
	for i := 0; i < boards; i++ {
		b := newBoard(Options{Backend: fb, Policy: fb.p, Shared: sh, Actor: "maria", Start: testNow, Renderer: asciiRenderer()})
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer b.Close()
			b.Update(teaSize(120, 40))
			_, cmd := b.Update(startMsg{err: sh.Start()})
			_ = cmd
			deadline := time.After(20 * time.Second)
			for {
				// Every change is on the desk once its last event is.
				b.sh.mu.RLock()
				done := b.loaded && b.desk.LastSeq() >= target
				b.sh.mu.RUnlock()
				if done {
					return
				}
				got := make(chan tea.Msg, 1)
				go func() { got <- waitNotes(b.sub)() }()
				select {
				case msg := <-got:
					b.Update(msg)
				case <-deadline:
					errs <- fmt.Errorf("board %d did not see %s", i, final)
					return
				}
				for _, k := range []string{"j", "k", "tab"} {
					b.Update(keyOf(k))
				}
				_ = b.View()
				b.Update(tickMsg{gen: b.tickGen})
			}
		}(i)
	}
	for i := 0; i < changes; i++ {
		if _, err := fb.Do("maria", model.NoteCase{Number: 1002, Text: fmt.Sprintf("note %d", i)}, testNow); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if sh.Views() != 0 || sh.Boards() != 0 {
		t.Errorf("%d views, %d boards left", sh.Views(), sh.Boards())
	}
}

var _ tea.Model = (*board)(nil)

// TestSharedDeskBoardsShareAlikeViews: boards showing the same tab (two
// specialists of one region) hold one view of it on the shared index, not
// one each; a filter or another region is a view of its own, and a shared
// view outlives the first board that leaves it.
func TestSharedDeskBoardsShareAlikeViews(t *testing.T) {
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 64)
	fb.desk.Users["ann"] = &model.User{ID: "ann", Name: "Ann Lee", Role: model.Specialist, Region: model.NA}
	sh := NewShared(fb, fb.p)
	defer sh.Stop()
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	open := func(actor string) *board { return sharedBoard(fb, sh, actor, 120, 40) }
	sam, ann, lee := open("sam"), open("ann"), open("lee")
	if sam.q.v != ann.q.v {
		t.Error("two North America specialists on their region's tab hold two views of it")
	}
	if sam.q.v == lee.q.v {
		t.Error("an EMEA specialist shares North America's view")
	}
	if !strings.Contains(ann.View(), "Index rebuild stuck") || strings.Contains(lee.View(), "Index rebuild stuck") {
		t.Errorf("the region tabs show the wrong cases:\nann:\n%s\nlee:\n%s", ann.View(), lee.View())
	}
	press(ann, "/", "rebuild", "enter")
	if sam.q.v == ann.q.v {
		t.Error("a filtered view is shared with an unfiltered one")
	}
	sam.Close()
	press(ann, "/", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "enter")
	if _, err := fb.Do("maria", model.NewCase{Number: 2002, Account: "acme", Severity: 2, Title: "Shared view kept up", Contact: "Ana Ruiz"}, testNow); err != nil {
		t.Fatal(err)
	}
	msg := waitNotes(ann.sub)()
	ann.Update(msg)
	if !strings.Contains(ann.View(), "Shared view kept up") {
		t.Errorf("the view is not kept up once another board left it:\n%s", ann.View())
	}
	ann.Close()
	lee.Close()
	if sh.Views() != 0 || len(sh.keyed) != 0 {
		t.Errorf("%d registrations, %d shared views left", sh.Views(), len(sh.keyed))
	}
}

// TestSharedDeskRegionTabsOfAManager: on a holder's shared desk a North
// America manager's EMEA tab shows EMEA's cases, though a North America
// specialist's board holds North America's view (both are region tabs:
// the view is the tab's region's, not the user's).
func TestSharedDeskRegionTabsOfAManager(t *testing.T) {
	fb := newFakeBackend(testDesk(), model.DefaultPolicy(), 64)
	sh := NewShared(fb, fb.p)
	defer sh.Stop()
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	open := func(actor string) *board { return sharedBoard(fb, sh, actor, 160, 40) }
	sam, maria := open("sam"), open("maria")
	defer sam.Close()
	defer maria.Close()
	press(maria, "shift+tab") // All -> EMEA
	if !strings.Contains(tabsLine(maria), "[EMEA]") {
		t.Fatalf("maria's tabs: %s", tabsLine(maria))
	}
	v := maria.View()
	if !strings.Contains(v, "00001004") || strings.Contains(v, "Index rebuild stuck") {
		t.Errorf("maria's EMEA tab holds the wrong cases:\n%s", v)
	}
	if sam.q.v == maria.q.v {
		t.Error("the EMEA tab shares North America's view")
	}
}

// sharedBoard is a board on the holder's shared desk sh, started, at w x h
// (driven by direct Update calls, as the holder's feed would).
func sharedBoard(fb *fakeBackend, sh *Shared, actor string, w, h int) *board {
	b := newBoard(Options{Backend: fb, Policy: fb.p, Shared: sh, Actor: actor, Start: testNow, Renderer: asciiRenderer()})
	b.Update(teaSize(w, h))
	b.Update(startMsg{})
	return b
}
