package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// run runs the command tree in-process with a pinned real clock.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }},
		Clock: func() time.Time { return time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC) }}
	code = Run(env, args)
	return code, out.String(), errb.String()
}

func slaJSONOf(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errs := run(t, append([]string{"sla", "--json"}, args...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("not one line: %q", out)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return v
}

func checkFields(t *testing.T, got map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("no field %s", k)
			continue
		}
		if f, isNum := w.(int); isNum {
			w = float64(f)
		}
		if g != w {
			t.Errorf("%s = %v, want %v", k, g, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("fields %v, want exactly %d", got, len(want))
	}
}

// INTERFACE.md's example: Premium NA sev 3 logged Thu 24 Dec 2026 20:00 ET,
// seen at 21:00 ET.
func TestSLAInterfaceExample(t *testing.T) {
	got := slaJSONOf(t, "--severity", "3", "--plan", "premium", "--region", "na",
		"--start", "2026-12-24T20:00:00-05:00", "--now", "2026-12-24T21:00:00-05:00")
	checkFields(t, got, map[string]any{
		"clock": "initial-response", "start": "2026-12-24T20:00:00-05:00",
		"due": "2026-12-28T11:00:00-05:00", "target_seconds": 21600,
		"remaining_seconds": 309600, "working_seconds_left": 18000,
		"breached": false, "paused": true, "resumes_at": "2026-12-28T06:00:00-05:00",
	})
	// Key order as documented.
	_, out, _ := run(t, "sla", "--json", "--severity", "3", "--plan", "premium", "--region", "na",
		"--start", "2026-12-24T20:00:00-05:00", "--now", "2026-12-24T21:00:00-05:00")
	keys := []string{"clock", "start", "due", "target_seconds", "remaining_seconds", "working_seconds_left", "breached", "paused", "resumes_at"}
	last := -1
	for _, k := range keys {
		i := strings.Index(out, `"`+k+`"`)
		if i < last {
			t.Fatalf("%s out of order in %s", k, out)
		}
		last = i
	}
}

func TestSLAHumanLine(t *testing.T) {
	code, out, errs := run(t, "sla", "--severity", "3", "--plan", "premium", "--region", "na",
		"--start", "2026-12-24T20:00:00-05:00", "--now", "2026-12-24T21:00:00-05:00")
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := "due Mon 28 Dec 11:00 ET, in 3d14h (5h of working time); paused, resumes Mon 06:00 ET\n"
	if out != want {
		t.Fatalf("got  %q\nwant %q", out, want)
	}
	// EMEA, open, in GMT: the worked example seen on Monday 11:30.
	_, out, _ = run(t, "sla", "--severity", "2", "--plan", "plus", "--region", "emea",
		"--start", "2026-11-20T23:30:00Z", "--now", "2026-11-23T11:30:00Z")
	if want := "due Mon 23 Nov 12:30 GMT, in 1h (1h of working time)\n"; out != want {
		t.Fatalf("got  %q\nwant %q", out, want)
	}
	// Breached.
	_, out, _ = run(t, "sla", "--severity", "2", "--plan", "basic", "--region", "na",
		"--start", "2026-11-20T10:00:00-05:00", "--now", "2026-11-20T19:20:00-05:00")
	if want := "due Fri 20 Nov 18:00 ET, breached 1h20m ago\n"; out != want {
		t.Fatalf("got  %q\nwant %q", out, want)
	}
}

func TestSLABreachedJSON(t *testing.T) {
	// Basic NA sev 2 logged Fri 10:00, due 18:00; at 18:00 exactly: 0 left.
	got := slaJSONOf(t, "--severity", "2", "--plan", "basic", "--region", "na",
		"--start", "2026-11-20T10:00:00-05:00", "--now", "2026-11-20T18:00:00-05:00")
	if got["breached"] != false || got["remaining_seconds"] != 0.0 || got["working_seconds_left"] != 0.0 {
		t.Fatalf("at due: %v", got)
	}
	// Seen Saturday noon (calendar closed): breached, 0 working, not paused.
	got = slaJSONOf(t, "--severity", "2", "--plan", "basic", "--region", "na",
		"--start", "2026-11-20T10:00:00-05:00", "--now", "2026-11-21T12:00:00-05:00")
	checkFields(t, got, map[string]any{
		"clock": "initial-response", "start": "2026-11-20T10:00:00-05:00",
		"due": "2026-11-20T18:00:00-05:00", "target_seconds": 28800,
		"remaining_seconds": -64800, "working_seconds_left": 0,
		"breached": true, "paused": false, "resumes_at": nil,
	})
}

// Severity 1: --start is the call, the clock runs around the clock.
func TestSLASeverity1(t *testing.T) {
	got := slaJSONOf(t, "--severity", "1", "--plan", "premium", "--region", "na",
		"--start", "2026-11-01T01:30:00-04:00", "--now", "2026-11-01T01:10:00-05:00")
	checkFields(t, got, map[string]any{
		"clock": "initial-response", "start": "2026-11-01T01:30:00-04:00",
		"due": "2026-11-01T01:30:00-05:00", "target_seconds": 3600,
		"remaining_seconds": 1200, "working_seconds_left": 1200,
		"breached": false, "paused": false, "resumes_at": nil,
	})
}

func TestSLAErrors(t *testing.T) {
	good := map[string]string{"--severity": "2", "--plan": "plus", "--region": "na", "--start": "2026-11-20T10:00:00-05:00"}
	args := func(over map[string]string, drop string) []string {
		out := []string{"sla", "--now", "2026-11-20T11:00:00-05:00"}
		for _, k := range []string{"--severity", "--plan", "--region", "--start"} {
			if k == drop {
				continue
			}
			v := good[k]
			if o, ok := over[k]; ok {
				v = o
			}
			out = append(out, k, v)
		}
		return out
	}
	refused := []struct {
		over map[string]string
		says string
	}{
		{map[string]string{"--plan": "gold"}, "--plan"},
		{map[string]string{"--start": "garbage"}, "--start"},
		{map[string]string{"--start": "2026-11-20 10:00"}, "--start"},
		{map[string]string{"--severity": "5"}, "--severity"},
		{map[string]string{"--severity": "0"}, "--severity"},
		{map[string]string{"--region": "apac"}, "--region"},
	}
	for _, tc := range refused {
		code, out, errs := run(t, args(tc.over, "")...)
		if code != ExitRefused {
			t.Errorf("%v: exit %d, want 1 (%s)", tc.over, code, errs)
		}
		if out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tc.says) {
			t.Errorf("%v: stdout %q, stderr %q: want one line naming %s", tc.over, out, errs, tc.says)
		}
	}
	code, _, errs := run(t, append(args(nil, ""), "--now", "yesterday")...)
	if code != ExitRefused || !strings.Contains(errs, "--now") {
		t.Errorf("bad --now: exit %d, %q", code, errs)
	}
	for _, drop := range []string{"--severity", "--plan", "--region", "--start"} {
		code, out, errs := run(t, args(nil, drop)...)
		if code != ExitUsage || out != "" || !strings.Contains(errs, strings.TrimPrefix(drop, "--")) {
			t.Errorf("without %s: exit %d, stderr %q, want 2 naming the flag", drop, code, errs)
		}
	}
	// Not a number is a usage error (the flag's own parser).
	if code, _, _ := run(t, args(map[string]string{"--severity": "two"}, "")...); code != ExitUsage {
		t.Errorf("--severity two: exit %d, want 2", code)
	}
}
