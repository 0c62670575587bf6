package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"
	"golang.org/x/sys/unix"
)

// holderName is the file in the data directory naming the process that
// holds the store (Badger's own LOCK file says only that it is held).
const holderName = "holder.json"

// Holder is what the holder file records.
type Holder struct {
	PID  int    `json:"pid"`
	Role string `json:"role"`
	Addr string `json:"addr,omitempty"`
}

// HeldError says that a board or serve process holds the store. Commands
// forward to that process; if they cannot, they print this one line.
type HeldError struct {
	Dir  string
	PID  int
	Role string
	Addr string
}

func (e *HeldError) Error() string {
	var b strings.Builder
	if e.Role == "" {
		// Badger's lock file names it, no holder file does: not a
		// caseboard process (each writes its file before anyone can
		// find the store held and not named).
		fmt.Fprintf(&b, "the store %s is held by another program (pid %d", e.Dir, e.PID)
	} else {
		fmt.Fprintf(&b, "the store %s is held by caseboard %s (pid %d", e.Dir, e.Role, e.PID)
	}
	if e.Addr != "" {
		fmt.Fprintf(&b, ", listening on %s", e.Addr)
	}
	b.WriteString(")")
	return b.String()
}

type holderFile struct {
	path string
	info Holder
}

// write replaces the holder file atomically.
func (h *holderFile) write() error {
	b, _ := json.Marshal(h.info)
	tmp := h.path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write the holder file: %w", err)
	}
	if err := os.Rename(tmp, h.path); err != nil {
		return fmt.Errorf("write the holder file: %w", err)
	}
	return nil
}

// remove deletes the holder file if it is still ours.
func (h *holderFile) remove() error {
	cur, ok := readHolder(filepath.Dir(h.path))
	if ok && cur.PID != h.info.PID {
		return nil
	}
	if err := os.Remove(h.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func readHolder(dir string) (Holder, bool) {
	b, err := os.ReadFile(filepath.Join(dir, holderName))
	if err != nil {
		return Holder{}, false
	}
	var h Holder
	if json.Unmarshal(b, &h) != nil || h.PID <= 0 {
		return Holder{}, false
	}
	return h, true
}

// alive reports whether a process with the pid exists.
func alive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// openHeld opens Badger in opts.Dir, sorting out who holds it. Badger's
// directory lock is the truth: if it can be taken, whatever holder.json
// says is stale (a crashed holder, its pid perhaps reused by another
// program). Only when the lock is taken does the holder file tell who has
// it: a live board or serve is a *HeldError, a short command is waited
// for (opts.HeldWait, 10 s by default).
//
// Before Badger opens the files, verifyFiles checks them under a shared
// lock of the directory (Badger's own lock is an exclusive flock of it):
// a damaged store is a *DamagedError. hasTables reports that the store
// held tables before it was opened (it is not new).
func openHeld(opts Options, logger *slog.Logger) (db *badger.DB, hasTables bool, err error) {
	wait := opts.HeldWait
	if wait <= 0 {
		wait = 10 * time.Second
	}
	deadline := time.Now().Add(wait)
	graced := false
	for {
		// A restore's swap interrupted by a crash is finished first; one
		// under way in another process is waited for like its lock.
		busy, err := settleSwap(opts.Dir)
		var damaged *DamagedError
		switch {
		case errors.As(err, &damaged):
			logger.Error("store damaged", "err", err)
			return nil, false, err
		case err != nil:
			return nil, false, err
		case busy:
			err = errDirLocked
		default:
			hasTables, err = verifyUnlocked(opts.Dir, badgerOptions(opts, logger))
		}
		if errors.As(err, &damaged) {
			logger.Error("store damaged", "err", err)
			return nil, false, err
		}
		if err == nil {
			db, err = badger.Open(badgerOptions(opts, logger))
		}
		if err != nil && isEmptyMemtableErr(err) {
			// A process killed between creating a memtable's log and
			// sizing it leaves an empty file, which Badger refuses once
			// ("while opening fid: N err: Create a new file") but sizes as
			// it fails: opened again, it is an empty memtable (no write in
			// it), which Badger drops.
			logger.Warn("reopening after an empty memtable left by a crash", "err", err)
			db, err = badger.Open(badgerOptions(opts, logger))
		}
		if err == nil {
			return db, hasTables, nil
		}
		if !isLockErr(err) {
			return nil, false, fmt.Errorf("open the store %s: %w", opts.Dir, err)
		}
		h, ok := readHolder(opts.Dir)
		if ok && h.Role != "command" && alive(h.PID) {
			return nil, false, &HeldError{Dir: opts.Dir, PID: h.PID, Role: h.Role, Addr: h.Addr}
		}
		// Held by a short command (or by a holder that has not written its
		// file yet): wait a little and try again.
		if time.Now().After(deadline) {
			if ok && alive(h.PID) {
				return nil, false, &HeldError{Dir: opts.Dir, PID: h.PID, Role: h.Role, Addr: h.Addr}
			}
			// Nobody names itself: a holder between taking the lock and
			// writing its file, or another opener checking the files
			// (a shared lock for a moment). Keep trying a little longer
			// before saying who it is.
			if !graced {
				graced, deadline = true, time.Now().Add(time.Second)
				continue
			}
			return nil, false, heldByOther(opts.Dir)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// heldByOther names a holder that wrote no holder file, by the pid Badger
// writes in its lock file: not a caseboard process, since each writes its
// file just after taking the lock and removes it just before letting go.
func heldByOther(dir string) error {
	pid := 0
	if b, err := os.ReadFile(filepath.Join(dir, badgerLockName)); err == nil {
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	if pid > 0 {
		return &HeldError{Dir: dir, PID: pid}
	}
	// Taken by a read-only opener, which writes no pid file.
	return fmt.Errorf("the store %s is held by another program, which does not say which", dir)
}

// badgerLockName is the pid file Badger writes beside its directory lock.
const badgerLockName = "LOCK"

// isEmptyMemtableErr recognizes Badger's refusal of an empty memtable
// file. Badger wraps with %+v, not %w: only the message tells.
func isEmptyMemtableErr(err error) bool {
	return strings.Contains(err.Error(), "while opening memtables") && strings.Contains(err.Error(), z.NewFile.Error())
}

func isLockErr(err error) bool {
	return strings.Contains(err.Error(), "Cannot acquire directory lock")
}

// HeldBy names the board or serve holding the store in dir, for a command
// to forward to before it opens anything: the holder file names a live
// board or serve, and Badger's directory lock is taken. A holder file that
// is stale (its pid dead, or the lock free: a crashed holder whose pid was
// reused) names nobody, and neither does a short command holding the store
// (Open waits for it): in both cases the caller opens the store itself,
// and a holder that appears meanwhile is Open's *HeldError.
func HeldBy(dir string) (*HeldError, bool) {
	h, ok := readHolder(dir)
	if !ok || (h.Role != "board" && h.Role != "serve") || !alive(h.PID) || !dirLocked(dir) {
		return nil, false
	}
	return &HeldError{Dir: dir, PID: h.PID, Role: h.Role, Addr: h.Addr}, true
}

// dirLocked reports whether Badger's exclusive lock of dir is taken: a
// shared lock of the directory cannot be had (verifyUnlocked takes the
// same one for a moment).
func dirLocked(dir string) bool {
	d, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer d.Close()
	if err := unix.Flock(int(d.Fd()), unix.LOCK_SH|unix.LOCK_NB); err != nil {
		return errors.Is(err, unix.EWOULDBLOCK)
	}
	_ = unix.Flock(int(d.Fd()), unix.LOCK_UN)
	return false
}
