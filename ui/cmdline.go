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

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// CommandLine is the `:` prompt: one input, its history and the last
// completion's candidates. A line entered waits in ran until the board
// takes it and runs it.
type CommandLine struct {
	c       *Common
	w, h    int
	ran     *enteredLine
	on      bool
	in      textinput.Model
	history []string
	hpos    int // len(history): the line being written
	draft   string
	cands   []string
}

// enteredLine is a command line entered at the prompt, split into its
// arguments (or why it cannot be).
type enteredLine struct {
	line string
	args []string
	err  error
}

// Output is the last command's output pane (or a report's), scrollable.
type Output struct {
	c      *Common
	w, h   int
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

func newCommandLine(c *Common) *CommandLine { return &CommandLine{c: c} }

func newOutput(c *Common) *Output { return &Output{c: c} }

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
		"report":     {"daily", "hours", "sla", "weekly"},
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
	b.prompt.open()
	b.layout()
	return nil
}

// open shows the prompt with an empty line, the history kept.
func (p *CommandLine) open() {
	if !p.in.Focused() {
		p.in = textinput.New()
		p.in.Prompt = ""
		p.in.CharLimit = 2000
		p.in.Focus()
	}
	p.on = true
	p.in.SetValue("")
	p.hpos = len(p.history)
	p.cands = nil
}

// promptKey sends a key to the prompt and runs the line it gives back.
func (b *board) promptKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, b.km.Prompt.Quit) {
		return b.quit()
	}
	b.prompt.Update(msg)
	if !b.prompt.on {
		b.layout()
	}
	r := b.prompt.take()
	if r == nil {
		return nil
	}
	if r.err != nil {
		b.setError(r.err)
		return nil
	}
	args := r.args
	if len(args) > 0 && args[0] == "caseboard" {
		args = args[1:]
	}
	// `:q` quits, as in vi: no command of the tree is named q or quit.
	if len(args) == 1 && (args[0] == "q" || args[0] == "quit") {
		return b.quit()
	}
	b.setStatus("running: " + model.Inert(r.line))
	return runCmd(b.o.RunCommand, b.user.ID, b.now, args, r.line)
}

// take returns the line entered, once.
func (p *CommandLine) take() *enteredLine {
	r := p.ran
	p.ran = nil
	return r
}

// Init implements tea.Model.
func (p *CommandLine) Init() tea.Cmd { return nil }

// Update edits the line: Enter enters it (closing the prompt), Esc closes
// it, Tab completes, up and down walk the history.
func (p *CommandLine) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	k := p.c.km.Prompt
	switch {
	case key.Matches(km, k.Cancel):
		p.on = false
		return p, nil
	case key.Matches(km, k.Run):
		line := strings.TrimSpace(p.in.Value())
		p.on = false
		if line == "" {
			return p, nil
		}
		if n := len(p.history); n == 0 || p.history[n-1] != line {
			p.history = append(p.history, line)
		}
		args, err := splitArgs(line)
		p.ran = &enteredLine{line: line, args: args, err: err}
		return p, nil
	case key.Matches(km, k.Complete):
		p.complete()
		return p, nil
	case key.Matches(km, k.Older):
		if p.hpos > 0 {
			if p.hpos == len(p.history) {
				p.draft = p.in.Value()
			}
			p.hpos--
			p.in.SetValue(p.history[p.hpos])
			p.in.CursorEnd()
		}
		return p, nil
	case key.Matches(km, k.Newer):
		if p.hpos < len(p.history) {
			p.hpos++
			if p.hpos == len(p.history) {
				p.in.SetValue(p.draft)
			} else {
				p.in.SetValue(p.history[p.hpos])
			}
			p.in.CursorEnd()
		}
		return p, nil
	}
	p.in, _ = p.in.Update(km)
	p.cands = nil
	return p, nil
}

// SetSize implements Component: the prompt is the status line.
func (p *CommandLine) SetSize(w, h int) { p.w, p.h = w, h }

// ShortHelp implements help.KeyMap.
func (p *CommandLine) ShortHelp() []key.Binding {
	return p.c.km.HelpFor(keymap.CtxPrompt, nil).ShortHelp()
}

// FullHelp implements help.KeyMap.
func (p *CommandLine) FullHelp() [][]key.Binding {
	return p.c.km.HelpFor(keymap.CtxPrompt, nil).FullHelp()
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
	var lines []string
	if text != "" {
		lines = strings.Split(model.InertText(text), "\n")
	}
	b.out.show(msg.line, "", false, lines)
	if msg.code != 0 {
		first := strings.TrimPrefix(strings.SplitN(strings.TrimSpace(msg.stderr), "\n", 2)[0], "caseboard: ")
		b.setError(fmt.Errorf("%s (exit %d)", first, msg.code))
	} else {
		b.setStatus("done: " + model.Inert(msg.line))
	}
	b.layout()
}

func (b *board) outputKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := b.km.Output
	switch {
	case key.Matches(msg, k.Quit):
		return b.quit(), true
	case key.Matches(msg, k.Close), key.Matches(msg, k.Up), key.Matches(msg, k.Down):
		b.out.Update(msg)
		if !b.out.on {
			b.layout()
		}
	case key.Matches(msg, k.Command):
		return b.openPrompt(), true
	default:
		return nil, false
	}
	return nil, true
}

// show opens the pane on a command's output (line) or a report (title).
func (o *Output) show(line, title string, wrap bool, lines []string) {
	c, w, h := o.c, o.w, o.h
	*o = Output{c: c, w: w, h: h, on: true, line: line, title: title, wrap: wrap, lines: lines}
}

// Init implements tea.Model.
func (o *Output) Init() tea.Cmd { return nil }

// Update scrolls and closes the pane.
func (o *Output) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return o, nil
	}
	k := o.c.km.Output
	switch {
	case key.Matches(km, k.Close):
		o.on = false
	case key.Matches(km, k.Up):
		if o.scroll > 0 {
			o.scroll--
		}
	case key.Matches(km, k.Down):
		if o.scroll < len(o.lines)-1 {
			o.scroll++
		}
	}
	return o, nil
}

// SetSize implements Component.
func (o *Output) SetSize(w, h int) { o.w, o.h = w, h }

// ShortHelp implements help.KeyMap.
func (o *Output) ShortHelp() []key.Binding { return o.c.km.HelpFor(keymap.CtxOutput, nil).ShortHelp() }

// FullHelp implements help.KeyMap.
func (o *Output) FullHelp() [][]key.Binding { return o.c.km.HelpFor(keymap.CtxOutput, nil).FullHelp() }

// View draws the pane at the width it was given.
func (o *Output) View() string { return strings.Join(o.draw(o.w), "\n") }

// draw is the pane's title and its lines from the scroll position.
func (o *Output) draw(w int) []string {
	b := o.c
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

// View is the status line while the prompt is open.
func (p *CommandLine) View() string {
	s := ":" + p.c.inputView(&p.in, true)
	if len(p.cands) > 1 {
		s += "   " + p.c.th.Faint.Render(model.Inert(strings.Join(p.cands, " ")))
	}
	return fit(s, p.w)
}

// complete completes the word before the cursor: a command name, a case
// number or an account id; several candidates extend to their common
// prefix and are listed.
func (p *CommandLine) complete() {
	b := p.c
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
	numeric := false
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
		// Case numbers come in numeric order (1043 before 10420) and
		// stay so: sorted as text they would not.
		numeric = true
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
	if !numeric {
		sort.Strings(cands)
	}
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
