package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// keyFrame is one open object or list of a record during dupScan.
type keyFrame struct {
	obj     bool
	byKey   bool // the frame below holds it under atKey (else at atIndex)
	atKey   []byte
	atIndex int
	keys    [][]byte // the object's keys so far (slices of the record)
	seen    map[string]bool
	wantKey bool   // the object's next token is a key (or its end)
	key     []byte // the key whose value comes next
	n       int    // the list's elements so far
}

// has reports whether the object already has key k, and records it; the
// keys of a small object are compared in a list, a large one's in a map.
func (f *keyFrame) has(k []byte) bool {
	if f.seen != nil {
		if f.seen[string(k)] {
			return true
		}
		f.seen[string(k)] = true
		return false
	}
	for _, x := range f.keys {
		if bytes.Equal(x, k) {
			return true
		}
	}
	f.keys = append(f.keys, k)
	if len(f.keys) > 32 {
		f.seen = map[string]bool{}
		for _, x := range f.keys {
			f.seen[string(x)] = true
		}
		f.keys = f.keys[:0]
	}
	return false
}

// dupScan finds a key given twice in one object of a record. It is kept
// by the parser for the whole document, so that its frames and key lists
// are reused from one record to the next.
type dupScan struct {
	stack []keyFrame
}

// push opens a frame, reusing one left by an earlier record.
func (s *dupScan) push(obj, byKey bool, atKey []byte, atIndex int) {
	if len(s.stack) < cap(s.stack) {
		s.stack = s.stack[:len(s.stack)+1]
	} else {
		s.stack = append(s.stack, keyFrame{})
	}
	f := &s.stack[len(s.stack)-1]
	*f = keyFrame{obj: obj, byKey: byKey, atKey: atKey, atIndex: atIndex, wantKey: true, keys: f.keys[:0]}
}

// path names where the innermost frame is ("cases[0].contacts"), root
// being the record; built only for a message.
func (s *dupScan) path(root place) string {
	p := root.String()
	for _, f := range s.stack[1:] {
		switch {
		case !f.byKey:
			p += "[" + strconv.Itoa(f.atIndex) + "]"
		case p == "":
			p = string(f.atKey)
		default:
			p += "." + string(f.atKey)
		}
	}
	return p
}

// stringEnd is the offset after the string that starts at d[i] (a quote).
func stringEnd(d []byte, i int) (int, bool) {
	for j := i + 1; j < len(d); j++ {
		q := bytes.IndexByte(d[j:], '"')
		if q < 0 {
			return 0, false
		}
		j += q
		k := j // a quote after an odd number of backslashes is escaped
		for k > i+1 && d[k-1] == '\\' {
			k--
		}
		if (j-k)%2 == 0 {
			return j + 1, true
		}
	}
	return 0, false
}

// isSep reports whether c is white space or a comma or colon.
func isSep(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ':':
		return true
	}
	return false
}

// dupKey looks for a key that appears twice in one object of the JSON
// value d, a record named root ("cases[3]"); encoding/json would silently
// keep the last value, so a second "minutes" or "owner" could slip past a
// reader of the file. It returns the offset in d of the second key and
// the refusal, or -1. It only scans the bytes (d has been decoded
// strictly already): anything that is not JSON ends the scan.
func (s *dupScan) dupKey(d []byte, root place) (int, string) {
	s.stack = s.stack[:0]
	started := false
	for i := 0; i < len(d); {
		c := d[i]
		if isSep(c) {
			i++
			continue
		}
		var top *keyFrame
		if len(s.stack) > 0 {
			top = &s.stack[len(s.stack)-1]
		}
		if top != nil && top.obj && top.wantKey {
			if c == '}' {
				s.stack = s.stack[:len(s.stack)-1]
				i++
				continue
			}
			end, ok := stringEnd(d, i)
			if c != '"' || !ok {
				return -1, ""
			}
			k := d[i+1 : end-1]
			if bytes.IndexByte(k, '\\') >= 0 {
				var u string
				if json.Unmarshal(d[i:end], &u) != nil {
					return -1, ""
				}
				k = []byte(u)
			}
			if top.has(k) {
				where := s.path(root)
				if where != "" {
					where += ": "
				}
				return i, fmt.Sprintf("%sfield %q appears twice", where, k)
			}
			top.key, top.wantKey = k, false
			i = end
			continue
		}
		if c == ']' {
			if top == nil || top.obj {
				return -1, ""
			}
			s.stack = s.stack[:len(s.stack)-1]
			i++
			continue
		}
		var atKey []byte
		atIndex, byKey := 0, false
		switch {
		case top == nil:
			if started {
				return -1, "" // after the value
			}
			started = true
		case top.obj:
			atKey, byKey, top.wantKey = top.key, true, true
		default:
			atIndex = top.n
			top.n++
		}
		switch c {
		case '{', '[':
			s.push(c == '{', byKey, atKey, atIndex)
			i++
		case '"':
			end, ok := stringEnd(d, i)
			if !ok {
				return -1, ""
			}
			i = end
		default: // a number, true, false or null
			start := i
			for i < len(d) && !isSep(d[i]) && d[i] != ']' && d[i] != '}' {
				i++
			}
			if i == start {
				return -1, "" // a '}' where a value belongs: not JSON
			}
		}
	}
	return -1, ""
}
