package store

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"caseboard/model"
)

// CSV holds cases or time entries, with the interchange field names as
// columns, told apart by the header row.
const (
	CSVCases       = "cases"
	CSVTimeEntries = "time_entries"
)

// numericFields are the cells that are not text (never prefixed).
var numericFields = map[string]bool{"number": true, "severity": true, "duplicate_of": true,
	"refers_to": true, "id": true, "minutes": true, "case": true}

// instantFields are times and dates (not text either).
func isText(name string) bool {
	return !numericFields[name] && !strings.HasSuffix(name, "_at") && name != "waiting_since" && name != "date"
}

func columns(v any) []string {
	t := reflect.TypeOf(v)
	var out []string
	for i := 0; i < t.NumField(); i++ {
		out = append(out, strings.Split(t.Field(i).Tag.Get("json"), ",")[0])
	}
	return out
}

// inert prefixes text cells a spreadsheet would run as a formula. A cell
// that already starts with quotes before a formula character is prefixed
// too, so that uninert gives back exactly what was stored ("'=x" stays
// "'=x" through export and import).
func inert(s string) string {
	if formulaLike(s) {
		return "'" + s
	}
	return s
}

// formulaLike: after any leading quotes, s starts with = + - or @.
func formulaLike(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.ContainsRune("=+-@", rune(s[0]))
}

// uninert undoes inert.
func uninert(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaLike(s[1:]) {
		return s[1:]
	}
	return s
}

// ExportCSV writes the cases (CSVCases) or the time entries
// (CSVTimeEntries) as CSV: a header of interchange field names, one row a
// record, null as an empty cell.
func (s *Store) ExportCSV(w io.Writer, what string) error {
	doc, err := s.Export()
	if err != nil {
		return err
	}
	var recs []any
	var cols []string
	switch what {
	case CSVCases:
		cols = columns(model.CaseRecord{})
		for i := range doc.Cases {
			recs = append(recs, &doc.Cases[i])
		}
	case CSVTimeEntries, "time-entries":
		cols = columns(model.TimeEntryRecord{})
		for i := range doc.TimeEntries {
			recs = append(recs, &doc.TimeEntries[i])
		}
	default:
		return fmt.Errorf("%q cannot be exported as CSV (cases, time_entries)", what)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	for _, r := range recs {
		b, _ := json.Marshal(r)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		row := make([]string, len(cols))
		for i, c := range cols {
			switch v := m[c].(type) {
			case nil:
			case string:
				if isText(c) {
					v = inert(v)
				}
				row[i] = v
			case float64:
				row[i] = strconv.FormatInt(int64(v), 10)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ImportCSV imports a CSV of cases or of time entries (told apart by the
// header), all or nothing, as Import does; problems name the row.
func (s *Store) ImportCSV(r io.Reader, actor string, now time.Time) (ImportResult, error) {
	return s.importCSV(r, actor, now, importOptions{})
}

func (s *Store) importCSV(r io.Reader, actor string, now time.Time, o importOptions) (ImportResult, error) {
	f, done, err := s.importInput(r)
	if err != nil {
		return ImportResult{}, err
	}
	defer done()
	// Row by row: a row is turned into its record and checked as it is
	// read; neither rows nor records are kept.
	cr := csv.NewReader(bufio.NewReader(f))
	cr.FieldsPerRecord = 0
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return ImportResult{}, fmt.Errorf("the CSV is empty")
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("read the CSV: %w", err)
	}
	header = append([]string(nil), header...)
	var list string
	var known []string
	switch {
	case contains(header, "number"):
		list, known = CSVCases, columns(model.CaseRecord{})
	case contains(header, "minutes") || contains(header, "category"):
		list, known = CSVTimeEntries, columns(model.TimeEntryRecord{})
	default:
		return ImportResult{}, fmt.Errorf("the CSV header is neither cases (number, ...) nor time entries (id, minutes, ...)")
	}
	for i, h := range header {
		if !contains(known, h) {
			return ImportResult{}, fmt.Errorf("row 1, column %d: unknown field %q", i+1, h)
		}
	}
	o.where = func(_ string, i int) string { return fmt.Sprintf("row %d", i+2) }
	return s.importFrom(func(ck *model.DocCheck) error {
		ck.Format(1)
		var cases []model.CaseRecord
		var entries []model.TimeEntryRecord
		flush := func() {
			if list == CSVCases {
				ck.Cases(cases)
			} else {
				ck.TimeEntries(entries)
			}
			cases, entries = cases[:0], entries[:0]
		}
		for _, l := range []string{"accounts", "users", "cases", "escalations"} {
			if l == "cases" && list == CSVCases {
				break
			}
			ck.End(l)
		}
		m := map[string]any{}
		for ri := 0; ; ri++ {
			row, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("read the CSV: %w", err)
			}
			clear(m)
			for i, h := range header {
				cell := row[i]
				switch {
				case cell == "":
					if h == "title" || h == "note" {
						m[h] = ""
					}
				case numericFields[h]:
					n, err := strconv.ParseInt(cell, 10, 64)
					if err != nil {
						return fmt.Errorf("row %d: %s: %q is not a whole number", ri+2, h, cell)
					}
					m[h] = n
				default:
					m[h] = uninert(cell)
				}
			}
			b, _ := json.Marshal(m)
			if list == CSVCases {
				var c model.CaseRecord
				err = json.Unmarshal(b, &c)
				cases = append(cases, c)
			} else {
				var e model.TimeEntryRecord
				err = json.Unmarshal(b, &e)
				entries = append(entries, e)
			}
			if err != nil {
				return fmt.Errorf("row %d: %v", ri+2, err)
			}
			if len(cases)+len(entries) == 1024 {
				flush()
				if err := ck.Err(); err != nil {
					return err
				}
			}
		}
		flush()
		ck.EndPass()
		return nil
	}, actor, now, o)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
