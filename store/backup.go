package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"hash/crc32"
	"io"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"
)

// A caseboard backup is Badger's backup stream (records of an 8-byte
// little-endian length, then a KVList) between two records of caseboard's
// own, in the same framing: first a begin record, last an end record that
// holds the length and the CRC-32C of every Badger record between them.
// A restore copies Badger's records alone and refuses a backup that began
// and does not end, or whose records are not what its end counted: a
// backup cut between two of Badger's records (about 16 MB each), one with
// a record left out or a byte changed anywhere. A backup without a begin
// record (written before it existed) is read as before. Badger's own
// loader reads either: the two records would be two more keys.
const (
	kBackupBegin = "!caseboard!backup"
	kBackupEnd   = "!caseboard!backup-end"
	// backupFormat is the begin record's version; a restore refuses a
	// newer one.
	backupFormat = 1
	// maxMarker bounds a begin or end record: a larger record is Badger's.
	maxMarker = 512
)

type backupBegin struct {
	Format  string `json:"format"` // "caseboard-backup"
	Version int    `json:"version"`
}

type backupEnd struct {
	Bytes  int64  `json:"bytes"`  // Badger's records, headers included
	CRC32C uint32 `json:"crc32c"` // of those bytes
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Backup writes a full backup of the store: Badger's records between a
// begin and an end record.
func (s *Store) Backup(w io.Writer) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if err := writeMarker(w, kBackupBegin, backupBegin{"caseboard-backup", backupFormat}); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	sum := &summing{w: w, crc: crc32.New(castagnoli)}
	if _, err := s.db.Backup(sum, 0); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := writeMarker(w, kBackupEnd, backupEnd{sum.n, sum.crc.Sum32()}); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// summing counts and checksums what passes through it.
type summing struct {
	w   io.Writer
	n   int64
	crc hash.Hash32
}

func (s *summing) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	s.n += int64(n)
	s.crc.Write(p[:n])
	return n, err
}

// writeMarker writes a record of one key, its value v as JSON, in
// Badger's framing.
func writeMarker(w io.Writer, key string, v any) error {
	val, err := json.Marshal(v)
	if err != nil {
		return err
	}
	body, err := proto.Marshal(&pb.KVList{Kv: []*pb.KV{{Key: []byte(key), Value: val, Version: 1}}})
	if err != nil {
		return err
	}
	var hdr [8]byte
	binary.LittleEndian.PutUint64(hdr[:], uint64(len(body)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}

// marker reads a record's body as a begin or end record: its key and
// value, ok=false when it is one of Badger's.
func marker(body []byte) (key string, val []byte, ok bool) {
	var list pb.KVList
	if proto.Unmarshal(body, &list) != nil || len(list.Kv) != 1 {
		return "", nil, false
	}
	switch k := string(list.Kv[0].Key); k {
	case kBackupBegin, kBackupEnd:
		return k, list.Kv[0].Value, true
	}
	return "", nil, false
}

// Empty reports whether the store holds no records.
func (s *Store) Empty() (bool, error) {
	empty := true
	err := s.view(func(txn *badger.Txn) error {
		for _, p := range []string{pAccount, pUser, pCase, pEntry, pEvent, pEsc} {
			if exists(txn, []byte(p)) {
				empty = false
			}
		}
		return nil
	})
	return empty, err
}
