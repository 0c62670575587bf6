package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// theme is the board's named style slots, built once per session from its
// renderer: nothing else colours a string by hand. Every state also has a
// symbol or word (see the mark* helpers), so colour is never the only cue.
type theme struct {
	r *lipgloss.Renderer

	Breached  lipgloss.Style
	Warning   lipgloss.Style
	OK        lipgloss.Style
	Paused    lipgloss.Style
	Escalated lipgloss.Style
	Faint     lipgloss.Style
	Accent    lipgloss.Style
	Text      lipgloss.Style
	Bold      lipgloss.Style
	Selected  lipgloss.Style
	Flash     lipgloss.Style
	TabOn     lipgloss.Style
	TabOff    lipgloss.Style
	Title     lipgloss.Style
	Box       lipgloss.Style
	Status    lipgloss.Style
	Error     lipgloss.Style

	// Row paints: the same slots as plain prefix/suffix strings, for the
	// cells drawn on every row (lipgloss Render per cell is the cost of a
	// redraw otherwise).
	pBreached, pWarning, pOK, pPaused, pEscalated, pFaint paint
}

// paint colours a string with a style's escape sequences, captured once.
type paint struct{ pre, suf string }

func paintOf(st lipgloss.Style) paint {
	const mark = "\uE000"
	out := st.Render(mark)
	i := strings.Index(out, mark)
	if i < 0 {
		return paint{}
	}
	return paint{pre: out[:i], suf: out[i+len(mark):]}
}

// Render colours s (one line, no layout).
func (p paint) Render(s string) string {
	if p.pre == "" && p.suf == "" {
		return s
	}
	return p.pre + s + p.suf
}

func newTheme(r *lipgloss.Renderer) *theme {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	// Okabe-Ito colours (safe for colour-blind readers), with a darker
	// variant for light backgrounds; local, so no session shares state.
	var (
		colVermillion = lipgloss.AdaptiveColor{Light: "#B34700", Dark: "#D55E00"}
		colOrange     = lipgloss.AdaptiveColor{Light: "#A86F00", Dark: "#E69F00"}
		colGreen      = lipgloss.AdaptiveColor{Light: "#00704F", Dark: "#009E73"}
		colSky        = lipgloss.AdaptiveColor{Light: "#1F6FA3", Dark: "#56B4E9"}
		colPurple     = lipgloss.AdaptiveColor{Light: "#9E4A7C", Dark: "#CC79A7"}
		colBlue       = lipgloss.AdaptiveColor{Light: "#0072B2", Dark: "#56B4E9"}
		colFaint      = lipgloss.AdaptiveColor{Light: "#6C6C6C", Dark: "#8A8A8A"}
		colText       = lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#E4E4E4"}
		colSelBg      = lipgloss.AdaptiveColor{Light: "#D8E6F3", Dark: "#2E3A46"}
	)
	s := r.NewStyle
	th := &theme{
		r:         r,
		Breached:  s().Foreground(colVermillion).Bold(true),
		Warning:   s().Foreground(colOrange),
		OK:        s().Foreground(colGreen),
		Paused:    s().Foreground(colSky),
		Escalated: s().Foreground(colPurple).Bold(true),
		Faint:     s().Foreground(colFaint),
		Accent:    s().Foreground(colBlue).Bold(true),
		Text:      s().Foreground(colText),
		Bold:      s().Bold(true),
		Selected:  s().Background(colSelBg).Bold(true),
		Flash:     s().Reverse(true).Bold(true),
		TabOn:     s().Foreground(colBlue).Bold(true).Underline(true),
		TabOff:    s().Foreground(colFaint),
		Title:     s().Bold(true),
		Box:       s().Border(lipgloss.NormalBorder()).BorderForeground(colFaint).Padding(0, 1),
		Status:    s().Foreground(colFaint),
		Error:     s().Foreground(colVermillion).Bold(true),
	}
	if r.ColorProfile() == termenv.ANSI {
		// In 16 colours the adaptive background falls to black or grey
		// under default text: bright white on blue reads on every palette
		// (and differs from a flash, which is reverse video).
		th.Selected = s().Foreground(lipgloss.Color("15")).Background(lipgloss.Color("4")).Bold(true)
	}
	th.pBreached, th.pWarning, th.pOK = paintOf(th.Breached), paintOf(th.Warning), paintOf(th.OK)
	th.pPaused, th.pEscalated, th.pFaint = paintOf(th.Paused), paintOf(th.Escalated), paintOf(th.Faint)
	return th
}

// The state words: each colour comes with a symbol and a word.
const (
	wordBreached  = "✖ BREACHED"
	wordDueSoon   = "▲ due soon"
	wordCall      = "☎ call required"
	wordPaused    = "‖ paused"
	wordEscalated = "⚑ escalated"
	wordOK        = "● on time"
	wordNoClock   = "· no clock"
	wordOverdue   = "✖ follow-up overdue"
)
