package cli

import "os"

// createPrivate creates (or truncates) a file the command writes for its
// user, a backup: mode 0600 whatever the umask, and whatever mode a file
// already at path had (it holds the whole desk).
func createPrivate(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
