package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// cellWidth is ansi.StringWidth(s), the cells s takes on screen, without
// a grapheme walk over the printable ASCII that is most of a frame. Two
// printable ASCII characters side by side are always two clusters of one
// cell each (no ASCII character extends, joins or prepends), and a CSI
// sequence (a colour) takes no cell and ends any cluster: so s is cut at
// those places and only the stretches that hold other bytes are measured
// by ansi.StringWidth. Any other control sends the whole of s there.
func cellWidth(s string) int {
	n, seg := 0, 0 // seg: where the stretch being gathered starts
	flush := func(end int) {
		switch end - seg {
		case 0:
		case 1:
			n++ // one printable ASCII character (anything else is longer)
		default:
			n += stretchWidth(s[seg:end])
		}
		seg = end
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			if i > seg && printable(s[i-1]) {
				flush(i) // a cluster ends between two ASCII characters
			}
			i++
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[':
			j := i + 2
			for j < len(s) && s[j] >= 0x20 && s[j] < 0x40 {
				j++
			}
			if j == len(s) || s[j] < 0x40 || s[j] > 0x7e {
				return ansi.StringWidth(s) // not a whole CSI sequence
			}
			flush(i)
			i, seg = j+1, j+1
		case c < 0x80:
			return ansi.StringWidth(s) // another control
		default:
			i++
		}
	}
	flush(len(s))
	return n
}

func printable(c byte) bool { return c >= 0x20 && c < 0x7f }

// symbolRanges hold the symbols a frame is drawn with (rules, bars,
// markers, dashes) and Latin-1 letters: every one a grapheme cluster of
// its own whatever is next to it (break class Other: none extends, joins
// or prepends), so a stretch of them and ASCII is the sum of their widths.
var symbolRanges = [][2]rune{{0xA1, 0xAC}, {0xAE, 0xFF}, {0x2010, 0x2027}, {0x2190, 0x27BF}}

// symbolWidths are those symbols' widths, each measured once by
// ansi.StringWidth; read only after init.
var symbolWidths = func() map[rune]int8 {
	m := map[rune]int8{}
	for _, r := range symbolRanges {
		for c := r[0]; c <= r[1]; c++ {
			m[c] = int8(ansi.StringWidth(string(c)))
		}
	}
	return m
}()

// stretchWidth is ansi.StringWidth of a stretch holding bytes above ASCII:
// from symbolWidths when it holds only those symbols and ASCII.
func stretchWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x20 && r < 0x7f {
			n++
			continue
		}
		w, ok := symbolWidths[r]
		if !ok {
			return ansi.StringWidth(s)
		}
		n += int(w)
	}
	return n
}

// fit pads or truncates s (which may hold styles) to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := cellWidth(s)
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
	if cellWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s
}

// block fits a list of lines into exactly h lines of w cells.
func block(lines []string, w, h int) string {
	var s strings.Builder
	s.Grow(h * (w + 1)) // at least: colour codes and wide symbols may add more
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
