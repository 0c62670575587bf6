package ui

import (
	"errors"
	"fmt"
	"strings"

	"caseboard/keymap"
	"caseboard/model"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// fieldKind tells a typed field from a chooser.
type fieldKind int

const (
	textField fieldKind = iota
	choiceField
	// listField is a chooser drawn one option a line (time entries):
	// ↑ ↓ move within it, and past its ends to the next field.
	listField
)

// listRows is how many options of a list field show at once.
const listRows = 8

// option is one value a chooser offers, with its label and a help line
// (a severity's definition).
type option struct{ value, label, help string }

// field is one input of a form. check runs on every key (validation as one
// types); hint is a line under the field that follows its value. err shows
// only once the field was left or the form submitted (left): nobody is
// told off before typing anything.
type field struct {
	key, label string
	kind       fieldKind
	in         textinput.Model
	opts       []option
	sel        int
	check      func(v string, f *Form) error
	hint       func(v string, f *Form) string
	err        string
	left       bool
	// refresh rebuilds the options from the other fields' values (the
	// entries of the chosen account); it runs before every check.
	refresh func(f *Form)
}

// shownErr is the field's complaint once it may be shown, else "".
func (fl *field) shownErr() string {
	if !fl.left {
		return ""
	}
	return fl.err
}

func (fl *field) value() string {
	if fl.kind != textField {
		if fl.sel < 0 || fl.sel >= len(fl.opts) {
			return ""
		}
		return fl.opts[fl.sel].value
	}
	return strings.TrimSpace(fl.in.Value())
}

// Form is one action's small form: fields, an optional y/n question, and
// build, which turns the values into the action (or says what is wrong).
// Submitting leaves the action in action, cancelling sets cancelled; the
// board takes either and closes the form.
type Form struct {
	c          *Common
	w, h       int
	cancelled  bool
	action     model.Action
	title      string
	about      []string // context above the fields, already inert
	fields     []*field
	focus      int
	confirm    string
	confirming bool
	build      func(f *Form) (model.Action, error)
	// err is what is wrong with the submitted form: build's complaint or
	// the rules' refusal, shown under the form, which stays open.
	err string
	// pending: the action is with the store; keys wait for its answer.
	pending bool
}

func newText(key, label, placeholder string, check func(string, *Form) error) *field {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = 500
	return &field{key: key, label: label, kind: textField, in: in, check: check}
}

func newChoice(key, label string, opts []option) *field {
	return &field{key: key, label: label, kind: choiceField, opts: opts}
}

// unchosen makes a chooser start with nothing chosen, so a choice that
// matters (a severity) is never made by pressing enter; check names what
// to choose until one is.
func (fl *field) unchosen(what string) *field {
	fl.sel = -1
	fl.check = func(v string, _ *Form) error {
		if v == "" {
			return errors.New("choose " + what + " (← →)")
		}
		return nil
	}
	return fl
}

// refuse shows a refusal of the submitted action under the form and keeps
// everything typed, so the user can correct it or cancel.
func (f *Form) refuse(err error) {
	f.action, f.pending, f.confirming = nil, false, false
	f.err = model.Inert(err.Error())
}

// get is a field's value by key ("" when the form has no such field).
func (f *Form) get(key string) string {
	for _, fl := range f.fields {
		if fl.key == key {
			return fl.value()
		}
	}
	return ""
}

// validate checks every field and reports whether all pass.
func (f *Form) validate() bool {
	ok := true
	for _, fl := range f.fields {
		fl.err = ""
		if fl.refresh != nil {
			fl.refresh(f)
		}
		if fl.check != nil {
			if err := fl.check(fl.value(), f); err != nil {
				fl.err = err.Error()
				ok = false
			}
		}
	}
	return ok
}

func (f *Form) setFocus(i int) {
	if len(f.fields) == 0 {
		return
	}
	i = (i + len(f.fields)) % len(f.fields)
	for j, fl := range f.fields {
		if fl.kind != textField {
			continue
		}
		if j == i {
			fl.in.Focus()
		} else {
			fl.in.Blur()
		}
	}
	f.focus = i
}

func (f *Form) focused() *field {
	if f.focus < 0 || f.focus >= len(f.fields) {
		return nil
	}
	return f.fields[f.focus]
}

// start focuses the first field and validates once (so Enter knows what is
// wrong); the errors show as each field is left.
func (f *Form) start(c *Common) *Form {
	f.c = c
	f.setFocus(f.focus) // 0 unless the form starts further down
	f.validate()
	return f
}

// Init implements tea.Model.
func (f *Form) Init() tea.Cmd { return nil }

// Update edits the form: Enter submits (after the y/n question when there
// is one), Esc cancels and writes nothing.
func (f *Form) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || f.pending {
		return f, nil
	}
	if f.confirming {
		switch {
		case key.Matches(k, f.c.km.Confirm.Yes):
			f.submit()
		case key.Matches(k, f.c.km.Confirm.No):
			f.confirming = false
		}
		return f, nil
	}
	km := f.c.km.Form
	fl := f.focused()
	switch {
	case key.Matches(k, km.Cancel):
		f.cancelled = true
		return f, nil
	case key.Matches(k, km.Submit):
		for _, x := range f.fields {
			x.left = true
		}
		if !f.validate() {
			for i, x := range f.fields {
				if x.err != "" {
					f.setFocus(i)
					break
				}
			}
			return f, nil
		}
		if f.confirm != "" {
			f.confirming = true
			return f, nil
		}
		f.submit()
		return f, nil
	case fl != nil && fl.kind == listField && (k.Type == tea.KeyDown || k.Type == tea.KeyRight) && fl.sel < len(fl.opts)-1:
		fl.sel++
	case fl != nil && fl.kind == listField && (k.Type == tea.KeyUp || k.Type == tea.KeyLeft) && fl.sel > 0:
		fl.sel--
	case key.Matches(k, km.Next):
		f.leave()
		f.setFocus(f.focus + 1)
		return f, nil
	case key.Matches(k, km.Prev):
		f.leave()
		f.setFocus(f.focus - 1)
		return f, nil
	case fl != nil && fl.kind == choiceField && key.Matches(k, km.Left):
		switch {
		case fl.sel < 0:
			fl.sel = 0
		case fl.sel > 0:
			fl.sel--
		}
	case fl != nil && fl.kind == choiceField && key.Matches(k, km.Right):
		if fl.sel < len(fl.opts)-1 {
			fl.sel++
		}
	case fl != nil && fl.kind == choiceField && k.Type == tea.KeyRunes && len(k.Runes) == 1:
		fl.choose(k.Runes[0])
	case fl != nil && fl.kind == textField:
		fl.in, _ = fl.in.Update(k)
	}
	f.err = "" // a changed form is no longer the refused one
	f.validate()
	return f, nil
}

// leave marks the focused field as left: its error shows from now on.
func (f *Form) leave() {
	if fl := f.focused(); fl != nil {
		fl.left = true
	}
}

// choose picks the option whose label starts with the digit typed
// ("2" for severity 2); other runes do nothing on a chooser.
func (fl *field) choose(r rune) {
	if r < '0' || r > '9' {
		return
	}
	for i, o := range fl.opts {
		if strings.HasPrefix(o.label, string(r)+" ") {
			fl.sel = i
			return
		}
	}
}

// submit builds the action; what is wrong with it shows on the form.
func (f *Form) submit() {
	a, err := f.build(f)
	if err != nil {
		f.confirming = false
		f.err = model.Inert(err.Error())
		return
	}
	f.action = a
}

// SetSize implements Component.
func (f *Form) SetSize(w, h int) { f.w, f.h = w, h }

// ShortHelp implements help.KeyMap.
func (f *Form) ShortHelp() []key.Binding { return f.c.km.HelpFor(f.context(), nil).ShortHelp() }

// FullHelp implements help.KeyMap.
func (f *Form) FullHelp() [][]key.Binding { return f.c.km.HelpFor(f.context(), nil).FullHelp() }

func (f *Form) context() keymap.Context {
	if f.confirming {
		return keymap.CtxConfirm
	}
	return keymap.CtxForm
}

// View draws the form at the width it was given.
func (f *Form) View() string { return strings.Join(f.lines(f.w), "\n") }

// formLines draws the form, w cells wide.
func (f *Form) lines(w int) []string {
	th := f.c.th
	lines := []string{th.Title.Render(f.title)}
	lines = append(lines, f.about...)
	lines = append(lines, "")
	labelW := 0
	for _, fl := range f.fields {
		labelW = max(labelW, len(fl.label))
	}
	for i, fl := range f.fields {
		mark := "  "
		if i == f.focus && !f.confirming {
			mark = "▸ "
		}
		label := fit(fl.label, labelW)
		var val string
		if fl.kind == listField {
			lines = append(lines, mark+th.Bold.Render(label))
			lines = append(lines, f.listLines(fl, i == f.focus && !f.confirming, labelW+4, w)...)
			if e := fl.shownErr(); e != "" {
				lines = append(lines, wrapIndent(strings.Repeat(" ", labelW+4)+th.Error.Render("✖ "+model.Inert(e)), w)...)
			}
			continue
		}
		if fl.kind == choiceField {
			var parts []string
			for j, o := range fl.opts {
				if j == fl.sel {
					parts = append(parts, th.Selected.Render("["+model.Inert(o.label)+"]"))
				} else {
					parts = append(parts, th.Faint.Render(" "+model.Inert(o.label)+" "))
				}
			}
			val = strings.Join(parts, "")
			if i == f.focus {
				val = "‹ " + val + " ›"
			}
		} else {
			val = f.c.inputView(&fl.in, i == f.focus && !f.confirming)
		}
		lines = append(lines, wrapIndent(mark+th.Bold.Render(label)+"  "+val, w)...)
		pad := strings.Repeat(" ", labelW+4)
		if fl.kind == choiceField && fl.sel >= 0 && fl.sel < len(fl.opts) && fl.opts[fl.sel].help != "" {
			lines = append(lines, wrapIndent(pad+th.Faint.Render(model.Inert(fl.opts[fl.sel].help)), w)...)
		}
		if fl.hint != nil {
			if h := fl.hint(fl.value(), f); h != "" {
				lines = append(lines, wrapIndent(pad+th.Faint.Render(h), w)...)
			}
		}
		if e := fl.shownErr(); e != "" {
			lines = append(lines, wrapIndent(pad+th.Error.Render("✖ "+model.Inert(e)), w)...)
		}
	}
	lines = append(lines, "")
	switch {
	case f.pending:
		lines = append(lines, th.Faint.Render("…"))
	case f.confirming:
		lines = append(lines, th.Warning.Render(f.confirm+" (y/n)"))
	case f.err != "":
		lines = append(lines, th.Error.Render("✖ "+f.err))
	default:
		lines = append(lines, th.Faint.Render("enter submits · esc cancels and writes nothing"))
	}
	return lines
}

// listLines draws a list field's options on screen, one a line, indented
// by pad: the chosen one marked ▸ (and styled), a window of listRows kept
// around it, with how many more lie above and below.
func (f *Form) listLines(fl *field, focused bool, pad, w int) []string {
	th := f.c.th
	ind := strings.Repeat(" ", pad)
	if len(fl.opts) == 0 {
		return []string{ind + th.Faint.Render("(none)")}
	}
	top := 0
	if fl.sel >= listRows {
		top = fl.sel - listRows + 1
	}
	end := min(len(fl.opts), top+listRows)
	var out []string
	if top > 0 {
		out = append(out, ind+th.Faint.Render(fmt.Sprintf("↑ %d more", top)))
	}
	for j := top; j < end; j++ {
		line := fit(model.Inert(fl.opts[j].label), max(w-pad-2, 10))
		switch {
		case j == fl.sel:
			out = append(out, ind[:pad-2]+"▸ "+th.Selected.Render(line))
		default:
			out = append(out, ind+line)
		}
	}
	if end < len(fl.opts) {
		out = append(out, ind+th.Faint.Render(fmt.Sprintf("↓ %d more", len(fl.opts)-end)))
	}
	if focused && fl.sel < 0 {
		out = append(out, ind+th.Faint.Render("↓ or → to pick"))
	}
	return out
}

// inputView draws a text input, inert, with a block cursor when focused.
func (c *Common) inputView(in *textinput.Model, focused bool) string {
	v := []rune(in.Value())
	if len(v) == 0 && !focused {
		return c.th.Faint.Render(model.Inert(in.Placeholder))
	}
	pos := min(in.Position(), len(v))
	s := model.Inert(string(v[:pos]))
	if focused {
		s += "█"
	}
	s += model.Inert(string(v[pos:]))
	if len(v) == 0 && in.Placeholder != "" {
		s += c.th.Faint.Render(model.Inert(in.Placeholder))
	}
	return s
}
