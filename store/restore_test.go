package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

func backupBytes(t testing.TB, s *Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// notBackups are inputs that restore must refuse, each with what its one
// line must say.
func notBackups(t *testing.T, good []byte) []struct {
	name, want string
	in         []byte
} {
	t.Helper()
	rng := rand.New(rand.NewSource(21))
	random := make([]byte, 64<<10)
	rng.Read(random)
	// A plausible record length, then garbage: Badger's own decoder refuses.
	records := binary.LittleEndian.AppendUint64(nil, 200)
	records = append(records, random[:200]...)
	// Badger's loader panicked (makeslice) on this length.
	huge := binary.LittleEndian.AppendUint64(nil, 1<<62)

	empty := openMem(t) // a caseboard store with no users
	// A desk whose only manager is gone (sam and tina stay).
	noManager := openMem(t)
	if _, err := noManager.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	if err := noManager.db.Update(func(txn *badger.Txn) error { return txn.Delete(userKey("maria")) }); err != nil {
		t.Fatal(err)
	}
	// Desks written past the rules, as an older caseboard could have:
	// sam's key on maria too, and a text that is no key on tina.
	sharedKey, notAKey := openMem(t), openMem(t)
	for _, c := range []struct {
		s    *Store
		user string
		key  func(sam model.User) string
	}{
		{sharedKey, "maria", func(sam model.User) string { return sam.Keys[0] }},
		{notAKey, "tina", func(model.User) string { return "/any/path" }},
	} {
		if _, err := c.s.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
			t.Fatal(err)
		}
		if _, err := c.s.Apply(func(v model.View) (*model.Change, error) {
			sam, _ := v.User("sam")
			u, _ := v.User(c.user)
			u.Keys = append(u.Keys, c.key(sam))
			return &model.Change{Users: []model.User{u}}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := badger.Open(badger.DefaultOptions("").WithInMemory(true).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.Update(func(txn *badger.Txn) error { return txn.Set([]byte("foo"), []byte("bar")) }); err != nil {
		t.Fatal(err)
	}
	var rawBak bytes.Buffer
	if _, err := raw.Backup(&rawBak, 0); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, want string
		in         []byte
	}{
		{"a JSON document", "is a JSON document, not a backup", []byte(sampleDoc)},
		{"random bytes", "is not a caseboard backup", random},
		{"random records", "is not a caseboard backup (Badger could not read it", records},
		{"a huge record length", "is not a caseboard backup", huge},
		{"an empty file", "is empty", nil},
		{"a backup cut in half", "is cut short", good[:len(good)/2]},
		{"a backup cut in its first header", "is cut short", good[:5]},
		{"a backup missing its last byte", "is cut short", good[:len(good)-1]},
		{"a backup of a store with no users", "holds no manager", backupBytes(t, empty)},
		{"a backup of a desk with no manager", "holds no manager", backupBytes(t, noManager)},
		{"a backup of another Badger database", "no schema record", rawBak.Bytes()},
		{"a backup with one key on two users", "holds a bad SSH key: key SHA256:", backupBytes(t, sharedKey)},
		{"a backup with a text that is no key", "holds a bad SSH key: user tina key 1: not an SSH public key", backupBytes(t, notAKey)},
	}
	return append(cases, cutBackups(t, good)...)
}

// cutBackups are whole-looking backups that are not whole: cut between two
// records, a record left out, a byte changed, two joined. Badger's framing
// alone lets each through (the first three restored a desk missing what
// was cut or changed, with no refusal).
func cutBackups(t *testing.T, good []byte) []struct {
	name, want string
	in         []byte
} {
	t.Helper()
	fr := backupRecords(t, good)
	if len(fr) < 3 || !isMarker(fr[0], kBackupBegin) || !isMarker(fr[len(fr)-1], kBackupEnd) {
		t.Fatalf("a backup is not begin, Badger's records, end: %d records", len(fr))
	}
	join := func(rs ...[]byte) []byte { return bytes.Join(rs, nil) }
	badger := fr[1 : len(fr)-1]
	// A byte of a case's title changed: Badger's loader reads it.
	flipped := bytes.Clone(good)
	i := bytes.Index(flipped, []byte("Index rebuild"))
	if i < 0 {
		t.Fatal("no title in the backup")
	}
	flipped[i] ^= 0x20
	newer := bytes.Clone(fr[0])
	j := bytes.Index(newer, []byte(`"version":1`))
	newer[j+len(`"version":`)] = '9'
	return []struct {
		name, want string
		in         []byte
	}{
		{"a backup cut between two records, before its end", "between two records, before its end record", join(fr[:len(fr)-1]...)},
		{"a backup with one of Badger's records left out", "its end record counts", join(fr[0], fr[len(fr)-1])},
		{"a backup with one of Badger's records twice", "its end record counts", join(append(append([][]byte{fr[0]}, badger...), append(badger, fr[len(fr)-1])...)...)},
		{"a backup with a byte of a title changed", "is damaged: its records do not match the checksum", flipped},
		{"two backups joined", "goes on after its end record", join(good, good)},
		{"a backup's records after another's beginning", "a second backup's beginning", join(fr[0], fr[0])},
		{"an end record with no beginning", "but no beginning", join(fr[1:]...)},
		{"a backup of a newer format", "newer caseboard (backup format 9)", join(append([][]byte{newer}, fr[1:]...)...)},
	}
}

// backupRecords splits a backup into its records, each with its header.
func backupRecords(t *testing.T, b []byte) (out [][]byte) {
	t.Helper()
	for len(b) > 0 {
		if len(b) < 8 {
			t.Fatalf("a backup ends in a header")
		}
		n := 8 + int(binary.LittleEndian.Uint64(b))
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

func isMarker(rec []byte, key string) bool {
	k, _, ok := marker(rec[8:])
	return ok && k == key
}

// TestBackupBeginsAndEnds: a backup is Badger's records between
// caseboard's begin and end records; a restore of it equals the desk, with
// neither record in the restored store; a backup written before them
// (Badger's stream alone) still restores.
func TestBackupBeginsAndEnds(t *testing.T) {
	src := openMem(t)
	if _, err := src.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	want := exportBytes(t, src)
	var old bytes.Buffer
	if _, err := src.db.Backup(&old, 0); err != nil {
		t.Fatal(err)
	}
	for _, where := range []string{"on disk", "in memory"} {
		for name, bak := range map[string][]byte{"a backup": backupBytes(t, src), "a backup of before": old.Bytes()} {
			var s *Store
			if where == "on disk" {
				s = openDir(t, filepath.Join(t.TempDir(), "desk"))
			} else {
				s = openMem(t)
			}
			if err := s.Restore(bytes.NewReader(bak), true); err != nil {
				t.Fatalf("%s, %s: %v", where, name, err)
			}
			if got := exportBytes(t, s); !bytes.Equal(got, want) {
				t.Errorf("%s, %s: the restored desk differs", where, name)
			}
			if err := s.db.View(func(txn *badger.Txn) error {
				for _, k := range []string{kBackupBegin, kBackupEnd} {
					if _, err := txn.Get([]byte(k)); !errors.Is(err, badger.ErrKeyNotFound) {
						t.Errorf("%s, %s: %s in the restored store (%v)", where, name, k, err)
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			s.Close()
		}
	}
}

// TestRestoreRefusesWhatIsNotAWholeBackup: restore --force of anything
// but a whole backup of a desk is one line naming what is wrong, and the
// store is exactly as before (it used to be emptied first, or to panic).
func TestRestoreRefusesWhatIsNotAWholeBackup(t *testing.T) {
	for _, where := range []string{"on disk", "in memory"} {
		t.Run(where, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "desk")
			var s *Store
			if where == "on disk" {
				s = openDir(t, dir)
				defer func() { s.Close() }()
			} else {
				s = openMem(t)
			}
			if _, err := s.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
				t.Fatal(err)
			}
			before := exportBytes(t, s)
			for _, c := range notBackups(t, backupBytes(t, s)) {
				err := s.Restore(bytes.NewReader(c.in), true)
				var re *RestoreError
				if !errors.As(err, &re) {
					t.Errorf("%s: got %v, want a *RestoreError", c.name, err)
					continue
				}
				msg := err.Error()
				if strings.Contains(msg, "\n") || !strings.Contains(msg, c.want) || !strings.HasPrefix(msg, "restore refused, nothing changed: ") {
					t.Errorf("%s: %q, want one line with %q", c.name, msg, c.want)
				}
				if got := exportBytes(t, s); !bytes.Equal(got, before) {
					t.Fatalf("%s: the store changed", c.name)
				}
				t.Logf("%s: %s", c.name, msg)
			}
			// Still a working store, with nothing left of the attempts.
			if _, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(5000, "acme", t0), nil }); err != nil {
				t.Fatalf("write after the refusals: %v", err)
			}
			if where == "on disk" {
				for _, name := range []string{stagingName, oldName, swapName} {
					if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
						t.Errorf("%s left behind", name)
					}
				}
				after := exportBytes(t, s)
				s.Close()
				s = openDir(t, dir)
				if !bytes.Equal(exportBytes(t, s), after) {
					t.Error("reopened store differs")
				}
			}
		})
	}
}

// TestRestoreOverLiveStore: a good restore --force replaces a store that
// readers and a subscriber are using; they carry on with the new desk.
func TestRestoreOverLiveStore(t *testing.T) {
	src := openMem(t)
	if _, err := src.Import(bigDoc(300), "maria", t0); err != nil {
		t.Fatal(err)
	}
	bak, want := backupBytes(t, src), exportBytes(t, src)

	dir := filepath.Join(t.TempDir(), "desk")
	s := openDir(t, dir)
	defer func() { s.Close() }()
	if _, err := s.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	sub := s.Feed(4)
	defer sub.Close()

	// Readers all along: never an error, never an empty desk.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var readErr atomic.Value
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				us, err := s.Users()
				if err == nil && len(us) == 0 {
					err = errors.New("no users")
				}
				if err != nil {
					readErr.Store(err)
					return
				}
			}
		}()
	}
	err := s.Restore(bytes.NewReader(bak), true)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if e := readErr.Load(); e != nil {
		t.Fatalf("a reader during the restore: %v", e)
	}
	if got := exportBytes(t, s); !bytes.Equal(got, want) {
		t.Fatal("the restored store differs from the backup's")
	}
	select {
	case u := <-sub.C:
		if !u.Resync {
			t.Fatalf("first update after the restore: %+v, want a resync", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no resync after the restore")
	}
	if n, err := s.NextCaseNumber(); err != nil || n <= 300 {
		t.Fatalf("next case number %d %v, want above the restored 300", n, err)
	}
	if _, err := s.Apply(func(model.View) (*model.Change, error) { return newCaseChange(9000, "acct1", t0), nil }); err != nil {
		t.Fatal(err)
	}
	select {
	case u := <-sub.C:
		if u.Change == nil {
			t.Fatalf("after the restore: %+v, want the change", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the feed stopped after the restore")
	}
	for _, name := range []string{stagingName, oldName, swapName} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s left behind", name)
		}
	}
	after := exportBytes(t, s)
	s.Close()
	s = openDir(t, dir)
	if !bytes.Equal(exportBytes(t, s), after) {
		t.Fatal("reopened store differs")
	}
}
