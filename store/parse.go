package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"caseboard/model"
)

// DocSink receives an interchange document as it is read (ParseDocumentStream).
// Each list's records arrive in order, in chunks of at most the chunk size;
// the slice is the sink's only during the call (the records themselves may be kept).
type DocSink interface {
	Format(n int) error
	Accounts(chunk []model.AccountRecord) error
	Users(chunk []model.UserRecord) error
	Cases(chunk []model.CaseRecord) error
	Escalations(chunk []model.EscalationRecord) error
	TimeEntries(chunk []model.TimeEntryRecord) error
	Events(chunk []model.EventRecord) error
	// End is called once a list's closing bracket is read, with its name in the
	// document ("accounts", "users", "cases", "escalations", "time_entries", "events"),
	// also for an empty or null list.
	End(list string) error
}

// ParseDocument reads an interchange document strictly: an unknown field,
// a value of the wrong type, a key given twice in one object or trailing
// data is an error naming the record and its line and column. It is
// ParseDocumentStream with a sink that keeps every record.
func ParseDocument(r io.Reader) (*model.Document, error) {
	doc := &model.Document{}
	if err := ParseDocumentStream(r, 1024, docSink{doc}); err != nil {
		return nil, err
	}
	return doc, nil
}

// docSink appends each chunk to its list of the document.
type docSink struct{ doc *model.Document }

func (s docSink) Format(n int) error { s.doc.Format = n; return nil }
func (s docSink) Accounts(c []model.AccountRecord) error {
	s.doc.Accounts = append(s.doc.Accounts, c...)
	return nil
}
func (s docSink) Users(c []model.UserRecord) error {
	s.doc.Users = append(s.doc.Users, c...)
	return nil
}
func (s docSink) Cases(c []model.CaseRecord) error {
	s.doc.Cases = append(s.doc.Cases, c...)
	return nil
}
func (s docSink) Escalations(c []model.EscalationRecord) error {
	s.doc.Escalations = append(s.doc.Escalations, c...)
	return nil
}
func (s docSink) TimeEntries(c []model.TimeEntryRecord) error {
	s.doc.TimeEntries = append(s.doc.TimeEntries, c...)
	return nil
}
func (s docSink) Events(c []model.EventRecord) error {
	s.doc.Events = append(s.doc.Events, c...)
	return nil
}
func (s docSink) End(string) error { return nil }

// ParseDocumentStream reads a document from r strictly, as ParseDocument does (the
// same refusals, the same messages and positions), without holding it: memory is
// bounded by the chunk and the largest single record, not by the document.
// An error from the sink ends the parse and is returned as it is. A chunk
// below 1 is taken as 1.
func ParseDocumentStream(r io.Reader, chunk int, sink DocSink) error {
	rd := newDocReader(r)
	p := &docParser{rd: rd, dec: json.NewDecoder(rd), chunk: max(chunk, 1), sink: sink}
	p.dec.DisallowUnknownFields()
	return p.parse()
}

type docParser struct {
	rd    *docReader
	dec   *json.Decoder
	chunk int
	sink  DocSink
	dup   dupScan
}

// place names a value of the document for a message: a list's element
// ("cases[3]") or a field of the document ("format"); built only then.
type place struct {
	name string
	i    int // the element's index, or -1
}

func (pl place) String() string {
	if pl.i < 0 {
		return pl.name
	}
	return pl.name + "[" + strconv.Itoa(pl.i) + "]"
}

func (p *docParser) pos(off int64) string { return p.rd.pos(off) }

func (p *docParser) errAt(off int64, where string, err error) error {
	if p.rd.err != nil {
		return fmt.Errorf("read the document: %w", p.rd.err)
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se): // from Token: its offset is the document's
		return fmt.Errorf("%s: %s: %s", p.pos(se.Offset-1), where, strings.TrimPrefix(se.Error(), "json: "))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		at := off
		end := p.dec.InputOffset()
		raw := p.rd.span(off, end)
		if i := bytes.Index(raw, []byte(name)); i >= 0 {
			at = end - int64(len(raw)) + int64(i)
		}
		return fmt.Errorf("%s: %s: unknown field %s", p.pos(at), where, name)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("%s: the document ends too early", where)
	}
	return fmt.Errorf("%s: %s: %s", p.pos(off), where, strings.TrimPrefix(err.Error(), "json: "))
}

// decode reads the next value of the document, which starts at off (its
// separators included), into dst strictly.
func decode[T any](p *docParser, off int64, dst *T, at place) error {
	err := p.dec.Decode(dst)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case p.rd.err != nil:
	case errors.As(err, &se):
		// The decoder counts a syntax error's offset in a value from the
		// bytes of the values it decoded before (not the tokens between
		// them): scan the value's bytes again on their own.
		raw := p.rd.span(off, p.rd.base+int64(p.rd.sent))
		var se2 *json.SyntaxError
		if errors.As(json.NewDecoder(bytes.NewReader(raw)).Decode(new(json.RawMessage)), &se2) {
			start := p.rd.base + int64(p.rd.sent) - int64(len(raw))
			return fmt.Errorf("%s: %s: %s", p.pos(start+se2.Offset-1), at, strings.TrimPrefix(se2.Error(), "json: "))
		}
	case errors.As(err, &te):
		// A type error's offset counts from the value's start, which the
		// decoder does not tell: decode the value's bytes again on their own.
		end := p.dec.InputOffset()
		raw := p.rd.span(off, end)
		errOff := off
		again := json.NewDecoder(bytes.NewReader(raw))
		again.DisallowUnknownFields()
		var te2 *json.UnmarshalTypeError
		if errors.As(again.Decode(new(T)), &te2) && te2.Offset > 0 {
			errOff = end - int64(len(raw)) + int64(valueStart(raw, int(te2.Offset-1)))
		}
		field := at.String()
		if te.Field != "" {
			field += "." + te.Field
		}
		return fmt.Errorf("%s: %s: a JSON %s where %s belongs", p.pos(errOff), field, te.Value, typeWord(te.Type.String()))
	}
	return p.errAt(off, at.String(), err)
}

// valueStart is where the value ending at d[i] begins: a type error's
// offset is at the end of a string or number, or at an object's or list's
// opening bracket.
func valueStart(d []byte, i int) int {
	if i < 0 || i >= len(d) {
		return 0
	}
	switch d[i] {
	case '{', '[':
		return i
	case '"':
		for j := i - 1; j >= 0; j-- {
			if d[j] != '"' {
				continue
			}
			k := j
			for k > 0 && d[k-1] == '\\' {
				k--
			}
			if (j-k)%2 == 0 { // not escaped: the opening quote
				return j
			}
		}
		return i
	}
	for i > 0 && strings.IndexByte(" \t\r\n,:[{", d[i-1]) < 0 {
		i--
	}
	return i
}

func typeWord(t string) string {
	switch {
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "*int"):
		return "a whole number"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.Contains(t, "string"):
		return "a string"
	case strings.HasPrefix(t, "model."), strings.HasPrefix(t, "struct"):
		return "an object"
	}
	return "a " + t
}

func (p *docParser) delim(want json.Delim, where string) (bool, error) {
	off := p.dec.InputOffset()
	t, err := p.dec.Token()
	if err != nil {
		return false, p.errAt(off, where, err)
	}
	if t == nil {
		return false, nil // null
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		kind := "an object"
		if want == '[' {
			kind = "a list"
		}
		return false, fmt.Errorf("%s: %s: must be %s", p.pos(off), where, kind)
	}
	return true, nil
}

func (p *docParser) parse() error {
	if ok, err := p.delim('{', "the document"); err != nil || !ok {
		if err == nil {
			err = errors.New("the document is null, not an object")
		}
		return err
	}
	seen := map[string]bool{}
	for p.dec.More() {
		off := p.dec.InputOffset()
		p.rd.release(off)
		t, err := p.dec.Token()
		if err != nil {
			return p.errAt(off, "the document", err)
		}
		key, _ := t.(string)
		if seen[key] {
			return fmt.Errorf("%s: field %q appears twice", p.pos(off), key)
		}
		seen[key] = true
		switch key {
		case "format":
			var n int
			if err := decode(p, p.dec.InputOffset(), &n, place{"format", -1}); err != nil {
				return err
			}
			err = p.sink.Format(n)
		case "accounts":
			err = list(p, key, p.sink.Accounts)
		case "users":
			err = list(p, key, p.sink.Users)
		case "cases":
			err = list(p, key, p.sink.Cases)
		case "escalations":
			err = list(p, key, p.sink.Escalations)
		case "time_entries":
			err = list(p, key, p.sink.TimeEntries)
		case "events":
			err = list(p, key, p.sink.Events)
		default:
			return fmt.Errorf("%s: unknown field %q", p.pos(off), key)
		}
		if err != nil {
			return err
		}
	}
	if _, err := p.dec.Token(); err != nil {
		return p.errAt(p.dec.InputOffset(), "the document", err)
	}
	off := p.dec.InputOffset()
	if _, err := p.dec.Token(); err != io.EOF {
		if p.rd.err != nil {
			return fmt.Errorf("read the document: %w", p.rd.err)
		}
		return fmt.Errorf("%s: unexpected data after the document", p.pos(off))
	}
	return nil
}

// list reads one list of the document, a record at a time, handing them
// to emit a chunk at a time, then tells the sink the list has ended.
func list[T any](p *docParser, name string, emit func([]T) error) error {
	ok, err := p.delim('[', name)
	if err != nil {
		return err
	}
	if ok {
		chunk := make([]T, 0, min(p.chunk, 1024))
		for i := 0; p.dec.More(); i++ {
			off := p.dec.InputOffset()
			p.rd.release(off)
			var zero T
			chunk = append(chunk, zero)
			if err := decode(p, off, &chunk[len(chunk)-1], place{name, i}); err != nil {
				return err
			}
			if err := p.dupKey(off, place{name, i}); err != nil {
				return err
			}
			if len(chunk) == p.chunk {
				if err := emit(chunk); err != nil {
					return err
				}
				chunk = chunk[:0]
			}
		}
		if _, err := p.delim(']', name); err != nil {
			return err
		}
		if len(chunk) > 0 {
			if err := emit(chunk); err != nil {
				return err
			}
		}
	}
	return p.sink.End(name)
}

// dupKey refuses a key given twice in one object of the record that
// starts at off and has just been decoded (the decoder kept the last).
func (p *docParser) dupKey(off int64, at place) error {
	end := p.dec.InputOffset()
	raw := p.rd.span(off, end)
	i, msg := p.dup.dupKey(raw, at)
	if i < 0 {
		return nil
	}
	return fmt.Errorf("%s: %s", p.pos(end-int64(len(raw))+int64(i)), msg)
}
