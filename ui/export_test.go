package ui

import (
	"time"

	"caseboard/model"

	tea "github.com/charmbracelet/bubbletea"
)

// What the external tests (package ui_test, which may import cli) use of
// this package's test helpers.

// Flow is one action's two doors: the keys on the board and the command.
type Flow struct {
	Name, Actor string
	Keys        []string
	CLI         []string
}

// Flows lists every action's flow on ActionDesk.
func Flows() []Flow {
	var out []Flow
	for _, f := range actionFlows() {
		keys := append(selectKeys(actionDesk(), f.actor, f.sel), f.key)
		out = append(out, Flow{Name: f.name, Actor: f.actor, Keys: append(keys, f.keys...), CLI: f.cli})
	}
	return out
}

// ActionDesk is the desk the flows run on.
func ActionDesk() *model.Desk { return actionDesk() }

// TestNow is the pinned clock of the flows.
var TestNow = testNow

// KeyOf turns a key name into its message.
func KeyOf(k string) tea.KeyMsg { return keyOf(k) }

// Pinned returns options with the clock standing still at TestNow (unless
// Start is set), an ASCII renderer and the default policy.
func Pinned(o Options) Options {
	if o.Start.IsZero() {
		o.Start = testNow
	}
	o.tickEvery = time.Hour
	o.Renderer = asciiRenderer()
	if o.Policy == nil {
		o.Policy = model.DefaultPolicy()
	}
	return o
}

// CommandTree is the names the prompt completes.
func CommandTree() map[string][]string { return commandTree() }
