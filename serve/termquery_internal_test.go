package serve

import "testing"

// TestTermAnswersTakenOutAcrossReads: the terminal's answers cut at every
// byte between two reads (but right after an answer's ESC: a lone ESC is
// the escape key), with keys around them: the board gets the keys only,
// and the background colour is read.
func TestTermAnswersTakenOutAcrossReads(t *testing.T) {
	const answers = "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c"
	input := "j" + answers + "\x1b[Ak"
	for cut := 0; cut <= len(input); cut++ {
		if cut == 2 || cut == 1+len(answers)-len("\x1b[?62;22c")+1 {
			continue
		}
		in := &termInput{answered: make(chan struct{})}
		got := string(in.filter([]byte(input[:cut]))) + string(in.filter([]byte(input[cut:])))
		if got != "j\x1b[Ak" {
			t.Errorf("cut at %d: the board got %q", cut, got)
		}
		if in.bg != "rgb:ffff/ffff/ffff" || !in.done {
			t.Errorf("cut at %d: background %q, DA1 seen %v", cut, in.bg, in.done)
		}
		if dark, ok := darkSpec(in.bg); !ok || dark {
			t.Errorf("cut at %d: %q read as dark=%v ok=%v", cut, in.bg, dark, ok)
		}
	}
	// After DA1 nothing is taken out: such bytes are keys.
	in := &termInput{answered: make(chan struct{}), done: true}
	if got := string(in.filter([]byte(answers))); got != answers {
		t.Errorf("after DA1 the input was changed: %q", got)
	}
	// A lone escape key is not held back.
	in = &termInput{answered: make(chan struct{})}
	if got := string(in.filter([]byte("\x1b"))); got != "\x1b" {
		t.Errorf("a lone ESC: %q", got)
	}
}
