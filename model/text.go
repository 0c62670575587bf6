package model

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Inert makes text from people safe to show in a terminal on one line:
// C0 and C1 controls (ESC, CSI, OSC openers, NUL, BEL...), DEL and bidi
// overrides are shown as visible placeholders ("^[" for ESC, "<U+202E>")
// and never reach the terminal; tabs and newlines become spaces; invalid
// UTF-8 becomes U+FFFD. The stored text is never changed, only its display.
func Inert(s string) string { return inert(s, false) }

// InertText is Inert that keeps newlines (for notes shown on several lines).
func InertText(s string) string { return inert(s, true) }

func inert(s string, keepNewlines bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case r == '\n' && keepNewlines:
			b.WriteByte('\n')
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20:
			b.WriteByte('^')
			b.WriteByte(byte(r) + 0x40)
		case r == 0x7f:
			b.WriteString("^?")
		case r >= 0x80 && r <= 0x9f, isBidiControl(r):
			fmt.Fprintf(&b, "<U+%04X>", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII only (the common case).
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// isBidiControl reports the explicit bidi embeddings, overrides and
// isolates (U+202A-U+202E, U+2066-U+2069) and the marks U+200E, U+200F,
// U+061C, which can reorder what a reader sees.
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// MarkdownCell makes text inert for a Markdown table cell: Inert, with '|'
// and backslashes escaped.
func MarkdownCell(s string) string {
	s = Inert(s)
	s = strings.ReplaceAll(s, `\`, `\\`)
	return strings.ReplaceAll(s, "|", `\|`)
}

// CSVText makes a text cell safe from spreadsheet formula injection: a cell
// starting with '=', '+', '-' or '@' gets a leading "'".
func CSVText(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// OneLine puts s on one line: every run of white space, newlines
// included, becomes one space (a parser's message, a note in a table).
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// OrDash shows an empty value as dash: "-" in plain text, "—" on the
// board.
func OrDash(s, dash string) string {
	if s == "" {
		return dash
	}
	return s
}
