package store

import (
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/model"
)

// vmRSS is the process's resident memory in MB (Linux), or -1.
func vmRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}

// BenchmarkDurableUpdate: one case updated per write, synced to disk;
// reports the latency percentiles of the acknowledged writes.
func BenchmarkDurableUpdate(b *testing.B) {
	s := openDir(b, b.TempDir())
	defer s.Close()
	if _, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(1, "acme", t0), nil }); err != nil {
		b.Fatal(err)
	}
	const perOp = 100
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < perOp; j++ {
			start := time.Now()
			_, err := s.Apply(func(v model.View) (*model.Change, error) {
				c, _ := v.Case(1)
				c.Title = "update " + strconv.Itoa(j)
				return &model.Change{Cases: []model.Case{c}, Events: []model.Event{{At: t0, Actor: "sam", Case: 1, Kind: "noted"}}}, nil
			})
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
