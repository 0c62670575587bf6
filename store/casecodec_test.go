package store

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"caseboard/model"
)

// caseVariants are stored forms decodeCase must read exactly as
// encoding/json does: what encode writes, and what it never writes
// (escapes, white space, nulls, other spellings and orders, offsets,
// fractions, bad values).
func caseVariants() [][]byte {
	c := model.Case{Number: 1042, Account: "acme", Severity: 2, Title: "Index rebuild stuck", Status: "in-progress",
		Plan: "premium", Region: "na", Contact: "Ana Ruiz", OpenedAt: time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC),
		RespondedAt: time.Date(2026, 11, 20, 16, 10, 0, 0, time.UTC), Owner: "sam", CloseReason: "", DuplicateOf: 7}
	base := string(encode(&c))
	out := [][]byte{[]byte(base), encode(&model.Case{})}
	for _, title := range []string{"\x1b[2J\u202e", "ünïcode ✓ 日本", "quote \" and \\ back", "\x00\x07", "<html>&amp;", "tab\there"} {
		c2 := c
		c2.Title, c2.Contact = title, title
		out = append(out, encode(&c2))
	}
	c3 := c
	c3.OpenedAt = time.Date(2026, 3, 8, 7, 0, 0, 123456789, time.UTC) // fractions
	out = append(out, encode(&c3))
	for _, v := range []string{
		strings.Replace(base, `"Title":`, ` "Title" : `, 1),
		strings.Replace(base, `"Owner":"sam"`, `"Owner":null`, 1),
		strings.Replace(base, `"Owner":"sam"`, `"owner":"sam"`, 1),
		strings.Replace(base, `"Owner":"sam"`, `"Extra":{"a":[1,2]},"Owner":"sam"`, 1),
		strings.Replace(base, `"Owner":"sam"`, `"Owner":"sam","Owner":"lee"`, 1),
		strings.Replace(base, `"OpenedAt":"2026-11-20T15:00:00Z"`, `"OpenedAt":"2026-11-20T10:00:00-05:00"`, 1),
		strings.Replace(base, `"OpenedAt":"2026-11-20T15:00:00Z"`, `"OpenedAt":"2026-02-30T10:00:00Z"`, 1),
		strings.Replace(base, `"OpenedAt":"2026-11-20T15:00:00Z"`, `"OpenedAt":"2026-11-20t15:00:00z"`, 1),
		strings.Replace(base, `"OpenedAt":"2026-11-20T15:00:00Z"`, `"OpenedAt":"2024-02-29T24:00:00Z"`, 1),
		strings.Replace(base, `"OpenedAt":"2026-11-20T15:00:00Z"`, `"OpenedAt":"2024-02-29T23:59:59Z"`, 1),
		strings.Replace(base, `"OpenedAt":"2026-11-20T15:00:00Z"`, `"OpenedAt":""`, 1),
		strings.Replace(base, `"OpenedAt":"2026-11-20T15:00:00Z"`, `"OpenedAt":12`, 1),
		strings.Replace(base, `"Severity":2`, `"Severity":2.0`, 1),
		strings.Replace(base, `"Severity":2`, `"Severity":02`, 1),
		strings.Replace(base, `"Severity":2`, `"Severity":-2`, 1),
		strings.Replace(base, `"Severity":2`, `"Severity":"2"`, 1),
		strings.Replace(base, `"Number":1042`, `"Number":99999999999999999999`, 1),
		strings.Replace(base, `"Number":1042`, `"Number":9223372036854775807`, 1),
		strings.Replace(base, `"Title":"Index rebuild stuck"`, `"Title":"bad \xff utf8"`, 1),
		strings.Replace(base, `"Title":"Index rebuild stuck"`, "\"Title\":\"raw \x01 control\"", 1),
		strings.Replace(base, `"Title":"Index rebuild stuck"`, `"Title":"\u00e9t\u00e9"`, 1),
		base + " ", base + "x", base[:len(base)-1], "{}", "{ }", "null", "", `{"Number":1,}`, `{"Number":1 "Severity":2}`,
	} {
		out = append(out, []byte(v))
	}
	return out
}

// decodeBoth decodes one stored form both ways.
func decodeBoth(b []byte) (fast, std model.Case, fastErr, stdErr error) {
	fastErr = decodeCase(b, &fast, interner{})
	stdErr = json.Unmarshal(b, &std)
	return
}

// TestDecodeCaseSameAsJSON: the loader's own decoder gives exactly the
// case (and the refusal) encoding/json gives, for what the store writes
// (random cases with text from people, zero and set instants) and for
// forms it never writes.
func TestDecodeCaseSameAsJSON(t *testing.T) {
	forms := caseVariants()
	rng := rand.New(rand.NewSource(1))
	texts := []string{"", "acme", "sam", "\x1b]52;c;aGk=\x07", "\u202eevil", "naïve", "a\"b", "=1+2"}
	pick := func() string { return texts[rng.Intn(len(texts))] }
	when := func() time.Time {
		if rng.Intn(3) == 0 {
			return time.Time{}
		}
		return time.Unix(rng.Int63n(1<<33), 0).UTC()
	}
	for i := 0; i < 2000; i++ {
		c := model.Case{Number: rng.Int63n(1 << 40), Account: pick(), Severity: rng.Intn(5), Title: pick() + pick(),
			Status: model.Status(pick()), Plan: model.Plan(pick()), Region: model.Region(pick()), Contact: pick(),
			OpenedAt: when(), PhonedAt: when(), RespondedAt: when(), Owner: pick(), WaitingSince: when(),
			Followup1At: when(), Followup2At: when(), RepliedAt: when(), ClosedAt: when(), CloseReason: pick(),
			DuplicateOf: rng.Int63n(3), RefersTo: rng.Int63n(3)}
		forms = append(forms, encode(&c))
	}
	for _, b := range forms {
		fast, std, fe, se := decodeBoth(b)
		if (fe == nil) != (se == nil) {
			t.Fatalf("%s: decodeCase error %v, encoding/json %v", b, fe, se)
		}
		if fe == nil && !reflect.DeepEqual(fast, std) {
			t.Fatalf("%s:\ndecodeCase    %+v\nencoding/json %+v", b, fast, std)
		}
	}
}

// TestDecodeCaseTakesTheFastPath: what encode writes is read without
// encoding/json (else the loader is no faster than before), and its
// repeated strings come back shared.
func TestDecodeCaseTakesTheFastPath(t *testing.T) {
	c := model.Case{Number: 7, Account: "acme", Severity: 1, Title: "x", Status: "new", Plan: "basic", Region: "na",
		OpenedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Owner: "sam"}
	in := interner{}
	var a, b model.Case
	if !fastCase(encode(&c), &a, in) || !fastCase(encode(&c), &b, in) {
		t.Fatalf("a stored case left the fast path: %s", encode(&c))
	}
	if !reflect.DeepEqual(a, c) {
		t.Fatalf("fast path: %+v, want %+v", a, c)
	}
	if unsafe.StringData(a.Account) != unsafe.StringData(b.Account) || unsafe.StringData(a.Owner) != unsafe.StringData(b.Owner) {
		t.Fatal("the account and owner of two cases are not one string")
	}
}

func FuzzDecodeCase(f *testing.F) {
	for _, b := range caseVariants() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, std, fe, se := decodeBoth(b)
		if (fe == nil) != (se == nil) {
			t.Fatalf("%q: decodeCase error %v, encoding/json %v", b, fe, se)
		}
		if fe == nil && !reflect.DeepEqual(fast, std) {
			t.Fatalf("%q:\ndecodeCase    %+v\nencoding/json %+v", b, fast, std)
		}
	})
}
