package store

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseboard/model"
)

// walCases is how many cases walFixture writes, each acknowledged.
const walCases = 200

// walFixture is what a process killed with SIGKILL after walCases
// acknowledged case writes leaves: a copy of the store's directory taken
// while the store is open and idle (the memtable log is mapped shared, so
// the copy holds every write), the writes in the memtable log only.
// It returns the original too, closed (its memtable flushed to a table).
func walFixture(t *testing.T) (killed, closed string) {
	t.Helper()
	closed = filepath.Join(t.TempDir(), "s")
	s := openDir(t, closed)
	for i := 0; i < walCases; i++ {
		n, err := s.NextCaseNumber()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(n, "acme", t0), nil }); err != nil {
			t.Fatal(err)
		}
	}
	killed = copySparse(t, closed)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return killed, closed
}

// copySparse copies a store's directory keeping its preallocated files
// sparse (a 128 MB value log, a 32 MB memtable log: copied whole, every
// copy would write them out).
func copySparse(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "copy")
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			t.Fatalf("%s: a directory in the store", e.Name())
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeSparse(t, filepath.Join(to, e.Name()), b)
	}
	return to
}

// writeSparse writes b to name, skipping its 4 KiB blocks of zeros.
func writeSparse(t *testing.T, name string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for off := 0; off < len(b); off += 4096 {
		blk := b[off:min(off+4096, len(b))]
		if nextNonZero(blk, 0) == len(blk) {
			continue
		}
		if _, err := f.WriteAt(blk, int64(off)); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Truncate(int64(len(b))); err != nil {
		t.Fatal(err)
	}
}

// walLog is the fixture's memtable log holding the writes, and the
// offsets of its committed transactions' ends (the kept prefix of each).
func walLog(t *testing.T, dir string) (name string, data []byte, commits []int) {
	t.Helper()
	mems, _ := filepath.Glob(filepath.Join(dir, "*.mem"))
	for _, m := range mems {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		var ends []int
		for off := walHeaderSize; ; {
			e, st := decodeWALEntry(b, off)
			if st != walOK || len(e.key) == 0 {
				break
			}
			if e.meta&walBitFinTxn != 0 {
				ends = append(ends, e.end)
			}
			off = e.end
		}
		if len(ends) > len(commits) {
			name, data, commits = m, b, ends
		}
	}
	if len(commits) < walCases {
		t.Fatalf("the memtable logs hold %d transactions, want at least %d", len(commits), walCases)
	}
	return name, data, commits
}

// hashDir is every file of dir with a SHA-256 of its content (its size and
// its blocks that are not all zeros, with their offsets: the preallocated
// files are mostly zeros).
func hashDir(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	h := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		sum := sha256.New()
		fmt.Fprintf(sum, "%d\n", len(b))
		for off := 0; off < len(b); off += 4096 {
			if blk := b[off:min(off+4096, len(b))]; nextNonZero(blk, 0) < len(blk) {
				fmt.Fprintf(sum, "%d\n", off)
				sum.Write(blk)
			}
		}
		h[strings.TrimPrefix(p, dir)] = [32]byte(sum.Sum(nil))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func sameFiles(t *testing.T, before, after map[string][32]byte) {
	t.Helper()
	for name, sum := range before {
		if got, ok := after[name]; !ok {
			t.Errorf("%s was deleted", name)
		} else if got != sum {
			t.Errorf("%s was changed", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s was created", name)
		}
	}
}

// refusedDamaged opens dir, which must be refused with the one-line
// damaged message containing each of want, every file left as it was.
func refusedDamaged(t *testing.T, dir string, want ...string) {
	t.Helper()
	before := hashDir(t, dir)
	s, err := Open(Options{Dir: dir})
	if err == nil {
		s.Close()
		t.Fatal("the damaged store opened")
	}
	var d *DamagedError
	if !errors.As(err, &d) || strings.Contains(err.Error(), "\n") ||
		!strings.HasPrefix(err.Error(), "the store "+dir+" is damaged: ") ||
		!strings.HasSuffix(err.Error(), "; restore it from a backup (caseboard restore FILE)") {
		t.Fatalf("%T: %v (want the damaged line)", err, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%v: does not say %q", err, w)
		}
	}
	t.Logf("%v", err)
	sameFiles(t, before, hashDir(t, dir))
}

// casesKept opens dir, which must open, and checks that it holds exactly
// cases 1..n.
func casesKept(t *testing.T, dir string, n int) {
	t.Helper()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatalf("the store did not open: %v", err)
	}
	defer s.Close()
	cs, err := s.Cases()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != n {
		t.Errorf("%d cases, want %d", len(cs), n)
	}
	for i := 1; i <= n; i++ {
		if _, err := s.Case(int64(i)); err != nil {
			t.Errorf("case %d lost: %v", i, err)
		}
	}
}

// TestWALDamageRefused: one flipped byte in the memtable log left by a
// killed process, in the middle of it, in its last entry, or in the length
// of an entry: Open refuses with the damaged line naming the log and the
// offset, and every file of the store is byte for byte as it was (Badger
// would have opened without the writes from there on and deleted the log).
func TestWALDamageRefused(t *testing.T) {
	killed, _ := walFixture(t)
	name, data, commits := walLog(t, killed)
	base := filepath.Base(name)
	last := commits[len(commits)-1]
	hurt := map[string]struct {
		at   int
		bits byte
		want string
	}{
		"a byte in the middle":       {commits[len(commits)/2] + 40, 0x10, "the writes after it would be lost"},
		"a byte of the last entry":   {last - 6, 0x01, "its last write would be lost"},
		"the key length of an entry": {commits[len(commits)/3] + 2, 0x40, "the writes after it would be lost"},
		"the CRC of the last entry":  {last - 1, 0x80, "its last write would be lost"},
	}
	for what, h := range hurt {
		t.Run(what, func(t *testing.T) {
			dir := copySparse(t, killed)
			b := append([]byte(nil), data...)
			if b[h.at]^h.bits == 0 {
				h.bits = h.bits>>1 | 1 // a last CRC byte flipped to zero looks like one not written yet
			}
			b[h.at] ^= h.bits
			writeSparse(t, filepath.Join(dir, base), b)
			refusedDamaged(t, dir, "its write-ahead log "+base+" is garbled at byte ", h.want)
		})
	}
	casesKept(t, copySparse(t, killed), walCases)
}

// TestWALTornTailRecovered: the torn last write a killed process (or a
// power loss) leaves, the log cut inside its last entry, that entry zeroed,
// or zeros from the middle of it on: Open succeeds (Badger drops the torn
// transaction) and every write before it is there.
func TestWALTornTailRecovered(t *testing.T) {
	killed, _ := walFixture(t)
	name, data, commits := walLog(t, killed)
	last, prev := commits[len(commits)-1], commits[len(commits)-2]
	tear := map[string]func(b []byte) []byte{
		"cut inside the last entry":       func(b []byte) []byte { return b[:last-3] },
		"cut inside the last transaction": func(b []byte) []byte { return b[:(prev+last)/2] },
		"last entry zeroed": func(b []byte) []byte {
			clear(b[lastEntry(t, b, prev, last):last])
			return b
		},
		"zeros from the middle of the last transaction": func(b []byte) []byte {
			clear(b[(prev+last)/2 : last])
			return b
		},
		// Go copies more than 256 bytes body first, then the first 1 to
		// 32 bytes, then the last 128: killed in the body, the entry has
		// zeros at both ends.
		"an entry's first and last bytes unwritten": func(b []byte) []byte {
			at := bigEntry(t, b, prev, last)
			e, _ := decodeWALEntry(b, at)
			clear(b[at : at+32])
			clear(b[e.end-128:])
			return b
		},
		"an entry's first byte and last bytes unwritten": func(b []byte) []byte {
			at := bigEntry(t, b, prev, last)
			e, _ := decodeWALEntry(b, at)
			b[at] = 0
			clear(b[e.end-128:])
			return b
		},
		"an entry's last bytes unwritten": func(b []byte) []byte {
			at := bigEntry(t, b, prev, last)
			e, _ := decodeWALEntry(b, at)
			clear(b[e.end-128:])
			return b
		},
		"an entry's CRC half written": func(b []byte) []byte {
			e, _ := decodeWALEntry(b, lastEntry(t, b, prev, last))
			clear(b[e.end-2:])
			return b
		},
	}
	for what, tearFn := range tear {
		t.Run(what, func(t *testing.T) {
			dir := copySparse(t, killed)
			b := tearFn(append([]byte(nil), data...))
			writeSparse(t, filepath.Join(dir, filepath.Base(name)), b)
			casesKept(t, dir, walCases-1)
		})
	}
}

// bigEntry is the offset of the first entry of the transaction [prev,
// last) longer than 256 bytes.
func bigEntry(t *testing.T, b []byte, prev, last int) int {
	t.Helper()
	for off := prev; off < last; {
		e, st := decodeWALEntry(b, off)
		if st != walOK {
			t.Fatalf("no entry at %d", off)
		}
		if e.end-off > 256 {
			return off
		}
		off = e.end
	}
	t.Fatal("no entry longer than 256 bytes in the last transaction")
	return 0
}

// lastEntry is the offset of the last entry of the transaction [prev, last).
func lastEntry(t *testing.T, b []byte, prev, last int) int {
	t.Helper()
	for off := prev; ; {
		e, st := decodeWALEntry(b, off)
		if st != walOK {
			t.Fatalf("no entry at %d", off)
		}
		if e.end == last {
			return off
		}
		off = e.end
	}
}
