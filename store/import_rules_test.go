package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// wallUser adds a wall user to sampleDoc's users.
var wallUser = [2]string{`{"id": "tina", "name": "Tina Okafor", "role": "tam",`,
	`{"id": "wally", "name": "Wall", "role": "wall", "region": "na", "keys": []},
            {"id": "tina", "name": "Tina Okafor", "role": "tam",`}

// TestImportHoldsTheActionsRules: an import is held to every rule the
// actions hold (issue 21, item 9): each bad record is reported with its
// position and field, and nothing is written.
func TestImportHoldsTheActionsRules(t *testing.T) {
	cases := []struct {
		name string
		repl [][2]string
		want string
	}{
		{"MaxInt64 minutes", [][2]string{{`"minutes": 60`, `"minutes": 9223372036854775807`}},
			`time_entries[0].minutes: 9223372036854775807 is not 1 to 44640 minutes (31 days)`},
		{"zero minutes", [][2]string{{`"minutes": 60`, `"minutes": 0`}},
			`time_entries[0].minutes: 0 is not 1 to 44640 minutes (31 days)`},
		{"month over the bank", [][2]string{{`"minutes": 60`, `"minutes": 2911`}},
			`time_entries[1].minutes: acme's bank for 2026-11 is 50h00m (TAM Enterprise): this entry takes it to 50h01m`},
		{"entries on no TAM plan", [][2]string{{`"tam_plan": "enterprise"`, `"tam_plan": "none"`}},
			`time_entries[0].account: acme has no TAM plan`},
		{"project over 8h", [][2]string{{`"minutes": 90`, `"minutes": 481`}},
			`time_entries[1].minutes: implementation guidance for search-v2 would pass 8 hours: hand it to professional services`},
		{"project over 8h across entries", [][2]string{{`"note": "-1 tricky"}`, `"note": "-1 tricky"}, {"id": 9, "account": "acme", "tam": "tina", "date": "2026-10-05", "minutes": 391, "category": "implementation-guidance", "project": "search-v2"}`}},
			`time_entries[2].minutes: implementation guidance for search-v2 would pass 8 hours: hand it to professional services`},
		{"implementation without a project", [][2]string{{`"project": "search-v2", `, ``}},
			`time_entries[1].project: implementation guidance needs a project`},
		{"future date", [][2]string{{`"date": "2026-11-03"`, `"date": "2026-11-21"`}},
			`time_entries[0].date: 2026-11-21 is in the future (today is 2026-11-20)`},
		{"wall owner", [][2]string{wallUser, {`"owner": "sam"`, `"owner": "wally"`}},
			`cases[0].owner: wally is a wall: cases go to a specialist or a manager`},
		{"tam owner", [][2]string{{`"owner": "sam"`, `"owner": "tina"`}},
			`cases[0].owner: tina is a tam: cases go to a specialist or a manager`},
		{"entry tam not a tam", [][2]string{{`"tam": "tina",
                    "date": "2026-11-03"`, `"tam": "sam",
                    "date": "2026-11-03"`}},
			`time_entries[0].tam: sam is a specialist, not a tam`},
		{"account tam not a tam", [][2]string{{`"tam": "tina",
                "contacts"`, `"tam": "sam",
                "contacts"`}},
			`accounts[0].tam: sam is a specialist, not a tam`},
		{"entry case of another account", [][2]string{
			{`"contacts": [{"name": "Ana Ruiz"`, `"contacts": []}, {"id": "umbrella", "name": "U", "plan": "basic", "region": "na", "tam_plan": "tam10", "tam": "tina", "contacts": [{"name": "Ana Ruiz"`},
			{`"case": null, "project": null, "note": ""`, `"case": 1042, "project": null, "note": ""`},
			{`{"id": 7, "account": "acme"`, `{"id": 7, "account": "umbrella"`}},
			`time_entries[0].case: case 00001042 belongs to acme`},
		{"managed on a plan without managed services", [][2]string{{`"tam_plan": "enterprise"`, `"tam_plan": "tam20"`},
			{`"mode": "consultative"`, `"mode": "managed"`}},
			`time_entries[0].mode: TAM 20 has no managed services`},
		{"MaxInt64 case number", [][2]string{{`"number": 1043`, `"number": 9223372036854775807`}},
			`cases[1].number: 9223372036854775807 is not a case number (1 to 999999999999)`},
		{"case number 10^12", [][2]string{{`"number": 1043`, `"number": 1000000000000`}},
			`cases[1].number: 1000000000000 is not a case number (1 to 999999999999)`},
		{"MaxInt64 entry id", [][2]string{{`{"id": 7,`, `{"id": 9223372036854775807,`}},
			`time_entries[0].id: 9223372036854775807 is not an id (1 to 999999999999)`},
		{"year 1 instant", [][2]string{{`"opened_at": "2026-11-20T10:00:00-05:00"`, `"opened_at": "0001-01-01T00:00:00Z"`}},
			`cases[0].opened_at: "0001-01-01T00:00:00Z" is outside the years caseboard keeps (1970 to 2199)`},
		{"year 9999 instant", [][2]string{{`"closed_at": "2026-11-21T10:00:00Z"`, `"closed_at": "9999-12-31T23:00:00-05:00"`}},
			`cases[1].closed_at: "9999-12-31T23:00:00-05:00" is outside the years caseboard keeps (1970 to 2199)`},
		{"year 10000 instant", [][2]string{{`"requested_at": "2026-11-24T10:30:00-05:00"`, `"requested_at": "10000-01-03T00:00:00Z"`}},
			`escalations[0].requested_at: "10000-01-03T00:00:00Z" is not an RFC 3339 time`},
		{"year 2200 update", [][2]string{{`"at": "2026-11-24T13:00:00-05:00"`, `"at": "2200-01-01T00:00:00Z"`}},
			`escalations[0].updates[0].at: "2200-01-01T00:00:00Z" is outside the years caseboard keeps (1970 to 2199)`},
		{"year 1 date", [][2]string{{`"date": "2026-11-03"`, `"date": "0001-01-01"`}},
			`time_entries[0].date: "0001-01-01" is outside the years caseboard keeps (1970 to 2199)`},
		{"year 0 date", [][2]string{{`"date": "2026-11-03"`, `"date": "0000-01-01"`}},
			`time_entries[0].date: "0000-01-01" is outside the years caseboard keeps (1970 to 2199)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := sampleDoc
			for _, r := range c.repl {
				if !strings.Contains(doc, r[0]) {
					t.Fatalf("fixture lacks %q", r[0])
				}
				doc = strings.Replace(doc, r[0], r[1], 1)
			}
			s := openMem(t)
			before := exportBytes(t, s)
			_, err := s.Import(mustParse(t, doc), "maria", t0)
			var ie *ImportError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), "\n"+c.want) {
				t.Fatalf("got %v\nwant %s", err, c.want)
			}
			if after := exportBytes(t, s); !bytes.Equal(before, after) {
				t.Fatal("a refused import changed the store")
			}
		})
	}
}

// TestImportBankEdges: exactly reaching the bank and the project cap is
// allowed; the bank counts what the store already holds; voided entries
// do not count.
func TestImportBankEdges(t *testing.T) {
	s := openMem(t)
	// 2910 + 90 = 3000: Enterprise's bank exactly; a 390-minute project
	// entry elsewhere in time makes search-v2 exactly 8h.
	doc := strings.Replace(sampleDoc, `"minutes": 60`, `"minutes": 2910`, 1)
	doc = strings.Replace(doc, `"note": "-1 tricky"}`, `"note": "-1 tricky"},
		{"id": 9, "account": "acme", "tam": "tina", "date": "2026-10-05", "minutes": 390, "category": "implementation-guidance", "project": "search-v2"},
		{"id": 10, "account": "acme", "tam": "tina", "date": "2026-11-06", "minutes": 600, "category": "cadence-call",
		 "voided_at": "2026-11-07T10:00:00-05:00", "void_reason": "wrong account"}`, 1)
	if _, err := s.Import(mustParse(t, doc), "maria", t0); err != nil {
		t.Fatalf("a desk exactly at its bank and cap was refused: %v", err)
	}
	before := exportBytes(t, s)
	more := `{"time_entries": [{"id": 20, "account": "acme", "tam": "tina", "date": "2026-11-10", "minutes": 1, "category": "cadence-call"}]}`
	_, err := s.Import(mustParse(t, more), "maria", t0)
	if err == nil || !strings.Contains(err.Error(), "time_entries[0].minutes: acme's bank for 2026-11 is 50h00m (TAM Enterprise): this entry takes it to 50h01m") {
		t.Fatalf("one more minute over what the store holds: %v", err)
	}
	more = `{"time_entries": [{"id": 20, "account": "acme", "tam": "tina", "date": "2026-09-10", "minutes": 1, "category": "implementation-guidance", "project": "search-v2"}]}`
	_, err = s.Import(mustParse(t, more), "maria", t0)
	if err == nil || !strings.Contains(err.Error(), "time_entries[0].minutes: implementation guidance for search-v2 would pass 8 hours") {
		t.Fatalf("one more project minute over what the store holds: %v", err)
	}
	if !bytes.Equal(before, exportBytes(t, s)) {
		t.Fatal("a refused import changed the store")
	}
}

// TestImportNumbersLeaveRoomAbove: the largest case number and entry id
// an import takes is below 10^12, and what is handed out next is above it.
func TestImportNumbersLeaveRoomAbove(t *testing.T) {
	s := openMem(t)
	doc := strings.Replace(sampleDoc, `"number": 1043`, `"number": 999999999999`, 1)
	doc = strings.Replace(doc, `{"id": 8,`, `{"id": 999999999999,`, 1)
	if _, err := s.Import(mustParse(t, doc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	if n, err := s.NextCaseNumber(); err != nil || n != 1000000000000 {
		t.Fatalf("next case number %d, %v; want 1000000000000", n, err)
	}
	if n, err := s.NextEntryID(); err != nil || n != 1000000000000 {
		t.Fatalf("next entry id %d, %v; want 1000000000000", n, err)
	}
}

// TestImportRefusesEventSeqWithoutRoom: an event seq of MaxInt64 would
// wrap the next event's seq.
func TestImportRefusesEventSeqWithoutRoom(t *testing.T) {
	a := openMem(t)
	if _, err := a.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	exp := string(exportBytes(t, a))
	bad := strings.Replace(exp, `"seq": 1,`, `"seq": 9223372036854775807,`, 1)
	if bad == exp {
		t.Fatal("export has no seq 1")
	}
	b := openMem(t)
	_, err := b.Import(mustParse(t, bad), "maria", t0)
	if err == nil || !strings.Contains(err.Error(), "events[0].seq: 9223372036854775807 is not a seq (1 to 999999999999)") {
		t.Fatalf("got %v", err)
	}
}

// TestImportCSVInstantsInRange: the CSV door refuses instants and dates
// outside 1970 to 2199 like the JSON one, naming the row and field.
func TestImportCSVInstantsInRange(t *testing.T) {
	s := openMem(t)
	doc := mustParse(t, sampleDoc)
	doc.Cases, doc.Escalations, doc.TimeEntries = nil, nil, nil
	if _, err := s.Import(doc, "maria", t0); err != nil {
		t.Fatal(err)
	}
	before := exportBytes(t, s)
	for _, c := range []struct{ csv, want string }{
		{"number,account,severity,title,status,opened_at\n5000,acme,2,x,new,0001-01-01T00:00:00Z\n",
			`row 2.opened_at: "0001-01-01T00:00:00Z" is outside the years caseboard keeps (1970 to 2199)`},
		{"number,account,severity,title,status,opened_at\n9223372036854775807,acme,2,x,new,2026-11-01T00:00:00Z\n",
			`row 2.number: 9223372036854775807 is not a case number (1 to 999999999999)`},
		{"id,account,tam,date,minutes,category\n5,acme,tina,9999-01-01,60,cadence-call\n",
			`row 2.date: "9999-01-01" is outside the years caseboard keeps (1970 to 2199)`},
		{"id,account,tam,date,minutes,category\n5,acme,tina,2026-11-01,9223372036854775807,cadence-call\n",
			`row 2.minutes: 9223372036854775807 is not 1 to 44640 minutes (31 days)`},
	} {
		_, err := s.ImportCSV(strings.NewReader(c.csv), "maria", t0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v\nwant %s", err, c.want)
		}
	}
	if !bytes.Equal(before, exportBytes(t, s)) {
		t.Fatal("a refused CSV import changed the store")
	}
}
