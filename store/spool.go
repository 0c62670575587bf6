package store

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// An import's keys and values are spooled as its records are checked
// (importWriter), before any goes to Badger: the document is read record
// by record and never held, and the memory of the check and the memory of
// Badger's write (memtables, table builders) are never needed at once.
// One file per key prefix, given back prefix by prefix in key order:
// each memtable then holds one range of keys, not slices of every prefix,
// so Badger's compactions merge few tables with each other. A store in
// memory spools in memory.

// importSpoolName is the spool directory in the data directory; Open
// removes a leftover.
const importSpoolName = "import.spool"

// spool is one import's spool: a file per channel and key prefix. The
// channel keeps apart what may be dropped as a whole (the imported
// events, when the document turns out to have its own).
type spool struct {
	s     *Store
	dir   string // "": in memory
	files map[spoolSlot]*spoolFile
	size  uint64 // bytes of keys and values, with Badger's per-entry header
	next  uint64 // size at the next check of the disk's margin
	named int    // files named so far
}

type spoolSlot struct{ channel, prefix string }

type spoolFile struct {
	path string
	f    *os.File      // on disk
	w    *bufio.Writer // on disk
	mem  bytes.Buffer  // in memory
	n    int64         // bytes written
	size uint64        // its part of spool.size
}

// newSpool starts an empty spool.
func (s *Store) newSpool() (*spool, error) {
	sp := &spool{s: s, files: map[spoolSlot]*spoolFile{}}
	if s.opts.InMemory {
		return sp, nil
	}
	sp.dir = filepath.Join(s.dir, importSpoolName)
	if err := os.RemoveAll(sp.dir); err != nil {
		return nil, fmt.Errorf("spool the import: %w", err)
	}
	if err := os.Mkdir(sp.dir, 0o700); err != nil {
		return nil, fmt.Errorf("spool the import: %w", err)
	}
	return sp, nil
}

// put adds a key and its value to channel's file of the key's prefix and
// returns the record's offset in it, checking every few MB that the disk
// keeps caseboard's margin.
func (sp *spool) put(channel string, k, v []byte) (int64, error) {
	if sp.size >= sp.next && sp.dir != "" {
		if err := sp.s.checkSpace(); err != nil {
			return 0, err
		}
		sp.next = sp.size + 4<<20
	}
	name := spoolSlot{channel, string(keyPrefix(k))}
	sf := sp.files[name]
	if sf == nil {
		var err error
		if sf, err = sp.open(); err != nil {
			return 0, fmt.Errorf("spool the import: %w", err)
		}
		sp.files[name] = sf
	}
	sz := uint64(len(k) + len(v) + 16)
	sp.size += sz
	sf.size += sz
	var hdr [2 * binary.MaxVarintLen64]byte
	h := binary.AppendUvarint(hdr[:0], uint64(len(k)))
	h = binary.AppendUvarint(h, uint64(len(v)))
	off := sf.n
	var w io.Writer = &sf.mem
	if sf.w != nil {
		w = sf.w
	}
	for _, b := range [][]byte{h, k, v} {
		if _, err := w.Write(b); err != nil {
			return 0, fmt.Errorf("spool the import: %w", err)
		}
		sf.n += int64(len(b))
	}
	return off, nil
}

func (sp *spool) open() (*spoolFile, error) {
	sf := &spoolFile{}
	if sp.dir == "" {
		return sf, nil
	}
	sf.path = filepath.Join(sp.dir, strconv.Itoa(sp.named))
	sp.named++
	f, err := os.OpenFile(sf.path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	sf.f, sf.w = f, bufio.NewWriterSize(f, 256<<10)
	return sf, nil
}

// get reads back the record at off of channel's file for prefix.
func (sp *spool) get(channel, prefix string, off int64) (k, v []byte, err error) {
	sf := sp.files[spoolSlot{channel, prefix}]
	if sf == nil {
		return nil, nil, fmt.Errorf("read the import's spool: no %s%s", channel, prefix)
	}
	var r io.ReaderAt = bytes.NewReader(sf.mem.Bytes())
	if sf.f != nil {
		if err := sf.w.Flush(); err != nil {
			return nil, nil, fmt.Errorf("read the import's spool: %w", err)
		}
		r = sf.f
	}
	br := bufio.NewReaderSize(io.NewSectionReader(r, off, sf.n-off), 4096)
	kv, err := readSpooled(br)
	if err != nil {
		return nil, nil, err
	}
	return kv[0], kv[1], nil
}

// drop forgets a channel's records.
func (sp *spool) drop(channel string) error {
	for name, sf := range sp.files {
		if name.channel != channel {
			continue
		}
		delete(sp.files, name)
		sp.size -= sf.size
		if sf.f != nil {
			sf.f.Close()
			if err := os.Remove(sf.path); err != nil {
				return fmt.Errorf("spool the import: %w", err)
			}
		}
	}
	return nil
}

// close closes the spool's files and removes them.
func (sp *spool) close() {
	for _, sf := range sp.files {
		if sf.f != nil {
			sf.f.Close()
		}
	}
	sp.files = nil
	if sp.dir != "" {
		os.RemoveAll(sp.dir)
	}
}

// keyPrefix is a key's prefix up to its first '/' (the whole key if none).
func keyPrefix(k []byte) []byte {
	if i := bytes.IndexByte(k, '/'); i >= 0 {
		return k[:i+1]
	}
	return k
}

// emit gives back what was spooled, prefix by prefix in key order, each
// file in the order it was written.
func (sp *spool) emit(set func(k, v []byte) error) error {
	names := make([]spoolSlot, 0, len(sp.files))
	for name := range sp.files {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		if c := strings.Compare(names[i].prefix, names[j].prefix); c != 0 {
			return c < 0
		}
		return names[i].channel < names[j].channel
	})
	for _, name := range names {
		if err := sp.replay(sp.files[name], set); err != nil {
			return err
		}
	}
	return nil
}

func (sp *spool) replay(sf *spoolFile, set func(k, v []byte) error) error {
	var r io.Reader = bytes.NewReader(sf.mem.Bytes())
	if sf.f != nil {
		if err := sf.w.Flush(); err != nil {
			return fmt.Errorf("read the import's spool: %w", err)
		}
		r = io.NewSectionReader(sf.f, 0, sf.n)
	}
	br := bufio.NewReaderSize(r, 256<<10)
	for {
		kv, err := readSpooled(br)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := set(kv[0], kv[1]); err != nil {
			return err
		}
	}
}

// readSpooled reads one key and value; io.EOF at the end of the file.
// Badger keeps both until its transaction commits: one allocation for
// the pair.
func readSpooled(r *bufio.Reader) ([2][]byte, error) {
	kn, err := binary.ReadUvarint(r)
	if errors.Is(err, io.EOF) {
		return [2][]byte{}, io.EOF
	}
	if err != nil {
		return [2][]byte{}, fmt.Errorf("read the import's spool: %w", err)
	}
	vn, err := binary.ReadUvarint(r)
	if err != nil {
		return [2][]byte{}, fmt.Errorf("read the import's spool: %w", err)
	}
	kv := make([]byte, kn+vn)
	if _, err := io.ReadFull(r, kv); err != nil {
		return [2][]byte{}, fmt.Errorf("read the import's spool: %w", err)
	}
	return [2][]byte{kv[:kn:kn], kv[kn:]}, nil
}
