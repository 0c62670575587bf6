package store

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"

	"caseboard/model"
)

// SchemaVersion is the layout this caseboard writes and the newest it
// reads. 2: the auto-close index (autoclose.go), which a caseboard that
// reads 1 would not keep, so it must refuse such a store. 3: the
// closed-case index (closed.go), for the same reason. 4: the alerts in
// raise order (aq/, alertindex.go).
const SchemaVersion = 4

// Options configure Open.
type Options struct {
	// Dir is the data directory (see DefaultDir). Ignored when InMemory.
	Dir string
	// InMemory keeps everything in memory (tests): no files, no holder.
	InMemory bool
	// Policy is the support policy actions are checked against; nil means
	// model.DefaultPolicy().
	Policy *model.Policy
	// Logger receives the store's and Badger's logs; nil discards them.
	// It must never write to the terminal (the board owns it).
	Logger *slog.Logger
	// Role is what the opening process is ("board", "serve", "command"),
	// written in the holder file so that others can say who holds the store.
	Role string
	// Addr is where a serve process listens, for the holder file (it may
	// also be set later with SetHolderAddr).
	Addr string
	// HeldWait is how long Open waits for a short command holding the
	// store; zero means 10 s.
	HeldWait time.Duration
	// Read opens for a command that only reads: the store must exist (a
	// *NoStoreError otherwise: reads never create one), and in a
	// directory this process cannot write (a read-only mount) Badger
	// opens read-only, with no holder file.
	Read bool
}

// Store is caseboard's Badger store. Its methods are safe for concurrent
// use; writers are serialized (see Apply).
type Store struct {
	db *badger.DB
	// hadTables: the directory held tables before this open (not new).
	hadTables bool
	dir       string
	opts      Options
	policy    *model.Policy
	log       *slog.Logger

	// writeMu serializes every writer, so that event sequence numbers are
	// handed out in commit order and the change feed sees commits in order.
	writeMu  sync.Mutex
	caseSeq  *badger.Sequence
	entrySeq *badger.Sequence

	// pubMu is held for writing only while a published import is copied
	// from staging to its place; readers hold it for reading so that they
	// never see half of that copy.
	pubMu sync.RWMutex
	// dbClosed is set (under pubMu) once Close has closed the DB.
	dbClosed bool
	// restoreMu serializes restores (each stages in the same directory);
	// a restore takes writeMu only to swap the staged store in.
	restoreMu sync.Mutex

	feed feed
	// alerts fans raised alerts out to watchers (outbox.go).
	alerts alertHub

	holder *holderFile
	closed bool
	// acReady: the auto-close index holds the due instants of policy
	// (autoclose.go).
	acReady atomic.Bool
	// clReady: the closed-case index is complete (schema 3; closed.go),
	// so a loaded desk may leave the closed cases on disk.
	clReady atomic.Bool
	// aqReady: the alerts' raise-order index is complete (schema 4;
	// alertindex.go), so the newest alerts are read alone.
	aqReady atomic.Bool
	// readOnly: opened with Badger's ReadOnly (Options.Read on a directory
	// that cannot be written); every write is refused by Badger.
	readOnly bool
}

// DefaultDir is $XDG_DATA_HOME/caseboard, else ~/.local/share/caseboard.
func DefaultDir(getenv func(string) string) string {
	if x := getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "caseboard")
	}
	home := getenv("HOME")
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = h
		}
	}
	return filepath.Join(home, ".local", "share", "caseboard")
}

// badgerOptions are sized for a desk: see doc.go for the reasoning.
func badgerOptions(o Options, logger *slog.Logger) badger.Options {
	bo := badger.DefaultOptions(o.Dir)
	if o.InMemory {
		bo = badger.DefaultOptions("").WithInMemory(true)
	}
	if o.Read && !o.InMemory && !writable(o.Dir) {
		bo = bo.WithReadOnly(true)
	}
	bo = bo.
		WithSyncWrites(true).
		WithLogger(badgerLogger{logger}).
		WithMetricsEnabled(false).
		WithNumGoroutines(2).
		WithMemTableSize(4 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		WithBaseTableSize(2 << 20).
		WithBaseLevelSize(1 << 20).
		WithNumCompactors(2).
		WithBlockCacheSize(4 << 20).
		WithIndexCacheSize(8 << 20).
		WithValueLogFileSize(64 << 20).
		WithValueThreshold(4 << 10).
		WithCompactL0OnClose(true)
	// Every level's tables the base size (the default doubles them per
	// level): a table builder holds its whole table, twice (raw and
	// compressed), until it is done (no With method for it).
	bo.TableSizeMultiplier = 1
	return bo
}

// Open opens (creating if needed) the store. A store held by a board or a
// serve process gives a *HeldError; one held by a short command is waited
// for (Options.HeldWait, 10 s by default).
func Open(opts Options) (*Store, error) {
	if opts.Policy == nil {
		opts.Policy = model.DefaultPolicy()
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.Role == "" {
		opts.Role = "command"
	}
	s := &Store{opts: opts, policy: opts.Policy, log: logger, dir: opts.Dir}
	var err error
	if opts.InMemory {
		s.db, err = badger.Open(badgerOptions(opts, logger))
		if err != nil {
			return nil, fmt.Errorf("open in-memory store: %w", err)
		}
	} else {
		if opts.Dir == "" {
			return nil, errors.New("open store: no data directory")
		}
		if opts.Read {
			if err := CheckStore(opts.Dir); err != nil {
				return nil, err
			}
		}
		if err := prepareDir(opts.Dir); err != nil {
			return nil, err
		}
		if s.db, s.hadTables, err = openHeld(opts, logger); err != nil {
			return nil, err
		}
		s.readOnly = s.db.Opts().ReadOnly
		if !s.readOnly {
			// A read-only open shares the directory with other readers
			// and cannot write a holder file; nobody can write there.
			s.holder = &holderFile{path: filepath.Join(opts.Dir, holderName),
				info: Holder{PID: os.Getpid(), Role: opts.Role, Addr: opts.Addr}}
			if err := s.holder.write(); err != nil {
				s.db.Close()
				return nil, err
			}
		}
		if err := clearRestoreLeftovers(opts.Dir); err != nil {
			logger.Warn("restore leftovers", "err", err)
		}
	}
	if err := s.init(); err != nil {
		s.closeDB()
		return nil, err
	}
	logger.Info("store opened", "dir", opts.Dir, "role", opts.Role, "in_memory", opts.InMemory)
	return s, nil
}

// init checks the schema, finishes or clears an interrupted import and
// takes the number sequences.
func (s *Store) init() error {
	if s.readOnly {
		return s.initReadOnly()
	}
	var schema int64
	err := s.db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(kSchema))
		if errors.Is(err, badger.ErrKeyNotFound) {
			if s.hadTables {
				// Written at the first open, so in the oldest table: a
				// store with tables but no schema has lost them.
				return &DamagedError{Dir: s.dir, Why: "its schema record is missing (tables were lost)"}
			}
			schema = SchemaVersion
			return txn.Set([]byte(kSchema), encInt(SchemaVersion))
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			schema, err = decInt(v)
			return err
		})
	})
	var damaged *DamagedError
	if errors.As(err, &damaged) {
		return err
	}
	if err != nil {
		return fmt.Errorf("read the store's schema: %w", err)
	}
	if schema > SchemaVersion {
		return fmt.Errorf("store %s was written by a newer caseboard (schema %d); this one reads up to %d",
			s.where(), schema, SchemaVersion)
	}
	if err := s.recoverImport(); err != nil {
		return err
	}
	// A command that only reads does not build the index (the auto-close
	// is an acting command's); the first open that may act does.
	// The closed-case index before the auto-close index: building that
	// one raises the schema, which says both are complete.
	if err := s.checkClosedIndex(schema, !s.opts.Read); err != nil {
		return err
	}
	if err := s.checkAlertIndex(schema, !s.opts.Read); err != nil {
		return err
	}
	if err := s.checkAutoCloseIndex(schema, !s.opts.Read); err != nil {
		return err
	}
	// The number sequences are taken when a number is first needed (next):
	// a lease is a write, and a store closed after any write flushes and
	// compacts its memtable, which a command that only reads or works on
	// one case has no need to pay for.
	return nil
}

func (s *Store) where() string {
	if s.opts.InMemory {
		return "(in memory)"
	}
	return s.dir
}

// takeSequences takes the number sequences not taken yet.
func (s *Store) takeSequences() error {
	var err error
	if s.caseSeq == nil {
		if s.caseSeq, err = s.db.GetSequence([]byte(kCaseSeq), 16); err != nil {
			return fmt.Errorf("case number sequence: %w", err)
		}
	}
	if s.entrySeq == nil {
		if s.entrySeq, err = s.db.GetSequence([]byte(kEntrySeq), 16); err != nil {
			return fmt.Errorf("time entry sequence: %w", err)
		}
	}
	return nil
}

// releaseSequences gives back the unused part of the leases (so that the
// stored values are the next numbers) and forgets the sequences.
func (s *Store) releaseSequences() error {
	var errs []error
	for _, q := range []**badger.Sequence{&s.caseSeq, &s.entrySeq} {
		if *q != nil {
			errs = append(errs, (*q).Release())
			*q = nil
		}
	}
	return errors.Join(errs...)
}

// Dir is the data directory ("" in memory).
func (s *Store) Dir() string { return s.dir }

// Policy is the policy the store checks actions against.
func (s *Store) Policy() *model.Policy { return s.policy }

// SyncWrites reports whether every commit is synced to disk before it is
// acknowledged (always true: an acknowledged action survives a crash).
func (s *Store) SyncWrites() bool { return s.db.Opts().SyncWrites }

// SetHolderAddr records in the holder file the address a serve process
// listens on.
func (s *Store) SetHolderAddr(addr string) error {
	if s.holder == nil {
		return nil
	}
	s.holder.info.Addr = addr
	return s.holder.write()
}

// Close closes the store and its subscriptions and removes the holder file.
func (s *Store) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.feed.closeAll()
	// Reads in flight finish first; a read that comes after (a feed's
	// subscriber catching up as the process stops) gets ErrClosed.
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	s.dbClosed = true
	return s.closeDB()
}

func (s *Store) closeDB() error {
	errs := []error{s.releaseSequences()}
	// The holder file goes first, while Badger's lock is still ours: once
	// the lock is free, the next holder may already have written its own
	// file, which removing ours afterwards would take away (and the
	// processes waiting behind it could then not say who holds the store).
	if s.holder != nil {
		errs = append(errs, s.holder.remove())
	}
	errs = append(errs, s.db.Close())
	return errors.Join(errs...)
}
