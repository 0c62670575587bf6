package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"caseboard/model"
	"caseboard/store"
)

// fuzzSeeds are argument vectors of every command, valid and not.
var fuzzSeeds = [][]string{
	{"queue", "--json"},
	{"queue", "--region", "emea", "--owner", "eva", "--account", "globex", "--by-due"},
	{"case", "new", "--account", "contoso", "--severity", "2", "--title", "\x1b[2J boom", "--as", "sam"},
	{"case", "new", "--account", "acme", "--severity", "9", "--title", "x", "--as", "tina"},
	{"case", "show", "1042"}, {"case", "list", "--open", "--account", "acme"},
	{"case", "take", "1042", "--as", "sam"}, {"case", "take", "1042", "--as", "wall"},
	{"case", "assign", "1042", "--to", "lee", "--as", "maria"},
	{"case", "call", "1043", "--at", "2026-11-20T15:10:00-05:00", "--as", "maria"},
	{"case", "respond", "1045", "--as", "eva"},
	{"case", "note", "1044", "hello", "|", "=1+1", "--as", "lee"},
	{"case", "status", "1044", "in-progress", "--as", "lee"},
	{"case", "severity", "1044", "--to", "2", "--agreed-by", "Ana", "--as", "lee"},
	{"case", "reply", "1044", "--as", "lee"}, {"case", "followup", "1044", "--as", "lee"},
	{"case", "close", "1042", "--reason", "duplicate", "--of", "1042", "--as", "maria"},
	{"case", "close", "1045", "--reason", "resolved", "--as", "eva"},
	{"case", "reopen", "1046", "--as", "sam", "--now", "2026-11-20T10:00:00-05:00"},
	{"escalate", "1044", "--by", "contact:Ana", "--channel", "phone", "--justification", "go live", "--as", "lee"},
	{"escalation", "followup", "1044", "--as", "maria"},
	{"escalation", "accept", "1044", "--every", "4h", "--as", "maria"},
	{"escalation", "decline", "1044", "--reason", "no", "--as", "maria"},
	{"escalation", "update", "1044", "--summary", "s", "--as", "lee"},
	{"escalation", "deescalate", "1044", "--reason", "r", "--as", "maria"},
	{"escalation", "close", "1044", "--outcome", "fix", "--summary", "done", "--as", "maria"},
	{"time", "log", "--account", "contoso", "--minutes", "60", "--category", "cadence-call", "--as", "tina"},
	{"time", "log", "--account", "contoso", "--minutes", "9999", "--category", "cadence-call", "--as", "maria"},
	{"time", "list", "--account", "contoso", "--month", "2026-11"},
	{"time", "void", "1", "--reason", "twice", "--as", "maria"},
	{"timebank", "--account", "contoso", "--json"},
	{"report", "sla", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv"},
	{"report", "weekly", "--account", "acme", "--week", "2026-W47", "--format", "md"},
	{"report", "hours", "--account", "contoso", "--from", "2026-11-01", "--to", "2026-11-30"},
	{"account", "add", "x\x1b]52;c;AAAA\x07", "--name", "X", "--plan", "basic", "--region", "na", "--as", "maria"},
	{"account", "set", "acme", "--tam-plan", "tam10", "--as", "maria"},
	{"account", "contact", "acme", "--name", "\u202eevil", "--kind", "developer", "--as", "maria"},
	{"account", "list"}, {"account", "show", "acme"},
	{"user", "add", "zed", "--name", "Z", "--role", "specialist", "--region", "na", "--as", "maria"},
	{"user", "key", "sam", "ssh-ed25519 AAAA", "--as", "maria"}, {"user", "list"}, {"user", "remove", "lee", "--as", "maria"},
	{"import", "-", "--as", "maria"}, {"export", "--format", "csv"},
	{"sla", "--severity", "2", "--plan", "plus", "--region", "emea", "--start", "2026-11-20T23:30:00Z", "--json"},
	{"version"}, {"--help"}, {"case", "--help"}, {"nope"}, {"case", "take"}, {"--now", "9999-12-31T23:59:59Z", "queue"},
	{"--now", "0001-01-01T00:00:00Z", "case", "new", "--account", "acme", "--severity", "1", "--title", "t", "--as", "maria"},
}

// fuzzArgs splits a fuzz input into arguments (NUL separates them, as no
// real argument can hold one).
func fuzzArgs(data string) []string { return strings.Split(data, "\x00") }

// FuzzCommandArgs runs the command tree on an in-memory desk with
// arbitrary argument vectors: it never panics, exits 0, 1 or 2, and a
// command that does not exit 0 writes nothing (only the process's own
// auto-close of due cases may run before an acting command is refused).
func FuzzCommandArgs(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(strings.Join(s, "\x00"), "")
	}
	f.Add("import\x00-\x00--as\x00maria", `{"accounts": [{"id": "q", "name": "Q", "plan": "basic", "region": "na"}]}`)
	f.Add("import\x00-\x00--as\x00maria", "number,account,severity,title,status,opened_at\n7000,acme,2,=1,new,2026-11-20T10:00:00Z\n")
	// Commands that take a FILE run in a directory of their own; an
	// argument naming another directory is not tried.
	dir := f.TempDir()
	wd, _ := os.Getwd()
	policy, err := os.ReadFile("../model/policy.toml")
	if err != nil {
		f.Fatal(err)
	}
	os.WriteFile(dir+"/policy.toml", policy, 0o600)
	st, err := store.Open(store.Options{InMemory: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	desk, err := os.ReadFile(wd + "/testdata/desk.json")
	if err != nil {
		f.Fatal(err)
	}
	doc, err := store.ParseDocument(bytes.NewReader(desk))
	if err != nil {
		f.Fatal(err)
	}
	if _, err := st.Import(doc, "maria", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, argv, stdin string) {
		args := fuzzArgs(argv)
		if len(args) > 40 {
			return
		}
		for _, a := range args {
			if strings.Contains(a, "/") || strings.Contains(a, "..") {
				return // stay in the fuzz directory
			}
		}
		// Inside the fuzz directory only while the command runs (the fuzz
		// engine's own files are relative to the package directory).
		if err := os.Chdir(dir); err != nil {
			t.Fatal(err)
		}
		defer os.Chdir(wd)
		var before bytes.Buffer
		if err := st.ExportJSON(&before); err != nil {
			t.Fatal(err)
		}
		lastSeq, _ := st.LastSeq()
		var out, errb bytes.Buffer
		env := &Env{
			IO: IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
				Getenv: func(string) string { return "" }},
			Clock: func() time.Time { return time.Date(2026, 11, 20, 21, 30, 0, 0, time.UTC) },
			Store: st,
		}
		code := Run(env, args)
		if code != ExitOK && code != ExitRefused && code != ExitUsage {
			t.Fatalf("%q: exit %d", args, code)
		}
		if code != ExitOK {
			if msg := strings.TrimSuffix(errb.String(), "\n"); msg == "" || strings.Contains(msg, "\x1b") {
				t.Fatalf("%q: exit %d with stderr %q", args, code, errb.String())
			}
			var after bytes.Buffer
			if err := st.ExportJSON(&after); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before.Bytes(), after.Bytes()) {
				evs, _ := st.EventsSince(lastSeq)
				for _, ev := range evs {
					if ev.Kind != "auto-closed" || ev.Actor != model.System {
						t.Fatalf("%q: exit %d (%s) but the store changed: event %s by %s", args, code, errb.String(), ev.Kind, ev.Actor)
					}
				}
			}
		}
	})
}
