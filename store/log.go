package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/natefinch/lumberjack.v2"
)

// LogName is the log file in the data directory.
const LogName = "caseboard.log"

// logBackupTime is how lumberjack stamps the old logs it keeps
// (caseboard-2006-01-02T15-04-05.000.log).
const logBackupTime = "2006-01-02T15-04-05.000"

// LogOptions bound the log: it is rotated by size and only a few old files
// are kept, so a desk run for years by cron does not fill its disk.
type LogOptions struct {
	// MaxMB is the size in megabytes at which the log is rotated; zero
	// means 10.
	MaxMB int
	// Backups is how many rotated logs are kept; zero means 3.
	Backups int
}

// OpenLog opens (appending) the data directory's log file with the
// default LogOptions and returns a logger writing to it. Close the Closer
// when done.
func OpenLog(dir string) (*slog.Logger, io.Closer, error) {
	return OpenLogOptions(dir, LogOptions{})
}

// OpenLogOptions is OpenLog with the rotation's bounds given.
func OpenLogOptions(dir string, o LogOptions) (*slog.Logger, io.Closer, error) {
	if err := prepareDir(dir); err != nil {
		return nil, nil, err
	}
	if o.MaxMB <= 0 {
		o.MaxMB = 10
	}
	if o.Backups <= 0 {
		o.Backups = 3
	}
	path := filepath.Join(dir, LogName)
	// lumberjack opens the file at the first write and says nothing when
	// it cannot; opening it here gives the error to the caller, and makes
	// a log left readable by an older caseboard 0600 (lumberjack gives a
	// rotated log the mode of the old one).
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open the log: %w", err)
	}
	err = f.Chmod(0o600)
	f.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("open the log: %w", err)
	}
	lj := &lumberjack.Logger{Filename: path, MaxSize: o.MaxMB, MaxBackups: o.Backups}
	return slog.New(slog.NewTextHandler(lj, &slog.HandlerOptions{Level: slog.LevelInfo})), lj, nil
}

// badgerLogger sends Badger's warnings and errors to slog. Its INFO lines
// (tables opened, compactions, value log replays) were three quarters of
// the log, a dozen per command, and say nothing a desk acts on.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) logf(level slog.Level, format string, args ...any) {
	if level < slog.LevelWarn || !b.l.Enabled(context.Background(), level) {
		return
	}
	b.l.Log(context.Background(), level, strings.TrimSpace(fmt.Sprintf(format, args...)), "from", "badger")
}

func (b badgerLogger) Errorf(f string, a ...any)   { b.logf(slog.LevelError, f, a...) }
func (b badgerLogger) Warningf(f string, a ...any) { b.logf(slog.LevelWarn, f, a...) }
func (b badgerLogger) Infof(f string, a ...any)    { b.logf(slog.LevelInfo, f, a...) }
func (b badgerLogger) Debugf(f string, a ...any)   { b.logf(slog.LevelDebug, f, a...) }
