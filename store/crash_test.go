package store

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

var crashRounds = flag.Int("crash.rounds", 30, "rounds of the crash tests")

const crashEnv = "CASEBOARD_CRASH_CHILD"

// TestCrashChild is the child of the crash tests: it runs only when
// re-executed with CASEBOARD_CRASH_CHILD=writes|mixed|import|import-pause and
// prints each acknowledged write to stdout.
func TestCrashChild(t *testing.T) {
	mode := os.Getenv(crashEnv)
	if mode == "" {
		t.Skip("the crash tests' child process")
	}
	dir := os.Getenv("CASEBOARD_CRASH_DIR")
	s, err := Open(Options{Dir: dir, Role: "command"})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	switch mode {
	case "mixed":
		crashMixedChild(s)
	case "restore":
		crashRestoreChild(s)
	case "bigtxns":
		crashBigTxnChild(s)
	case "writes":
		for {
			n, err := s.NextCaseNumber()
			if err != nil {
				fmt.Println("number:", err)
				os.Exit(3)
			}
			if _, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(n, "acme", t0), nil }); err != nil {
				fmt.Println("write:", err)
				os.Exit(3)
			}
			fmt.Printf("ok %d\n", n) // acknowledged: committed and synced
		}
	case "import", "import-pause":
		var o importOptions
		if mode == "import-pause" {
			o.written = func() error {
				fmt.Println("written")
				time.Sleep(time.Hour) // killed here: written, not committed
				return nil
			}
		}
		fmt.Println("importing")
		res, err := s.importDoc(bigDoc(crashImportSize()), "maria", t0, o)
		if err != nil {
			fmt.Println("import:", err)
			os.Exit(3)
		}
		fmt.Printf("imported staged=%v\n", res.Staged)
		time.Sleep(time.Hour)
	}
}

func crashImportSize() int {
	if raceOn {
		return 5000
	}
	return 20000
}

type child struct {
	cmd   *exec.Cmd
	lines chan string
}

func startChild(t *testing.T, dir, mode string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+mode, "CASEBOARD_CRASH_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, lines: make(chan string, 1<<16)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
	}()
	return c
}

func (c *child) kill() []string {
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Wait()
	var rest []string
	for l := range c.lines {
		rest = append(rest, l)
	}
	return rest
}

// TestCrashAcknowledgedWritesSurvive: a child writing cases is killed with
// SIGKILL at random moments; every write it acknowledged is there after,
// and no case number is handed out twice.
func TestCrashAcknowledgedWritesSurvive(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	acked := map[int64]bool{}
	for round := 0; round < *crashRounds; round++ {
		c := startChild(t, dir, "writes")
		// Wait for the first acknowledgement, then kill at a random moment.
		var lines []string
		select {
		case l, ok := <-c.lines:
			if !ok {
				t.Fatalf("round %d: child ended early", round)
			}
			lines = append(lines, l)
		case <-time.After(60 * time.Second):
			c.kill()
			t.Fatalf("round %d: child never wrote", round)
		}
		time.Sleep(time.Duration(rng.Intn(150)) * time.Millisecond)
		lines = append(lines, c.kill()...)
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) != 2 || f[0] != "ok" {
				t.Fatalf("round %d: child said %q", round, l)
			}
			n, _ := strconv.ParseInt(f[1], 10, 64)
			if acked[n] {
				t.Fatalf("round %d: case number %d handed out twice", round, n)
			}
			acked[n] = true
		}
		s := openDir(t, dir)
		for n := range acked {
			if _, err := s.Case(n); err != nil {
				t.Fatalf("round %d: acknowledged case %d lost: %v", round, n, err)
			}
		}
		evs, err := s.AllEvents()
		if err != nil || len(evs) < len(acked) {
			t.Fatalf("round %d: %d events for %d acknowledged cases (%v)", round, len(evs), len(acked), err)
		}
		for i, ev := range evs {
			if ev.Seq != int64(i+1) {
				t.Fatalf("round %d: event %d has seq %d", round, i, ev.Seq)
			}
		}
		s.Close()
	}
	t.Logf("%d rounds, %d acknowledged writes, all kept", *crashRounds, len(acked))
}

// TestCrashImportAllOrNothing: an import killed halfway leaves nothing
// visible: the next Open undoes it to the last key (no record, index,
// event, total or journal left); one killed after its commit point is
// there whole.
func TestCrashImportAllOrNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test")
	}
	rounds := max(3, *crashRounds/10)
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for round := 0; round <= rounds; round++ {
		dir := t.TempDir()
		mode := "import"
		if round == 0 {
			mode = "import-pause" // killed with every key written, before the commit
		}
		c := startChild(t, dir, mode)
		want := "importing"
		if mode == "import-pause" {
			want = "written"
		}
		var seen bool
		deadline := time.After(120 * time.Second)
		for !seen {
			select {
			case l, ok := <-c.lines:
				if !ok {
					t.Fatalf("round %d: child ended early", round)
				}
				seen = l == want
			case <-deadline:
				c.kill()
				t.Fatalf("round %d: child never said %q", round, want)
			}
		}
		if mode == "import" {
			time.Sleep(time.Duration(rng.Intn(crashImportSize()/10)) * time.Millisecond)
		}
		rest := c.kill()
		done := false
		for _, l := range rest {
			if strings.HasPrefix(l, "imported") {
				done = true
				if l != "imported staged=true" {
					t.Fatalf("the crash import fit one transaction: %s", l)
				}
			}
		}
		s := openDir(t, dir)
		cases, err := s.Cases()
		if err != nil {
			t.Fatal(err)
		}
		n := crashImportSize()
		switch {
		case len(cases) == 0 && mode == "import-pause":
		case len(cases) == 0 && !done:
		case len(cases) == n:
		default:
			t.Fatalf("round %d (%s): %d of %d cases visible after a killed import (acknowledged %v)", round, mode, len(cases), n, done)
		}
		if len(cases) == 0 {
			if left := importKeysLeft(t, s); left != "" {
				t.Fatalf("round %d (%s): after the undo the store still holds %s", round, mode, left)
			}
		}
		if len(cases) == n {
			if next, _ := s.NextCaseNumber(); next <= int64(n) {
				t.Fatalf("round %d: next case number %d after the import", round, next)
			}
		}
		t.Logf("round %d (%s): %d cases visible", round, mode, len(cases))
		s.Close()
	}
}

// TestOpenAfterCrashInMemtableCreation: a process killed between creating
// a memtable file and sizing it leaves a zero-length .mem file; the store
// must still open, with every write it had.
func TestOpenAfterCrashInMemtableCreation(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir)
	ch, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(7, "acme", t0), nil })
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// What a kill -9 at the wrong instant leaves behind.
	if err := os.WriteFile(filepath.Join(dir, "00099.mem"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s = openDir(t, dir)
	defer s.Close()
	if _, err := s.Case(ch.Cases[0].Number); err != nil {
		t.Fatalf("the case written before the crash: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "00099.mem")); err == nil {
		t.Error("the empty memtable file is still there")
	}
}

// importKeysLeft names what is left of an undone import in a store that
// held nothing before it: any key but the schema record, the auto-close
// index's policy and the number sequences; "" when there is none.
func importKeysLeft(t *testing.T, s *Store) string {
	t.Helper()
	left := map[string]int{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := string(it.Item().Key())
			if k == kSchema || k == kAutoClose || strings.HasPrefix(k, "seq/") {
				continue
			}
			left[string(keyPrefix([]byte(k)))]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for p, n := range left {
		out = append(out, fmt.Sprintf("%d keys under %q", n, p))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
