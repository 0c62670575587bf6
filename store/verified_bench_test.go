package store

import (
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var benchOpenCases = flag.Int("bench.open.cases", 20000, "cases in BenchmarkOpenVerified's store")

// BenchmarkOpenVerified: the check Open runs before Badger opens a store
// of -bench.open.cases cases (20,000 by default; 100,000 for the issue's
// figure), with no record (every table's checksums read: the first open)
// and with every table recorded (the second open), and Open+Close itself
// both ways (a command's close writes, and its compaction may make new
// tables that the next open reads in full).
func BenchmarkOpenVerified(b *testing.B) {
	dir := b.TempDir()
	s := openDir(b, dir)
	if _, err := s.Import(bigDoc(*benchOpenCases), "maria", t0); err != nil {
		b.Fatal(err)
	}
	s.Close()
	bo := badgerOptions(Options{Dir: dir}, slog.New(slog.DiscardHandler))
	tables, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
	var size int64
	for _, f := range tables {
		if fi, err := os.Stat(f); err == nil {
			size += fi.Size()
		}
	}
	record := filepath.Join(dir, verifiedName)
	timed := func(f func()) float64 {
		start := time.Now()
		f()
		return float64(time.Since(start).Microseconds()) / 1000
	}
	check := func() {
		if _, err := verifyUnlocked(dir, bo); err != nil {
			b.Fatal(err)
		}
	}
	open := func() {
		s := openDir(b, dir)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	// Tables are recorded once their last change is a tick old.
	time.Sleep(100 * time.Millisecond)
	var full, recorded, open1, open2 float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		os.Remove(record)
		full += timed(check)
		recorded += timed(check)
		os.Remove(record)
		open1 += timed(open)
		time.Sleep(60 * time.Millisecond) // (the tables the close made settle)
		open2 += timed(open)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(full/n, "check-first-ms")
	b.ReportMetric(recorded/n, "check-second-ms")
	b.ReportMetric(open1/n, "open-first-ms")
	b.ReportMetric(open2/n, "open-second-ms")
	b.ReportMetric(float64(len(tables)), "tables")
	b.ReportMetric(float64(size)/(1<<20), "tables-MB")
}
