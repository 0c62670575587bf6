package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// verifiedName is the record of the tables whose every checksum was
// verified, so that later opens skip reading them (at 100k cases the full
// check is ~150 ms of every command).
const verifiedName = "verified.json"

// isVerifiedTemp reports a temporary file of the record's atomic write
// (left behind only by a crash between its creation and its rename).
func isVerifiedTemp(name string) bool {
	return strings.HasPrefix(name, verifiedName+".") && strings.HasSuffix(name, ".tmp")
}

// tableStamp is what identifies one table file's bytes without reading
// them. Badger never writes a table after it is made, so a table whose
// stamp is the one it had when it was verified holds the bytes that were
// verified: any write to it changes its size or its mtime and its ctime;
// its mtime can be set back (touch -d, os.Chtimes) but that sets its ctime
// to now, which nobody but the clock's owner (root, changing the system
// time) can set back; a file replaced or copied over (a restore, cp -a) is
// another inode with a new ctime. What the stamp does not see is a disk
// changing bytes under the filesystem (bit rot): that is the price of not
// reading 100k cases' tables at every command, and a table once found
// damaged is never recorded.
type tableStamp struct {
	ID    uint64 `json:"id"`
	Size  int64  `json:"size"`
	Inode uint64 `json:"inode"`
	Mtime int64  `json:"mtime_ns"`
	Ctime int64  `json:"ctime_ns"`
}

// verifiedRecord is the file's content.
type verifiedRecord struct {
	Version int          `json:"version"`
	Tables  []tableStamp `json:"tables"`
}

const verifiedVersion = 1

// stampTable reads the stamp of table id, and whether it may be recorded
// now (settled; see below).
func stampTable(name string, id uint64, now time.Time) (tableStamp, bool, error) {
	var st unix.Stat_t
	if err := unix.Stat(name, &st); err != nil {
		return tableStamp{}, false, fmt.Errorf("stat %s: %w", filepath.Base(name), err)
	}
	ts := tableStamp{ID: id, Size: st.Size, Inode: st.Ino, Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano()}
	// A write in the same tick of the filesystem's clock as the table's
	// last change would leave its ctime as it is: only a table whose ctime
	// is older than that tick when it is verified is recorded (so that any
	// later write has a later ctime). The tick is the kernel's coarse clock
	// (a few ms) on filesystems with nanosecond times; whole seconds on
	// those that keep only seconds (a ctime with no nanoseconds).
	settle := 50 * time.Millisecond
	if st.Ctim.Nsec == 0 {
		settle = 2 * time.Second
	}
	return ts, now.Sub(time.Unix(0, ts.Ctime)) >= settle, nil
}

// readVerified loads the record of dir; a missing, unreadable or unknown
// one is empty (every table is then verified in full).
func readVerified(dir string) map[uint64]tableStamp {
	b, err := os.ReadFile(filepath.Join(dir, verifiedName))
	if err != nil {
		return nil
	}
	var rec verifiedRecord
	if json.Unmarshal(b, &rec) != nil || rec.Version != verifiedVersion {
		return nil
	}
	known := make(map[uint64]tableStamp, len(rec.Tables))
	for _, ts := range rec.Tables {
		known[ts.ID] = ts
	}
	return known
}

// sameVerified reports whether two records hold the same tables.
func sameVerified(a, b map[uint64]tableStamp) bool {
	if len(a) != len(b) {
		return false
	}
	for id, ts := range a {
		if b[id] != ts {
			return false
		}
	}
	return true
}

// writeVerified replaces dir's record with tables, atomically (a temporary
// file synced, then renamed), 0600 like every file of the desk.
func writeVerified(dir string, tables map[uint64]tableStamp) error {
	rec := verifiedRecord{Version: verifiedVersion, Tables: make([]tableStamp, 0, len(tables))}
	for _, ts := range tables {
		rec.Tables = append(rec.Tables, ts)
	}
	sort.Slice(rec.Tables, func(i, j int) bool { return rec.Tables[i].ID < rec.Tables[j].ID })
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("record the verified tables: %w", err)
	}
	f, err := os.CreateTemp(dir, verifiedName+".*.tmp") // (0600)
	if err != nil {
		return fmt.Errorf("record the verified tables: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, verifiedName))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("record the verified tables: %w", err)
	}
	return nil
}
