package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// CheckHostKey refuses a host key file that others may read, or that does
// not parse; a missing file is fine (LoadHostKey generates it). serve runs
// it before it takes the store, so a bad key changes nothing.
func CheckHostKey(path string) error {
	_, err := readHostKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// LoadHostKey reads the host key at path, or generates an ed25519 one
// there (mode 0600 whatever the umask) when there is none.
func LoadHostKey(path string) (gossh.Signer, error) {
	signer, err := readHostKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return signer, err
	}
	if err := writeHostKey(path); err != nil {
		return nil, err
	}
	return readHostKey(path)
}

func readHostKey(path string) (gossh.Signer, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	// A private key others can read is a key others can serve as: the
	// same rule ssh itself applies to its keys.
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("host key %s is readable by others (mode %04o): run chmod 600 %s", path, info.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	signer, err := gossh.ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("host key %s: cannot parse: %w", path, err)
	}
	return signer, nil
}

// writeHostKey generates a key into a temporary file of mode 0600 in the
// same directory and renames it into place, so a crash leaves no half key.
func writeHostKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("host key: generate: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "caseboard serve")
	if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("host key %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes it 0600 already; Chmod says so whatever the umask.
	err = errors.Join(tmp.Chmod(0o600), pem.Encode(tmp, block), tmp.Sync(), tmp.Close())
	if err != nil {
		return fmt.Errorf("host key %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("host key %s: %w", path, err)
	}
	return nil
}
