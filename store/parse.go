package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"caseboard/model"
)

// ParseDocument reads an interchange document strictly: an unknown field,
// a value of the wrong type or trailing data is an error naming the record
// and its line and column.
func ParseDocument(r io.Reader) (*model.Document, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read the document: %w", err)
	}
	p := &docParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.DisallowUnknownFields()
	doc := &model.Document{}
	if err := p.parse(doc); err != nil {
		return nil, err
	}
	return doc, nil
}

type docParser struct {
	data []byte
	dec  *json.Decoder
}

// pos writes the line and column of a byte offset, skipping the
// separators before a value.
func (p *docParser) pos(off int64) string {
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

func (p *docParser) errAt(off int64, where string, err error) error {
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

func (p *docParser) parse(doc *model.Document) error {
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
			err = list(p, key, &doc.Accounts)
		case "users":
			err = list(p, key, &doc.Users)
		case "cases":
			err = list(p, key, &doc.Cases)
		case "escalations":
			err = list(p, key, &doc.Escalations)
		case "time_entries":
			err = list(p, key, &doc.TimeEntries)
		case "events":
			err = list(p, key, &doc.Events)
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

func list[T any](p *docParser, name string, dst *[]T) error {
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
