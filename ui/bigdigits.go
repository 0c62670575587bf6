package ui

import "strings"

// The wall's block figures: glyphs five "pixels" high drawn with full
// blocks, scaled up by whole factors so that they grow with the screen
// and stay legible across a room. A terminal cell is about twice as high
// as it is wide, so the widths scale about twice as fast as the heights.

// glyphRows is a glyph's height in pixels.
const glyphRows = 5

// bigGlyph is a figure's pixels, '#' on: digits, the span units d, h
// and m, the signs, and a space. Any other rune is a blank.
func bigGlyph(r rune) [glyphRows]string {
	switch r {
	case '0':
		return [5]string{"###", "# #", "# #", "# #", "###"}
	case '1':
		return [5]string{" # ", "## ", " # ", " # ", "###"}
	case '2':
		return [5]string{"###", "  #", "###", "#  ", "###"}
	case '3':
		return [5]string{"###", "  #", "###", "  #", "###"}
	case '4':
		return [5]string{"# #", "# #", "###", "  #", "  #"}
	case '5':
		return [5]string{"###", "#  ", "###", "  #", "###"}
	case '6':
		return [5]string{"###", "#  ", "###", "# #", "###"}
	case '7':
		return [5]string{"###", "  #", "  #", "  #", "  #"}
	case '8':
		return [5]string{"###", "# #", "###", "# #", "###"}
	case '9':
		return [5]string{"###", "# #", "###", "  #", "###"}
	case 'd':
		return [5]string{"  #", "  #", "###", "# #", "###"}
	case 'h':
		return [5]string{"#  ", "#  ", "###", "# #", "# #"}
	case 'm':
		return [5]string{"     ", "     ", "#####", "# # #", "# # #"}
	case ':':
		return [5]string{" ", "#", " ", "#", " "}
	case '-':
		return [5]string{"   ", "   ", "###", "   ", "   "}
	case '+':
		return [5]string{"   ", " # ", "###", " # ", "   "}
	}
	return [5]string{"  ", "  ", "  ", "  ", "  "}
}

// scale is how many cells a glyph pixel takes: x across, y down.
type scale struct{ x, y int }

// scales are the sizes the wall picks from, smallest first.
var scales = []scale{{1, 1}, {2, 1}, {2, 2}, {3, 2}, {4, 2}, {3, 3}, {4, 3}, {5, 3}, {6, 3},
	{4, 4}, {6, 4}, {8, 4}, {6, 5}, {8, 5}, {10, 5}, {8, 6}, {10, 6}, {12, 6}}

// bigWidth is how many cells s takes at scale x: its glyphs, one pixel
// apart.
func bigWidth(s string, x int) int {
	px := 0
	for i, r := range s {
		if i > 0 {
			px++
		}
		px += len(bigGlyph(r)[0])
	}
	return px * x
}

// bigHeight is how many lines s takes at scale y.
func bigHeight(y int) int { return glyphRows * y }

// bestScale is the largest scale at which s fits in w x h cells, and
// false when even the smallest does not.
func bestScale(s string, w, h int) (scale, bool) {
	best, ok := scale{}, false
	for _, sc := range scales {
		if bigWidth(s, sc.x) <= w && bigHeight(sc.y) <= h {
			if !ok || sc.y > best.y || (sc.y == best.y && sc.x > best.x) {
				best, ok = sc, true
			}
		}
	}
	return best, ok
}

// bigText draws s in block figures at sc: bigHeight(sc.y) lines of
// bigWidth(s, sc.x) cells each.
func bigText(s string, sc scale) []string {
	if sc.x < 1 || sc.y < 1 {
		sc = scale{1, 1}
	}
	var rows [glyphRows]strings.Builder
	for i, r := range s {
		g := bigGlyph(r)
		for j := range rows {
			if i > 0 {
				rows[j].WriteString(strings.Repeat(" ", sc.x))
			}
			for _, px := range g[j] {
				if px == '#' {
					rows[j].WriteString(strings.Repeat("█", sc.x))
				} else {
					rows[j].WriteString(strings.Repeat(" ", sc.x))
				}
			}
		}
	}
	out := make([]string, 0, bigHeight(sc.y))
	for j := range rows {
		l := rows[j].String()
		for k := 0; k < sc.y; k++ {
			out = append(out, l)
		}
	}
	return out
}
