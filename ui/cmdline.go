package ui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// prompt is the `:` command line: one input, its history and the last
// completion's candidates.
type prompt struct {
	on      bool
	in      textinput.Model
	history []string
	hpos    int // len(history): the line being written
	draft   string
	cands   []string
}

// output is the last command's output pane, scrollable.
type output struct {
	on     bool
	line   string
	lines  []string
	scroll int
	// title replaces ":line" for a pane that is not a command's (a report);
	// wrap folds long lines instead of cutting them, so a copy loses
	// nothing.
	title string
	wrap  bool
}

// RunFunc runs one command line of INTERFACE.md as actor at the instant
// now and returns its exit status (Options.RunCommand).
type RunFunc func(actor string, now time.Time, args []string, stdout, stderr io.Writer) int

// cmdMsg is a command's result.
type cmdMsg struct {
	line   string
	code   int
	stdout string
	stderr string
}

// commandTree is the command names the prompt completes: the scriptable
// commands of INTERFACE.md (a test checks it against cli's tree), but
// serve and watch, which never give the board back.
func commandTree() map[string][]string {
	return map[string][]string{
		"":           {"account", "backup", "case", "escalate", "escalation", "export", "hook", "import", "queue", "report", "restore", "sla", "time", "timebank", "user", "version"},
		"case":       {"assign", "call", "close", "followup", "list", "new", "note", "reopen", "reply", "respond", "severity", "show", "status", "take"},
		"escalation": {"accept", "close", "deescalate", "decline", "followup", "update"},
		"time":       {"list", "log", "void"},
		"report":     {"hours", "sla", "weekly"},
		"account":    {"add", "contact", "list", "set", "show"},
		"user":       {"add", "key", "list", "remove", "show"},
		"hook":       {"add", "list", "log", "remove", "show", "test"},
	}
}

func (b *board) openPrompt() tea.Cmd {
	if b.o.RunCommand == nil {
		b.setStatus("the command line is not available here")
		return nil
	}
	if !b.prompt.in.Focused() {
		b.prompt.in = textinput.New()
		b.prompt.in.Prompt = ""
		b.prompt.in.CharLimit = 2000
		b.prompt.in.Focus()
	}
	b.prompt.on = true
	b.prompt.in.SetValue("")
	b.prompt.hpos = len(b.prompt.history)
	b.prompt.cands = nil
	b.layout()
	return nil
}

func (b *board) promptKey(msg tea.KeyMsg) tea.Cmd {
	p, k := &b.prompt, b.km.Prompt
	switch {
	case key.Matches(msg, k.Quit):
		return b.quit()
	case key.Matches(msg, k.Cancel):
		p.on = false
		b.layout()
		return nil
	case key.Matches(msg, k.Run):
		line := strings.TrimSpace(p.in.Value())
		p.on = false
		b.layout()
		if line == "" {
			return nil
		}
		if n := len(p.history); n == 0 || p.history[n-1] != line {
			p.history = append(p.history, line)
		}
		args, err := splitArgs(line)
		if err != nil {
			b.setError(err)
			return nil
		}
		if len(args) > 0 && args[0] == "caseboard" {
			args = args[1:]
		}
		b.setStatus("running: " + model.Inert(line))
		return runCmd(b.o.RunCommand, b.user.ID, b.now, args, line)
	case key.Matches(msg, k.Complete):
		b.complete()
		return nil
	case key.Matches(msg, k.Older):
		if p.hpos > 0 {
			if p.hpos == len(p.history) {
				p.draft = p.in.Value()
			}
			p.hpos--
			p.in.SetValue(p.history[p.hpos])
			p.in.CursorEnd()
		}
		return nil
	case key.Matches(msg, k.Newer):
		if p.hpos < len(p.history) {
			p.hpos++
			if p.hpos == len(p.history) {
				p.in.SetValue(p.draft)
			} else {
				p.in.SetValue(p.history[p.hpos])
			}
			p.in.CursorEnd()
		}
		return nil
	}
	p.in, _ = p.in.Update(msg)
	p.cands = nil
	return nil
}

func runCmd(run RunFunc, actor string, now time.Time, args []string, line string) tea.Cmd {
	return func() tea.Msg {
		var out, errb bytes.Buffer
		code := run(actor, now, args, &out, &errb)
		return cmdMsg{line: line, code: code, stdout: out.String(), stderr: errb.String()}
	}
}

// onCmd shows a command's output in the pane, inert.
func (b *board) onCmd(msg cmdMsg) {
	text := strings.TrimRight(msg.stdout, "\n")
	if e := strings.TrimRight(msg.stderr, "\n"); e != "" {
		if text != "" {
			text += "\n"
		}
		text += e
	}
	b.out = output{on: true, line: msg.line}
	if text != "" {
		b.out.lines = strings.Split(model.InertText(text), "\n")
	}
	if msg.code != 0 {
		first := strings.TrimPrefix(strings.SplitN(strings.TrimSpace(msg.stderr), "\n", 2)[0], "caseboard: ")
		b.setError(fmt.Errorf("%s (exit %d)", first, msg.code))
	} else {
		b.setStatus("done: " + model.Inert(msg.line))
	}
	b.layout()
}

func (b *board) outputKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	o, k := &b.out, b.km.Output
	switch {
	case key.Matches(msg, k.Quit):
		return b.quit(), true
	case key.Matches(msg, k.Close):
		o.on = false
		b.layout()
	case key.Matches(msg, k.Up):
		if o.scroll > 0 {
			o.scroll--
		}
	case key.Matches(msg, k.Down):
		if o.scroll < len(o.lines)-1 {
			o.scroll++
		}
	case key.Matches(msg, k.Command):
		return b.openPrompt(), true
	default:
		return nil, false
	}
	return nil, true
}

func (b *board) outputLines(w int) []string {
	o := &b.out
	title := ":" + model.Inert(o.line)
	if o.title != "" {
		title = model.Inert(o.title)
	}
	lines := []string{b.th.Title.Render(title)}
	if len(o.lines) == 0 {
		return append(lines, b.th.Faint.Render("(no output)"))
	}
	rest := o.lines[min(o.scroll, len(o.lines)):]
	if !o.wrap {
		return append(lines, rest...)
	}
	for _, l := range rest {
		lines = append(lines, strings.Split(ansi.Hardwrap(l, w, true), "\n")...)
	}
	return lines
}

// promptLine is the status line while the prompt is open.
func (b *board) promptLine() string {
	s := ":" + b.inputView(&b.prompt.in, true)
	if len(b.prompt.cands) > 1 {
		s += "   " + b.th.Faint.Render(model.Inert(strings.Join(b.prompt.cands, " ")))
	}
	return fit(s, b.w)
}

// complete completes the word before the cursor: a command name, a case
// number or an account id; several candidates extend to their common
// prefix and are listed.
func (b *board) complete() {
	p := &b.prompt
	v := p.in.Value()
	words := strings.Fields(v)
	cur := ""
	if len(words) > 0 && !strings.HasSuffix(v, " ") {
		cur = words[len(words)-1]
		words = words[:len(words)-1]
	}
	if len(words) > 0 && words[0] == "caseboard" {
		words = words[1:]
	}
	var pool []string
	tree := commandTree()
	prev := ""
	if len(words) > 0 {
		prev = words[len(words)-1]
	}
	switch {
	case len(words) == 0:
		pool = tree[""]
	case len(words) == 1 && tree[words[0]] != nil:
		pool = tree[words[0]]
	case prev == "--account" || (words[0] == "account" && len(words) == 2 && words[1] != "add" && words[1] != "list"):
		for _, a := range b.sortedAccounts() {
			pool = append(pool, a.ID)
		}
	default:
		for _, n := range b.desk.CaseNumbers() {
			pool = append(pool, strconv.FormatInt(n, 10))
		}
	}
	var cands []string
	for _, c := range pool {
		if strings.HasPrefix(c, cur) {
			cands = append(cands, c)
		}
	}
	sort.Strings(cands)
	p.cands = cands
	if len(cands) == 0 {
		return
	}
	word := commonPrefix(cands)
	if len(cands) == 1 {
		word += " "
	}
	p.in.SetValue(v[:len(v)-len(cur)] + word)
	p.in.CursorEnd()
}

func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// splitArgs splits a command line the way a shell would: spaces separate,
// single quotes keep everything, double quotes keep all but \" and \\, a
// backslash outside quotes escapes the next character.
func splitArgs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '\'':
			inWord = true
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				j++
			}
			if j == len(rs) {
				return nil, errors.New("unterminated ' in the command line")
			}
			cur.WriteString(string(rs[i+1 : j]))
			i = j
		case r == '"':
			inWord = true
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) && (rs[j+1] == '"' || rs[j+1] == '\\') {
					j++
				}
				cur.WriteRune(rs[j])
			}
			if j == len(rs) {
				return nil, errors.New(`unterminated " in the command line`)
			}
			i = j
		case r == '\\' && i+1 < len(rs):
			inWord = true
			i++
			cur.WriteRune(rs[i])
		default:
			inWord = true
			cur.WriteRune(r)
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}
