package model

import "testing"

func TestInertNeutralizesEscapes(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain title", "plain title"},
		{"\x1b[2J\x1b[Hgone", "^[[2J^[[Hgone"},                                           // CSI clear screen
		{"\x1b]52;c;ZXZpbA==\x07", "^[]52;c;ZXZpbA==^G"},                                 // OSC 52 clipboard write
		{"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "^[]8;;http://x^[\\link^[]8;;^[\\"}, // OSC 8
		{"abc\u202edcba", "abc<U+202E>dcba"},                                             // bidi override
		{"nul\x00end", "nul^@end"},
		{"c1\u009bcsi", "c1<U+009B>csi"},
		{"tab\tnew\nline", "tab new line"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"café ✓", "café ✓"},
	}
	for _, c := range cases {
		if got := Inert(c.in); got != c.want {
			t.Errorf("Inert(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := InertText("a\nb\x1b"); got != "a\nb^[" {
		t.Errorf("InertText kept %q", got)
	}
}

func TestMarkdownAndCSVCells(t *testing.T) {
	if got := MarkdownCell("a|b\x1b"); got != `a\|b^[` {
		t.Errorf("MarkdownCell = %q", got)
	}
	for in, want := range map[string]string{
		`=HYPERLINK("http://x")`: `'=HYPERLINK("http://x")`, "+1": "'+1", "-2": "'-2", "@SUM": "'@SUM", "ok": "ok", "": "",
	} {
		if got := CSVText(in); got != want {
			t.Errorf("CSVText(%q) = %q, want %q", in, got, want)
		}
	}
}
