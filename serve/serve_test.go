package serve_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"caseboard/serve"
	"caseboard/store"
)

// ownerOf1042 matches case 1042's row once sam owns it.
var ownerOf1042 = regexp.MustCompile(`1042[^\n]{0,80}sam`)

var boardUp = regexp.MustCompile(`1042`)

func TestChangeReachesAnotherBoard(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	b := openBoard(t, sv.Addr, d.keys["maria"])
	if !b.waitFor(0, boardUp, 10*time.Second) {
		t.Fatalf("maria's board never showed case 1042:\n%s", b.since(0))
	}
	time.Sleep(200 * time.Millisecond)
	m := b.mark()
	// Session A is sam's key; the change is made with a command from it.
	if r := sshRun(t, sv.Addr, d.keys["sam"], "", "case", "take", "1042"); r.code != 0 || r.stdout != "took 00001042\n" {
		t.Fatalf("sam's case take over SSH: %+v", r)
	}
	if !b.waitFor(m, ownerOf1042, 5*time.Second) {
		t.Fatalf("maria's board did not show sam as 1042's owner without a key press:\n%s", b.since(m))
	}
}

func TestUnknownKeyRefused(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	stranger, _ := newKey(t)
	if c, err := dial(t, sv.Addr, stranger); err == nil {
		c.Close()
		t.Fatal("a key on no user's record was let in")
	} else if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("refusal: %v", err)
	}
	// Refused and logged.
	deadline := time.Now().Add(2 * time.Second)
	for {
		log := readLog(t, d)
		if strings.Contains(log, "key refused") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the refused key is not in the log:\n%s", log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A known key still works.
	if r := sshRun(t, sv.Addr, d.keys["sam"], "", "version"); r.code != 0 {
		t.Errorf("sam's key: %+v", r)
	}
}

func TestWallKeysChangeNothing(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 16)
	before := sshRun(t, sv.Addr, d.keys["maria"], "", "export")
	w := openBoard(t, sv.Addr, d.keys["wall"])
	if !w.waitFor(0, regexp.MustCompile(`caseboard wall`), 10*time.Second) {
		t.Fatalf("the wall user did not get the wall:\n%s", w.since(0))
	}
	for _, k := range []string{"t", "a", "c", "n", "x", "\r", "j", "t", "s", ":", "case take 1042\r"} {
		if _, err := w.in.Write([]byte(k)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond)
	}
	drain(t, w)
	after := sshRun(t, sv.Addr, d.keys["maria"], "", "export")
	if before.code != 0 || before.stdout != after.stdout {
		t.Errorf("the wall's keys changed the desk")
	}
}

func TestShutdownLosesNothing(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 32)
	boards := []*screen{openBoard(t, sv.Addr, d.keys["maria"]), openBoard(t, sv.Addr, d.keys["lee"])}
	for _, b := range boards {
		if !b.waitFor(0, boardUp, 10*time.Second) {
			t.Fatalf("board never came up:\n%s", b.since(0))
		}
	}
	// Notes keep coming while serve shuts down; every acknowledged one
	// must be in the store afterwards.
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				note := "note-" + string(rune('a'+w)) + "-" + strconv.Itoa(i)
				c, err := dial(t, sv.Addr, d.keys["maria"])
				if err != nil {
					return // serve is gone
				}
				s, err := c.NewSession()
				if err != nil {
					c.Close()
					return
				}
				err = s.Run(quote([]string{"case", "note", "1043", note}))
				c.Close()
				if err == nil {
					mu.Lock()
					acked = append(acked, note)
					mu.Unlock()
				}
			}
		}(w)
	}
	// Shut down while the notes flow: once each writer has had some
	// acknowledged, not after a fixed pause.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 6 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d notes acknowledged before the shutdown", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := sv.Shutdown(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	close(stop)
	wg.Wait()
	for i, b := range boards {
		if !b.ended(5 * time.Second) {
			t.Errorf("board %d still open after shutdown", i)
		}
		if !strings.Contains(b.since(0), serve.Goodbye) {
			t.Errorf("board %d got no goodbye line", i)
		}
	}
	if len(acked) == 0 {
		t.Fatal("no note was acknowledged before the shutdown")
	}
	// The store opens again and holds every acknowledged note.
	st, err := store.Open(store.Options{Dir: d.dir, HeldWait: time.Second})
	if err != nil {
		t.Fatalf("the store does not open after shutdown: %v", err)
	}
	defer st.Close()
	evs, err := st.Events(1043)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, e := range evs {
		all.Write(e.After)
		all.WriteString("\n")
	}
	for _, n := range acked {
		if !strings.Contains(all.String(), n) {
			t.Errorf("acknowledged %s is lost", n)
		}
	}
	t.Logf("%d notes acknowledged, all kept", len(acked))
}

func readLog(t testing.TB, d *desk) string {
	t.Helper()
	b, _ := os.ReadFile(filepath.Join(d.dir, store.LogName))
	return string(b)
}

func TestMaxSessions(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 2)
	for i := 0; i < 2; i++ {
		if b := openBoard(t, sv.Addr, d.keys["sam"]); !b.waitFor(0, boardUp, 10*time.Second) {
			t.Fatalf("board %d never came up", i)
		}
	}
	r := sshRun(t, sv.Addr, d.keys["maria"], "", "version")
	if r.code != 1 || !strings.Contains(r.stderr, "caseboard serve is full (2 sessions): try again later") {
		t.Errorf("a third session: %+v", r)
	}
}

func TestWindowSizeFollowed(t *testing.T) {
	d := setupDesk(t, nil)
	sv := startServe(t, d, 4)
	b := openBoard(t, sv.Addr, d.keys["maria"])
	if !b.waitFor(0, regexp.MustCompile(`owner`), 10*time.Second) {
		t.Fatalf("at 180 columns the queue shows no owner column:\n%s", b.since(0))
	}
	m := b.mark()
	if err := b.s.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	// The header is laid out again for 100 columns: the clock moves left.
	header := regexp.MustCompile(`caseboard Maria Chen \(maria\)[^\n]*ET`)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if h := header.FindAllString(b.since(m), -1); len(h) > 0 && len([]rune(h[len(h)-1])) <= 100 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the board did not follow the new size:\n%s", b.since(m))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
