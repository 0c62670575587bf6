package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// rssBound is the resident memory a huge import may leave the test
// process at: Badger's tables (about 60 MB, doc.go), the document and its
// parse, and the race detector's shadow memory when it is on.
func rssBound() int {
	if raceOn {
		return 2000
	}
	return 1200
}

// TestHugeTitleImport: a case whose title is 1 MB goes through a JSON
// import and back out through export unchanged, with memory in bounds.
func TestHugeTitleImport(t *testing.T) {
	s := openDir(t, t.TempDir()) // on disk: in memory, Badger refuses values over 4 KB
	defer s.Close()
	title := strings.Repeat("\x1b[2J0123456789abcdef", 1<<20/20)
	qt, _ := json.Marshal(title)
	doc := fmt.Sprintf(`{"users": [{"id": "maria", "name": "M", "role": "manager"}],
		"accounts": [{"id": "acme", "name": "Acme", "plan": "basic", "region": "na"}],
		"cases": [{"number": 1, "account": "acme", "severity": 3, "title": %s, "status": "new",
		           "opened_at": "2026-11-20T10:00:00-05:00"}]}`, qt)
	d, err := ParseDocument(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("a 1 MB title does not parse: %v", err)
	}
	if _, err := s.Import(d, "maria", t0); err != nil {
		t.Logf("a 1 MB title is refused: %v", err)
		if len(err.Error()) > 1000 || strings.Contains(err.Error(), "\n") {
			t.Fatalf("the refusal repeats the title: %d bytes", len(err.Error()))
		}
		return
	}
	c, err := s.Case(1)
	if err != nil || c.Title != title {
		t.Fatalf("the 1 MB title did not come back whole (%v)", err)
	}
	var out bytes.Buffer
	if err := s.ExportJSON(&out); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Cases []struct{ Title string } `json:"cases"`
	}
	if err := json.Unmarshal(out.Bytes(), &back); err != nil || len(back.Cases) != 1 || back.Cases[0].Title != title {
		t.Fatalf("export does not carry the 1 MB title exactly (%v)", err)
	}
	rss := int(vmRSS())
	t.Logf("1 MB title: imported, exported whole; VmRSS %d MB", rss)
	if rss > rssBound() {
		t.Fatalf("VmRSS %d MB after a 1 MB title, bound %d MB", rss, rssBound())
	}
}

// TestHugeCSVImport: a CSV of 100,000 case rows (20,000 under -race or
// -short) imports all or nothing, staged, with memory in bounds; the same
// file with one bad row at the end writes nothing.
func TestHugeCSVImport(t *testing.T) {
	n := 100000
	if testing.Short() || raceOn {
		n = 20000
	}
	var b strings.Builder
	b.WriteString("number,account,severity,title,status,opened_at\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,acct%d,%d,Something is wrong with index %d,new,2026-11-%02dT10:00:00Z\n", i, i%10, 1+i%4, i, 1+i%28)
	}
	data := b.String()
	base := bigDoc(0)
	s := openDir(t, t.TempDir()) // on disk, as the command line opens it
	defer s.Close()
	t.Logf("before: VmRSS %.0f MB", vmRSS())
	if _, err := s.Import(base, "maria", t0); err != nil {
		t.Fatal(err)
	}
	// One bad row at the very end: refused, nothing written.
	before := exportBytes(t, s)
	bad := data + fmt.Sprintf("%d,nobody,2,x,new,2026-11-20T10:00:00Z\n", n+1)
	if _, err := s.ImportCSV(strings.NewReader(bad), "maria", t0); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("row %d", n+2)) {
		t.Fatalf("a bad last row: %v", err)
	}
	if !bytes.Equal(before, exportBytes(t, s)) {
		t.Fatal("a refused 100,000-line import wrote something")
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	t.Logf("after the refused import: VmRSS %.0f MB, heap in use %d MB, VmHWM %s", vmRSS(), ms.HeapInuse>>20, procStatus("VmHWM"))
	start := time.Now()
	res, err := s.ImportCSV(strings.NewReader(data), "maria", t0)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	rss := int(vmRSS())
	t.Logf("after: heap in use %d MB, VmHWM %s", ms.HeapInuse>>20, procStatus("VmHWM"))
	t.Logf("%d-line CSV import: %d cases in %v (staged %v); VmRSS %d MB", n, res.Cases, time.Since(start).Round(time.Millisecond), res.Staged, rss)
	if res.Cases != n {
		t.Fatalf("%d cases imported of %d", res.Cases, n)
	}
	if rss > rssBound() {
		t.Fatalf("VmRSS %d MB after a %d-line import, bound %d MB", rss, n, rssBound())
	}
}

func procStatus(key string) string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key+":") {
			return strings.TrimSpace(strings.TrimPrefix(l, key+":"))
		}
	}
	return "?"
}

// TestHugeJSONImportBadLastRecord: a JSON document of 100,000 cases
// (20,000 under -race or -short) whose last case names an account that
// does not exist is refused whole, naming that record, and writes
// nothing (TestImportLarge imports such a document, staged).
func TestHugeJSONImportBadLastRecord(t *testing.T) {
	n := 100000
	if testing.Short() || raceOn {
		n = 20000
	}
	s := openDir(t, t.TempDir())
	defer s.Close()
	if _, err := s.Import(bigDoc(0), "maria", t0); err != nil {
		t.Fatal(err)
	}
	doc := bigDoc(n)
	doc.Users, doc.Accounts = nil, nil
	bad := doc.Cases[n-1]
	bad.Number, bad.Account = int64(n+1), "nobody"
	doc.Cases = append(doc.Cases, bad)
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	before := exportBytes(t, s)
	d, err := ParseDocument(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Import(d, "maria", t0)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("cases[%d].account", n)) {
		t.Fatalf("a bad last case: %v", err)
	}
	if !bytes.Equal(before, exportBytes(t, s)) {
		t.Fatal("a refused import of a big document wrote something")
	}
}
