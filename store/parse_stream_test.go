package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"caseboard/model"
)

// streamCaseLine is case i of writeStreamDoc's document, on a line of its
// own (a title with letters of two bytes, so that columns count bytes).
func streamCaseLine(i int) string {
	return fmt.Sprintf(`  {"number": %d, "account": "acct%d", "severity": %d, "title": "Índex rebuild stuck on nœud %d", "status": "assigned", "owner": "sam", "opened_at": "2026-11-20T10:00:00-05:00"}`,
		i, i%10, 1+i%4, i)
}

// streamAccountsLine is the document's accounts, on the line after the
// cases.
const streamAccountsLine = ` "accounts": [{"id": "acct1", "name": "Acme", "plan": "basic", "region": "na", "contacts": [{"name": "Ana", "kind": "contact", "email": ""}, {"name": "Bo", "kind": "contact", "email": ""}]}]`

// writeStreamDoc writes a document of n cases, case i on line i+2, then
// its accounts on line n+4 and the closing brace on line n+5 followed by
// tail. edit, when given, rewrites a line (its number and text).
func writeStreamDoc(w io.Writer, n int, edit func(line int, s string) string, tail string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	put := func(line int, s string) {
		if edit != nil {
			s = edit(line, s)
		}
		bw.WriteString(s)
	}
	put(1, `{"format": 1,`)
	bw.WriteByte('\n')
	put(2, ` "cases": [`)
	for i := 1; i <= n; i++ {
		bw.WriteByte('\n')
		put(i+2, streamCaseLine(i))
		if i < n {
			bw.WriteByte(',')
		}
	}
	bw.WriteByte('\n')
	put(n+3, ` ],`)
	bw.WriteByte('\n')
	put(n+4, streamAccountsLine)
	bw.WriteByte('\n')
	put(n+5, `}`)
	bw.WriteString(tail)
	return bw.Flush()
}

// pipeDoc is writeStreamDoc's document as a reader fed by a goroutine, so
// that the document is never whole in memory.
func pipeDoc(n int, edit func(int, string) string, tail string) io.Reader {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeStreamDoc(pw, n, edit, tail)) }()
	return pr
}

// countSink counts the records it is given and keeps none.
type countSink struct {
	cases, accounts int
	onCases         func(total int)
}

func (s *countSink) Format(int) error                           { return nil }
func (s *countSink) Accounts(c []model.AccountRecord) error     { s.accounts += len(c); return nil }
func (s *countSink) Users([]model.UserRecord) error             { return nil }
func (s *countSink) Escalations([]model.EscalationRecord) error { return nil }
func (s *countSink) TimeEntries([]model.TimeEntryRecord) error  { return nil }
func (s *countSink) Events([]model.EventRecord) error           { return nil }
func (s *countSink) End(string) error                           { return nil }
func (s *countSink) Cases(c []model.CaseRecord) error {
	s.cases += len(c)
	if s.onCases != nil {
		s.onCases(s.cases)
	}
	return nil
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestParseDocumentStreamHoldsLittle: 200,000 cases (50,000 under -race
// or -short) streamed from a pipe into a sink that drops them leave the
// live heap, sampled every 10,000 cases, a small part of the document,
// which a parse that first reads the whole input cannot do.
func TestParseDocumentStreamHoldsLittle(t *testing.T) {
	n := 200000
	if testing.Short() || raceOn {
		n = 50000
	}
	size := 0
	for i := 1; i <= n; i++ {
		size += len(streamCaseLine(i)) + 2
	}
	bound := uint64(size / 8)
	measure := func(parse func(io.Reader, *countSink) error) (uint64, error) {
		base := liveHeap()
		var peak uint64
		sink := &countSink{onCases: func(total int) {
			if h := liveHeap(); total%10000 == 0 && h > base {
				peak = max(peak, h-base)
			}
		}}
		err := parse(pipeDoc(n, nil, ""), sink)
		if err == nil && sink.cases != n {
			err = fmt.Errorf("the sink got %d cases, want %d", sink.cases, n)
		}
		return peak, err
	}
	peak, err := measure(func(r io.Reader, s *countSink) error { return ParseDocumentStream(r, 1000, s) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d cases, %.1f MB: live heap at most %.2f MB above the start while streaming (bound %.1f MB)",
		n, float64(size)/(1<<20), float64(peak)/(1<<20), float64(bound)/(1<<20))
	if peak > bound {
		t.Errorf("the streamed parse held %.1f MB of a %.1f MB document (bound %.1f MB)", float64(peak)/(1<<20), float64(size)/(1<<20), float64(bound)/(1<<20))
	}
	// The control: the same measure on a parse that reads the whole input
	// first (as ParseDocument did) is over the bound.
	whole, err := measure(func(r io.Reader, s *countSink) error {
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		defer runtime.KeepAlive(data)
		return ParseDocumentStream(bytes.NewReader(data), 1000, s)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the control, read whole first: %.1f MB live", float64(whole)/(1<<20))
	if whole <= bound {
		t.Errorf("the measure does not see a document read whole: %.1f MB live, bound %.1f MB", float64(whole)/(1<<20), float64(bound)/(1<<20))
	}
}

// TestParseDocumentStreamErrorsAtTheEnd: a fault in the last record of a
// document of 100,000 cases (20,000 under -race or -short), or after it,
// is reported at its absolute line and column, as the parser that held
// the whole document reported it.
func TestParseDocumentStreamErrorsAtTheEnd(t *testing.T) {
	n := 100000
	if testing.Short() || raceOn {
		n = 20000
	}
	last := streamCaseLine(n)
	col := func(s, sub string, lastOne bool) int {
		i := strings.Index(s, sub)
		if lastOne {
			i = strings.LastIndex(s, sub)
		}
		if i < 0 {
			t.Fatalf("%q not in %q", sub, s)
		}
		return i + 1
	}
	onLine := func(line int, from, to string) func(int, string) string {
		return func(l int, s string) string {
			if l != line {
				return s
			}
			return strings.Replace(s, from, to, 1)
		}
	}
	dupCase := strings.Replace(last, `"owner": "sam"`, `"owner": "sam", "owner": "lee"`, 1)
	dupContact := strings.Replace(streamAccountsLine, `"name": "Bo", "kind": "contact"`, `"name": "Bo", "kind": "contact", "kind": "x"`, 1)
	badType := strings.Replace(last, `"severity": `, `"severity": "`, 1)
	badType = strings.Replace(badType, `, "title"`, `", "title"`, 1)
	for _, c := range []struct {
		name   string
		edit   func(int, string) string
		tail   string
		want   string
		legacy bool // the parser that held the document gave the same message
	}{
		{"unknown field", onLine(n+2, `"status"`, `"sttus"`), "",
			fmt.Sprintf(`line %d, column %d: cases[%d]: unknown field "sttus"`, n+2, col(last, `"status"`, false), n-1), true},
		{"key twice", onLine(n+2, last, dupCase), "",
			fmt.Sprintf(`line %d, column %d: cases[%d]: field "owner" appears twice`, n+2, col(dupCase, `"owner"`, true), n-1), true},
		{"key twice in a contact", onLine(n+4, streamAccountsLine, dupContact), "",
			fmt.Sprintf(`line %d, column %d: accounts[0].contacts[1]: field "kind" appears twice`, n+4, col(dupContact, `"kind"`, true)), true},
		{"wrong type", onLine(n+2, last, badType), "",
			fmt.Sprintf(`line %d, column %d: cases[%d].severity: a JSON string where a whole number belongs`, n+2, col(badType, `"severity": "`, false)+len(`"severity": `), n-1), false},
		{"syntax", onLine(n+2, `, "status"`, ` "status"`), "",
			fmt.Sprintf(`line %d, column %d: cases[%d]: invalid character '"' after object key:value pair`, n+2, col(last, `, "status"`, false)+1, n-1), false},
		{"trailing data", nil, "\n\n   [1]",
			fmt.Sprintf(`line %d, column 4: unexpected data after the document`, n+7), true},
		{"cut short", onLine(n+5, `}`, ``), "",
			`the document: the document ends too early`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := ParseDocumentStream(pipeDoc(n, c.edit, c.tail), 1000, &countSink{})
			if err == nil || err.Error() != c.want {
				t.Fatalf("got  %v\nwant %s", err, c.want)
			}
			if !c.legacy {
				return
			}
			var whole bytes.Buffer
			if err := writeStreamDoc(&whole, n, c.edit, c.tail); err != nil {
				t.Fatal(err)
			}
			if _, lerr := legacyParseDocument(&whole); lerr == nil || lerr.Error() != err.Error() {
				t.Errorf("the parser that held the document said %v", lerr)
			}
		})
	}
}

// recordSink records every call it gets, copying each chunk.
type recordSink struct {
	calls []string
	cases []model.CaseRecord
	fail  string // the call that returns errSink
}

var errSink = errors.New("the sink says no")

func (s *recordSink) call(c string) error {
	s.calls = append(s.calls, c)
	if c == s.fail {
		return errSink
	}
	return nil
}
func (s *recordSink) Format(n int) error { return s.call(fmt.Sprintf("format %d", n)) }
func (s *recordSink) Accounts(c []model.AccountRecord) error {
	return s.call(fmt.Sprintf("accounts %d", len(c)))
}
func (s *recordSink) Users(c []model.UserRecord) error {
	return s.call(fmt.Sprintf("users %d", len(c)))
}
func (s *recordSink) Cases(c []model.CaseRecord) error {
	s.cases = append(s.cases, c...)
	clear(c) // the slice is the sink's during the call: the parser must not need it after
	return s.call(fmt.Sprintf("cases %d", len(c)))
}
func (s *recordSink) Escalations(c []model.EscalationRecord) error {
	return s.call(fmt.Sprintf("escalations %d", len(c)))
}
func (s *recordSink) TimeEntries(c []model.TimeEntryRecord) error {
	return s.call(fmt.Sprintf("time_entries %d", len(c)))
}
func (s *recordSink) Events(c []model.EventRecord) error {
	return s.call(fmt.Sprintf("events %d", len(c)))
}
func (s *recordSink) End(list string) error { return s.call("end " + list) }

// TestParseDocumentStreamChunks: each list's records come in order, in
// chunks of the chunk size and a last smaller one, End once per list
// given (empty and null ones too), and an error from the sink ends the
// parse as it is.
func TestParseDocumentStreamChunks(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"users": [], "cases": [`)
	for i := 1; i <= 2500; i++ {
		if i > 1 {
			b.WriteString(",\n")
		}
		b.WriteString(streamCaseLine(i))
	}
	b.WriteString(`], "escalations": null, "format": 1, "accounts": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}`)
	doc := b.String()

	s := &recordSink{}
	if err := ParseDocumentStream(iotest.HalfReader(strings.NewReader(doc)), 1000, s); err != nil {
		t.Fatal(err)
	}
	want := []string{"end users", "cases 1000", "cases 1000", "cases 500", "end cases", "end escalations",
		"format 1", "accounts 3", "end accounts"}
	if !reflect.DeepEqual(s.calls, want) {
		t.Errorf("calls %q\nwant  %q", s.calls, want)
	}
	for i, c := range s.cases {
		if c.Number != int64(i+1) || c.Title != fmt.Sprintf("Índex rebuild stuck on nœud %d", i+1) || c.Owner == nil || *c.Owner != "sam" {
			t.Fatalf("case %d arrived as %+v", i+1, c)
		}
	}
	if len(s.cases) != 2500 {
		t.Errorf("%d cases arrived, want 2500", len(s.cases))
	}

	s = &recordSink{}
	if err := ParseDocumentStream(strings.NewReader(doc), 0, s); err != nil || len(s.cases) != 2500 || s.calls[1] != "cases 1" {
		t.Errorf("chunk 0: %v, %d cases, calls %q...", err, len(s.cases), s.calls[:2])
	}

	s = &recordSink{fail: "cases 1000"}
	if err := ParseDocumentStream(strings.NewReader(doc), 1000, s); err != errSink {
		t.Errorf("a sink's error came back as %v", err)
	}
	if !reflect.DeepEqual(s.calls, []string{"end users", "cases 1000"}) {
		t.Errorf("calls after the sink's error: %q", s.calls)
	}
}

// TestParseDocumentSameAsBefore: the streamed ParseDocument reads what the
// parser that held the whole document read, record for record, and
// refuses the same faults with the same messages, whatever sizes the
// reader hands the bytes in.
func TestParseDocumentSameAsBefore(t *testing.T) {
	big, err := model.MarshalDocument(bigDoc(3000))
	if err != nil {
		t.Fatal(err)
	}
	docs := []string{sampleDoc, string(big), `{}`, `{"cases": null, "users": []}`}
	for i, d := range docs {
		got, err := ParseDocument(iotest.OneByteReader(strings.NewReader(d)))
		old, lerr := legacyParseDocument(strings.NewReader(d))
		if err != nil || lerr != nil || !reflect.DeepEqual(got, old) {
			t.Errorf("document %d: %v / %v, same records %v", i, err, lerr, reflect.DeepEqual(got, old))
		}
	}
	for _, m := range []struct{ from, to string }{
		{`"severity": 3,`, `"sevrity": 3,`},
		{`"severity": 2,`, `"severity": 2, "severity": 4,`},
		{`"kind": "contact",`, `"kind": "contact", "kind": "x",`},
		{`"by": "maria",`, `"by": "maria", "by": "sam",`},
		{`"format": 1,`, `"format": 1, "format": 1,`},
		{`"format": 1,`, `"format": 1, "cases": [], `},
		{`"format": 1,`, `"formt": 1,`},
		{`"escalations": [`, `"escalations": 7, "x": [`},
		{`"void_reason": null},`, `"void_reason": null}]],`},
		{"\n}", "\n} {}"},
		{"\n}", "\n}\n\n  x"},
		{"\n}", ""},
		{`"note": "-1 tricky"}]`, `"note": "-1 tricky"`},
		{`"keys": []},`, `"keys": [], "x\u00e9": 1},`},
	} {
		if !strings.Contains(sampleDoc, m.from) {
			t.Fatalf("fixture lacks %q", m.from)
		}
		d := strings.Replace(sampleDoc, m.from, m.to, 1)
		_, err := ParseDocument(iotest.OneByteReader(strings.NewReader(d)))
		_, lerr := legacyParseDocument(strings.NewReader(d))
		if err == nil || lerr == nil || err.Error() != lerr.Error() {
			t.Errorf("%q -> %q:\n got %v\n was %v", m.from, m.to, err, lerr)
		}
	}
}

// TestParseDocumentErrorPositionInARecord: a value of the wrong type, or
// a syntax error inside a record, is placed at its own line and column
// (the parser that held the document counted a type error's offset from
// the record's start and a syntax error's from the bytes of the records
// before, so it named a line above the fault).
func TestParseDocumentErrorPositionInARecord(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{`"severity": 3,`, `"severity": "3",`, `line 22, column 61: cases[1].severity: a JSON string where a whole number belongs`},
		{`"minutes": 90,`, `"minutes": 1.5,`, `line 42, column 54: time_entries[1].minutes: a JSON number 1.5 where a whole number belongs`},
		{`"keys": []},`, `"keys": [7]},`, `line 10, column 39: users[1].keys: a JSON number where a string belongs`},
		{`"tam": "tina",`, `"tam": {"x": 1},`, `line 4, column 66: accounts[0].tam: a JSON object where a string belongs`},
		{`"format": 1,`, `"format": "one",`, `line 2, column 13: format: a JSON string where a whole number belongs`},
		{`"minutes": 60,`, `"minutes": 60 60,`, `line 37, column 57: time_entries[0]: invalid character '6' after object key:value pair`},
		{`"updates": [{`, `"updates": [{}, ,{`, `line 33, column 37: escalations[0]: invalid character ',' looking for beginning of value`},
	} {
		if !strings.Contains(sampleDoc, c.from) {
			t.Fatalf("fixture lacks %q", c.from)
		}
		_, err := ParseDocument(strings.NewReader(strings.Replace(sampleDoc, c.from, c.to, 1)))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.to, err, c.want)
		}
	}
}

// TestParseDocumentReadError: a reader that fails part way is reported as
// a failed read, not as a fault of the document.
func TestParseDocumentReadError(t *testing.T) {
	broken := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader(sampleDoc[:500]), iotest.ErrReader(broken))
	_, err := ParseDocument(r)
	if !errors.Is(err, broken) || !strings.HasPrefix(err.Error(), "read the document: ") {
		t.Errorf("got %v", err)
	}
}

// FuzzParseSameAsBefore: any input is accepted by the streamed parser
// exactly when the parser that held it accepted it, with the same
// records.
func FuzzParseSameAsBefore(f *testing.F) {
	f.Add([]byte(sampleDoc))
	f.Add([]byte(`{"format": 1, "cases": [{"number": 1, "number": 2}]}`))
	f.Add([]byte(`{"accounts": [{"contacts": [{"name": "a"}, {"name": "b", "n\u0061me": "c"}]}]}`))
	f.Add([]byte(`{"events": [{"before": {"a": 1, "b": {"a": [1, {"a": 2, "a": 3}]}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseDocument(iotest.HalfReader(bytes.NewReader(data)))
		old, lerr := legacyParseDocument(bytes.NewReader(data))
		if (err == nil) != (lerr == nil) {
			t.Fatalf("streamed: %v\nwhole: %v", err, lerr)
		}
		if err == nil && !reflect.DeepEqual(got, old) {
			t.Fatalf("the records differ:\n%+v\n%+v", got, old)
		}
	})
}
