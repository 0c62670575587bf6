package cli

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"caseboard/model"
)

// hostileText are terminal and spreadsheet attacks a person could type
// into any text field.
var hostileText = map[string]string{
	"CSI clear screen": "\x1b[2J",
	"OSC 52 clipboard": "\x1b]52;c;ZXZpbA==\x07",
	"OSC 8 link":       "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
	"bidi override":    "\u202egnp.exe",
	"NUL and controls": "a\x00b\x07c\x08d\u009bX",
	"formula":          "=HYPERLINK(\"http://evil.example\",\"x\")",
	"pipe":             "a|b",
}

// rawControl finds a control character or bidi override that would act
// on a terminal (newlines and tabs of the output's own layout aside).
func rawControl(s string) int {
	for i, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			return i
		}
	}
	return -1
}

const hostileNow = "--now=2026-11-24T12:00:00-05:00"

// hostileStore is the CLI test desk with payload typed into every text
// field through the commands: account, contact and user names, an SSH
// key's comment, a case's title and contact, a note, an escalation's
// justification and update, a time entry's note and project. It returns
// the new case's number.
func hostileStore(t *testing.T, p string) (Backend, string) {
	t.Helper()
	st := deskStore(t)
	maria, now := "--as=maria", hostileNow
	must(t, st, "account", "add", "hx", "--name", p+" A", "--plan", "premium", "--region", "na", "--tam-plan", "tam20", "--tam", "tina", maria, now)
	must(t, st, "account", "contact", "hx", "--name", p+" C", "--kind", "contact", "--email", "c@hx.example", maria, now)
	must(t, st, "user", "add", "hu", "--name", p+" U", "--role", "specialist", "--region", "na", maria, now)
	key, _ := testKey("hu")
	must(t, st, "user", "key", "hu", key+" "+p+" K", maria, now) // the key's comment
	n := strings.TrimSpace(must(t, st, "case", "new", "--account", "hx", "--severity", "2", "--title", p+" T",
		"--contact", p+" C", "--opened", "2026-11-10T10:00:00-05:00", maria, now))
	for _, args := range [][]string{
		{"case", "take", n, "--as=hu"},
		{"case", "note", n, p + " N", "--as=hu"},
		{"case", "respond", n, "--as=hu"},
		{"escalate", n, "--by", "contact:" + p + " R", "--channel", "phone", "--justification", p + " J", "--as=hu"},
		{"escalation", "accept", n, "--every", "4h", maria},
		{"escalation", "update", n, "--summary", p + " S", maria},
		{"time", "log", "--account", "hx", "--minutes", "30", "--category", "implementation-guidance", "--project", p + " P",
			"--case", n, "--note", p + " E", "--date", "2026-11-23", "--as=tina"},
	} {
		must(t, st, append(args, now)...)
	}
	return st, n
}

// TestHostileTextStoredAsGiven: export shows every field exactly as typed.
func TestHostileTextStoredAsGiven(t *testing.T) {
	for name, p := range hostileText {
		t.Run(name, func(t *testing.T) {
			st, _ := hostileStore(t, p)
			var doc model.Document
			if err := json.Unmarshal([]byte(export(t, st)), &doc); err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{p + " A": false, p + " C": false, p + " U": false, p + " T": false, p + " N": false,
				"contact:" + p + " R": false, p + " J": false, p + " S": false, p + " P": false, p + " E": false}
			var walk func(v any)
			walk = func(v any) {
				switch x := v.(type) {
				case string:
					if _, ok := want[x]; ok {
						want[x] = true
					}
				case map[string]any:
					for _, y := range x {
						walk(y)
					}
				case []any:
					for _, y := range x {
						walk(y)
					}
				}
			}
			var raw any
			json.Unmarshal([]byte(export(t, st)), &raw)
			walk(raw)
			for s, found := range want {
				if !found {
					t.Errorf("%q is not in the export exactly as typed", s)
				}
			}
		})
	}
}

// TestHostileTextInertOnEverySurface: every human, Markdown and CSV output
// shows the text inert: no raw control or bidi override reaches the
// terminal, Markdown escapes '|', CSV never starts a cell with a formula.
func TestHostileTextInertOnEverySurface(t *testing.T) {
	surfaces := []struct {
		name   string
		args   func(n string) []string
		format string // "", "md" or "csv"
		shows  []string
	}{
		{"case show", func(n string) []string { return []string{"case", "show", n} }, "", []string{"T", "C", "N", "J", "S", "R"}},
		{"case list", func(string) []string { return []string{"case", "list"} }, "", []string{"T"}},
		{"queue", func(string) []string { return []string{"queue"} }, "", []string{"T"}},
		{"account show", func(string) []string { return []string{"account", "show", "hx"} }, "", []string{"A", "C"}},
		{"account list", func(string) []string { return []string{"account", "list"} }, "", []string{"A"}},
		{"user list", func(string) []string { return []string{"user", "list"} }, "", []string{"U"}},
		{"user show", func(string) []string { return []string{"user", "show", "hu"} }, "", []string{"U", "K"}},
		{"time list", func(string) []string { return []string{"time", "list", "--account", "hx", "--month", "2026-11"} }, "", []string{"E"}},
		{"timebank", func(string) []string { return []string{"timebank", "--account", "hx"} }, "", []string{"A"}},
		{"report sla md", func(string) []string {
			return []string{"report", "sla", "--from", "2026-11-01", "--to", "2026-11-30", "--account", "hx"}
		}, "md", nil}, // the SLA report names accounts by id
		{"report sla csv", func(string) []string {
			return []string{"report", "sla", "--from", "2026-11-01", "--to", "2026-11-30", "--account", "hx", "--format", "csv"}
		}, "csv", nil},
		{"report weekly md", func(string) []string { return []string{"report", "weekly", "--account", "hx", "--week", "2026-W48"} }, "md", []string{"A", "E"}},
		{"report weekly csv", func(string) []string {
			return []string{"report", "weekly", "--account", "hx", "--week", "2026-W48", "--format", "csv"}
		}, "csv", []string{"E"}},
		{"report hours md", func(string) []string {
			return []string{"report", "hours", "--account", "hx", "--from", "2026-11-01", "--to", "2026-11-30"}
		}, "md", []string{"E"}},
		{"report hours csv", func(string) []string {
			return []string{"report", "hours", "--account", "hx", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv"}
		}, "csv", []string{"E"}},
		// Export is interchange, not display: text exactly as stored (so
		// it round-trips), formula cells guarded.
		{"export csv", func(string) []string { return []string{"export", "--format", "csv"} }, "export", nil},
	}
	for name, p := range hostileText {
		st, n := hostileStore(t, p)
		for _, s := range surfaces {
			t.Run(s.name+"/"+name, func(t *testing.T) {
				out := must(t, st, append(s.args(n), hostileNow)...)
				if i := rawControl(out); i >= 0 && s.format != "export" {
					t.Fatalf("raw control %q reached the output:\n%q", out[i:min(len(out), i+10)], out)
				}
				shown := model.Inert(p)
				cells := "" // CSV cells, NUL-separated
				switch s.format {
				case "md":
					shown = model.MarkdownCell(p)
				case "csv", "export":
					rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
					if err != nil {
						t.Fatalf("not CSV: %v\n%s", err, out)
					}
					shown = model.CSVText(model.Inert(p))
					if s.format == "export" {
						shown = model.CSVText(p)
					}
					for _, row := range rows {
						cells += "\x00" + strings.Join(row, "\x00") + "\x00"
						for _, cell := range row {
							if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
								t.Errorf("a formula cell is live: %q", cell)
							}
						}
					}
				}
				for _, field := range s.shows {
					if !strings.Contains(out, shown+" "+field) && !strings.Contains(cells, "\x00"+shown+" "+field+"\x00") {
						t.Errorf("%s does not show %q as %q:\n%s", s.name, p+" "+field, shown+" "+field, out)
					}
				}
				if s.format == "md" && strings.Contains(p, "|") && strings.Contains(out, "a|b") {
					t.Errorf("a '|' from text is not escaped in Markdown:\n%s", out)
				}
			})
		}
	}
}
