package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

// openChildEnv makes BenchmarkOpen100k's own re-executed process the
// measured one: it opens the store named by the variable, loads the desk
// and prints what it took.
const openChildEnv = "CASEBOARD_OPEN_CHILD"

// procKB is a /proc/self/status figure (VmRSS, VmHWM) in MB, or -1.
func procMB(key string) float64 {
	f := strings.Fields(procStatus(key))
	if len(f) == 0 {
		return -1
	}
	kb, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return kb / 1024
}

// openWholeEnv makes the measured process load the desk whole, closed
// cases too (LoadWholeDesk, the load before issue 25's last part): the
// figure to compare with.
const openWholeEnv = "CASEBOARD_OPEN_WHOLE"

// openChild is the measured process: Open + LoadDesk, as a board starts.
func openChild(b *testing.B, dir string) {
	start := time.Now()
	s, err := Open(Options{Dir: dir, Role: "board", HeldWait: 10 * time.Second})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	opened := float64(time.Since(start).Microseconds()) / 1000
	load := s.LoadDesk
	if os.Getenv(openWholeEnv) != "" {
		load = s.LoadWholeDesk
	}
	d, err := load()
	if err != nil {
		fmt.Println("load:", err)
		os.Exit(3)
	}
	ms := float64(time.Since(start).Microseconds()) / 1000
	hwm := procMB("VmHWM")
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	runtime.KeepAlive(d)
	anon, file, rss := strings.Fields(procStatus("RssAnon"))[0], strings.Fields(procStatus("RssFile"))[0], procMB("VmRSS")
	// Counted after the figures: the closed cases are read from disk.
	cases, open := 0, 0
	if err := d.EachCase(func(c *model.Case, _ []model.Escalation) bool {
		cases++
		if c.IsOpen() {
			open++
		}
		return true
	}); err != nil {
		fmt.Println("count:", err)
		os.Exit(3)
	}
	fmt.Printf("openchild openms=%.1f anon=%s file=%s ms=%.1f hwm=%.1f rss=%.1f heap=%.1f alloc=%.1f cases=%d open=%d inmemory=%d\n",
		opened, anon, file, ms, hwm, rss, float64(m.HeapInuse)/(1<<20), float64(m.TotalAlloc)/(1<<20), cases, open, len(d.Cases))
	s.Close()
	os.Exit(0)
}

// BenchmarkOpen100k: a board's start on a 100,000-case store (80,000
// open): Open and LoadDesk in a fresh process of their own (this test
// binary re-executed), so that its resident memory is the start's alone
// and not what building the store left behind. Reports the time to a
// loaded desk (best and median of the rounds, after one round that
// records the tables' checksums and one while Badger still compacts what
// the import left, whose VmHWM is reported on its own), the peak resident
// memory (VmHWM: median and highest), the heap in use after a GC and the
// bytes allocated by the start. Goals (issue 25): under 300 ms and under
// 100 MB resident.
func BenchmarkOpen100k(b *testing.B) {
	if dir := os.Getenv(openChildEnv); dir != "" {
		openChild(b, dir)
		return
	}
	dir := b.TempDir()
	s := openDir(b, dir)
	if _, err := s.Import(bigDoc(100000), "maria", t0); err != nil {
		b.Fatal(err)
	}
	s.Close()
	benchOpen(b, dir, "^BenchmarkOpen100k$", 100000, 80000)
}

// BenchmarkOpen100kWith200kClosed: the start of BenchmarkOpen100k on a
// store with 100,000 open cases and 200,000 closed ones (three imports of
// 100,000), once as a board starts (the closed cases stay on disk) and
// once loading them all (CASEBOARD_OPEN_WHOLE, the load before): the
// start's cost must not grow with the closed count.
func BenchmarkOpen100kWith200kClosed(b *testing.B) {
	if dir := os.Getenv(openChildEnv); dir != "" {
		openChild(b, dir)
		return
	}
	// CASEBOARD_BENCH_CLOSED=0 leaves the closed cases out: the same
	// start on 100,000 open cases alone, to compare.
	closedParts := 2
	if v := os.Getenv("CASEBOARD_BENCH_CLOSED"); v != "" {
		closedParts, _ = strconv.Atoi(v)
		closedParts = min(max(closedParts/100000, 0), 2)
	}
	dir := b.TempDir()
	s := openDir(b, dir)
	for part := 2 - closedParts; part < 3; part++ {
		if _, err := s.Import(mixedDoc(part, 100000, part == 2-closedParts), "maria", t0); err != nil {
			b.Fatal(err)
		}
	}
	s.Close()
	name := "^BenchmarkOpen100kWith200kClosed$"
	if os.Getenv(openWholeEnv) != "" {
		b.Logf("%s set: every case is loaded (the load before)", openWholeEnv)
	}
	b.Logf("%d closed cases", closedParts*100000)
	benchOpen(b, dir, name, float64(100000+closedParts*100000), 100000)
}

// mixedDoc is part (0, 1, 2) of a 300,000-case desk: parts 0 and 1 hold
// closed cases, part 2 open ones (bigDoc's mix of new and assigned);
// the first imported also holds the accounts and users.
func mixedDoc(part, n int, first bool) *model.Document {
	doc := bigDoc(n)
	if !first {
		doc.Accounts, doc.Users = nil, nil
	}
	reason := "resolved"
	owner := "sam"
	for i := range doc.Cases {
		c := &doc.Cases[i]
		c.Number += int64(part * n)
		opened, _ := time.Parse(time.RFC3339, c.OpenedAt)
		opened = opened.Add(time.Duration(part*n) * time.Minute)
		c.OpenedAt = opened.Format(time.RFC3339)
		if part < 2 {
			closed := opened.Add(time.Hour).Format(time.RFC3339)
			c.Status, c.Owner, c.ClosedAt, c.CloseReason = "closed", &owner, &closed, &reason
		} else if c.Status == "closed" {
			c.Status, c.ClosedAt, c.CloseReason = "new", nil, nil
		}
	}
	return doc
}

// benchOpen measures starts on the store in dir, each in this test binary
// re-executed as bench (its openChild), checking the desk's case counts.
func benchOpen(b *testing.B, dir, bench string, wantCases, wantOpen float64) {
	time.Sleep(100 * time.Millisecond) // tables are recorded once a tick old (verified.go)
	run := func() map[string]float64 {
		cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench="+bench, "-test.benchtime=1x", "-test.count=1")
		cmd.Env = append(os.Environ(), openChildEnv+"="+dir)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		got := map[string]float64{}
		var lines []string
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			l := sc.Text()
			lines = append(lines, l)
			if rest, ok := strings.CutPrefix(l, "openchild "); ok {
				for _, f := range strings.Fields(rest) {
					k, v, _ := strings.Cut(f, "=")
					got[k], _ = strconv.ParseFloat(v, 64)
				}
			}
		}
		if err := cmd.Wait(); err != nil || got["cases"] != wantCases || got["open"] != wantOpen {
			b.Fatalf("the measured start failed (%v): %s", err, strings.Join(lines, "\n"))
		}
		return got
	}
	first := run()  // records the tables' checksums (verified.go)
	settle := run() // Badger still compacts what the import and the first open left
	var times, hwms []float64
	var hwm, rss, heap, alloc, inMemory float64
	for b.Loop() {
		for range 3 {
			got := run()
			b.Logf("start: %.0f ms (Open %.0f ms), VmHWM %.1f MB, heap in use %.1f MB, %.0f MB allocated, %.0f cases in memory", got["ms"], got["openms"], got["hwm"], got["heap"], got["alloc"], got["inmemory"])
			times, hwms = append(times, got["ms"]), append(hwms, got["hwm"])
			hwm, rss = max(hwm, got["hwm"]), max(rss, got["rss"])
			heap, alloc = max(heap, got["heap"]), max(alloc, got["alloc"])
			inMemory = got["inmemory"]
		}
	}
	sort.Float64s(times)
	sort.Float64s(hwms)
	b.ReportMetric(times[0], "best-ms")
	b.ReportMetric(times[len(times)/2], "median-ms")
	b.ReportMetric(first["ms"], "first-open-ms")
	b.ReportMetric(settle["hwm"], "settling-open-VmHWM-MB")
	b.ReportMetric(hwms[len(hwms)/2], "median-VmHWM-MB")
	b.ReportMetric(hwm, "VmHWM-MB")
	b.ReportMetric(rss, "VmRSS-MB")
	b.ReportMetric(heap, "heap-inuse-MB")
	b.ReportMetric(alloc, "alloc-MB")
	b.ReportMetric(inMemory, "cases-in-memory")
}
