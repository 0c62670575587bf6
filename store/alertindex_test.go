package store

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// raiseMany stores n alerts, in raises of 250 (as ticks would; small
// enough for one transaction with a few hooks).
func raiseMany(t testing.TB, s *Store, from, n int) {
	t.Helper()
	for done := 0; done < n; {
		var as []model.Alert
		for i := 0; i < 250 && done < n; i++ {
			done++
			k := from + done
			as = append(as, model.Alert{ID: fmt.Sprintf("breached/%08d/initial-response/1780000000/breached", k),
				Kind: model.AlertBreached, At: t0, Case: int64(k), Severity: 2, Region: model.NA, Account: "acme",
				Text: fmt.Sprintf("Case %08d breached its initial response", k), For: model.Audience{Roles: []model.Role{model.Manager}}})
		}
		if err := s.db.Update(func(txn *badger.Txn) error { _, err := raise(txn, as, t0); return err }); err != nil {
			t.Fatal(err)
		}
	}
}

func recentIs(t *testing.T, s *Store, n int, all []model.Alert, what string) {
	t.Helper()
	got, err := s.RecentAlerts(n)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	want := all[max(0, len(all)-n):]
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: RecentAlerts(%d) gives %d alerts, want the newest %d of %d in raise order", what, n, len(got), len(want), len(all))
	}
}

// TestRecentAlertsReadsTheNewest: a board asks for the newest 500 alerts;
// with 5,000 raised it gets exactly the last 500 of every alert in raise
// order, by key (aq/), and all of them when it asks for more.
func TestRecentAlertsReadsTheNewest(t *testing.T) {
	s := openMem(t)
	raiseMany(t, s, 0, 5000)
	all, err := s.Alerts()
	if err != nil || len(all) != 5000 {
		t.Fatalf("%d alerts, %v", len(all), err)
	}
	for _, n := range []int{1, 500, 4999, 5000, 9000} {
		recentIs(t, s, n, all, "indexed")
	}
	if got, err := s.RecentAlerts(0); err != nil || len(got) != 0 {
		t.Fatalf("RecentAlerts(0): %d %v", len(got), err)
	}
	// Acknowledgements: of the newest 500 only, in raise order; one old
	// ack among them is not read.
	var want []string
	for _, i := range []int{10, 4600, 4999, 4500, 4700} {
		if err := s.Ack("maria", all[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, i := range []int{4500, 4600, 4700, 4999} {
		want = append(want, all[i].ID)
	}
	if got, err := s.RecentAcks("maria", 500); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("RecentAcks(maria, 500) = %v %v, want %v", got, err, want)
	}
	if got, err := s.RecentAcks("sam", 500); err != nil || len(got) != 0 {
		t.Fatalf("sam's acks: %v %v", got, err)
	}
}

// TestOldStoreGetsTheAlertIndex: a store of schema 3 (alerts, no aq/)
// opened by a command that only reads answers RecentAlerts from every
// alert and is left as it is; the first open that may act builds the
// index and raises the schema; alerts raised after come last.
func TestOldStoreGetsTheAlertIndex(t *testing.T) {
	dir := t.TempDir() + "/desk"
	s := openDir(t, dir)
	raiseMany(t, s, 0, 1200)
	all, err := s.Alerts()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.deleteKeys(pAlertSeq); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set([]byte(kSchema), encInt(3)) }); err != nil {
		t.Fatal(err)
	}
	s.Close()

	r, err := Open(Options{Dir: dir, Role: "command", Read: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.aqReady.Load() {
		t.Fatal("a read open of schema 3 takes the index for complete")
	}
	recentIs(t, r, 500, all, "schema 3, read open")
	if schemaOf(t, r) != 3 {
		t.Fatalf("a read open changed the schema to %d", schemaOf(t, r))
	}
	r.Close()

	s = openDir(t, dir)
	defer s.Close()
	if schemaOf(t, s) != SchemaVersion || !s.aqReady.Load() {
		t.Fatalf("schema %d after the open that may act (index ready %v)", schemaOf(t, s), s.aqReady.Load())
	}
	recentIs(t, s, 500, all, "index built")
	raiseMany(t, s, 1200, 30)
	all, err = s.Alerts()
	if err != nil {
		t.Fatal(err)
	}
	recentIs(t, s, 500, all, "raised after the build")
}

// BenchmarkRecentAlerts: a board's start on a store holding 200,000
// alerts (a busy year): the newest 500 by key against every alert.
func BenchmarkRecentAlerts(b *testing.B) {
	s := openDir(b, b.TempDir()+"/desk")
	defer s.Close()
	raiseMany(b, s, 0, 200_000)
	b.ResetTimer()
	var all, recent float64
	for i := 0; i < b.N; i++ {
		all += timeIt(func() {
			if _, err := s.Alerts(); err != nil {
				b.Fatal(err)
			}
		})
		recent += timeIt(func() {
			if as, err := s.RecentAlerts(500); err != nil || len(as) != 500 {
				b.Fatalf("%d %v", len(as), err)
			}
		})
	}
	b.ReportMetric(all/float64(b.N), "every-ms")
	b.ReportMetric(recent/float64(b.N), "newest500-ms")
	b.ReportMetric(0, "ns/op")
}

// timeIt is how long f takes, in milliseconds.
func timeIt(f func()) float64 {
	start := time.Now()
	f()
	return float64(time.Since(start).Microseconds()) / 1000
}
