// Package permtable holds the one copy of DOMAIN.md's "Who may do what"
// table that the permission matrix tests read (model's TestRoleMatrix,
// cli's matrices through the command line and over SSH), so the three
// cannot drift apart: edit table.md when DOMAIN.md's table changes.
package permtable

import (
	_ "embed"
	"strings"
)

// table is DOMAIN.md's table, copied literally.
//
//go:embed table.md
var table string

// Row is one line of the table: the action as DOMAIN.md words it and one
// cell per column, in the columns' order.
type Row struct {
	Action string
	Cells  []string
}

// Parse returns the role columns (specialist, manager, tam, wall) and the
// rows in the table's order; cells are trimmed, the header and the rule
// line are left out.
func Parse() (cols []string, rows []Row) {
	for _, line := range strings.Split(strings.TrimSpace(table), "\n") {
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case cells[0] == "action":
			cols = cells[1:]
		case strings.HasPrefix(cells[0], "---"):
		default:
			rows = append(rows, Row{Action: cells[0], Cells: cells[1:]})
		}
	}
	return cols, rows
}
