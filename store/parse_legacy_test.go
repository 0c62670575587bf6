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

// legacyParseDocument is ParseDocument as it was before it streamed
// (io.ReadAll, then a scan of the whole input for a key given twice),
// kept only for BenchmarkParseDocument100k's comparison.
//
// It reads an interchange document strictly: an unknown field,
// a value of the wrong type or trailing data is an error naming the record
// and its line and column.
func legacyParseDocument(r io.Reader) (*model.Document, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read the document: %w", err)
	}
	p := &legacyParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.DisallowUnknownFields()
	doc := &model.Document{}
	if err := p.parse(doc); err != nil {
		return nil, err
	}
	// The strict parse kept the last of a key given twice: refuse it.
	if err := p.dupKey(); err != nil {
		return nil, err
	}
	return doc, nil
}

type legacyParser struct {
	data []byte
	dec  *json.Decoder
}

// pos writes the line and column of a byte offset, skipping the
// separators before a value.
func (p *legacyParser) pos(off int64) string {
	o := max(int(off), 0)
	for o < len(p.data) && strings.IndexByte(" \t\r\n,:", p.data[o]) >= 0 {
		o++
	}
	if o > len(p.data) {
		o = len(p.data)
	}
	line := 1 + bytes.Count(p.data[:o], []byte("\n"))
	col := o - bytes.LastIndexByte(p.data[:o], '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

func (p *legacyParser) errAt(off int64, where string, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%s: %s: %s", p.pos(se.Offset-1), where, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		field := where
		if te.Field != "" {
			field += "." + te.Field
		}
		return fmt.Errorf("%s: %s: a JSON %s where %s belongs", p.pos(te.Offset-1), field, te.Value, typeWord(te.Type.String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		at := off
		if i := bytes.Index(p.data[min(max(off, 0), int64(len(p.data))):], []byte(name)); i >= 0 {
			at = off + int64(i)
		}
		return fmt.Errorf("%s: %s: unknown field %s", p.pos(at), where, name)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("%s: the document ends too early", where)
	}
	return fmt.Errorf("%s: %s: %s", p.pos(off), where, strings.TrimPrefix(err.Error(), "json: "))
}

func (p *legacyParser) delim(want json.Delim, where string) (bool, error) {
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

func (p *legacyParser) parse(doc *model.Document) error {
	if ok, err := p.delim('{', "the document"); err != nil || !ok {
		if err == nil {
			err = errors.New("the document is null, not an object")
		}
		return err
	}
	seen := map[string]bool{}
	for p.dec.More() {
		off := p.dec.InputOffset()
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
			vo := p.dec.InputOffset()
			if err := p.dec.Decode(&doc.Format); err != nil {
				return p.errAt(vo, "format", err)
			}
		case "accounts":
			err = legacyList(p, key, &doc.Accounts)
		case "users":
			err = legacyList(p, key, &doc.Users)
		case "cases":
			err = legacyList(p, key, &doc.Cases)
		case "escalations":
			err = legacyList(p, key, &doc.Escalations)
		case "time_entries":
			err = legacyList(p, key, &doc.TimeEntries)
		case "events":
			err = legacyList(p, key, &doc.Events)
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
		return fmt.Errorf("%s: unexpected data after the document", p.pos(off))
	}
	return nil
}

func legacyList[T any](p *legacyParser, name string, dst *[]T) error {
	ok, err := p.delim('[', name)
	if err != nil || !ok {
		return err
	}
	for i := 0; p.dec.More(); i++ {
		off := p.dec.InputOffset()
		var v T
		if err := p.dec.Decode(&v); err != nil {
			return p.errAt(off, fmt.Sprintf("%s[%d]", name, i), err)
		}
		*dst = append(*dst, v)
	}
	_, err = p.delim(']', name)
	return err
}

// legacyFrame is one open object or list of the document during dupKey.
type legacyFrame struct {
	obj     bool
	up      *legacyFrame // the frame holding this one (nil: the document)
	at      string       // the key in up that holds it, or its index "[3]"
	keys    []string     // the object's keys so far
	seen    map[string]bool
	wantKey bool   // the object's next token is a key (or its end)
	key     string // the key whose value comes next
	n       int    // the list's elements so far
}

// path names where a frame is ("cases[0].contacts"), built only for a
// message.
func (f *legacyFrame) path() string {
	if f.up == nil {
		return ""
	}
	up := f.up.path()
	if up == "" || strings.HasPrefix(f.at, "[") {
		return up + f.at
	}
	return up + "." + f.at
}

// has reports whether the object already has key k, and records it; the
// keys of a small object are compared in a list, a large one's in a map.
func (f *legacyFrame) has(k string) bool {
	if f.seen != nil {
		if f.seen[k] {
			return true
		}
		f.seen[k] = true
		return false
	}
	for _, x := range f.keys {
		if x == k {
			return true
		}
	}
	f.keys = append(f.keys, k)
	if len(f.keys) > 32 {
		f.seen = map[string]bool{}
		for _, x := range f.keys {
			f.seen[x] = true
		}
		f.keys = nil
	}
	return false
}

// legacyStringEnd is the offset after the string that starts at d[i] (a quote).
func legacyStringEnd(d []byte, i int) (int, bool) {
	for j := i + 1; j < len(d); j++ {
		switch d[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return 0, false
}

// dupKey refuses a key that appears twice in one object anywhere in the
// document, naming where (encoding/json would silently keep the last
// value, so a second "minutes" or "owner" could slip past a reader of the
// file). It only scans the bytes (the strict parse that follows decodes
// them): anything that is not JSON ends the scan, for that parse to
// report.
func (p *legacyParser) dupKey() error {
	d := p.data
	var top *legacyFrame
	started := false
	for i := 0; i < len(d); {
		c := d[i]
		if strings.IndexByte(" \t\r\n,:", c) >= 0 {
			i++
			continue
		}
		if top != nil && top.obj && top.wantKey {
			if c == '}' {
				top = top.up
				i++
				continue
			}
			end, ok := legacyStringEnd(d, i)
			if c != '"' || !ok {
				return nil
			}
			k := string(d[i+1 : end-1])
			if bytes.IndexByte(d[i:end], '\\') >= 0 {
				if json.Unmarshal(d[i:end], &k) != nil {
					return nil
				}
			}
			if top.has(k) {
				where := top.path()
				if where != "" {
					where += ": "
				}
				return fmt.Errorf("%s: %sfield %q appears twice", p.pos(int64(i)), where, k)
			}
			top.key, top.wantKey = k, false
			i = end
			continue
		}
		if c == ']' {
			if top == nil || top.obj {
				return nil
			}
			top = top.up
			i++
			continue
		}
		at := ""
		switch {
		case top == nil:
			if started {
				return nil // after the document: the strict parse reports it
			}
			started = true
		case top.obj:
			at, top.wantKey = top.key, true
		default:
			at = "[" + strconv.Itoa(top.n) + "]"
			top.n++
		}
		switch c {
		case '{', '[':
			top = &legacyFrame{obj: c == '{', up: top, at: at, wantKey: true}
			i++
		case '"':
			end, ok := legacyStringEnd(d, i)
			if !ok {
				return nil
			}
			i = end
		default: // a number, true, false or null
			start := i
			for i < len(d) && strings.IndexByte(" \t\r\n,:]}", d[i]) < 0 {
				i++
			}
			if i == start {
				return nil // a '}' where a value belongs: not JSON
			}
		}
	}
	return nil
}
