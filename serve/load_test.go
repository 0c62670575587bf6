package serve_test

import (
	"sort"
	"sync"
	"testing"
	"time"
)

// TestFiftyBoards connects 50 boards at once and makes one change: it must
// reach all 50 screens. The delays are reported, not asserted. Not
// parallel: it is the package's heavy test.
func TestFiftyBoards(t *testing.T) {
	if testing.Short() {
		t.Skip("50 SSH sessions")
	}
	const n = 50
	d := setupDesk(t, nil)
	sv := startServe(t, d, n+8)
	users := []string{"maria", "sam", "lee"} // North America: their start view shows 1042
	boards := make([]*screen, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range boards {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			boards[i] = openBoard(t, sv.Addr, d.keys[users[i%len(users)]])
		}(i)
	}
	wg.Wait()
	for i, b := range boards {
		if !b.waitFor(0, boardUp, 20*time.Second) {
			t.Fatalf("board %d never came up:\n%s", i, b.since(0))
		}
	}
	t.Logf("%d boards up in %s", n, time.Since(start).Round(time.Millisecond))
	time.Sleep(300 * time.Millisecond)
	marks := make([]int, n)
	for i, b := range boards {
		marks[i] = b.mark()
	}
	changed := time.Now()
	if r := sshRun(t, sv.Addr, d.keys["sam"], "", "case", "take", "1042"); r.code != 0 {
		t.Fatalf("case take over SSH: %+v", r)
	}
	acked := time.Since(changed)
	delays := make([]time.Duration, n)
	missed := 0
	var mu sync.Mutex
	for i, b := range boards {
		wg.Add(1)
		go func(i int, b *screen) {
			defer wg.Done()
			deadline := changed.Add(15 * time.Second)
			for time.Now().Before(deadline) {
				if ownerOf1042.MatchString(b.since(marks[i])) {
					delays[i] = time.Since(changed)
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
			mu.Lock()
			missed++
			mu.Unlock()
		}(i, b)
	}
	wg.Wait()
	if missed > 0 {
		t.Fatalf("%d of %d boards did not show the change", missed, n)
	}
	sort.Slice(delays, func(a, b int) bool { return delays[a] < delays[b] })
	t.Logf("change acknowledged after %s; seen on %d screens: p50 %s, p99 %s, max %s (from sending the command, 5ms polling)",
		acked.Round(time.Millisecond), n, delays[n/2].Round(time.Millisecond),
		delays[n*99/100].Round(time.Millisecond), delays[n-1].Round(time.Millisecond))
}
