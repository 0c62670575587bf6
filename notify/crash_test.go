package notify

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"caseboard/model"
	"caseboard/store"
)

const childEnv = "CASEBOARD_NOTIFY_CHILD"

// TestHolderChild is the child process of TestKilledHolderDeliversOnce,
// not a test of its own: a holder of the store in CASEBOARD_NOTIFY_DIR.
//
//	commit   seeds the desk, adds the hook, opens 3 cases, says so, waits
//	         (killed before any delivery: it never starts a deliverer)
//	deliver  runs the deliverer until the outbox is empty, says so, waits
//	idle     runs the deliverer 3 cycles, says how many are pending, waits
func TestHolderChild(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		return
	}
	s, err := store.Open(store.Options{Dir: os.Getenv("CASEBOARD_NOTIFY_DIR"), Role: "serve"})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	switch mode {
	case "commit":
		deskStore(t, s)
		if err := s.AddHook(model.Hook{ID: "h", URL: os.Getenv("CASEBOARD_NOTIFY_URL"), Format: model.HookJSON,
			Kinds: []string{"new-case"}}); err != nil {
			fmt.Println("hook:", err)
			os.Exit(3)
		}
		for i := 0; i < 3; i++ {
			openCase(t, s, fmt.Sprint("case ", i))
		}
		fmt.Println("committed")
	case "deliver", "idle":
		cycles := make(chan struct{}, 1024)
		o := fast()
		o.AfterCycle = func() { cycles <- struct{}{} }
		Start(s, o)
		for n := 0; ; n++ {
			<-cycles
			ps, _ := s.Outbox()
			if mode == "deliver" && len(ps) == 0 {
				fmt.Println("drained")
				break
			}
			if mode == "idle" && n == 2 {
				fmt.Println("pending", len(ps))
				break
			}
		}
	}
	time.Sleep(time.Hour) // killed here
}

// startHolder runs TestHolderChild in mode and waits for its line.
func startHolder(t *testing.T, dir, url, mode, want string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHolderChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, "CASEBOARD_NOTIFY_DIR="+dir, "CASEBOARD_NOTIFY_URL="+url)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("%s: the child ended before %q", mode, want)
			}
			if strings.HasPrefix(l, want) {
				if l != want {
					cmd.Process.Signal(syscall.SIGKILL)
					cmd.Wait()
					t.Fatalf("%s: %q, want %q", mode, l, want)
				}
				return cmd
			}
		case <-deadline:
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			t.Fatalf("%s: no %q", mode, want)
		}
	}
}

func kill9(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

// A holder killed with SIGKILL after committing three cases, before
// delivering their alerts: the next holder delivers each once; a holder
// after that sends nothing again.
func TestKilledHolderDeliversOnce(t *testing.T) {
	rc := newReceiver(t)
	dir := t.TempDir()
	kill9(startHolder(t, dir, rc.srv.URL+"/h", "commit", "committed"))
	if got := rc.received(); len(got) != 0 {
		t.Fatalf("delivered before the restart: %d", len(got))
	}
	kill9(startHolder(t, dir, rc.srv.URL+"/h", "deliver", "drained"))
	kill9(startHolder(t, dir, rc.srv.URL+"/h", "idle", "pending 0"))
	count := map[string]int{}
	for _, g := range rc.received() {
		count[g.alert]++
	}
	if len(count) != 3 {
		t.Fatalf("alerts delivered: %v", count)
	}
	for id, n := range count {
		if n != 1 || !strings.HasPrefix(id, "new-case/") {
			t.Fatalf("alerts delivered: %v", count)
		}
	}
}
