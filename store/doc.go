// Package store keeps caseboard's desk in Badger: records, audit events,
// the change feed, import, export and backup. It returns model types and
// knows no UI; the rules live in model (Store.Do runs model.Do over a View
// of one read-write transaction).
//
// # One process
//
// Badger lets one process open a directory (its LOCK file). Open also
// writes holder.json (pid, role, and for serve its address): a store held
// by a board or serve gives a *HeldError naming the holder; one held by a
// short command is waited for (10 s); a holder file whose pid is gone is
// stale and ignored.
//
// # Writes
//
// Every write (Do, Apply, Import, and a restore's swap) holds one mutex,
// so event sequence numbers are handed out in commit order and subscribers
// see changes in commit order. A restore is loaded into a store of its own
// in restore.staging/ and swapped in by renames steered by a journal
// (restore.go, swap.go); Import and Restore ask first for the disk space
// their size needs (space.go). The action's reads and writes share one Badger
// transaction, so conflict detection still covers them; a conflict is
// retried a few times (it cannot happen while all writers go through the
// mutex, but a second line of defence is cheap). SyncWrites is on: an
// acknowledged write is on disk.
//
// Case numbers and time entry ids come from Badger sequences (leases of 16
// stored before use): never reused, even after a crash, with gaps. An
// import raises them above every imported number.
//
// # Key layout
//
// Numbers are 8-byte big-endian (so keys sort numerically); ids are
// strings without NUL, and NUL ends an id inside a composite key.
//
//	meta/schema              schema version (SchemaVersion); a newer one is refused
//	meta/eventseq            last event sequence number
//	meta/import              "published" while a large import is copied in place
//	seq/case, seq/entry      Badger sequences for case numbers and entry ids
//	c/NUM                    case (model.Case as JSON)
//	o/NUM                    open-case index (empty value)
//	cl/AT12 NUM              closed cases by closing instant (closed.go)
//	ac/DUE NUM               cases that may auto-close, by due (autoclose.go)
//	w/USER NUL NUM           open cases by owner (OwnsOpenCases)
//	x/NUM SEQ4               escalation SEQ of a case (4-byte seq), oldest first
//	a/ID, u/ID               account, user
//	t/ID                     time entry
//	ta/ACCOUNT NUL ID        time entries by account
//	b/ACCOUNT NUL YYYY-MM    bank minutes used in a month: one key, read and
//	                         written by the transaction adding an entry
//	p/ACCOUNT NUL PROJECT    implementation minutes of a project: one key
//	e/SEQ                    event (model.Event as JSON), commit order
//	ec/NUM SEQ               events by case (empty value): Events(n) is a prefix scan
//	stage/KEY                an import staged by caseboard before the journal (stage.go)
//	meta/import              the undo journal of a large import being written (stage.go)
//	hk/ID, al/ID             webhook; every alert raised (raised once: see outbox.go)
//	ob/SEQ HOOK, hl/NS HOOK  outbox of undelivered alerts per hook; delivery log
//	aq/SEQ                   alert SEQ's id: the newest alerts by raise order
//	meta/alertseq            last alert sequence number
//	ack/USER/ALERTID         a user acknowledged an alert (see acks.go)
//
// # Memory
//
// Badger's defaults are sized for servers (64 MB memtables x 5, 256 MB
// block cache, 1 GB value log files): hundreds of MB resident. A desk of
// 100,000 cases is about 60 MB of keys and values, so the options are:
//
//	MemTableSize 4 MB, NumMemtables 2    at most ~10 MB of memtables; a
//	                                     transaction may hold 15% (600 KB:
//	                                     a change is a few KB, larger
//	                                     values go to the value log); a
//	                                     level-0 table's builder holds it
//	                                     raw and compressed (16 MB: 100 MB
//	                                     live in a 100k import's write)
//	TableSizeMultiplier 1                every level's tables 2 MB, each
//	                                     builder a few MB
//	NumLevelZeroTables 2, stall at 8     flush to disk early
//	BlockCacheSize 4 MB                  the blocks writes read again: a
//	                                     holder keeps its desk in memory and
//	                                     a command reads a few keys (16 MB
//	                                     filled up with a load's blocks)
//	IndexCacheSize 8 MB                  table indexes and bloom filters
//	                                     cached, not all pinned in memory
//	ValueLogFileSize 64 MB               smaller mmapped value log files
//	ValueThreshold 4 KB                  records live in the LSM tree
//	BaseLevelSize 1 MB                   a command's close flushes its few
//	                                     keys (a case, an event, its index:
//	                                     keys from c/ to meta/) and merges
//	                                     them into the base level, rewriting
//	                                     every table of it they span: a small
//	                                     base level keeps that cost the same
//	                                     at 10k and 100k cases (8 MB: 3-7 MB
//	                                     rewritten per note)
//	NumCompactors 2, NumGoroutines 2     a desk needs little parallelism
//	MetricsEnabled false                 no expvar bookkeeping
//	CompactL0OnClose true                reopen with fewer level-0 tables
//
// LoadDesk decodes cases straight into the desk (casecodec.go) with the
// collector at a faster pace while it reads (each decompressed block is
// garbage at once). BenchmarkOpen100k and BenchmarkImport100k measure in
// a fresh process of their own: time, bytes allocated, peak heap, VmHWM.
//
// # Imports
//
// An import is checked whole first (every problem, with its position) and
// written all or nothing: in one transaction when it fits, else in place
// in several, once, after an undo journal, with one commit at the end
// (stage.go). Readers wait meanwhile; Open undoes one cut short.
package store
