package main

import (
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"caseboard/internal/bigdesk"
)

// TestSingleCaseCommandFlatInN: issue 25 asks that a command without a
// holder read only what it needs, so that `caseboard case show N` and
// `caseboard case note N` cost the same on a desk of 100,000 cases as on
// one of 10,000. The built binary runs each on both stores (bigdesk: a
// fifth closed, 60 accounts, 50 users), interleaved, best of five; the
// 100k/10k ratio of each must stay under 1.5. Before, both read the whole
// store: 1.1-1.5 s at 100k against about 0.2 s at 10k.
func TestSingleCaseCommandFlatInN(t *testing.T) {
	bin := buildBinary(t)
	small, large := filepath.Join(t.TempDir(), "10k"), filepath.Join(t.TempDir(), "100k")
	for dir, n := range map[string]int{small: 10000, large: 100000} {
		start := time.Now()
		if err := bigdesk.Build(dir, n); err != nil {
			t.Fatalf("build a %d-case store: %v", n, err)
		}
		t.Logf("%d cases imported in %v", n, time.Since(start).Round(time.Millisecond))
	}
	run := func(data string, args ...string) time.Duration {
		t.Helper()
		argv := append([]string{"--data", data, "--as", bigdesk.Manager, "--now", bigdesk.Now.Format(time.RFC3339)}, args...)
		cmd := exec.Command(bin, argv...)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		took := time.Since(start)
		if err != nil {
			t.Fatalf("caseboard %v: %v\n%s", args, err, out)
		}
		return took
	}
	show := []string{"case", "show", "5003"}
	note := []string{"case", "note", "5004", "Asked", "for", "the", "indexer", "logs"}
	// What a store's first commands settle (the tables the import left are
	// checked once and recorded) is not what every command costs.
	for _, dir := range []string{small, large} {
		run(dir, show...)
		run(dir, note...)
	}
	best := map[string]time.Duration{}
	keep := func(k string, d time.Duration) {
		if b, ok := best[k]; !ok || d < b {
			best[k] = d
		}
	}
	for r := 0; r < 5; r++ {
		keep("show 10k", run(small, show...))
		keep("show 100k", run(large, show...))
		keep("note 10k", run(small, note...))
		keep("note 100k", run(large, note...))
	}
	for _, c := range []string{"show", "note"} {
		s, l := best[c+" 10k"], best[c+" 100k"]
		ratio := float64(l) / float64(s)
		t.Logf("case %s: %v at 10k, %v at 100k: %.2fx", c, s.Round(time.Millisecond/10), l.Round(time.Millisecond/10), ratio)
		if ratio >= 1.5 {
			t.Errorf("case %s takes %v at 100k cases against %v at 10k (%.2fx): it should not grow with the desk (under 1.5x)",
				c, l.Round(time.Millisecond), s.Round(time.Millisecond), ratio)
		}
	}
}
