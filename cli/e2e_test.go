package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"caseboard/store"
)

// buildBinary builds caseboard into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "caseboard")
	cmd := exec.Command("go", "build", "-o", bin, "caseboard")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runBin runs the binary and returns its exit status and streams.
func runBin(t *testing.T, bin, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, "data"), "CASEBOARD_USER=")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

func TestBinaryEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "desk")
	deskFile := filepath.Join("testdata", "desk.json")
	if r := runBin(t, bin, "", "--data", data, "import", deskFile); r.code != 0 {
		t.Fatalf("import: exit %d: %s", r.code, r.stderr)
	}
	r := runBin(t, bin, "", "--data", data, "queue", "--json", "--now", seenAt)
	if r.code != 0 {
		t.Fatalf("queue: exit %d: %s", r.code, r.stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("queue --json: %v\n%s", err, r.stdout)
	}
	if len(rows) != 4 || rows[2]["number"] != float64(1042) || rows[2]["due"] != "2026-11-20T18:00:00-05:00" ||
		rows[2]["remaining_seconds"] != float64(5400) || rows[2]["working_seconds_left"] != float64(5400) {
		t.Errorf("queue --json:\n%s", r.stdout)
	}

	// Usage errors and the --as rule in the real process.
	if r := runBin(t, bin, "", "--data", data, "case", "take", "1042"); r.code != 2 ||
		!strings.Contains(r.stderr, "--as required (users: eva, lee, maria, sam, tina, wall)") {
		t.Errorf("take without --as: exit %d %q", r.code, r.stderr)
	}
	if r := runBin(t, bin, "", "--data", data, "queue", "--nope"); r.code != 2 {
		t.Errorf("unknown flag: exit %d", r.code)
	}

	// Two processes take one case at once: the store lets one process in,
	// the other waits for it, then is refused with the winner's name.
	var wg sync.WaitGroup
	results := make([]result, 2)
	for i, who := range []string{"sam", "lee"} {
		wg.Add(1)
		go func(i int, who string) {
			defer wg.Done()
			results[i] = runBin(t, bin, "", "--data", data, "case", "take", "00001042", "--as", who, "--now", seenAt)
		}(i, who)
	}
	wg.Wait()
	var won, lost []string
	for i, who := range []string{"sam", "lee"} {
		switch results[i].code {
		case 0:
			won = append(won, who)
		case 1:
			lost = append(lost, who)
		default:
			t.Errorf("%s: exit %d: %s", who, results[i].code, results[i].stderr)
		}
	}
	if len(won) != 1 || len(lost) != 1 {
		t.Fatalf("won %v, lost %v: %+v", won, lost, results)
	}
	for i, who := range []string{"sam", "lee"} {
		if who == lost[0] {
			if want := "caseboard: cannot take 00001042: owned by " + won[0] + "\n"; results[i].stderr != want {
				t.Errorf("loser's stderr %q, want %q", results[i].stderr, want)
			}
		}
	}
	r = runBin(t, bin, "", "--data", data, "case", "show", "1042", "--json")
	if !strings.Contains(r.stdout, `"owner": "`+won[0]+`"`) {
		t.Errorf("case show after the race:\n%s", r.stdout)
	}
}

func TestBinaryHeldByBoard(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "desk")
	st, err := store.Open(store.Options{Dir: data, Role: "board"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := runBin(t, bin, "", "--data", data, "queue")
	want := fmt.Sprintf("caseboard: the store %s is held by caseboard board (pid %d)\n", data, os.Getpid())
	if r.code != 1 || r.stderr != want {
		t.Errorf("held store: exit %d %q, want %q", r.code, r.stderr, want)
	}
	// Commands that need no store still run.
	if r := runBin(t, bin, "", "--data", data, "version"); r.code != 0 {
		t.Errorf("version on a held store: exit %d", r.code)
	}
}
