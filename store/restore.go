package store

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// A restore is all or nothing. The backup is first copied whole into
// DIR/restore.staging/backup (checking Badger's framing as it goes, so that
// a file that is not a backup, or one cut short, is refused before any
// store is touched), then loaded into a store of its own in
// DIR/restore.staging/db, checked (a schema record, at least one manager),
// closed, verified on disk and synced. Only then is it swapped in (swap.go);
// until that is done, the old store is untouched.

const (
	stagingName = "restore.staging"
	spoolName   = "backup"
	stagedDB    = "db"
	// maxFrame bounds the size of one of Badger's backup records (its
	// stream batches are about 16-100 MB): a larger length prefix is not a
	// backup, and Badger's own loader would panic allocating it.
	maxFrame = 1 << 30
)

// RestoreError is a backup refused: nothing was changed.
type RestoreError struct {
	// Name is the file as the user gave it ("" when not known).
	Name string
	// Why completes "NAME ...".
	Why string
}

func (e *RestoreError) Error() string {
	name := e.Name
	if name == "" {
		name = "the backup"
	}
	return fmt.Sprintf("restore refused, nothing changed: %s %s", model.Inert(name), e.Why)
}

func refused(format string, a ...any) error {
	return &RestoreError{Why: firstLine(fmt.Sprintf(format, a...))}
}

// Restore replaces the store with a backup, all or nothing. A store that
// holds records is refused unless force. A bad or cut-short backup is a
// *RestoreError and leaves the store as it was; subscribers are told to
// resync after a restore.
func (s *Store) Restore(r io.Reader, force bool) error {
	s.restoreMu.Lock()
	defer s.restoreMu.Unlock()
	if err := s.mayRestore(force); err != nil {
		return err
	}
	if s.opts.InMemory {
		return s.restoreInMemory(r, force)
	}
	staging := filepath.Join(s.dir, stagingName)
	// Whatever happens, nothing of the attempt stays behind (after a
	// successful swap the staging directory is empty), unless a swap that
	// could not finish left its journal: the next Open needs the files.
	defer func() {
		if step, err := readJournal(s.dir); err == nil && step == "" {
			_ = os.RemoveAll(staging)
		}
	}()
	if err := os.RemoveAll(staging); err != nil {
		return fmt.Errorf("restore: clear %s: %w", staging, err)
	}
	if err := os.Mkdir(staging, 0o700); err != nil {
		return s.writeErr(fmt.Errorf("restore: %w", err), 0)
	}
	if n, ok := regularSize(r); ok {
		if err := s.checkSpaceFor(restoreNeed(n)); err != nil {
			return err
		}
	}
	size, err := s.spoolBackup(r, filepath.Join(staging, spoolName))
	if err != nil {
		return err
	}
	if err := s.checkRestoreSpace(size); err != nil {
		return err
	}
	dbDir := filepath.Join(staging, stagedDB)
	if err := s.stageBackup(filepath.Join(staging, spoolName), dbDir, size); err != nil {
		return err
	}
	// The copy is no longer needed: give its space back before the swap.
	_ = os.Remove(filepath.Join(staging, spoolName))

	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.mayRestoreLocked(force); err != nil {
		return err
	}
	err = s.swapIn(dbDir)
	if !s.closed {
		s.feed.resync()
	}
	if err == nil {
		s.log.Info("restored", "bytes", size)
	}
	return err
}

// restoreFactor: the staged store's files at their peak against the
// backup's size (its write-ahead log and its tables of the same records
// before the log is dropped: measured 1.25 for a 100 MB backup of
// incompressible titles).
const restoreFactor = 2

// restoreNeed is the space a restore of a backup of n bytes needs: its
// copy, the staged store, and the margin.
func restoreNeed(n int64) uint64 { return (1+restoreFactor)*uint64(n) + minFree }

// checkRestoreSpace checks, once n bytes of the backup are copied, that
// what a backup of that size still needs is free (the copy is already
// taken from the free space; it is given back if the restore stops).
func (s *Store) checkRestoreSpace(n int64) error {
	free, ok := s.freeSpace()
	if ok && free < restoreFactor*uint64(n)+minFree {
		return &DiskFullError{Dir: s.dir, Free: free + uint64(n), Need: restoreNeed(n)}
	}
	return nil
}

// regularSize is the size of r when it is a regular file.
func regularSize(r io.Reader) (int64, bool) {
	f, ok := r.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return 0, false
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return 0, false
	}
	return fi.Size(), true
}

func (s *Store) mayRestore(force bool) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.mayRestoreLocked(force); err != nil {
		return err
	}
	return s.checkSpace()
}

// mayRestoreLocked refuses a closed store, and one that holds records
// without force (checked again after the backup was read: records may have
// been written meanwhile).
func (s *Store) mayRestoreLocked(force bool) error {
	if s.closed {
		return ErrClosed
	}
	if force {
		return nil
	}
	empty, err := s.Empty()
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("the store %s is not empty: restore --force replaces everything in it", s.where())
	}
	return nil
}

// spoolBackup copies r whole into path, refusing what is not a whole
// backup, and gives its size.
func (s *Store) spoolBackup(r io.Reader, path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, s.writeErr(fmt.Errorf("restore: %w", err), 0)
	}
	defer f.Close()
	w := &spaceWriter{s: s, w: bufio.NewWriterSize(f, 1<<20)}
	n, err := copyFrames(r, w)
	if err == nil {
		err = w.w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		var re *RestoreError
		if errors.As(err, &re) {
			return n, err
		}
		return n, s.writeErr(fmt.Errorf("restore: copy the backup: %w", err), (1+restoreFactor)*uint64(n))
	}
	return n, f.Close()
}

// spaceWriter checks, every few MB of the backup copied, that the space
// a backup of at least that size needs is free, so that a backup of
// unknown size (standard input) too is refused before the disk fills.
type spaceWriter struct {
	s       *Store
	w       *bufio.Writer
	n, next int64
}

func (sw *spaceWriter) Write(p []byte) (int, error) {
	if sw.n >= sw.next {
		if err := sw.s.checkRestoreSpace(sw.n); err != nil {
			return 0, err
		}
		sw.next = sw.n + 4<<20
	}
	n, err := sw.w.Write(p)
	sw.n += int64(n)
	return n, err
}

// copyFrames copies Badger's backup stream (records of a little-endian
// 8-byte length, then that many bytes) from r to w, checking that it is
// one: refused when empty, when a length is beyond any backup's, and when
// it ends inside a record. caseboard's begin and end records (backup.go)
// are not copied: a backup that has the one must end with the other,
// which must count exactly the records copied.
func copyFrames(r io.Reader, w io.Writer) (int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	sum := &summing{w: markWrites{w}, crc: crc32.New(castagnoli)}
	var off int64
	var hdr [8]byte
	var small [maxMarker]byte
	begun, ended := false, false
	for {
		n, err := io.ReadFull(br, hdr[:])
		switch {
		case err == io.EOF && off == 0:
			return 0, refused("is empty: it is not a caseboard backup")
		case err == io.EOF && begun && !ended:
			return sum.n, refused("is cut short (it ends at byte %d, between two records, before its end record): it is not a whole backup", off)
		case err == io.EOF:
			return sum.n, nil
		case ended:
			return sum.n, refused("goes on after its end record (at byte %d): it is not one whole backup", off)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return sum.n, refused("is cut short (it ends at byte %d, inside a record): it is not a whole backup", off+int64(n))
		case err != nil:
			return sum.n, refused("could not be read to its end (%v): it is not a whole backup", err)
		}
		sz := binary.LittleEndian.Uint64(hdr[:])
		if sz > maxFrame {
			if off == 0 && looksLikeJSON(hdr[:]) {
				return sum.n, refused("is a JSON document, not a backup: add it with caseboard import")
			}
			return sum.n, refused("is not a caseboard backup (byte %d does not start a backup record)", off)
		}
		at := off
		off += 8
		var body io.Reader = br
		if sz <= maxMarker { // perhaps caseboard's own record: read it first
			rec := small[:sz]
			if m, err := io.ReadFull(br, rec); err != nil {
				return sum.n, cutRecord(err, off+int64(m), sz)
			}
			if key, val, ok := marker(rec); ok {
				if err := checkMarker(key, val, at, begun, sum); err != nil {
					return sum.n, err
				}
				begun, ended = begun || key == kBackupBegin, key == kBackupEnd
				off += int64(sz)
				continue
			}
			body = bytes.NewReader(rec)
		}
		if _, err := sum.Write(hdr[:]); err != nil {
			var we *writeError
			if errors.As(err, &we) {
				return sum.n, we.err
			}
			return sum.n, err
		}
		m, err := io.CopyN(sum, body, int64(sz))
		off += m
		if err != nil {
			var we *writeError
			if errors.As(err, &we) {
				return sum.n, we.err
			}
			return sum.n, cutRecord(err, off, sz)
		}
	}
}

// checkMarker checks a begin or end record found at byte at.
func checkMarker(key string, val []byte, at int64, begun bool, sum *summing) error {
	switch {
	case key == kBackupBegin && at != 0:
		return refused("holds a second backup's beginning at byte %d: it is not one whole backup", at)
	case key == kBackupBegin:
		var b backupBegin
		if json.Unmarshal(val, &b) != nil || b.Format != "caseboard-backup" {
			return refused("is not a caseboard backup (its begin record is unreadable)")
		}
		if b.Version > backupFormat {
			return refused("was written by a newer caseboard (backup format %d); this one reads up to %d", b.Version, backupFormat)
		}
		return nil
	case !begun:
		return refused("has an end record (at byte %d) but no beginning: it is not a whole backup", at)
	}
	var e backupEnd
	if json.Unmarshal(val, &e) != nil {
		return refused("is not a whole backup (its end record is unreadable)")
	}
	if e.Bytes != sum.n {
		return refused("is not a whole backup: its end record counts %d bytes of records, it holds %d", e.Bytes, sum.n)
	}
	if e.CRC32C != sum.crc.Sum32() {
		return refused("is damaged: its records do not match the checksum in its end record")
	}
	return nil
}

// cutRecord is the refusal for a read that failed inside a record of sz
// bytes, at byte off.
func cutRecord(err error, off int64, sz uint64) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return refused("is cut short (it ends at byte %d, inside a record of %d bytes): it is not a whole backup", off, sz)
	}
	return refused("could not be read to its end (%v): it is not a whole backup", err)
}

// writeError marks an error of the writer inside io.CopyN, so that a
// full disk is not taken for a cut-short backup.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }

// markWrites wraps a writer's errors in *writeError.
type markWrites struct{ w io.Writer }

func (m markWrites) Write(p []byte) (int, error) {
	n, err := m.w.Write(p)
	if err != nil {
		err = &writeError{err}
	}
	return n, err
}

func looksLikeJSON(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n\xef\xbb\xbf")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// stageBackup loads the copied backup into a new store in dbDir and checks
// it: it must hold a desk. It is closed, verified and synced on return.
func (s *Store) stageBackup(spool, dbDir string, size int64) error {
	f, err := os.Open(spool)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	bo := badgerOptions(Options{Dir: dbDir}, s.log)
	db, err := badger.Open(bo)
	if err != nil {
		return s.writeErr(fmt.Errorf("restore: open the staging store: %w", err), uint64(size))
	}
	err = loadBackup(db, f)
	if err == nil {
		err = checkDesk(db)
	}
	if err == nil {
		flattenDB(db, s.log, "restore")
	}
	if cerr := db.Close(); err == nil && cerr != nil {
		err = s.writeErr(fmt.Errorf("restore: close the staging store: %w", cerr), uint64(size))
	}
	if err != nil {
		return err
	}
	if _, err := verifyFiles(dbDir, bo, false); err != nil { // (every table: it is new)
		return refused("could not be stored whole (%v)", err)
	}
	return syncTree(dbDir)
}

// loadBackup runs Badger's loader, turning its panics (it trusts every
// byte of the stream) into a refusal.
func loadBackup(db *badger.DB, r io.Reader) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = refused("is not a caseboard backup (Badger could not read it: %v)", p)
		}
	}()
	if err := db.Load(r, 256); err != nil {
		if errors.Is(err, syscall.ENOSPC) {
			return err
		}
		return refused("is not a caseboard backup (Badger could not read it: %v)", err)
	}
	return nil
}

// checkDesk: a restored store must be a caseboard desk that someone can
// administer.
func checkDesk(db *badger.DB) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = refused("is not a caseboard backup (Badger could not read what it loaded: %v)", p)
		}
	}()
	return db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(kSchema))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return refused("holds no caseboard desk (it has no schema record)")
		}
		if err != nil {
			return fmt.Errorf("restore: read the staged schema: %w", err)
		}
		var schema int64
		if err := item.Value(func(v []byte) (err error) { schema, err = decInt(v); return err }); err != nil {
			return refused("holds no caseboard desk (its schema record is unreadable)")
		}
		if schema > SchemaVersion {
			return refused("was written by a newer caseboard (schema %d); this one reads up to %d", schema, SchemaVersion)
		}
		managers := 0
		var users []model.User
		err = eachJSON(txn, []byte(pUser), func(u *model.User) error {
			if u.Role == model.Manager {
				managers++
			}
			users = append(users, *u)
			return nil
		})
		if err != nil {
			return refused("holds unreadable users (%v)", err)
		}
		if managers == 0 {
			return refused("holds no manager: nobody could administer the restored desk")
		}
		// Keys enter here too: one on two users would let either log in
		// as the other, and a text that is no key is not a way in.
		if probs := model.KeyProblems(users); len(probs) > 0 {
			more := ""
			if len(probs) > 1 {
				more = fmt.Sprintf(" (and %d more)", len(probs)-1)
			}
			return refused("holds a bad SSH key: %s%s", probs[0], more)
		}
		return nil
	})
}

// syncTree fsyncs every file of dir, then dir itself.
func syncTree(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if err := syncPath(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return syncPath(dir)
}

func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("restore: sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("restore: sync %s: %w", path, err)
	}
	return nil
}

// restoreInMemory loads the backup into a second in-memory store and, if
// it holds a desk, puts it in the old one's place.
func (s *Store) restoreInMemory(r io.Reader, force bool) error {
	var buf bytes.Buffer
	if _, err := copyFrames(r, &buf); err != nil {
		return err
	}
	db, err := badger.Open(badgerOptions(Options{InMemory: true}, s.log))
	if err != nil {
		return fmt.Errorf("restore: open the staging store: %w", err)
	}
	err = loadBackup(db, &buf)
	if err == nil {
		err = checkDesk(db)
	}
	if err != nil {
		db.Close()
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.mayRestoreLocked(force); err != nil {
		db.Close()
		return err
	}
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	if err := s.releaseSequences(); err != nil {
		db.Close()
		return err
	}
	old := s.db
	s.db = db
	err = s.init()
	_ = old.Close()
	s.feed.resync()
	return err
}
