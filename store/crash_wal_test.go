package store

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Each transaction of the bigtxns child: walBigKeys values of walBigValue
// bytes (kept in the memtable log: below the 4 KB value threshold), so
// that the copy into the log takes long enough for a kill to land inside
// a transaction, now and then inside an entry.
const (
	walBigKeys  = 40
	walBigValue = 3000
)

func walBigKey(i, j int) []byte { return []byte(fmt.Sprintf("zz/big/%06d/%02d", i, j)) }

func walBigVal(i, j int) []byte {
	return bytes.Repeat([]byte(fmt.Sprintf("%06d.%02d;", i, j)), walBigValue/10)
}

// crashBigTxnChild writes transactions after the last one in the store
// and prints each one acknowledged.
func crashBigTxnChild(s *Store) {
	i := 0
	_ = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("zz/big/"), Reverse: true})
		defer it.Close()
		for it.Seek([]byte("zz/big/~")); it.Valid(); it.Next() {
			i, _ = strconv.Atoi(strings.Split(string(it.Item().Key()), "/")[2])
			i++
			break
		}
		return nil
	})
	for ; ; i++ {
		if err := s.db.Update(func(txn *badger.Txn) error {
			for j := 0; j < walBigKeys; j++ {
				if err := txn.Set(walBigKey(i, j), walBigVal(i, j)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			fmt.Println("write:", err)
			os.Exit(3)
		}
		fmt.Printf("ok %d\n", i)
	}
}

// TestCrashTornWALNeverRefused: a child writing big transactions is killed
// with SIGKILL after a random number (1 to 8) of acknowledged ones;
// whatever the kill left in the memtable log (a clean end, a transaction
// cut short, an entry cut short), the store opens (never "damaged") with
// every acknowledged transaction whole. The rounds (-crash.rounds, else
// 10) are counted by what the log held.
func TestCrashTornWALNeverRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	acked := map[int]bool{}
	left := map[string]int{}
	rounds := crashMixedRounds()
	for round := 0; round < rounds; round++ {
		c := startChild(t, dir, "bigtxns")
		want := 1 + rng.Intn(8)
		var lines []string
		deadline := time.After(60 * time.Second)
		for len(lines) < want {
			select {
			case l, ok := <-c.lines:
				if !ok {
					t.Fatalf("round %d: child ended early: %q", round, lines)
				}
				lines = append(lines, l)
			case <-deadline:
				c.kill()
				t.Fatalf("round %d: child wrote %d of %d", round, len(lines), want)
			}
		}
		lines = append(lines, c.kill()...)
		for _, l := range lines {
			f := strings.Fields(l)
			n, err := strconv.Atoi(f[len(f)-1])
			if len(f) != 2 || f[0] != "ok" || err != nil {
				t.Fatalf("round %d: child said %q", round, l)
			}
			acked[n] = true
		}
		left[walLeft(t, dir)]++
		s, err := Open(Options{Dir: dir, Role: "command"})
		if err != nil {
			t.Fatalf("round %d: after the kill: %v", round, err)
		}
		if err := s.db.View(func(txn *badger.Txn) error {
			for i := range acked {
				for _, j := range []int{0, walBigKeys - 1} {
					it, err := txn.Get(walBigKey(i, j))
					if err != nil {
						return fmt.Errorf("acknowledged %s: %w", walBigKey(i, j), err)
					}
					if v, _ := it.ValueCopy(nil); !bytes.Equal(v, walBigVal(i, j)) {
						return fmt.Errorf("acknowledged %s: wrong value", walBigKey(i, j))
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		s.Close()
	}
	t.Logf("%d rounds, %d acknowledged transactions kept; the logs held: %v", rounds, len(acked), left)
}

// walLeft says what the kill left at the end of the store's memtable logs.
func walLeft(t *testing.T, dir string) string {
	t.Helper()
	mems, _ := filepath.Glob(filepath.Join(dir, "*.mem"))
	what := "no log"
	for _, m := range mems {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < walHeaderSize {
			continue
		}
		w := walkWAL(b, func([]byte) {})
		switch {
		case nextNonZero(b, w.stop) < len(b):
			return "an entry cut short"
		case w.stop > w.kept:
			what = "a transaction cut short"
		case what == "no log":
			what = "a clean end"
		}
	}
	return what
}
