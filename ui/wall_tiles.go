package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// A wall tile is one figure read from across the room: a word or two on
// top, a block figure, and a short line naming what it counts. Tiles come
// in rows that fill the screen's width, each row at one scale, the largest
// that fits every tile of the row.

// tile is what one tile shows.
type tile struct {
	// head is the tile's few words ("✖ BREACHED"); short is used when
	// head does not fit.
	head, short string
	// fig is the block figure ("12", "-3h42m"); empty draws none.
	fig string
	// sub is the line under the figure (the case, the account).
	sub string
	// style colours the head and the figure (never the only cue: the
	// head says it in words).
	style lipgloss.Style
	// flash draws the tile in inverse video, for a new breach or a new
	// severity 1 case.
	flash bool
	// line is the tile in one line of text, for those a grid has no room
	// to draw as tiles.
	line string
}

// tileGap is the space between two tiles of a row.
func tileGap(w int) int {
	if w >= 160 {
		return 2
	}
	return 1
}

// tileChrome is how many lines a tile of a row adds to its figure: the
// head, and the sub line if any tile has one; with room, a border and a
// blank line either side of the figure.
func tileChrome(ts []tile, boxed bool) int {
	n := 1
	for _, t := range ts {
		if t.sub != "" {
			n++
			break
		}
	}
	if boxed {
		n += 4
	}
	return n
}

// rowScale is the largest scale at which every tile's figure fits in
// cells across and lines down; ok is false when the smallest does not fit.
func rowScale(ts []tile, inner, lines int) (scale, bool) {
	best, any := scale{}, false
	for _, t := range ts {
		if t.fig == "" {
			continue
		}
		sc, ok := bestScale(t.fig, inner, lines)
		if !ok {
			return scale{}, false
		}
		if !any || sc.y < best.y || (sc.y == best.y && sc.x < best.x) {
			best, any = sc, true
		}
	}
	if !any {
		return scale{1, 1}, true
	}
	return best, true
}

// rowLayout is how tileRow draws tiles across w cells in at most h
// lines: each tile's width, boxed or bare, and the largest common scale;
// ok is false when not even the smallest fits.
func rowLayout(ts []tile, w, h int) (tw int, boxed bool, sc scale, ok bool) {
	if len(ts) == 0 || h <= 0 {
		return 0, false, scale{}, false
	}
	tw = (w - tileGap(w)*(len(ts)-1)) / len(ts)
	// Boxed when the border costs little of the height.
	boxed = tw >= 14
	if boxed {
		sc, ok = rowScale(ts, tw-4, h-tileChrome(ts, true))
		if ok && sc.y == 1 && h < 14 {
			ok = false // a small figure is better without a box around it
		}
	}
	if !ok {
		boxed = false
		sc, ok = rowScale(ts, tw-1, h-tileChrome(ts, false))
	}
	return tw, boxed, sc, ok
}

// tileRow draws tiles side by side across w cells in at most h lines, at
// the largest common scale; nil when not even the smallest fits.
func (ws *Wall) tileRow(ts []tile, w, h int) []string {
	tw, boxed, sc, ok := rowLayout(ts, w, h)
	if !ok {
		return nil
	}
	gap := tileGap(w)
	figH := 0
	for _, t := range ts {
		if t.fig != "" {
			figH = bigHeight(sc.y)
		}
	}
	height := figH + tileChrome(ts, boxed)
	out := make([]string, height)
	used := 0
	for i, t := range ts {
		cw := tw
		if i == len(ts)-1 {
			cw = w - used // the last tile takes the remainder: the row fills the width
		}
		used += cw + gap
		for j, l := range ws.drawTile(t, cw, height, figH, sc, boxed) {
			if i > 0 {
				out[j] += strings.Repeat(" ", gap)
			}
			out[j] += fit(l, cw)
		}
	}
	return out
}

// drawTile draws one tile in w x h cells: boxed, or bare with a column of
// space on its right.
func (ws *Wall) drawTile(t tile, w, h, figH int, sc scale, boxed bool) []string {
	th := ws.c.th
	if t.head == "" && t.fig == "" && t.sub == "" {
		return make([]string, h) // a blank, to keep a short last row's columns
	}
	inner := w - 1
	if boxed {
		inner = w - 4
	}
	head := t.head
	if ansi.StringWidth(head) > inner && t.short != "" {
		head = t.short
	}
	if t.flash {
		head = "! " + head
	}
	// Paints captured once per tile: a style's Render per line is most of
	// the cost of a big screen's frame.
	headP, figP, subP := paintOf(t.style.Bold(true)), paintOf(t.style), paintOf(th.Bold)
	if t.flash {
		headP = paintOf(th.Flash)
		figP, subP = headP, headP
	}
	blank := strings.Repeat(" ", max(inner, 0))
	if t.flash {
		blank = headP.Render(blank)
	}
	var body []string
	body = append(body, headP.Render(center(clip(head, inner), inner)))
	if boxed {
		body = append(body, blank)
	}
	if t.fig != "" {
		for _, l := range bigText(t.fig, sc) {
			body = append(body, figP.Render(center(l, inner)))
		}
	} else {
		for i := 0; i < figH; i++ {
			body = append(body, blank)
		}
	}
	if boxed {
		body = append(body, blank)
	}
	if t.sub != "" {
		body = append(body, subP.Render(center(clip(t.sub, inner), inner)))
	}
	rows := h
	if boxed {
		rows = h - 2
	}
	for len(body) < rows {
		body = append(body, blank)
	}
	body = body[:rows]
	if !boxed {
		out := make([]string, len(body))
		for i, l := range body {
			out[i] = l + " "
		}
		return out
	}
	edge := th.pFaint
	if t.flash {
		edge = headP
	}
	left, right := edge.Render("│ "), edge.Render(" │")
	out := make([]string, 0, h)
	out = append(out, edge.Render("┌"+strings.Repeat("─", w-2)+"┐"))
	for _, l := range body {
		out = append(out, left+l+right)
	}
	out = append(out, edge.Render("└"+strings.Repeat("─", w-2)+"┘"))
	return out
}

// center pads s (which may hold styles) to w cells, centred.
func center(s string, w int) string {
	n := ansi.StringWidth(s)
	if n >= w {
		return clip(s, w)
	}
	left := (w - n) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", w-n-left)
}
