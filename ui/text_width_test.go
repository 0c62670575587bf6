package ui

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestCellWidthMatchesAnsi: the fast width is ansi.StringWidth's on
// strings made of what a frame holds and what user text may: ASCII,
// colours, box drawing, CJK, combining marks after ASCII, keycaps (an
// ASCII digit joined to what follows), emoji with ZWJ and skin tones,
// flags, prepended marks before ASCII, controls and cut sequences.
func TestCellWidthMatchesAnsi(t *testing.T) {
	pieces := []string{"a", "Z", " ", "0", "#", "case", "00001042", "─", "│", "●", "·", "▸", "⚑", "—", "…",
		"漢", "字", "ｱ", "\u0301", "e\u0301", "1\uFE0F\u20E3", "#\u20E3", "\U0001F468\u200D\U0001F469\u200D\U0001F467",
		"\U0001F44D\U0001F3FD", "\U0001F1EB\U0001F1F7", "\u0600", "\u0600a", "\u200d", "\uFE0F",
		"░", "█", "★", "✖", "✔", "■", "⚡", "©\uFE0F", "▲", "\u00ad", "\u2028", "\x1b[1m", "\x1b[38;5;196m", "\x1b[0m", "\x1b[", "\x1b]8;;x\x07", "\t", "\x7f", "\x1b", "\x00", "é", "ß"}
	rng := rand.New(rand.NewSource(5))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := rng.Intn(12); n > 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		s := b.String()
		if got, want := cellWidth(s), ansi.StringWidth(s); got != want {
			t.Fatalf("cellWidth(%q) = %d, ansi.StringWidth %d", s, got, want)
		}
	}
}

// TestSymbolWidthsAlone: every symbol of the table, next to ASCII and to
// itself, measures as ansi.StringWidth says.
func TestSymbolWidthsAlone(t *testing.T) {
	for _, r := range symbolRanges {
		for c := r[0]; c <= r[1]; c++ {
			s := "a" + string(c) + string(c) + "b" + string(c) + "\x1b[1m" + string(c)
			if got, want := cellWidth(s), ansi.StringWidth(s); got != want {
				t.Fatalf("cellWidth(%q) = %d, ansi.StringWidth %d", s, got, want)
			}
		}
	}
}
