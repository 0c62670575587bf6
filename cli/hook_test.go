package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Hooks are managers' business; URLs and secrets are masked in the list;
// a URL is http or https.
func TestHookCommandsManagersOnly(t *testing.T) {
	st := deskStore(t)
	url := "https://hooks.example/services/T0/B0/tok3n"
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"hook", "add", "h", "--url", "ftp://hooks.example/x", "--as", "maria"}, 1,
			"caseboard: cannot add hook h: the URL must be http:// or https:// with a host\n"},
		{[]string{"hook", "add", "h", "--url", "https://", "--as", "maria"}, 1,
			"caseboard: cannot add hook h: the URL must be http:// or https:// with a host\n"},
		{[]string{"hook", "add", "h", "--url", url, "--kinds", "new-case,nope", "--as", "maria"}, 1,
			"caseboard: cannot add hook h: \"nope\" is not an alert kind (new-case, call-required, due-soon, breached, escalation-requested, escalation-follow-up-due, escalation-update-due, bank, auto-closed, reopened)\n"},
		{[]string{"hook", "add", "h", "--url", url, "--account", "initech", "--as", "maria"}, 1,
			"caseboard: cannot add hook h: no account initech\n"},
		{[]string{"hook", "add", "h", "--url", url, "--secret", "s3cret", "--as", "sam"}, 1,
			"caseboard: sam may not add hook h: only a manager may\n"},
		{[]string{"hook", "add", "h", "--url", url, "--as", "tina"}, 1,
			"caseboard: tina may not add hook h: only a manager may\n"},
		{[]string{"hook", "list", "--as", "tina"}, 1, "caseboard: tina may not list hooks: only a manager may\n"},
		{[]string{"hook", "log", "--as", "sam"}, 1, "caseboard: sam may not read the log of hooks: only a manager may\n"},
	} {
		r := runOn(t, st, "", tc.args...)
		if r.code != tc.code || r.stderr != tc.msg {
			t.Errorf("%v: exit %d %q, want %d %q", tc.args, r.code, r.stderr, tc.code, tc.msg)
		}
	}
	if r := runOn(t, st, "", "hook", "list", "--as", "maria"); strings.Contains(r.stdout, "\nh ") {
		t.Fatalf("a refused add stored a hook:\n%s", r.stdout)
	}
	if out := must(t, st, "hook", "add", "h", "--url", url, "--secret", "s3cret", "--format", "slack",
		"--kinds", "new-case,breached", "--severity", "1", "--severity", "2", "--as", "maria"); out != "added hook h (slack to https://hooks.example/***)\n" {
		t.Fatalf("add: %q", out)
	}
	r := runOn(t, st, "", "hook", "add", "h", "--url", url, "--as", "maria")
	if r.code != 1 || r.stderr != "caseboard: cannot add hook h: it exists\n" {
		t.Fatalf("add twice: %d %q", r.code, r.stderr)
	}
	list := must(t, st, "hook", "list", "--as", "maria")
	if strings.Contains(list, "tok3n") || strings.Contains(list, "s3cret") || !strings.Contains(list, "https://hooks.example/***") ||
		!strings.Contains(list, "kinds new-case,breached; severity 1,2") {
		t.Fatalf("list:\n%s", list)
	}
	if j := must(t, st, "hook", "list", "--json"); strings.Contains(j, "tok3n") || strings.Contains(j, "s3cret") {
		t.Fatalf("list --json:\n%s", j)
	}
	show := must(t, st, "hook", "show", "h", "--as", "maria")
	if !strings.Contains(show, url) || strings.Contains(show, "s3cret") {
		t.Fatalf("show:\n%s", show)
	}
	if out := must(t, st, "hook", "remove", "h", "--as", "maria"); out != "removed hook h\n" {
		t.Fatalf("remove: %q", out)
	}
	if r := runOn(t, st, "", "hook", "remove", "h", "--as", "maria"); r.code != 1 || r.stderr != "caseboard: cannot remove hook h: no such hook\n" {
		t.Fatalf("remove twice: %d %q", r.code, r.stderr)
	}
}

// hook test posts one test alert and prints the status; a 5xx is exit 1;
// hook log lists both attempts, --failed the failed one.
func TestHookTestAndLog(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			w.WriteHeader(500)
			return
		}
		w.WriteHeader(204)
	}))
	defer srv.Close()
	st := deskStore(t)
	must(t, st, "hook", "add", "ok", "--url", srv.URL+"/ok", "--as", "maria")
	must(t, st, "hook", "add", "bad", "--url", srv.URL+"/bad", "--as", "maria")
	if out := must(t, st, "hook", "test", "ok", "--as", "maria"); out != "hook ok: 204 No Content\n" {
		t.Fatalf("test ok: %q", out)
	}
	r := runOn(t, st, "", "hook", "test", "bad", "--as", "maria")
	if r.code != 1 || r.stderr != "caseboard: hook bad: 500 Internal Server Error\n" || r.stdout != "" {
		t.Fatalf("test bad: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := runOn(t, st, "", "hook", "test", "nope", "--as", "maria"); r.code != 1 || r.stderr != "caseboard: cannot test hook nope: no such hook\n" {
		t.Fatalf("test nope: %d %q", r.code, r.stderr)
	}
	if r := runOn(t, st, "", "hook", "test", "ok", "--as", "sam"); r.code != 1 || r.stderr != "caseboard: sam may not test hook ok: only a manager may\n" {
		t.Fatalf("test as sam: %d %q", r.code, r.stderr)
	}
	all := must(t, st, "hook", "log", "--as", "maria")
	lines := strings.Split(strings.TrimSpace(all), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "AT ") || !strings.Contains(all, " 204 ") || !strings.Contains(all, "500 Internal Server Error") {
		t.Fatalf("log:\n%s", all)
	}
	failed := must(t, st, "hook", "log", "--failed")
	if strings.Contains(failed, " 204 ") || !strings.Contains(failed, "bad") {
		t.Fatalf("log --failed:\n%s", failed)
	}
	if one := must(t, st, "hook", "log", "ok"); strings.Contains(one, "bad") || !strings.Contains(one, "test/ok/") {
		t.Fatalf("log ok:\n%s", one)
	}
}
