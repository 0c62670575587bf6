package ui

import (
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// tickMsg is the clock's one message; gen tells the tick in flight from
// stale ones, so exactly one tick is ever armed.
type tickMsg struct {
	gen int
	at  time.Time
}

// startMsg carries the subscription and the desk loaded after it.
type startMsg struct {
	feed   <-chan Update
	cancel func()
	desk   *model.Desk
	err    error
}

// deskMsg is a desk reloaded after a resync.
type deskMsg struct {
	desk *model.Desk
	err  error
}

// feedMsg is one or more updates read from the change feed (a private
// desk), or changes the shared desk applied (notes); closed means the
// feed ended.
type feedMsg struct {
	updates []Update
	notes   []note
	closed  bool
}

// eventsMsg answers one detail fetch; id drops stale replies.
type eventsMsg struct {
	id     int
	number int64
	events []model.Event
	err    error
}

// autoClosedMsg is the result of one auto-close.
type autoClosedMsg struct {
	number int64
	err    error
}

// doneMsg is the result of one action done from the keyboard.
type doneMsg struct {
	change *model.Change
	err    error
}

// feedBatch is how many queued updates one feed read takes at most, so a
// burst of changes costs one redraw.
const feedBatch = 256

func startCmd(b Backend) tea.Cmd {
	return func() tea.Msg {
		feed, cancel := b.Subscribe()
		d, err := b.LoadDesk()
		return startMsg{feed: feed, cancel: cancel, desk: d, err: err}
	}
}

// sharedStartCmd starts the shared desk (loaded once, by the first board
// or the holder) for a board attached to it.
func sharedStartCmd(sh *Shared) tea.Cmd {
	return func() tea.Msg {
		return startMsg{err: sh.Start()}
	}
}

func loadCmd(b Backend) tea.Cmd {
	return func() tea.Msg {
		d, err := b.LoadDesk()
		return deskMsg{desk: d, err: err}
	}
}

// waitFeed blocks on the subscription and is issued again after each
// message (bubbletea's examples/realtime).
func waitFeed(feed <-chan Update) tea.Cmd {
	return func() tea.Msg {
		u, ok := <-feed
		if !ok {
			return feedMsg{closed: true}
		}
		out := []Update{u}
		for len(out) < feedBatch {
			select {
			case u, ok := <-feed:
				if !ok {
					return feedMsg{updates: out, closed: true}
				}
				out = append(out, u)
			default:
				return feedMsg{updates: out}
			}
		}
		return feedMsg{updates: out}
	}
}

func eventsCmd(b Backend, id int, n int64) tea.Cmd {
	return func() tea.Msg {
		evs, err := b.Events(n)
		return eventsMsg{id: id, number: n, events: evs, err: err}
	}
}

func autoCloseCmd(b Backend, n int64, now time.Time) tea.Cmd {
	return func() tea.Msg {
		_, err := b.Do(model.System, model.AutoCloseCase{Number: n}, now)
		return autoClosedMsg{number: n, err: err}
	}
}

// doCmd does an action through the backend, off the Update loop.
func doCmd(b Backend, actor string, a model.Action, now time.Time) tea.Cmd {
	return func() tea.Msg {
		ch, err := b.Do(actor, a, now)
		return doneMsg{change: ch, err: err}
	}
}

func tickCmd(gen int, every time.Duration) tea.Cmd {
	f := func(t time.Time) tea.Msg { return tickMsg{gen: gen, at: t} }
	if every > 0 {
		return tea.Tick(every, f)
	}
	return tea.Every(time.Second, f)
}

// alertStartMsg carries the alerts raised before the board started and
// the feed of the next ones.
type alertStartMsg struct {
	feed   <-chan model.Alert
	stop   func()
	alerts []model.Alert
	err    error
}

// alertMsg is alerts read from the alert feed; closed means it ended.
type alertMsg struct {
	alerts []model.Alert
	closed bool
}

// acksMsg is a user's acknowledgements, read when they start acting.
type acksMsg struct {
	user string
	ids  []string
	err  error
}

// ackedMsg answers one acknowledgement.
type ackedMsg struct {
	user, id string
	err      error
}
