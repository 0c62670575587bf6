package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// A large import's keys and values are spooled to a file in the data
// directory before they go to Badger: the checked plan (every record,
// decoded) and the document it came from are let go first, so the
// memory of the check and the memory of Badger's write (memtables, table
// builders) are never needed at once. 100,000 cases: the plan is ~40 MB
// live, Badger's write ~80 MB.

// importSpoolName is the spool in the data directory; Open removes a leftover.
const importSpoolName = "import.spool"

// spoolImport writes every key and value emit gives to the spool, in
// order, checking every few MB that the disk keeps caseboard's margin.
func (s *Store) spoolImport(emit func(set func(k, v []byte) error) error) (path string, err error) {
	path = filepath.Join(s.dir, importSpoolName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("spool the import: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("spool the import: %w", cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
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
		h := binary.AppendUvarint(hdr[:0], uint64(len(k)))
		h = binary.AppendUvarint(h, uint64(len(v)))
		if _, err := w.Write(h); err != nil {
			return err
		}
		if _, err := w.Write(k); err != nil {
			return err
		}
		_, err := w.Write(v)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return "", fmt.Errorf("spool the import: %w", err)
	}
	return path, nil
}

// spooled is an emit that gives back what spoolImport wrote.
func spooled(path string) func(set func(k, v []byte) error) error {
	return func(set func(k, v []byte) error) error {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("read the import's spool: %w", err)
		}
		defer f.Close()
		r := bufio.NewReaderSize(f, 1<<20)
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
}

// dropPlan lets go of a spooled plan's records and collects them, so
// that Badger's write reuses their memory instead of adding to it.
func dropPlan(clear func()) {
	clear()
	runtime.GC()
}
