package ui

import (
	"sort"
	"time"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
)

// Component is the contract every pane of the board keeps (soft-serve's
// common.Component): a tea.Model that draws itself in the size it was
// given and names its keys for the help bar. The board sends a pane the
// keys only while it has the focus, and the data messages it owns by type.
type Component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// Common is what every pane of one board reads and none writes: the theme,
// the keymap, the policy and options, the acting user, the clock, the desk
// and its queue index, the case under the queue's cursor, and the window's
// size. The board (the root model)
// owns it and is the only writer; each pane holds a pointer to it.
type Common struct {
	th *theme
	km keymap.Map
	p  *model.Policy
	o  Options

	user model.User
	now  time.Time
	desk *model.Desk
	ix   *model.QueueIndex
	// sh is the desk shared with the holder's other boards (or this
	// board's own); sub is this board's hold on it (nil: private).
	sh  *Shared
	sub *sharedSub
	// selected is the case under the queue's cursor, or nil.
	selected func() *model.QueueItem
	// wallMode: the board is a read-only wall (its option or the user's role).
	wallMode bool
	// alerts is every alert the board knows and the acting user's
	// acknowledgements (the alert list; the wall reads its last ones).
	alerts *Alerts
	// flash is each case row flashing for a new alert, until when.
	flash map[int64]time.Time

	w, h int
}

// view registers a queue view of the board on the (shared) index; key
// names what pred and o depend on, so that boards asking alike share one
// view ("": not shared).
func (c *Common) view(key string, pred func(*model.QueueItem) bool, o model.Order) *model.Queue {
	return c.sh.view(c.sub, key, pred, o)
}

// drop unregisters one of the board's views.
func (c *Common) drop(v *model.Queue) { c.sh.drop(c.sub, v) }

// title is how a case's title shows: inert, or hidden on a wall without
// Titles.
func (c *Common) title(cs *model.Case) string {
	if c.wallMode && !c.o.Titles {
		return "(title hidden)"
	}
	return model.Inert(cs.Title)
}

// regionName is a region's name in the policy, else its id.
func (c *Common) regionName(r model.Region) string {
	if cal, ok := c.p.Regions[r]; ok {
		return cal.Name
	}
	return string(r)
}

// sortedAccounts is the desk's accounts by id.
func (c *Common) sortedAccounts() []model.Account {
	out := make([]model.Account, 0, len(c.desk.Accounts))
	for _, a := range c.desk.Accounts {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Every pane keeps the contract.
var (
	_ Component = (*Queue)(nil)
	_ Component = (*Detail)(nil)
	_ Component = (*Bank)(nil)
	_ Component = (*ReportsPanel)(nil)
	_ Component = (*Wall)(nil)
	_ Component = (*Form)(nil)
	_ Component = (*CommandLine)(nil)
	_ Component = (*Output)(nil)
	_ Component = (*UserPicker)(nil)
	_ Component = (*Alerts)(nil)
)

// zone is where the acting user reads instants, named: their region's
// zone (an EMEA user reads GMT), else the policy's home zone (ET). The
// header clock, the detail pane, the audit trail and the alert list all
// use it, so one screen shows one zone.
func (c *Common) zone() (*time.Location, string) {
	if cal, ok := c.p.Regions[c.user.Region]; ok && cal.Location() != nil && cal.Label != "" {
		return cal.Location(), cal.Label
	}
	return c.p.HomeZone(), homeLabel
}

// homeLabel names the policy's home zone (America/New_York).
const homeLabel = "ET"

// when writes an instant in the user's zone: "Mon 28 Dec 11:00 GMT".
func (c *Common) when(t time.Time) string {
	loc, label := c.zone()
	return model.When(t, loc, label)
}
