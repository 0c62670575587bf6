package store

import (
	"encoding/json"
	"time"
	"unicode/utf8"

	"caseboard/model"
)

// Loading a desk decodes every stored case. encoding/json spends most of
// that time in reflection and in checking the value twice, and gives every
// case its own copy of strings that a desk repeats thousands of times
// (account ids, owners, statuses, plans, regions). decodeCase reads the
// JSON that encode writes for a model.Case straight into the case, with
// the repeated strings interned. Anything it does not expect (an escape
// in a string, a key in another order of case, a null, a number that is
// not a plain integer, an instant with an offset or fractions, white
// space where encode writes none) sends the whole record through
// encoding/json instead, so the result is always exactly what
// json.Unmarshal gives (TestDecodeCaseSameAsJSON, FuzzDecodeCase).

// interner hands out one copy of each repeated string.
type interner map[string]string

func (in interner) bytes(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := in[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

func (in interner) str(s string) string {
	if s == "" {
		return ""
	}
	if t, ok := in[s]; ok {
		return t
	}
	in[s] = s
	return s
}

// internCase shares the case's repeated strings (after a decode that did
// not go through decodeCase's fast path).
func (in interner) internCase(c *model.Case) {
	c.Account, c.Owner, c.Contact, c.CloseReason = in.str(c.Account), in.str(c.Owner), in.str(c.Contact), in.str(c.CloseReason)
	c.Status, c.Plan, c.Region = model.Status(in.str(string(c.Status))), model.Plan(in.str(string(c.Plan))), model.Region(in.str(string(c.Region)))
}

// decodeCase decodes a stored case into c (which must be zero), as
// json.Unmarshal would.
func decodeCase(b []byte, c *model.Case, in interner) error {
	if fastCase(b, c, in) {
		return nil
	}
	*c = model.Case{}
	if err := json.Unmarshal(b, c); err != nil {
		return err
	}
	in.internCase(c)
	return nil
}

// caseDecoder walks one record; ok turns false at the first thing the
// fast path does not take.
type caseDecoder struct {
	b  []byte
	i  int
	ok bool
}

func (d *caseDecoder) byte(want byte) {
	if d.ok && d.i < len(d.b) && d.b[d.i] == want {
		d.i++
		return
	}
	d.ok = false
}

// str returns the bytes of a string with no escape, no control character
// and valid UTF-8 (what json.Unmarshal gives back unchanged).
func (d *caseDecoder) str() []byte {
	d.byte('"')
	if !d.ok {
		return nil
	}
	start := d.i
	ascii := true
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(s) {
				d.ok = false
			}
			return s
		case c == '\\' || c < 0x20:
			d.ok = false
			return nil
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	d.ok = false
	return nil
}

// int reads a plain JSON integer (no fraction, no exponent) that fits.
func (d *caseDecoder) int() int64 {
	if !d.ok {
		return 0
	}
	neg := d.i < len(d.b) && d.b[d.i] == '-'
	if neg {
		d.i++
	}
	start := d.i
	var n int64
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		if d.i-start >= 18 { // might overflow: leave it to encoding/json
			d.ok = false
			return 0
		}
		n = n*10 + int64(d.b[d.i]-'0')
		d.i++
	}
	digits := d.i - start
	if digits == 0 || (digits > 1 && d.b[start] == '0') {
		d.ok = false
		return 0
	}
	if d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.ok = false
		return 0
	}
	if neg {
		n = -n
	}
	return n
}

// instant reads "YYYY-MM-DDTHH:MM:SSZ", the form encode writes (whole
// seconds in UTC); the zero instant comes back as time.Time{}, exactly as
// time.Time's own decoding gives.
func (d *caseDecoder) instant() time.Time {
	s := d.str()
	if !d.ok {
		return time.Time{}
	}
	if string(s) == zeroInstant {
		return time.Time{}
	}
	if len(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		d.ok = false
		return time.Time{}
	}
	num := func(from, n int) int {
		v := 0
		for _, c := range s[from : from+n] {
			if c < '0' || c > '9' {
				d.ok = false
				return 0
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if !d.ok || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 ||
		day > daysIn(time.Month(month), year) {
		d.ok = false
		return time.Time{}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
}

// zeroInstant is how encoding/json writes time.Time{}.
const zeroInstant = "0001-01-01T00:00:00Z"

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// fastCase decodes the record as encode writes it; false: not that form
// (c is then half written and must be reset).
func fastCase(b []byte, c *model.Case, in interner) bool {
	d := &caseDecoder{b: b, ok: true}
	d.byte('{')
	if d.ok && d.i < len(b) && b[d.i] == '}' {
		d.i++
		return d.i == len(b)
	}
	for d.ok {
		key := d.str()
		d.byte(':')
		if !d.ok {
			return false
		}
		switch string(key) {
		case "Number":
			c.Number = d.int()
		case "Account":
			c.Account = in.bytes(d.str())
		case "Severity":
			n := d.int()
			if int64(int(n)) != n {
				return false
			}
			c.Severity = int(n)
		case "Title":
			c.Title = string(d.str())
		case "Status":
			c.Status = model.Status(in.bytes(d.str()))
		case "Plan":
			c.Plan = model.Plan(in.bytes(d.str()))
		case "Region":
			c.Region = model.Region(in.bytes(d.str()))
		case "Contact":
			c.Contact = in.bytes(d.str())
		case "OpenedAt":
			c.OpenedAt = d.instant()
		case "PhonedAt":
			c.PhonedAt = d.instant()
		case "RespondedAt":
			c.RespondedAt = d.instant()
		case "Owner":
			c.Owner = in.bytes(d.str())
		case "WaitingSince":
			c.WaitingSince = d.instant()
		case "Followup1At":
			c.Followup1At = d.instant()
		case "Followup2At":
			c.Followup2At = d.instant()
		case "RepliedAt":
			c.RepliedAt = d.instant()
		case "ClosedAt":
			c.ClosedAt = d.instant()
		case "CloseReason":
			c.CloseReason = in.bytes(d.str())
		case "DuplicateOf":
			c.DuplicateOf = d.int()
		case "RefersTo":
			c.RefersTo = d.int()
		default: // another spelling, or a field this caseboard has not
			return false
		}
		if d.ok && d.i < len(b) && b[d.i] == '}' {
			d.i++
			return d.i == len(b)
		}
		d.byte(',')
	}
	return false
}
