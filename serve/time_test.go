package serve_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const forgeRefusal = "caseboard: over SSH, --as and --now are refused: you act as the user your key belongs to, at the real time\n"

// TestTimeCannotBeForgedOverSSH: --now and --as, in every spelling and
// place (--now X, --now=X, before and after the subcommand, on reads and
// on actions), are refused over SSH with one line, exit 1, nothing on
// stdout and the store unchanged; every event an SSH command writes has
// recorded_at and at = the real time.
func TestTimeCannotBeForgedOverSSH(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	before := settle(t, sv.Addr, d)
	past, future := "2020-01-01T00:00:00Z", "2031-06-01T12:00:00Z"
	tries := 0
	for _, user := range []string{"maria", "sam", "tina"} {
		for _, cmd := range [][]string{
			{"case", "note", "1043", "backdated"},
			{"case", "take", "1042"},
			{"case", "new", "--account", "acme", "--severity", "3", "--title", "forged"},
			{"time", "log", "--account", "contoso", "--minutes", "30", "--category", "cadence-call"},
			{"queue"},
			{"case", "show", "1044"},
			{"report", "sla", "--from", "2026-11-01", "--to", "2031-05-31"},
		} {
			for _, flag := range [][]string{
				{"--now", past}, {"--now=" + future}, {"--now=" + past},
				{"--as", "maria"}, {"--as=maria"}, {"--as=" + user}, {"--as", "wall"},
				{"--now=" + past, "--as=maria"},
			} {
				for _, args := range [][]string{
					append(append([]string(nil), flag...), cmd...),                         // before the command
					append(append(append([]string(nil), cmd[:1]...), flag...), cmd[1:]...), // after the first word
					append(append([]string(nil), cmd...), flag...),                         // at the end
				} {
					tries++
					r := sshRun(t, sv.Addr, d.keys[user], "", args...)
					if r.code != 1 || r.stdout != "" || r.stderr != forgeRefusal {
						t.Errorf("%s over SSH: %s: %+v", user, quote(args), r)
					}
				}
			}
		}
	}
	after := sshRun(t, sv.Addr, d.keys["maria"], "", "export")
	if after.code != 0 || after.stdout != before {
		t.Fatalf("refused --now/--as commands changed the store")
	}
	t.Logf("%d forged commands refused over SSH", tries)

	// Real actions over SSH: their events are at the real time.
	start := time.Now().Add(-time.Second).Truncate(time.Second)
	for _, c := range []struct {
		user string
		args []string
	}{
		{"sam", []string{"case", "take", "1042"}},
		{"sam", []string{"case", "respond", "1042"}},
		{"maria", []string{"case", "note", "1043", "now"}},
		{"maria", []string{"case", "new", "--account", "acme", "--severity", "3", "--title", "real"}},
		{"tina", []string{"time", "log", "--account", "contoso", "--minutes", "30", "--category", "cadence-call"}},
		{"tina", []string{"case", "note", "1042", "tam"}},
	} {
		if r := sshRun(t, sv.Addr, d.keys[c.user], "", c.args...); r.code != 0 {
			t.Fatalf("%s %v: %+v", c.user, c.args, r)
		}
	}
	end := time.Now().Add(time.Second)
	var doc struct {
		Events []struct {
			Kind       string `json:"kind"`
			Actor      string `json:"actor"`
			At         string `json:"at"`
			RecordedAt string `json:"recorded_at"`
		} `json:"events"`
	}
	exp := sshRun(t, sv.Addr, d.keys["maria"], "", "export")
	if err := json.Unmarshal([]byte(exp.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var before0 struct {
		Events []json.RawMessage `json:"events"`
	}
	_ = json.Unmarshal([]byte(before), &before0)
	fresh := doc.Events[len(before0.Events):]
	if len(fresh) < 6 {
		t.Fatalf("%d events written by 6 SSH actions", len(fresh))
	}
	for _, ev := range fresh {
		for what, v := range map[string]string{"at": ev.At, "recorded_at": ev.RecordedAt} {
			ts, err := time.Parse(time.RFC3339Nano, v)
			if err != nil || ts.Before(start) || ts.After(end) {
				t.Errorf("%s by %s: %s %s is not the real time (%s .. %s)", ev.Kind, ev.Actor, what, v,
					start.Format(time.RFC3339), end.Format(time.RFC3339))
			}
		}
		if strings.HasPrefix(ev.At, "2020") || strings.HasPrefix(ev.At, "2031") {
			t.Errorf("%s: forged at %s", ev.Kind, ev.At)
		}
	}
	t.Logf("%d events by SSH commands, all at the real time", len(fresh))
}
