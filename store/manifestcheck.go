package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/badger/v4/y"
)

// Which tables on disk a MANIFEST may leave out. At open Badger deletes
// every .sst file its MANIFEST does not name (revertToManifest in
// levels.go). Badger writes a table's file whole and syncs it before the
// MANIFEST entry that creates it, and acts on an entry (deletes a flushed
// memtable's log, a compaction's inputs, a dropped table's file) only once
// the entry is synced. So a store left by a killed process or a power loss
// may hold tables no entry names, and deleting them loses nothing:
//
//   - a flush's table whose entry was never written (or was cut short):
//     every write in it is still in the memtable's log (.mem), which Badger
//     replays and flushes again;
//   - a compaction's output whose entry was never written: every key in it
//     is still in the inputs, which the MANIFEST still names;
//   - a table an entry deleted (a compaction's input, DropAll) whose file
//     was not removed yet: Badger meant to delete it;
//   - a table file cut short or garbled by the interrupted write itself:
//     its entry cannot have been written, so its writes are still at their
//     source.
//
// Any other table that no entry names holds writes that are nowhere else:
// the MANIFEST lost entries that Badger had acted on (it is cut back, or a
// whole entry is missing), and opening would delete those writes. That is
// damage, refused before Badger deletes anything. A write counts as
// elsewhere when a version of its key as new or newer is (Badger keeps
// only a key's newest version, so a compaction's output may lack the older
// ones its inputs held), or when it is a delete of a key found nowhere.
//
// Two gaps remain, both needing a second fault: after DropAll Badger
// numbers tables from 1 again, so a table created after a DropAll, whose
// entry was then lost, looks like a dropped one left behind (the schema
// check after the open still catches a store left with no data); and a
// MANIFEST rewritten (after 10,000 deletions) forgets which tables it
// deleted, so a DropAll's table left behind by a kill right after such a
// rewrite is refused.

// tableIDs lists the tables on disk, as Badger's getIDMap does.
func tableIDs(dir string) (map[uint64]bool, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	ids := map[uint64]bool{}
	for _, e := range ents {
		if id, ok := table.ParseFileID(e.Name()); ok && !e.IsDir() {
			ids[id] = true
		}
	}
	return ids, nil
}

// droppedTables are the tables whose last change in the MANIFEST's whole
// entries (b, up to the end Badger replays) is a delete.
func droppedTables(b []byte) (map[uint64]bool, error) {
	dropped := map[uint64]bool{}
	for off := 8; off+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[off:]))
		if off+8+n > len(b) {
			break
		}
		changes, err := manifestChanges(b[off+8 : off+8+n])
		if err != nil {
			return nil, err
		}
		for _, c := range changes {
			if c.delete {
				dropped[c.id] = true
			} else {
				delete(dropped, c.id)
			}
		}
		off += 8 + n
	}
	return dropped, nil
}

// manifestChange is what droppedTables needs of a pb.ManifestChange.
type manifestChange struct {
	id     uint64
	delete bool
}

// manifestChanges decodes a pb.ManifestChangeSet (badgerpb4.proto: field 1,
// repeated ManifestChange; in each, field 1 the table id, field 2 the
// operation, CREATE 0 or DELETE 1) by hand, since caseboard does not
// depend on the protobuf module itself.
func manifestChanges(b []byte) ([]manifestChange, error) {
	var out []manifestChange
	err := protoFields(b, func(field int, v uint64, sub []byte) error {
		if field != 1 || sub == nil {
			return nil
		}
		var c manifestChange
		if err := protoFields(sub, func(field int, v uint64, _ []byte) error {
			switch field {
			case 1:
				c.id = v
			case 2:
				c.delete = v == 1
			}
			return nil
		}); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

var errBadProto = errors.New("a change set does not decode")

// protoFields calls fn with each field of a protobuf message: a varint's
// value, or a length-delimited field's bytes (fixed-size ones are skipped).
func protoFields(b []byte, fn func(field int, v uint64, sub []byte) error) error {
	for len(b) > 0 {
		tag, n := binary.Uvarint(b)
		if n <= 0 {
			return errBadProto
		}
		b = b[n:]
		field := int(tag >> 3)
		switch tag & 7 {
		case 0:
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return errBadProto
			}
			b = b[n:]
			if err := fn(field, v, nil); err != nil {
				return err
			}
		case 1, 5:
			size := map[uint64]int{1: 8, 5: 4}[tag&7]
			if len(b) < size {
				return errBadProto
			}
			b = b[size:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return errBadProto
			}
			sub := b[n : n+int(l)]
			b = b[n+int(l):]
			if err := fn(field, 0, sub); err != nil {
				return err
			}
		default:
			return errBadProto
		}
	}
	return nil
}

// checkUnreferenced refuses a store with a table that its MANIFEST (m,
// replayed from whole, the bytes of its whole entries) does not name and
// whose writes are nowhere else: in no table it names and in no memtable
// log Badger will replay.
func checkUnreferenced(dir string, m badger.Manifest, whole []byte, onDisk map[uint64]bool,
	bo badger.Options, damaged func(string, ...any) error) error {
	dropped, err := droppedTables(whole)
	if err != nil {
		return damaged("its MANIFEST cannot be read (%v)", err)
	}
	var ids []uint64
	for id := range onDisk {
		if _, named := m.Tables[id]; !named && !dropped[id] {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	// need: for each key such a table holds, its newest version there.
	need := unreferencedKeys{}
	for _, id := range ids {
		err := verifyTable(table.NewFilename(id, dir), bo.Compression, bo, func(k []byte, deleted bool) {
			need.add(k, deleted, id)
		})
		if err != nil {
			continue // cut short by the interrupted write: never named, still at its source
		}
	}
	if len(need) == 0 {
		return nil
	}
	for id, tm := range m.Tables {
		if tm.KeyID != 0 {
			continue
		}
		if err := verifyTable(table.NewFilename(id, dir), tm.Compression, bo, func(k []byte, _ bool) {
			need.found(k)
		}); err != nil {
			return damaged("table %s: %v", filepath.Base(table.NewFilename(id, dir)), err)
		}
		if len(need) == 0 {
			return nil
		}
	}
	if err := checkWALs(dir, need.found, damaged); err != nil {
		return err
	}
	lost := map[uint64]int{}
	for _, u := range need {
		if u.deleted && !u.older {
			continue // a delete of a key found nowhere else: nothing to lose
		}
		lost[u.table]++
	}
	for _, id := range ids {
		if lost[id] > 0 {
			return damaged("table %s is not in its MANIFEST and holds %s found nowhere else (the MANIFEST lost entries)",
				filepath.Base(table.NewFilename(id, dir)), plural(lost[id], "write"))
		}
	}
	return nil
}

// unreferencedKey is a key held by a table no MANIFEST entry names: its
// newest version there, whether that is a delete, and whether an older
// version is elsewhere (which deleting the table would bring back).
type unreferencedKey struct {
	version uint64
	deleted bool
	older   bool
	table   uint64
}

// unreferencedKeys are those keys, by key without version.
type unreferencedKeys map[string]*unreferencedKey

func (n unreferencedKeys) add(k []byte, deleted bool, table uint64) {
	key, v := string(y.ParseKey(k)), y.ParseTs(k)
	if u := n[key]; u == nil || v > u.version {
		n[key] = &unreferencedKey{version: v, deleted: deleted, table: table}
	}
}

// found notes a version of a key in a table the MANIFEST names or in a
// memtable log Badger replays: a version as new or newer keeps what the
// table holds (Badger keeps only the newest version of a key: the older
// ones a compaction drops may lie in a table it has not deleted yet).
func (n unreferencedKeys) found(k []byte) {
	key, v := string(y.ParseKey(k)), y.ParseTs(k)
	if u := n[key]; u != nil {
		if v >= u.version {
			delete(n, key)
		} else {
			u.older = true
		}
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
