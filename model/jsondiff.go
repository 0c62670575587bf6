package model

import (
	"bytes"
	"encoding/json"
)

// The JSON helpers of the interchange records: the document's encoding,
// and the field-by-field diffs that events carry as before and after.

// MarshalDocument writes the document as DOMAIN.md says: keys in order,
// two-space indent, HTML escaping off, a final newline.
func MarshalDocument(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Diff returns the fields of two records (of one type) that differ, as two
// JSON objects in field order: before holds old's values, after new's.
// A nil old gives before nil and after the whole of new.
func Diff(old, new any) (before, after json.RawMessage) {
	nb, _ := marshalCompact(new)
	if old == nil {
		return nil, nb
	}
	ob, _ := marshalCompact(old)
	ok, ov := ObjectFields(ob)
	nk, nv := ObjectFields(nb)
	oldVals := make(map[string]json.RawMessage, len(ok))
	for i, k := range ok {
		oldVals[k] = ov[i]
	}
	var bb, ab bytes.Buffer
	bb.WriteByte('{')
	ab.WriteByte('{')
	n := 0
	for i, k := range nk {
		if bytes.Equal(oldVals[k], nv[i]) {
			continue
		}
		if n > 0 {
			bb.WriteByte(',')
			ab.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		bb.Write(kb)
		bb.WriteByte(':')
		bb.Write(oldVals[k])
		ab.Write(kb)
		ab.WriteByte(':')
		ab.Write(nv[i])
		n++
	}
	bb.WriteByte('}')
	ab.WriteByte('}')
	return bb.Bytes(), ab.Bytes()
}

// Fields returns a JSON object of the named fields of a record, in the
// record's order (for events whose before/after are a chosen subset).
func Fields(rec any, names ...string) json.RawMessage {
	b, _ := marshalCompact(rec)
	keys, vals := ObjectFields(b)
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out bytes.Buffer
	out.WriteByte('{')
	n := 0
	for i, k := range keys {
		if !want[k] {
			continue
		}
		if n > 0 {
			out.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		out.Write(kb)
		out.WriteByte(':')
		out.Write(vals[i])
		n++
	}
	out.WriteByte('}')
	return out.Bytes()
}

func marshalCompact(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// ObjectFields splits a JSON object into its keys and raw values, in order.
func ObjectFields(b []byte) ([]string, []json.RawMessage) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil
	}
	var keys []string
	var vals []json.RawMessage
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break
		}
		keys = append(keys, k)
		vals = append(vals, v)
	}
	return keys, vals
}
