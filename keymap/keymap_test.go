package keymap

import "testing"

// TestNoKeyBoundTwice proves that no context binds one key to two actions.
func TestNoKeyBoundTwice(t *testing.T) {
	m := Default()
	for _, c := range Contexts() {
		seen := map[string]string{}
		bs := m.Bindings(c)
		if len(bs) == 0 {
			t.Fatalf("context %s has no bindings", c)
		}
		for _, b := range bs {
			for _, k := range b.Keys() {
				if prev, dup := seen[k]; dup {
					t.Errorf("context %s: key %q bound to %q and %q", c, k, prev, b.Help().Desc)
				}
				seen[k] = b.Help().Desc
			}
		}
	}
}

// TestEveryBindingHasHelp keeps the help bar complete.
func TestEveryBindingHasHelp(t *testing.T) {
	m := Default()
	for _, c := range Contexts() {
		for _, b := range m.Bindings(c) {
			if b.Help().Key == "" || b.Help().Desc == "" {
				t.Errorf("context %s: binding %v has no help", c, b.Keys())
			}
		}
	}
}

// TestQuitEverywhere: every context can leave the board.
func TestQuitEverywhere(t *testing.T) {
	m := Default()
	for _, c := range Contexts() {
		found := false
		for _, b := range m.Bindings(c) {
			for _, k := range b.Keys() {
				if k == "ctrl+c" {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("context %s cannot quit with ctrl+c", c)
		}
	}
}
