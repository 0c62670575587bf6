package store

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// importChildEnv makes a re-executed test binary the measured import:
// KIND:DIR:FILE, KIND json (ImportJSON, as `caseboard import desk.json`
// does) or csv (ImportCSV).
const importChildEnv = "CASEBOARD_IMPORT_CHILD"

// importChild imports FILE into a new store in DIR (holding bigDoc(0)'s
// users and accounts) and prints what it took: wall time, bytes
// allocated, the peak of the heap's objects and of its live part after a
// collection (sampled every 10 ms), and of the resident memory (VmHWM).
func importChild(spec string) {
	kind, rest, _ := strings.Cut(spec, ":")
	dir, file, _ := strings.Cut(rest, ":")
	s, err := Open(Options{Dir: dir, Role: "command"})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	if _, err := s.Import(bigDoc(0), "maria", t0); err != nil {
		fmt.Println("base:", err)
		os.Exit(3)
	}
	runtime.GC()
	var peak, live, checkLive uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the live heap's peak
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		for {
			metrics.Read(sample)
			mu.Lock()
			peak = max(peak, sample[0].Value.Uint64())
			live = max(live, sample[1].Value.Uint64())
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	f, err := os.Open(file)
	if err != nil {
		fmt.Println("open file:", err)
		os.Exit(3)
	}
	var res ImportResult
	// The live heap's peak while the document was read and checked, up
	// to the write.
	o := importOptions{checked: func() {
		mu.Lock()
		checkLive = live
		mu.Unlock()
	}}
	if kind == "csv" {
		res, err = s.importCSV(bufio.NewReader(f), "maria", t0, o)
	} else {
		res, err = s.importJSON(f, "maria", t0, o) // as `caseboard import desk.json` does
	}
	ms := float64(time.Since(start).Microseconds()) / 1000
	close(stop)
	wg.Wait()
	runtime.ReadMemStats(&after)
	if err != nil {
		fmt.Println("import:", err)
		os.Exit(3)
	}
	gcCPU := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"}}
	metrics.Read(gcCPU)
	fmt.Printf("importchild ms=%.0f alloc=%.0f heap=%.0f live=%.0f checklive=%.0f hwm=%.0f cases=%d gcs=%d gccpu=%.1f cpu=%.1f\n", ms,
		float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), float64(peak)/(1<<20), float64(live)/(1<<20),
		float64(checkLive)/(1<<20), procMB("VmHWM"), res.Cases,
		after.NumGC-before.NumGC, gcCPU[0].Value.Float64(), gcCPU[1].Value.Float64())
	s.Close()
	os.Exit(0)
}

// bigImportFiles writes a 100,000-case import (n cases) as a JSON
// document (no events: each case gets its imported event) and as a CSV.
func bigImportFiles(t testing.TB, n int) (jsonFile, csvFile string) {
	t.Helper()
	dir := t.TempDir()
	doc := bigDoc(n)
	doc.Users, doc.Accounts = nil, nil // the child's store holds them
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	jsonFile, csvFile = filepath.Join(dir, "desk.json"), filepath.Join(dir, "cases.csv")
	if err := os.WriteFile(jsonFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString("number,account,severity,title,status,owner,opened_at,closed_at,close_reason\n")
	for _, c := range doc.Cases {
		owner, closed, reason := "", "", ""
		if c.Owner != nil {
			owner = *c.Owner
		}
		if c.ClosedAt != nil {
			closed, reason = *c.ClosedAt, *c.CloseReason
		}
		fmt.Fprintf(&sb, "%d,%s,%d,%s,%s,%s,%s,%s,%s\n", c.Number, c.Account, c.Severity, c.Title, c.Status, owner, c.OpenedAt, closed, reason)
	}
	if err := os.WriteFile(csvFile, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return jsonFile, csvFile
}

// runImportChild runs one measured import in a process of its own.
func runImportChild(t testing.TB, bench, kind, file string) map[string]float64 {
	t.Helper()
	run := "-test.run=^$"
	args := []string{run, "-test.bench=^" + bench + "$", "-test.benchtime=1x", "-test.count=1"}
	if !strings.HasPrefix(bench, "Benchmark") {
		args = []string{"-test.run=^" + bench + "$", "-test.count=1"}
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), importChildEnv+"="+kind+":"+t.TempDir()+":"+file)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	got := map[string]float64{}
	for _, l := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(l, "importchild "); ok {
			for _, f := range strings.Fields(rest) {
				k, v, _ := strings.Cut(f, "=")
				got[k], _ = strconv.ParseFloat(v, 64)
			}
		}
	}
	if err != nil || got["cases"] == 0 {
		t.Fatalf("the measured %s import failed (%v): %s", kind, err, out)
	}
	return got
}

// BenchmarkImport100k: a 100,000-case import into a store on disk, as
// `caseboard import` runs it, each in a fresh process (this binary
// re-executed) so that its resident memory is the import's alone: the
// JSON document (parsed, checked, staged, published) and the same cases
// as CSV (read row by row), one kind per round, in turn. Reports per kind
// the best time, the bytes allocated, the peak live heap and the peak
// resident memory (VmHWM). Goals (issue 25): under 10 s and under 200 MB
// resident.
func BenchmarkImport100k(b *testing.B) {
	if spec := os.Getenv(importChildEnv); spec != "" {
		importChild(spec)
		return
	}
	jsonFile, csvFile := bigImportFiles(b, 100000)
	best := map[string]map[string]float64{}
	i := 0
	for b.Loop() {
		kind, file := "json", jsonFile
		if i%2 == 1 {
			kind, file = "csv", csvFile
		}
		i++
		got := runImportChild(b, "BenchmarkImport100k", kind, file)
		if got["cases"] != 100000 {
			b.Fatalf("%s: %v cases imported", kind, got["cases"])
		}
		if prev, ok := best[kind]; !ok || got["ms"] < prev["ms"] {
			best[kind] = got
		}
	}
	for kind, got := range best {
		b.ReportMetric(got["ms"]/1000, kind+"-s")
		b.ReportMetric(got["alloc"], kind+"-alloc-MB")
		b.ReportMetric(got["heap"], kind+"-peak-heap-MB")
		b.ReportMetric(got["live"], kind+"-peak-live-MB")
		b.ReportMetric(got["checklive"], kind+"-check-peak-live-MB")
		b.ReportMetric(got["hwm"], kind+"-VmHWM-MB")
	}
}

// TestBigImportMemoryBounded: a 100,000-case CSV import (20,000 under
// -race), in a process of its own, stays within a resident-memory bound
// the imports before went far past (VmHWM 650-780 MB before issue 25:
// every row, then every record, the plan's second copy of the cases and
// 100,000 imported events held at once, and the published import read
// back through the staged tables; 418-509 MB with the staged import: its
// plan held while Badger wrote it twice, 64 MB table builders).
func TestBigImportMemoryBounded(t *testing.T) {
	if spec := os.Getenv(importChildEnv); spec != "" {
		importChild(spec)
		return
	}
	// 165-210 MB alone (the heap held to the live heap + 140 MB).
	n, bound := 100000, 260.0
	if raceOn {
		n, bound = 20000, 2000 // the race detector's shadow memory
	}
	_, csvFile := bigImportFiles(t, n)
	got := runImportChild(t, "TestBigImportMemoryBounded", "csv", csvFile)
	t.Logf("%d-case CSV import: %.1f s, %.0f MB allocated, live heap peak %.0f MB, VmHWM %.0f MB",
		n, got["ms"]/1000, got["alloc"], got["heap"], got["hwm"])
	if got["cases"] != float64(n) {
		t.Fatalf("%v cases imported of %d", got["cases"], n)
	}
	if got["hwm"] > bound {
		t.Fatalf("VmHWM %.0f MB for a %d-case import, bound %.0f MB", got["hwm"], n, bound)
	}
}
