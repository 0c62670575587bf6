package store

import (
	"testing"
	"time"

	"caseboard/model"
)

// TestStoredInstantsAreUTC: instants imported with offsets ("-05:00") come
// back as the same instants in UTC, so a loaded desk holds no zone per
// value, and export still writes each case's region zone.
func TestStoredInstantsAreUTC(t *testing.T) {
	s := openMem(t)
	doc := mustParse(t, sampleDoc)
	if _, err := s.Import(doc, "", t0); err != nil {
		t.Fatal(err)
	}
	d, err := s.LoadDesk()
	if err != nil {
		t.Fatal(err)
	}
	c := d.Cases[1042]
	want := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	if !c.OpenedAt.Equal(want) || c.OpenedAt.Location() != time.UTC {
		t.Errorf("opened_at %v in %v, want %v in UTC", c.OpenedAt, c.OpenedAt.Location(), want)
	}
	esc := d.Escalations[1042][0]
	if esc.RequestedAt.Location() != time.UTC || esc.Updates[0].At.Location() != time.UTC {
		t.Errorf("escalation instants not in UTC: %v, %v", esc.RequestedAt, esc.Updates[0].At)
	}
	rec := model.CaseToRecord(c, model.DefaultPolicy())
	if rec.OpenedAt != "2026-11-20T10:00:00-05:00" {
		t.Errorf("exported opened_at %q, want the region's zone", rec.OpenedAt)
	}
}
