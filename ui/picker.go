package ui

import (
	"fmt"
	"sort"
	"strings"

	"caseboard/model"
)

// picker chooses the acting user when several could be.
type picker struct {
	users  []model.User
	cursor int
}

func newPicker(d *model.Desk, current string) picker {
	var p picker
	for _, u := range d.Users {
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

func (p *picker) move(d int) {
	p.cursor += d
	if p.cursor < 0 {
		p.cursor = 0
	}
	if p.cursor >= len(p.users) {
		p.cursor = len(p.users) - 1
	}
}

func (p *picker) chosen() (model.User, bool) {
	if p.cursor < 0 || p.cursor >= len(p.users) {
		return model.User{}, false
	}
	return p.users[p.cursor], true
}

func (b *board) renderPicker() string {
	var s strings.Builder
	s.WriteString(b.th.Title.Render("Who is at this terminal?") + "\n\n")
	for i, u := range b.picker.users {
		region := ""
		if c, ok := b.p.Regions[u.Region]; ok {
			region = c.Name
		}
		line := fmt.Sprintf("%-10s %-22s %-10s %s", model.Inert(u.ID), model.Inert(u.Name), u.Role, region)
		line = fit(line, b.w-4)
		if i == b.picker.cursor {
			s.WriteString(b.th.Selected.Render("▸ "+line) + "\n")
		} else {
			s.WriteString("  " + line + "\n")
		}
	}
	return s.String()
}
