package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// fit pads or truncates s (which may hold styles) to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-n)
}

// clip truncates s to at most w cells, without padding.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s
}

// block fits a list of lines into exactly h lines of w cells.
func block(lines []string, w, h int) string {
	var s strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			s.WriteByte('\n')
		}
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		s.WriteString(fit(l, w))
	}
	return s.String()
}
