package store

import (
	"errors"
	"fmt"
	"os"

	"github.com/dgraph-io/badger/v4/table"
)

// ownFiles are what caseboard itself keeps beside Badger's files in a data
// directory; lost+found is what a freshly made filesystem holds.
var ownFiles = map[string]bool{
	LogName: true, holderName: true, "caseboard.sock": true, "caseboard.sock.path": true,
	"ssh_host_ed25519": true, "ssh_host_ed25519.pub": true, "lost+found": true,
}

// prepareDir makes sure dir can be a data directory, creating it (0700)
// when missing. A directory that holds other files and no store is
// refused before anything is written into it: `--data ~` must not strew a
// database among someone's files.
func prepareDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create the data directory: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("the data directory %s: %w", dir, err)
	}
	foreign := ""
	for _, e := range entries {
		switch {
		case e.Name() == "MANIFEST":
			return nil // a Badger store: ours
		case isTable(e.Name()):
			return nil // a Badger store that lost its MANIFEST: verifyFiles says so
		case !ownFiles[e.Name()] && foreign == "":
			foreign = e.Name()
		}
	}
	if foreign != "" {
		return fmt.Errorf("the data directory %s holds other files (%s) and no caseboard store: give an empty or new directory", dir, foreign)
	}
	return nil
}

// isTable reports a Badger table's file name.
func isTable(name string) bool {
	_, ok := table.ParseFileID(name)
	return ok
}
