package ui

import (
	"fmt"
	"slices"
	"time"

	"caseboard/model"

	"github.com/charmbracelet/lipgloss"
)

// The wall's pages, each drawn in room lines across the whole width: a
// region's counts, most urgent cases and queue; the escalations; the
// team's load. Every time counts minutes (model.SpanMinutes).

// region is a region's counts in tiles, its worst breaches and next due
// cases in tiles, then its queue, spaced out when there is room.
func (ws *Wall) region(r model.Region, room int) []string {
	c := ws.c
	th := c.th
	v := ws.views[r].Items()
	n := ws.views[r].Counts(c.now, c.p.DueSoon)

	// The queue keeps a share of the height; the tiles take the rest.
	listRes := min(max(len(v), 1), max(3, room/4)) + 1
	if room >= 40 {
		listRes = min(max(2*len(v), 1), room/3) + 1
	}
	tileRoom := room - listRes - 1
	var out []string
	var urgentRow []string
	if tileRoom >= 7 {
		// As many tiles as the width holds, up to four, but fewer on a
		// tall screen when that lets their figures grow past the smallest.
		urgentH := tileRoom * 11 / 20
		kmax := min(max(2, ws.w/50), 4)
		urgent := ws.urgentTiles(r, n.Breached, kmax)
		for k := kmax; k > 2 && len(urgent) == k && ws.h >= 40; k-- {
			if _, _, sc, ok := rowLayout(urgent, ws.w, urgentH); ok && sc.y >= 2 {
				break
			}
			urgent = ws.urgentTiles(r, n.Breached, k-1)
		}
		urgentRow = ws.tileRow(urgent, ws.w, urgentH)
	}
	countsH := min(tileRoom-len(urgentRow), tileRoom*2/5)
	if len(urgentRow) == 0 {
		countsH = min(tileRoom, room/2)
	}
	counts := []tile{
		{head: "OPEN", fig: fmt.Sprint(n.Open), style: th.Text},
		{head: wordBreached, short: "✖ BREACH", fig: fmt.Sprint(n.Breached), style: pick(n.Breached > 0, th.Breached, th.Faint)},
		{head: "▲ DUE SOON", short: "▲ SOON", fig: fmt.Sprint(n.DueSoon), style: pick(n.DueSoon > 0, th.Warning, th.Faint)},
		{head: "☎ CALL REQUIRED", short: "☎ CALL", fig: fmt.Sprint(n.CallRequired), style: pick(n.CallRequired > 0, th.Breached, th.Faint)},
		{head: "⚑ ESCALATED", short: "⚑ ESC", fig: fmt.Sprint(n.Escalated), style: pick(n.Escalated > 0, th.Escalated, th.Faint)},
	}
	if row := ws.tileRow(counts, ws.w, countsH); row != nil {
		out = append(out, row...)
	} else {
		sep := wallSep(ws.w)
		out = append(out, th.Bold.Render(fmt.Sprintf("OPEN %d%s%s %d%s▲ DUE SOON %d%s☎ CALL %d%s⚑ %d",
			n.Open, sep, wordBreached, n.Breached, sep, n.DueSoon, sep, n.CallRequired, sep, n.Escalated)))
	}
	if len(urgentRow) > 0 {
		out = append(out, "")
		out = append(out, urgentRow...)
	}
	out = append(out, "")
	rows := room - len(out)
	if len(v) == 0 {
		return append(out, th.Faint.Render("  no open cases"))
	}
	// Double-spaced when every case fits so; single when that makes them
	// all fit; else the most urgent, double-spaced on a screen of 30
	// lines and more, then how many more.
	step := 1
	if rows >= 2*len(v) || (rows < len(v) && ws.h >= 30) {
		step = 2
	}
	shown := min(len(v), (rows+step-1)/step)
	if shown < len(v) {
		shown = max(0, (rows-1)/step) // a line for "+ N more"
	}
	for i := 0; i < shown; i++ {
		if step == 2 && i > 0 {
			out = append(out, "")
		}
		out = append(out, ws.row(v[i]))
	}
	if shown < len(v) {
		if step == 2 {
			out = append(out, "")
		}
		out = append(out, th.Bold.Render(fmt.Sprintf("  + %d more open cases", len(v)-shown)))
	}
	return out
}

func pick(b bool, yes, no lipgloss.Style) lipgloss.Style {
	if b {
		return yes
	}
	return no
}

// urgentTiles is the region's k most urgent running clocks: a flashing
// one first, up to half of the row its worst breaches, the rest its next
// dues.
func (ws *Wall) urgentTiles(r model.Region, breached, k int) []tile {
	dv := ws.dues[r].Items()
	nb := min(breached, (k+1)/2)
	var pickd []*model.QueueItem
	taken := map[int64]bool{}
	add := func(it *model.QueueItem) {
		if len(pickd) < k && !taken[it.Case.Number] {
			taken[it.Case.Number] = true
			pickd = append(pickd, it)
		}
	}
	// A flashing case first: its tile flashes with the banner.
	var flashing []int64
	for n := range ws.flashes {
		flashing = append(flashing, n)
	}
	slices.Sort(flashing)
	for _, n := range flashing {
		if it, ok := ws.dues[r].Get(n); ok {
			if _, on := ws.flashing(n); on {
				add(it)
			}
		}
	}
	for i := 0; i < nb; i++ {
		add(dv[i])
	}
	for i := breached; i < len(dv); i++ {
		add(dv[i])
	}
	for i := nb; i < breached; i++ {
		add(dv[i])
	}
	out := make([]tile, 0, len(pickd))
	for _, e := range pickd {
		out = append(out, ws.caseTile(e))
	}
	return out
}

// caseTile is a case's time to breach in block figures, "-3h42m" once
// breached, with its state in words and the case under it.
func (ws *Wall) caseTile(e *model.QueueItem) tile {
	c := ws.c
	th := c.th
	st := e.Urgent.At(c.now, c.p)
	t := tile{head: "● DUE IN", style: th.OK, fig: model.SpanMinutes(st.Remaining)}
	switch {
	case st.State == model.StateBreached:
		t.head, t.style = wordBreached, th.Breached
	case st.DueSoon:
		t.head, t.style = "▲ DUE SOON", th.Warning
	case st.Paused:
		t.head, t.style = "‖ PAUSED", th.Paused
	}
	t.sub = fmt.Sprintf("%s · S%d · %s", model.CaseNumber(e.Case.Number), e.Case.Severity, model.Inert(e.Case.Account))
	if word, ok := ws.flashing(e.Case.Number); ok {
		t.flash = true
		if word != t.head {
			t.head = word + " · " + t.head
		}
	}
	return t
}

// row is a case on the wall's queue: number, severity, its clock in
// minutes, escalation flag, account, owner, title; wide columns apart.
func (ws *Wall) row(e *model.QueueItem) string {
	c := ws.c
	th := c.th
	sep := wallSep(ws.w)
	state, style := ws.stateCell(e)
	flag := " "
	if e.Escalated {
		flag = "⚑"
	}
	word, flashing := ws.flashing(e.Case.Number)
	marker := "  "
	if flashing {
		marker = "! "
		state = word
	}
	title := "(title hidden)"
	if c.o.Titles {
		title = model.Inert(e.Case.Title)
	}
	num := model.CaseNumber(e.Case.Number)
	sev := fmt.Sprintf("S%d", e.Case.Severity)
	acct := fit(model.Inert(e.Case.Account), 12)
	owner := fit(model.Inert(orDash(e.Case.Owner)), 10)
	if flashing {
		return th.Flash.Render(fit(marker+num+sep+sev+sep+fit(state, 20)+sep+flag+" "+acct+sep+owner+sep+title, ws.w))
	}
	if flag != " " {
		flag = th.pEscalated.Render(flag)
	}
	return fit(marker+num+sep+sev+sep+style.Render(fit(state, 20))+sep+flag+" "+acct+sep+owner+sep+title, ws.w)
}

// stateCell is a case's most urgent clock in words and minutes.
func (ws *Wall) stateCell(e *model.QueueItem) (string, paint) {
	th := ws.c.th
	if !e.HasClock {
		return wordNoClock, th.pFaint
	}
	if e.Urgent.CallRequired {
		return wordCall, th.pBreached
	}
	st := e.Urgent.At(ws.c.now, ws.c.p)
	span := model.SpanMinutes(st.Remaining)
	switch {
	case st.State == model.StateBreached:
		return wordBreached + " " + span, th.pBreached
	case st.DueSoon:
		return wordDueSoon + " " + span, th.pWarning
	case st.Paused:
		return wordPaused + " " + span, th.pPaused
	}
	return "● " + span + " left", th.pOK
}

// escClock is an escalation's running follow-up or update clock.
func escClock(e *model.QueueItem) (model.Clock, bool) {
	for _, cl := range e.Clocks() {
		if (cl.Kind == model.ClockEscalationFollowup || cl.Kind == model.ClockEscalationUpdate) && cl.Running() {
			return cl, true
		}
	}
	return model.Clock{}, false
}

// escalations is the open escalations' counts in tiles, then one tile
// each: its follow-up or update clock in block figures.
func (ws *Wall) escalations(room int) []string {
	c := ws.c
	th := c.th
	v := ws.esc.Items()
	var requested, accepted, late int
	for _, e := range v {
		if e.Esc != nil && e.Esc.Status == model.EscAccepted {
			accepted++
		} else {
			requested++
		}
		if cl, ok := escClock(e); ok && cl.At(c.now, c.p).State == model.StateBreached {
			late++
		}
	}
	counts := []tile{
		{head: "⚑ ESCALATED", short: "⚑ ESC", fig: fmt.Sprint(len(v)), style: th.Escalated},
		{head: "REQUESTED", short: "REQ", fig: fmt.Sprint(requested), style: th.Text},
		{head: "ACCEPTED", short: "ACC", fig: fmt.Sprint(accepted), style: th.Text},
		{head: "✖ LATE", fig: fmt.Sprint(late), style: pick(late > 0, th.Breached, th.Faint)},
	}
	if len(v) == 0 {
		out := ws.tileRow(counts, ws.w, room/2)
		return append(out, "", th.Faint.Render("  no open escalations"))
	}
	tiles := make([]tile, 0, len(v))
	for _, e := range v {
		tiles = append(tiles, ws.escTile(e))
	}
	cols := min(max(1, ws.w/40), 4, len(tiles))
	gridRows := (len(tiles) + cols - 1) / cols
	countsH := room * 2 / 7
	out := ws.tileRow(counts, ws.w, countsH)
	if out == nil {
		sep := wallSep(ws.w)
		out = []string{th.Bold.Render(fmt.Sprintf("⚑ ESCALATED %d%sREQUESTED %d%sACCEPTED %d%s✖ LATE %d",
			len(v), sep, requested, sep, accepted, sep, late))}
	}
	return append(out, ws.grid(tiles, cols, gridRows, room-len(out)-1, "escalations")...)
}

// escTile is an escalation: its clock's state in words, the time left in
// block figures ("-12m" once late), the case and the escalation's status.
func (ws *Wall) escTile(e *model.QueueItem) tile {
	c := ws.c
	th := c.th
	// The clock says the status: a follow-up is requested, an update
	// accepted.
	t := tile{sub: fmt.Sprintf("⚑ %s · S%d · %s", model.CaseNumber(e.Case.Number), e.Case.Severity,
		model.Inert(e.Case.Account)), style: th.Escalated}
	cl, ok := escClock(e)
	if !ok {
		// Followed up, waiting for the decision (or accepted with no
		// update agreed): how long since it was asked, or decided.
		t.head, t.short = "⚑ REQUESTED", "⚑ REQ"
		since := time.Time{}
		if e.Esc != nil {
			since = e.Esc.RequestedAt
			if e.Esc.Status == model.EscAccepted {
				t.head, t.short, since = "⚑ ACCEPTED", "⚑ ACC", e.Esc.DecidedAt
			}
		}
		if !since.IsZero() && !since.After(c.now) {
			t.head += " FOR"
			t.fig = model.SpanMinutes(c.now.Sub(since))
		}
		t.line = t.sub + "   " + t.head + " " + t.fig
		return t
	}
	what := "FOLLOW-UP"
	if cl.Kind == model.ClockEscalationUpdate {
		what = "UPDATE"
	}
	st := cl.At(c.now, c.p)
	t.fig = model.SpanMinutes(st.Remaining)
	switch {
	case st.State == model.StateBreached:
		t.head, t.short, t.style = "✖ "+what+" LATE", "✖ LATE", th.Breached
	case st.DueSoon:
		t.head, t.short, t.style = "▲ "+what+" DUE SOON", "▲ SOON", th.Warning
	case st.Paused:
		t.head, t.short, t.style = "‖ "+what+" PAUSED", "‖ PAUSED", th.Paused
	default:
		t.head, t.short = what+" DUE IN", "DUE IN"
	}
	t.line = t.sub + "   " + t.head + " " + t.fig
	return t
}

// grid lays tiles out cols across in as many rows as fit in room lines,
// and says how many did not fit.
func (ws *Wall) grid(tiles []tile, cols, rows, room int, what string) []string {
	if rows < 1 || room < 2 {
		return nil
	}
	// The height each row may take, at least what a bare tile needs.
	// No taller than half the screen: a lone tile need not fill it.
	rowH := min((room-rows)/rows, ws.h/2)
	minH := bigHeight(1) + tileChrome(tiles, false)
	fit := rows
	if rowH < minH {
		rowH = minH
		fit = max(0, (room-1)/(minH+1))
	}
	var out []string
	shown := 0
	for r := 0; r < fit && shown < len(tiles); r++ {
		end := min(shown+cols, len(tiles))
		row := tiles[shown:end]
		for len(row) < cols {
			row = append(row, tile{}) // a short last row keeps the columns' width
		}
		lines := ws.tileRow(row, ws.w, rowH)
		if lines == nil {
			break
		}
		out = append(out, "")
		out = append(out, lines...)
		shown = end
	}
	// The rest one line each, while there is room; then how many more.
	if shown < len(tiles) {
		out = append(out, "")
	}
	for shown < len(tiles) && tiles[shown].line != "" && len(out)+2 <= room {
		t := tiles[shown]
		out = append(out, t.style.Bold(true).Render(clip("  "+t.line, ws.w)))
		shown++
	}
	if shown < len(tiles) {
		out = append(out, ws.c.th.Bold.Render(fmt.Sprintf("  + %d more %s", len(tiles)-shown, what)))
	}
	return out
}

// teamLoad is one tile per person with open cases, most loaded first:
// their open count in block figures and how many of those are breached.
func (ws *Wall) teamLoad(room int) []string {
	c := ws.c
	th := c.th
	if len(ws.load) == 0 {
		return []string{"", th.Faint.Render("  nobody owns an open case")}
	}
	tiles := make([]tile, 0, len(ws.load))
	for _, l := range ws.load {
		t := tile{head: model.Inert(l.owner), fig: fmt.Sprint(l.open), style: th.Accent, sub: "OPEN · none breached"}
		if l.breached > 0 {
			t.style = th.Breached
			t.sub = fmt.Sprintf("OPEN · %s %d", wordBreached, l.breached)
		}
		t.line = fmt.Sprintf("%-12s %4d %s", clip(t.head, 12), l.open, t.sub)
		tiles = append(tiles, t)
	}
	cols := min(max(2, ws.w/26), 8, len(tiles))
	rows := (len(tiles) + cols - 1) / cols
	return ws.grid(tiles, cols, rows, room, "people")
}
