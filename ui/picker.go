package ui

import (
	"fmt"
	"sort"
	"strings"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// UserPicker chooses the acting user when several could be. Choosing
// leaves the user in chosen until the board takes it.
type UserPicker struct {
	c      *Common
	w, h   int
	users  []model.User
	cursor int
	chosen *model.User
}

// newPicker lists the desk's users by id, the cursor on current.
func newPicker(c *Common, current string) *UserPicker {
	p := &UserPicker{c: c}
	for _, u := range c.desk.Users {
		p.users = append(p.users, *u)
	}
	sort.Slice(p.users, func(i, j int) bool { return p.users[i].ID < p.users[j].ID })
	for i, u := range p.users {
		if u.ID == current {
			p.cursor = i
		}
	}
	return p
}

// Init implements tea.Model.
func (p *UserPicker) Init() tea.Cmd { return nil }

// Update moves the cursor and chooses.
func (p *UserPicker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	km := p.c.km.Picker
	switch {
	case key.Matches(k, km.Up):
		p.move(-1)
	case key.Matches(k, km.Down):
		p.move(1)
	case key.Matches(k, km.Choose):
		if p.cursor >= 0 && p.cursor < len(p.users) {
			u := p.users[p.cursor]
			p.chosen = &u
		}
	}
	return p, nil
}

// take returns the user chosen, once.
func (p *UserPicker) take() (model.User, bool) {
	if p.chosen == nil {
		return model.User{}, false
	}
	u := *p.chosen
	p.chosen = nil
	return u, true
}

func (p *UserPicker) move(d int) {
	p.cursor += d
	if p.cursor < 0 {
		p.cursor = 0
	}
	if p.cursor >= len(p.users) {
		p.cursor = len(p.users) - 1
	}
}

// SetSize implements Component.
func (p *UserPicker) SetSize(w, h int) { p.w, p.h = w, h }

// ShortHelp implements help.KeyMap.
func (p *UserPicker) ShortHelp() []key.Binding {
	return p.c.km.HelpFor(keymap.CtxPicker, nil).ShortHelp()
}

// FullHelp implements help.KeyMap.
func (p *UserPicker) FullHelp() [][]key.Binding {
	return p.c.km.HelpFor(keymap.CtxPicker, nil).FullHelp()
}

// View lists the users, the cursor's highlighted.
func (p *UserPicker) View() string {
	th := p.c.th
	var s strings.Builder
	s.WriteString(th.Title.Render("Who is at this terminal?") + "\n\n")
	for i, u := range p.users {
		region := ""
		if c, ok := p.c.p.Regions[u.Region]; ok {
			region = c.Name
		}
		line := fmt.Sprintf("%-10s %-22s %-10s %s", model.Inert(u.ID), model.Inert(u.Name), u.Role, region)
		line = fit(line, p.w-4)
		if i == p.cursor {
			s.WriteString(th.Selected.Render("▸ "+line) + "\n")
		} else {
			s.WriteString("  " + line + "\n")
		}
	}
	return s.String()
}
