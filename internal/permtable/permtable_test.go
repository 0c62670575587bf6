package permtable

import "testing"

// TestParse: the table has DOMAIN.md's four role columns and thirteen
// rows, each with a cell per column.
func TestParse(t *testing.T) {
	cols, rows := Parse()
	if want := []string{"specialist", "manager", "tam", "wall"}; len(cols) != len(want) {
		t.Fatalf("columns %q, want %q", cols, want)
	} else {
		for i := range want {
			if cols[i] != want[i] {
				t.Fatalf("columns %q, want %q", cols, want)
			}
		}
	}
	if len(rows) != 13 {
		t.Fatalf("%d rows, want 13", len(rows))
	}
	for _, r := range rows {
		if len(r.Cells) != len(cols) {
			t.Errorf("row %q has %d cells", r.Action, len(r.Cells))
		}
	}
	if rows[0].Action != "read queues, cases, reports" || rows[12].Cells[2] != "their own entries" {
		t.Errorf("first row %q, last tam cell %q", rows[0].Action, rows[12].Cells[2])
	}
}
