package ui

import (
	"io"
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Update is one message of the store's change feed: model's own type,
// named here for the board's messages.
type Update = model.Update

// Backend is what the board needs from the store; *store.Store is one.
type Backend interface {
	// LoadDesk returns every record (no events): the starting state, and
	// the state after a resync.
	LoadDesk() (*model.Desk, error)
	// Subscribe opens a bounded feed; a subscriber that falls behind gets
	// one Resync.
	Subscribe() (updates <-chan Update, cancel func())
	// Do checks and commits an action: the keyboard's actions (as the
	// acting user) and auto-close (actor model.System).
	Do(actor string, a model.Action, now time.Time) (*model.Change, error)
	// Events returns a case's audit trail, for the detail pane.
	Events(caseNumber int64) ([]model.Event, error)
	// RecentAlerts lists the newest n alerts raised, in raise order: the
	// alert list and the wall's alerts at start (read by key, however
	// many the desk has raised).
	RecentAlerts(n int) ([]model.Alert, error)
	// SubscribeAlerts feeds the alerts raised from now on (buf may wait;
	// a slow board loses the rest, never holds up the store).
	SubscribeAlerts(buf int) (<-chan model.Alert, func())
	// RecentAcks lists the ones of the newest n alerts a user
	// acknowledged; Ack records one (the user's own record: it never rings
	// for them again).
	RecentAcks(user string, n int) ([]string, error)
	Ack(user, alertID string) error
}

// Options configure one board (one per terminal; several run in one process
// in team mode, so nothing here is a package global).
type Options struct {
	Backend Backend
	Policy  *model.Policy
	// Shared is the desk the holder shares with its boards and commands
	// (NewShared over Backend); nil: the board loads and keeps its own.
	Shared *Shared
	// Actor is the user id; "" with several users starts with a user picker.
	Actor string
	// Wall, Titles and Rotate configure wall mode: Titles shows case titles
	// on the wall, Rotate is the time per page (0 = 20s).
	Wall   bool
	Titles bool
	Rotate time.Duration
	// Demo lets a key switch the acting user.
	Demo bool
	// Start is the clock's first value (--now pins it); the board ticks from
	// there one second per second.
	Start time.Time
	// Renderer is the session's renderer (team mode); nil means
	// lipgloss.DefaultRenderer().
	Renderer *lipgloss.Renderer
	// RunCommand runs a command line of the `:` prompt as the acting user
	// at the board's clock, on the board's own store; nil turns the
	// prompt off.
	RunCommand RunFunc
	// Remote marks a board that is a remote session (serve): reports are
	// shown in a pane to copy instead of written to files, which would
	// land on the server.
	Remote bool
	// ReportDir is where the weekly report key writes its files; ""
	// means the board process's working directory.
	ReportDir string
	// Bell is the terminal a new alert rings (one BEL); nil or Quiet
	// (--quiet, CASEBOARD_QUIET=1) rings nothing.
	Bell  io.Writer
	Quiet bool
	// OnActor, when set, hears the acting user's id each time it is set
	// (at the start, after the picker, on u): the demo's simulator keeps
	// off that person's cases. It runs inside Update: it must only record.
	OnActor func(id string)

	// tickEvery replaces the one-second tick in tests: each tick still
	// moves the clock one second, only faster.
	tickEvery time.Duration
}

// New returns the board for one terminal.
func New(o Options) tea.Model { return newBoard(o) }
