package serve_test

import (
	"testing"
	"time"
)

// TestSessionsComeAndGoLeaveNothing: every SSH board reads serve's one
// shared desk and keeps only its own views on it; boards that quit, or
// whose connection just drops, give their views back, round after round.
func TestSessionsComeAndGoLeaveNothing(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	sh := sv.Holding().Shared
	users := []string{"maria", "sam", "lee"}
	for round := 0; round < 3; round++ {
		var boards []*screen
		for i := 0; i < 6; i++ {
			b := openBoard(t, sv.Addr, d.keys[users[i%len(users)]])
			if !b.waitFor(0, boardUp, 10*time.Second) {
				t.Fatalf("round %d: board %d never came up:\n%s", round, i, b.since(0))
			}
			boards = append(boards, b)
		}
		if got := sh.Boards(); got != len(boards) {
			t.Fatalf("round %d: %d boards on the shared desk, want %d", round, got, len(boards))
		}
		for i, b := range boards {
			if i%2 == 0 {
				typeKeys(t, b, "\t", "/", "a", "c", "\r", "\t")
			}
		}
		for i, b := range boards {
			if i%2 == 0 {
				drain(t, b) // q: the board quits
			} else {
				b.close() // the connection drops
			}
		}
		deadline := time.Now().Add(10 * time.Second)
		for sh.Boards() != 0 || sh.Views() != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: after every session ended, %d boards and %d views are left on the shared desk", round, sh.Boards(), sh.Views())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
