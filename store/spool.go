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
	"runtime"
	"sort"
	"strconv"
)

// A large import's keys and values are spooled to files in the data
// directory before they go to Badger: the checked plan (every record,
// decoded) and the document it came from are let go first, so the
// memory of the check and the memory of Badger's write (memtables, table
// builders) are never needed at once (100,000 cases: the plan is ~40 MB
// live, Badger's write ~100 MB). One file per key prefix, given back in
// key order: each memtable then holds one range of keys, not slices of
// every prefix, so Badger's compactions merge few tables with each other.

// importSpoolName is the spool directory in the data directory; Open
// removes a leftover.
const importSpoolName = "import.spool"

// spool is a spooled import: a file per key prefix ("c/", "ac/", "meta/").
type spool struct {
	dir   string
	files map[string]*spoolFile
}

type spoolFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
}

// spoolImport writes every key and value emit gives to the spool,
// checking every few MB that the disk keeps caseboard's margin.
func (s *Store) spoolImport(emit func(set func(k, v []byte) error) error) (sp *spool, err error) {
	sp = &spool{dir: filepath.Join(s.dir, importSpoolName), files: map[string]*spoolFile{}}
	if err := os.RemoveAll(sp.dir); err != nil {
		return nil, fmt.Errorf("spool the import: %w", err)
	}
	if err := os.Mkdir(sp.dir, 0o700); err != nil {
		return nil, fmt.Errorf("spool the import: %w", err)
	}
	defer func() {
		for _, sf := range sp.files {
			if cerr := sf.f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("spool the import: %w", cerr)
			}
		}
		if err != nil {
			sp.remove()
		}
	}()
	var hdr [2 * binary.MaxVarintLen64]byte
	n, next := 0, 0
	err = emit(func(k, v []byte) error {
		if n >= next {
			if err := s.checkSpace(); err != nil {
				return err
			}
			next = n + 4<<20
		}
		n += len(k) + len(v)
		p := keyPrefix(k)
		sf := sp.files[string(p)]
		if sf == nil {
			sf = &spoolFile{path: filepath.Join(sp.dir, strconv.Itoa(len(sp.files)))}
			f, err := os.OpenFile(sf.path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if err != nil {
				return err
			}
			sf.f, sf.w = f, bufio.NewWriterSize(f, 256<<10)
			sp.files[string(p)] = sf
		}
		h := binary.AppendUvarint(hdr[:0], uint64(len(k)))
		h = binary.AppendUvarint(h, uint64(len(v)))
		if _, err := sf.w.Write(h); err != nil {
			return err
		}
		if _, err := sf.w.Write(k); err != nil {
			return err
		}
		_, err := sf.w.Write(v)
		return err
	})
	for _, sf := range sp.files {
		if err == nil {
			err = sf.w.Flush()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("spool the import: %w", err)
	}
	return sp, nil
}

// keyPrefix is a key's prefix up to its first '/' (the whole key if none).
func keyPrefix(k []byte) []byte {
	if i := bytes.IndexByte(k, '/'); i >= 0 {
		return k[:i+1]
	}
	return k
}

func (sp *spool) remove() { os.RemoveAll(sp.dir) }

// emit gives back what was spooled, prefix by prefix in key order, each
// in the order it was written.
func (sp *spool) emit(set func(k, v []byte) error) error {
	prefixes := make([]string, 0, len(sp.files))
	for p := range sp.files {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		if err := replaySpool(sp.files[p].path, set); err != nil {
			return err
		}
	}
	return nil
}

func replaySpool(path string, set func(k, v []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read the import's spool: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 256<<10)
	for {
		kn, err := binary.ReadUvarint(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the import's spool: %w", err)
		}
		vn, err := binary.ReadUvarint(r)
		if err != nil {
			return fmt.Errorf("read the import's spool: %w", err)
		}
		// Badger keeps both until its transaction commits: one
		// allocation for the pair.
		kv := make([]byte, kn+vn)
		if _, err := io.ReadFull(r, kv); err != nil {
			return fmt.Errorf("read the import's spool: %w", err)
		}
		if err := set(kv[:kn:kn], kv[kn:]); err != nil {
			return err
		}
	}
}

// dropPlan lets go of a spooled plan's records and collects them, so
// that Badger's write reuses their memory instead of adding to it.
func dropPlan(clear func()) {
	clear()
	runtime.GC()
}
