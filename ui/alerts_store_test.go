package ui_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"caseboard/model"
	"caseboard/ui"
)

// bellTerm counts the BELs a board rings.
type bellTerm struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *bellTerm) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *bellTerm) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), "\a")
}

// waitBells waits until the board rang n times.
func waitBells(t *testing.T, b *bellTerm, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for b.count() < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := b.count(); got != n {
		t.Fatalf("rang %d times, want %d", got, n)
	}
}

// TestAlertOnStoreRingsOnceAcrossRestart: on a real store, a case opened
// by someone else raises a new-case alert; maria's board rings once and
// counts it, x in the list stores her ack, and a board started again on
// the store shows it acknowledged and rings nothing.
func TestAlertOnStoreRingsOnceAcrossRestart(t *testing.T) {
	st := openStore(t)
	bell := &bellTerm{}
	tm := startBoard(t, st, ui.Options{Actor: "maria", Bell: bell})
	waitOut(t, tm, "(maria)")
	if _, err := st.Do("sam", model.NewCase{Account: "acme", Severity: 2, Title: "Facets gone", Contact: "Ana Ruiz"}, ui.TestNow); err != nil {
		t.Fatal(err)
	}
	waitOut(t, tm, "! 1 alert")
	waitBells(t, bell, 1)
	tm.Send(ui.KeyOf("!"))
	waitOut(t, tm, "Facets gone")
	tm.Send(ui.KeyOf("x"))
	waitOut(t, tm, "acknowledged new-case/")
	quit(t, tm)
	acks, err := st.Acks("maria")
	if err != nil || len(acks) != 1 || !strings.HasPrefix(acks[0], "new-case/") {
		t.Fatalf("stored acks %q, %v", acks, err)
	}
	if bell.count() != 1 {
		t.Fatalf("rang %d times, want once", bell.count())
	}

	again := &bellTerm{}
	tm = startBoard(t, st, ui.Options{Actor: "maria", Bell: again})
	waitOut(t, tm, "(maria)")
	tm.Send(ui.KeyOf("!"))
	waitOut(t, tm, "✓", "0 of 1")
	quit(t, tm)
	if again.count() != 0 {
		t.Fatalf("the board started again rang %d times for an acknowledged alert", again.count())
	}
}
