package store

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// docReader stands between a document and its decoder, so that an error's
// byte offset can be told as a line and column without holding the
// document: it keeps the bytes from the current record's start on (the
// decoder reads about one value ahead of it) and only a count of the
// newlines before them.
type docReader struct {
	r      io.Reader
	buf    []byte // the bytes from offset base on; buf[:sent] went to the decoder
	base   int64
	sent   int
	lines  int   // newlines before base
	lastNL int64 // offset of the last newline before base, -1 if none
	err    error // the first read error other than io.EOF
}

func newDocReader(r io.Reader) *docReader {
	return &docReader{r: r, lastNL: -1}
}

// Read passes the document on to the decoder, keeping what it passes.
func (d *docReader) Read(p []byte) (int, error) {
	if d.sent < len(d.buf) { // bytes pos peeked at
		n := copy(p, d.buf[d.sent:])
		d.sent += n
		return n, nil
	}
	n, err := d.r.Read(p)
	d.buf = append(d.buf, p[:n]...)
	d.sent = len(d.buf)
	if err != nil && err != io.EOF && d.err == nil {
		d.err = err
	}
	return n, err
}

// release says that no offset before off will be asked about again (off
// is a record's start). The bytes before it are forgotten, their newlines
// counted, once they are at least half of what is kept and 4 KB, so that
// each byte is counted and moved at most once.
func (d *docReader) release(off int64) {
	k := int(off - d.base)
	if k < 4096 || k < len(d.buf)/2 || k > len(d.buf) {
		return
	}
	gone := d.buf[:k]
	d.lines += bytes.Count(gone, []byte("\n"))
	if i := bytes.LastIndexByte(gone, '\n'); i >= 0 {
		d.lastNL = d.base + int64(i)
	}
	n := copy(d.buf, d.buf[k:])
	d.buf = d.buf[:n]
	d.sent -= k
	d.base = off
}

// span is the kept bytes from off to end (offsets of the document), after
// the separator before a value (spaces, one comma or colon, spaces), as
// the decoder skips it; nil when they are no longer kept.
func (d *docReader) span(off, end int64) []byte {
	if off < d.base || end > d.base+int64(d.sent) || off > end {
		return nil
	}
	b := d.buf[off-d.base : end-d.base]
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) > 0 && (b[0] == ',' || b[0] == ':') {
		b = bytes.TrimLeft(b[1:], " \t\r\n")
	}
	return b
}

// peek reads a little more of the document for pos, past what the
// decoder has asked for (Read hands it on later).
func (d *docReader) peek() bool {
	var tmp [512]byte
	for range 8 { // a reader may return nothing a few times
		n, err := d.r.Read(tmp[:])
		d.buf = append(d.buf, tmp[:n]...)
		if n > 0 {
			return true
		}
		if err != nil {
			if err != io.EOF && d.err == nil {
				d.err = err
			}
			return false
		}
	}
	return false
}

// pos writes the line and column of a byte offset at or after the last
// released one, skipping the separators before a value.
func (d *docReader) pos(off int64) string {
	i := int(max(off, d.base) - d.base)
	for {
		if i >= len(d.buf) && !d.peek() {
			break
		}
		if strings.IndexByte(" \t\r\n,:", d.buf[i]) < 0 {
			break
		}
		i++
	}
	i = min(i, len(d.buf))
	seen := d.buf[:i]
	line := 1 + d.lines + bytes.Count(seen, []byte("\n"))
	last := d.lastNL
	if j := bytes.LastIndexByte(seen, '\n'); j >= 0 {
		last = d.base + int64(j)
	}
	return fmt.Sprintf("line %d, column %d", line, d.base+int64(i)-last)
}
