package store

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/badger/v4/y"
)

// manifestEnds is the offset after each whole entry of a MANIFEST.
func manifestEnds(t *testing.T, b []byte) []int {
	t.Helper()
	var ends []int
	for off := 8; off+8 <= len(b); {
		off += 8 + int(binary.BigEndian.Uint32(b[off:]))
		if off > len(b) {
			t.Fatalf("MANIFEST entry past its end")
		}
		ends = append(ends, off)
	}
	return ends
}

// flushedFixture is walFixture's killed store; a copy of it opened by
// Badger and closed without the compaction caseboard asks for on close
// (Badger replayed the memtable log and flushed it to table 000001.sst,
// wrote the MANIFEST entry creating it, then deleted the log); and a copy
// of that one opened and closed with it (Badger compacted 000001.sst into
// 000002.sst, wrote the entry creating 2 and deleting 1, then deleted 1).
func flushedFixture(t *testing.T) (killed, flushed, compacted string) {
	t.Helper()
	killed, _ = walFixture(t)
	flushed = copySparse(t, killed)
	badgerOpenClose(t, flushed, false)
	compacted = copySparse(t, flushed)
	badgerOpenClose(t, compacted, true)
	for _, f := range []string{filepath.Join(flushed, "000001.sst"), filepath.Join(compacted, "000002.sst")} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("the fixture changed: %v", err)
		}
	}
	if mems, _ := filepath.Glob(filepath.Join(flushed, "*.mem")); len(mems) != 0 {
		t.Fatalf("the flush left %v", mems)
	}
	return killed, flushed, compacted
}

// badgerOpenClose opens dir with Badger alone and closes it.
func badgerOpenClose(t *testing.T, dir string, compact bool) {
	t.Helper()
	db, err := badger.Open(badgerOptions(Options{Dir: dir}, slog.New(slog.DiscardHandler)).WithCompactL0OnClose(compact))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeSparse(t, to, b)
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestManifestInterruptedChangesRecovered: what a power loss or a killed
// process leaves between the steps of a flush or a compaction (Badger
// writes and syncs a table, then the MANIFEST entry naming it, and only
// then deletes what the table replaces) opens with every acknowledged
// write: Badger deletes the table no entry names, and its writes are still
// in the memtable log (a flush) or in the tables compacted (a compaction).
func TestManifestInterruptedChangesRecovered(t *testing.T) {
	killed, flushed, closed := flushedFixture(t)
	fm := readFile(t, filepath.Join(flushed, badger.ManifestFilename))
	km := readFile(t, filepath.Join(killed, badger.ManifestFilename))
	if len(fm) <= len(km) || string(fm[:len(km)]) != string(km) {
		t.Fatalf("the flush did not append to the MANIFEST (%d then %d bytes)", len(km), len(fm))
	}
	states := map[string]func(dir string){
		// The flush's table written, its MANIFEST entry half written: the
		// memtable log still holds its writes.
		"flush entry half written": func(dir string) {
			copyFile(t, filepath.Join(flushed, "000001.sst"), filepath.Join(dir, "000001.sst"))
			writeSparse(t, filepath.Join(dir, badger.ManifestFilename), fm[:(len(km)+len(fm))/2])
		},
		"flush entry cut after its length": func(dir string) {
			copyFile(t, filepath.Join(flushed, "000001.sst"), filepath.Join(dir, "000001.sst"))
			writeSparse(t, filepath.Join(dir, badger.ManifestFilename), fm[:len(km)+5])
		},
		// The flush's table written, its entry not at all.
		"flush entry never written": func(dir string) {
			copyFile(t, filepath.Join(flushed, "000001.sst"), filepath.Join(dir, "000001.sst"))
		},
	}
	for what, state := range states {
		t.Run(what, func(t *testing.T) {
			dir := copySparse(t, killed)
			state(dir)
			casesKept(t, dir, walCases)
		})
	}
	// The compaction on close: its output written, its entry half written
	// or not at all; or its entry written and its input not deleted yet.
	cm := readFile(t, filepath.Join(closed, badger.ManifestFilename))
	compacted := map[string]func(dir string){
		"compaction entry half written": func(dir string) {
			copyFile(t, filepath.Join(closed, "000002.sst"), filepath.Join(dir, "000002.sst"))
			writeSparse(t, filepath.Join(dir, badger.ManifestFilename), append(fm, cm[len(fm):len(fm)+(len(cm)-len(fm))/2]...))
		},
		"compaction entry never written": func(dir string) {
			copyFile(t, filepath.Join(closed, "000002.sst"), filepath.Join(dir, "000002.sst"))
		},
		"compaction input not deleted yet": func(dir string) {
			copyFile(t, filepath.Join(closed, "000002.sst"), filepath.Join(dir, "000002.sst"))
			writeSparse(t, filepath.Join(dir, badger.ManifestFilename), cm)
		},
	}
	if string(cm[:len(fm)]) != string(fm) {
		t.Fatal("the two runs wrote different MANIFESTs")
	}
	for what, state := range compacted {
		t.Run(what, func(t *testing.T) {
			dir := copySparse(t, flushed)
			state(dir)
			casesKept(t, dir, walCases)
		})
	}
}

// TestManifestLostEntriesRefused: a MANIFEST cut back to whole entries
// (at each entry of a closed store: the tables the lost entries created are
// on disk, their writes nowhere else, or the tables they deleted are gone)
// is refused with the damaged line before Badger opens it: no table is
// deleted, no file changed. So is a missing MANIFEST.
func TestManifestLostEntriesRefused(t *testing.T) {
	for name, good := range map[string]string{"cases": func() string { _, c := walFixture(t); return c }(), "fill": damagedFixture(t)} {
		m := readFile(t, filepath.Join(good, badger.ManifestFilename))
		ends := manifestEnds(t, m)
		for _, end := range append([]int{8}, ends[:len(ends)-1]...) {
			t.Run(fmt.Sprintf("%s cut to %d of %d bytes", name, end, len(m)), func(t *testing.T) {
				dir := copySparse(t, good)
				writeSparse(t, filepath.Join(dir, badger.ManifestFilename), m[:end])
				refusedDamaged(t, dir)
			})
		}
		t.Run(name+" MANIFEST missing", func(t *testing.T) {
			dir := copySparse(t, good)
			os.Remove(filepath.Join(dir, badger.ManifestFilename))
			refusedDamaged(t, dir, "its MANIFEST is missing")
		})
	}
}

// TestManifestRewriteLeftoverRecovered: a compaction's input left on disk
// when the MANIFEST no longer remembers deleting it (Badger rewrites the
// MANIFEST, naming only the live tables, in the change that deletes the
// inputs, before it removes their files): it holds only older versions of
// keys whose newest versions the live table has, so the store opens, every
// key at its newest value.
func TestManifestRewriteLeftoverRecovered(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	write := func(v string) {
		s := openDir(t, dir)
		if err := s.db.Update(func(txn *badger.Txn) error {
			for i := 0; i < 300; i++ {
				if err := txn.Set([]byte(fmt.Sprintf("zz/k/%03d", i)), []byte(v)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	write("old")
	first := copySparse(t, dir)
	write("new")
	old, _ := tableIDs(first)
	live, _ := tableIDs(dir)
	if len(old) != 1 || len(live) != 1 {
		t.Fatalf("tables %v then %v, want one each", old, live)
	}
	var oldID, liveID uint64
	for id := range old {
		oldID = id
	}
	for id := range live {
		liveID = id
	}
	copyFile(t, table.NewFilename(oldID, first), table.NewFilename(oldID, dir))
	// The MANIFEST as Badger rewrites it: one change set creating the live
	// table at its level.
	m := readFile(t, filepath.Join(dir, badger.ManifestFilename))
	fp, _ := os.Open(filepath.Join(dir, badger.ManifestFilename))
	mf, _, err := badger.ReplayManifestFile(fp, 0, badger.DefaultOptions(dir))
	fp.Close()
	if err != nil {
		t.Fatal(err)
	}
	tm := mf.Tables[liveID]
	// ManifestChangeSet{Changes: [{Id, Op: CREATE (0, left out), Level,
	// Compression}]} in protobuf's wire format (badgerpb4.proto).
	var ch []byte
	ch = binary.AppendUvarint(append(ch, 0x08), liveID)
	ch = binary.AppendUvarint(append(ch, 0x18), uint64(tm.Level))
	ch = binary.AppendUvarint(append(ch, 0x30), uint64(tm.Compression))
	cs := binary.AppendUvarint([]byte{0x0a}, uint64(len(ch)))
	cs = append(cs, ch...)
	if got, err := manifestChanges(cs); err != nil || len(got) != 1 || got[0] != (manifestChange{id: liveID}) {
		t.Fatalf("the change set reads back as %v (%v)", got, err)
	}
	rw := append([]byte(nil), m[:8]...)
	rw = binary.BigEndian.AppendUint32(rw, uint32(len(cs)))
	rw = binary.BigEndian.AppendUint32(rw, crc32.Checksum(cs, y.CastagnoliCrcTable))
	writeSparse(t, filepath.Join(dir, badger.ManifestFilename), append(rw, cs...))

	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatalf("the store did not open: %v", err)
	}
	defer s.Close()
	if err := s.db.View(func(txn *badger.Txn) error {
		for i := 0; i < 300; i++ {
			it, err := txn.Get([]byte(fmt.Sprintf("zz/k/%03d", i)))
			if err != nil {
				return err
			}
			if v, _ := it.ValueCopy(nil); string(v) != "new" {
				return fmt.Errorf("zz/k/%03d = %q", i, v)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestManifestChangesDecoded: the change sets decoded by hand
// (manifestChanges) give the tables Badger's own replay does, in the
// MANIFEST of a store written, compacted and closed.
func TestManifestChangesDecoded(t *testing.T) {
	dir := damagedFixture(t)
	m := readFile(t, filepath.Join(dir, badger.ManifestFilename))
	live := map[uint64]bool{}
	deletes := 0
	for off := 8; off < len(m); {
		n := int(binary.BigEndian.Uint32(m[off:]))
		changes, err := manifestChanges(m[off+8 : off+8+n])
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range changes {
			live[c.id] = !c.delete
			if c.delete {
				deletes++
			}
		}
		off += 8 + n
	}
	fp, _ := os.Open(filepath.Join(dir, badger.ManifestFilename))
	defer fp.Close()
	mf, _, err := badger.ReplayManifestFile(fp, 0, badger.DefaultOptions(dir))
	if err != nil {
		t.Fatal(err)
	}
	for id, l := range live {
		if _, named := mf.Tables[id]; named != l {
			t.Errorf("table %d: live %v by hand, %v by Badger", id, l, named)
		}
	}
	if len(mf.Tables) == 0 || deletes == 0 || int(mf.Deletions) != deletes {
		t.Errorf("%d tables, %d deletes by hand, %d by Badger", len(mf.Tables), deletes, mf.Deletions)
	}
}
