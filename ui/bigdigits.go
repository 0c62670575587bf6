package ui

import "strings"

// bigGlyphs are block digits five rows high, legible across a room.
func bigGlyph(r rune) [5]string {
	switch r {
	case '0':
		return [5]string{"███", "█ █", "█ █", "█ █", "███"}
	case '1':
		return [5]string{" █ ", "██ ", " █ ", " █ ", "███"}
	case '2':
		return [5]string{"███", "  █", "███", "█  ", "███"}
	case '3':
		return [5]string{"███", "  █", "███", "  █", "███"}
	case '4':
		return [5]string{"█ █", "█ █", "███", "  █", "  █"}
	case '5':
		return [5]string{"███", "█  ", "███", "  █", "███"}
	case '6':
		return [5]string{"███", "█  ", "███", "█ █", "███"}
	case '7':
		return [5]string{"███", "  █", "  █", "  █", "  █"}
	case '8':
		return [5]string{"███", "█ █", "███", "█ █", "███"}
	case '9':
		return [5]string{"███", "█ █", "███", "  █", "███"}
	case ':':
		return [5]string{" ", "█", " ", "█", " "}
	case '-':
		return [5]string{"   ", "   ", "███", "   ", "   "}
	}
	return [5]string{" ", " ", " ", " ", " "}
}

// bigText renders s in block digits: five lines of equal width.
func bigText(s string) [5]string {
	var rows [5]strings.Builder
	for i, r := range s {
		g := bigGlyph(r)
		for j := range rows {
			if i > 0 {
				rows[j].WriteByte(' ')
			}
			rows[j].WriteString(g[j])
		}
	}
	var out [5]string
	for j := range rows {
		out[j] = rows[j].String()
	}
	return out
}
