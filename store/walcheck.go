package store

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4/y"
	"golang.org/x/sys/unix"
)

// Badger's memtable write-ahead log (a .mem file), as memtable.go and
// value.go of badger v4.9.6 write and replay it: a 20-byte header (key id,
// 8 bytes, zero when not encrypted; base IV, 12), then entries of
//
//	meta, userMeta (1 byte each), uvarint klen, vlen, expiresAt,
//	key, value, CRC32-Castagnoli (big endian) of all before it
//
// Badger preallocates the file (twice the memtable size, zeros) and copies
// each entry into its memory map, so a process killed mid-copy leaves part
// of its last entry and zeros after it (walTorn). At open, Badger replays
// the entries up to the first one that does not decode (or breaks a
// transaction), keeps the transactions committed before it and truncates
// the file there, without a word, whatever follows: checkWALs refuses a log
// where that would drop more than a torn last write.
const (
	walHeaderSize = 20
	walMaxKey     = 1 << 16 // Badger's sanity limit on klen
	walBitTxn     = 1 << 6
	walBitFinTxn  = 1 << 7
	// walMaxValue bounds the value of an entry taken for a real one when
	// looking for entries past a break: Badger keeps a value in the log
	// only below its value threshold, at most 1 MB (maxValueThreshold);
	// bigger values go to the value log and the entry holds a pointer.
	walMaxValue = 1 << 20
	// walSector and walMinHole describe what lost writes look like: a
	// sector (or page) that never reached the disk reads as the part that
	// did, then zeros to its end.
	walSector  = 512
	walMinHole = 16
)

// walStatus is how the entry at an offset decodes.
type walStatus int

const (
	walOK      walStatus = iota
	walEnd               // the file ends exactly here
	walShort             // the file ends inside the entry
	walBad               // the entry is there but fails: CRC, key length
	walGarbled           // a length overflows: Badger refuses the open
)

type walEntry struct {
	meta       byte
	key, value []byte
	klen, vlen uint32 // as its header claims
	end        int    // offset just past the entry (as its header claims)
}

// decodeWALEntry decodes the entry at off the way Badger's safeRead.Entry
// does.
func decodeWALEntry(data []byte, off int) (walEntry, walStatus) {
	if off >= len(data) {
		return walEntry{}, walEnd
	}
	if off+2 > len(data) {
		return walEntry{end: len(data) + 1}, walShort
	}
	e := walEntry{meta: data[off]}
	i := off + 2
	var lens [3]uint64
	for n := range lens {
		v, k := binary.Uvarint(data[i:])
		if k == 0 {
			return walEntry{end: len(data) + 1}, walShort
		}
		if k < 0 {
			return walEntry{end: i}, walGarbled
		}
		lens[n], i = v, i+k
	}
	klen, vlen := uint32(lens[0]), uint32(lens[1]) // Badger keeps 32 bits
	e.klen, e.vlen = klen, vlen
	e.end = i + int(klen) + int(vlen) + crc32.Size
	if klen > walMaxKey {
		return e, walBad
	}
	if e.end > len(data) {
		return e, walShort
	}
	body := data[off : e.end-crc32.Size]
	if crc32.Checksum(body, y.CastagnoliCrcTable) != binary.BigEndian.Uint32(data[e.end-crc32.Size:]) {
		return e, walBad
	}
	e.key = data[i : i+int(klen)]
	e.value = data[i+int(klen) : i+int(klen)+int(vlen)]
	return e, walOK
}

// walWalk is where Badger's replay of a log stops.
type walWalk struct {
	kept   int       // Badger keeps [0, kept) and truncates the rest
	stop   int       // the offset of the entry the replay stopped at
	status walStatus // how that entry decoded (walOK: it broke a transaction)
	entry  walEntry  // that entry as its header claims
}

// walkWAL replays a log as Badger's logFile.iterate does, calling fn with
// the key of every entry Badger puts back into the memtable.
func walkWAL(data []byte, fn func(key []byte)) walWalk {
	off, kept := walHeaderSize, walHeaderSize
	var lastCommit uint64
	var pending [][]byte
	for {
		e, st := decodeWALEntry(data, off)
		if st == walOK && len(e.key) == 0 {
			st = walBad // Badger stops at a zero entry too
		}
		if st != walOK {
			return walWalk{kept: kept, stop: off, status: st, entry: e}
		}
		broke := false
		switch {
		case e.meta&walBitTxn != 0:
			ts := y.ParseTs(e.key)
			if lastCommit == 0 {
				lastCommit = ts
			}
			broke = lastCommit != ts
			pending = append(pending, e.key)
		case e.meta&walBitFinTxn != 0:
			ts, err := strconv.ParseUint(string(e.value), 10, 64)
			broke = err != nil || ts != lastCommit
			if !broke {
				lastCommit, kept = 0, e.end
				for _, k := range pending {
					fn(k)
				}
				pending = pending[:0]
			}
		default:
			broke = lastCommit != 0
			if !broke {
				kept = e.end
				fn(e.key)
			}
		}
		if broke {
			return walWalk{kept: kept, stop: off, status: walOK, entry: e}
		}
		off = e.end
	}
}

// walTorn reports whether the replay stopped at a torn write, which Badger
// rightly drops (nothing in it was acknowledged), or at damage, where it
// would drop committed writes; later reports writes after the break.
//
// A killed process leaves its last entry part copied: Go's copy of more
// than 256 bytes (memmove, amd64 AVX) stores the body first, then the
// first bytes (1 to 32, up to an aligned address), then the last 128;
// shorter copies store 16 bytes at a time from the start. So the entry's
// first byte is unwritten (zero, the preallocated file's), or it is
// written with the whole header (at most 16 bytes: no caseboard write has
// a TTL) and the entry reads as written up to some byte and zeros to the
// end of the file. A power loss may also leave a sector of it zeros (the
// part that never reached the disk) and the next sectors written.
//
// So the stop is torn when, after it, nothing but zeros follows, or the
// non-zero bytes fit in one entry, no whole entry starts among them, and
// the entry there is not whole: its first byte is zero, or its last bytes
// are missing (cut by the end of the file, zeros before its claimed end,
// a CRC written only in part, matching), or a zeroed sector lies in it.
// Anything else is damage: an entry at its full length failing its CRC,
// lengths no write of Badger's has (a written header is whole; an
// unwritten one reads zeros, which only shorten them), an entry breaking
// its transaction, data past the entry, whole entries after the break.
func walTorn(data []byte, w walWalk) (torn, later bool) {
	switch w.status {
	case walEnd:
		return true, false
	case walOK:
		return false, true
	}
	z := lastNonZero(data) + 1
	if z <= w.stop {
		return true, false
	}
	if z-w.stop > walMaxEntry || entryAfter(data, w.stop+1, z) {
		return false, true
	}
	e := w.entry
	if w.status == walShort && (e.end > len(data) && e.klen == 0 && e.vlen == 0) {
		return true, false // the file ends inside the header
	}
	plausible := w.status != walGarbled && e.klen >= 1 && e.klen <= walMaxKey && e.vlen <= walMaxValue
	unwritten := data[w.stop] == 0
	switch {
	case !plausible:
		return unwritten, false
	case e.end > len(data):
		return true, false // cut by the end of the file
	case z > e.end:
		return unwritten || zeroedFrom(data, w.stop, e.end), false
	case z >= e.end-crc32.Size:
		// The body is whole: the CRC's bytes written must be its own.
		crcAt := e.end - crc32.Size
		var sum [crc32.Size]byte
		binary.BigEndian.PutUint32(sum[:], crc32.Checksum(data[w.stop:crcAt], y.CastagnoliCrcTable))
		return string(sum[:z-crcAt]) == string(data[crcAt:z]), false
	default:
		return true, false // its last bytes are missing
	}
}

// walMaxEntry is the longest entry Badger writes in a memtable log.
const walMaxEntry = 22 + walMaxKey + walMaxValue + crc32.Size

// lastNonZero is the index of the last non-zero byte of b (-1 if none),
// eight bytes at a time over the zeros.
func lastNonZero(b []byte) int {
	i := len(b)
	for ; i%8 != 0; i-- {
		if b[i-1] != 0 {
			return i - 1
		}
	}
	for ; i >= 8 && binary.LittleEndian.Uint64(b[i-8:]) == 0; i -= 8 {
	}
	for ; i > 0; i-- {
		if b[i-1] != 0 {
			return i - 1
		}
	}
	return -1
}

// zeroedFrom reports whether the entry [from, end) (as its header claims)
// holds a sector that never reached the disk: from one of its bytes, at
// least walMinHole zeros through the end of that walSector.
func zeroedFrom(data []byte, from, end int) bool {
	end = min(end, len(data))
	for t := from; t < end; t++ {
		if data[t] != 0 {
			continue
		}
		need := min(len(data), max(t+walMinHole, (t/walSector+1)*walSector))
		r := t
		for r < need && data[r] == 0 {
			r++
		}
		if r == need {
			return true
		}
		t = r
	}
	return false
}

// entryAfter reports whether a whole entry Badger could have written
// starts in [from, to). Its klen (at least 9: a key and its 8-byte
// version) starts with a non-zero byte 2 bytes into it, so only the
// offsets 2 before a non-zero byte are tried.
func entryAfter(data []byte, from, to int) bool {
	lim := data[:min(to+2, len(data))]
	for p := from + 2; p < len(lim); p++ {
		if p = nextNonZero(lim, p); p == len(lim) {
			return false
		}
		e, st := decodeWALEntry(data, p-2)
		if st == walOK && len(e.key) > 8 && len(e.value) <= walMaxValue {
			return true
		}
	}
	return false
}

// nextNonZero is the index of the first non-zero byte at or after i
// (len(b) if none), eight bytes at a time over the zeros.
func nextNonZero(b []byte, i int) int {
	for ; i < len(b) && i%8 != 0; i++ {
		if b[i] != 0 {
			return i
		}
	}
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:]) != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] != 0 {
			return i
		}
	}
	return len(b)
}

// checkWALs checks every memtable log of dir before Badger replays it and
// calls keys (if not nil) with the key of each entry Badger will replay.
// A damaged log is a *DamagedError (via damaged); nothing is changed.
func checkWALs(dir string, keys func([]byte), damaged func(string, ...any) error) error {
	names, err := filepath.Glob(filepath.Join(dir, "*.mem"))
	if err != nil {
		return err
	}
	if keys == nil {
		keys = func([]byte) {}
	}
	for _, name := range names {
		if _, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(name), ".mem")); err != nil {
			continue // not Badger's: it parses the number (and refuses others itself)
		}
		data, unmap, err := mapFile(name)
		if err != nil {
			return err
		}
		if data == nil {
			continue
		}
		if binary.BigEndian.Uint64(data[:8]) != 0 {
			unmap()
			continue // encrypted (caseboard does not encrypt): Badger checks it
		}
		w := walkWAL(data, keys)
		torn, later := walTorn(data, w)
		unmap()
		switch {
		case torn:
		case later:
			return damaged("its write-ahead log %s is garbled at byte %d (the writes after it would be lost)", filepath.Base(name), w.stop)
		default:
			return damaged("its write-ahead log %s is garbled at byte %d (its last write would be lost)", filepath.Base(name), w.stop)
		}
	}
	return nil
}

// mapFile maps a file read-only; nil data for one too short to hold a log
// header (an empty memtable, which Badger sizes and drops).
func mapFile(name string) ([]byte, func(), error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", filepath.Base(name), err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", filepath.Base(name), err)
	}
	if fi.Size() < walHeaderSize {
		return nil, func() {}, nil
	}
	data, err := unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", filepath.Base(name), err)
	}
	return data, func() { _ = unix.Munmap(data) }, nil
}
