package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzRestore: restore --force of any bytes either gives a whole desk or
// is refused in one line with the store unchanged; nothing panics.
func FuzzRestore(f *testing.F) {
	src, err := Open(Options{InMemory: true})
	if err != nil {
		f.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Import(mustParse(f, sampleDoc), "maria", t0); err != nil {
		f.Fatal(err)
	}
	var bak bytes.Buffer
	if err := src.Backup(&bak); err != nil {
		f.Fatal(err)
	}
	good := bak.Bytes()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:9])
	f.Add([]byte(sampleDoc))
	f.Add([]byte{})
	f.Add([]byte{8, 0, 0, 0, 0, 0, 0, 0, 10, 6, 10, 1, 'k', 18, 1, 'v'})

	s, err := Open(Options{InMemory: true})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(mustParse(f, sampleDoc), "maria", t0); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		before := exportBytes(t, s)
		err := s.Restore(bytes.NewReader(data), true)
		if err == nil {
			if _, err := s.Users(); err != nil {
				t.Fatalf("a restored store does not read: %v", err)
			}
			// Back to the base desk for the next input.
			if err := s.Restore(bytes.NewReader(good), true); err != nil {
				t.Fatal(err)
			}
			return
		}
		var re *RestoreError
		if !errors.As(err, &re) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("refused with %q, want one line of a *RestoreError", err)
		}
		if after := exportBytes(t, s); !bytes.Equal(before, after) {
			t.Fatalf("a refused restore changed the store: %v", err)
		}
	})
}
