package store

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// crashRestoreChild restores CASEBOARD_RESTORE_FILE with --force, pausing
// forever at the CASEBOARD_RESTORE_PAUSE-th step of the swap when given
// (1: the journal written, 2: the old store closed, 3...: after each
// file moved).
func crashRestoreChild(s *Store) {
	pause, _ := strconv.Atoi(os.Getenv("CASEBOARD_RESTORE_PAUSE"))
	n := 0
	restoreHook = func(step string) {
		n++
		if n == pause {
			fmt.Println("paused", step)
			time.Sleep(time.Hour)
		}
	}
	f, err := os.Open(os.Getenv("CASEBOARD_RESTORE_FILE"))
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	fmt.Println("restoring")
	if err := s.Restore(f, true); err != nil {
		fmt.Println("restore:", err)
		os.Exit(3)
	}
	fmt.Println("restored")
	time.Sleep(time.Hour)
}

// TestCrashDuringRestore: a child restoring a backup over a store is
// killed with SIGKILL, at random moments and at each step of the swap;
// after each kill, Open gives the old store or the new one, whole (export
// byte for byte), never an empty or mixed one, and nothing of the
// restore is left in the directory.
func TestCrashDuringRestore(t *testing.T) {
	tmp := t.TempDir()
	src := openMem(t)
	if _, err := src.Import(bigDoc(5000), "maria", t0); err != nil {
		t.Fatal(err)
	}
	bakFile := filepath.Join(tmp, "new.bak")
	if err := os.WriteFile(bakFile, backupBytes(t, src), 0o600); err != nil {
		t.Fatal(err)
	}
	newDesk := exportBytes(t, src)

	template := filepath.Join(tmp, "template")
	s := openDir(t, template)
	if _, err := s.Import(mustParse(t, sampleDoc), "maria", t0); err != nil {
		t.Fatal(err)
	}
	oldDesk := exportBytes(t, s)
	s.Close()

	rounds := *crashRounds
	if rounds > 16 {
		rounds = 16 + (rounds-16)/4
	}
	// How long a restore takes here, so that random kills fall inside it.
	took := timeRestore(t, template, filepath.Join(tmp, "timing"), bakFile)
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	seen := map[string]int{}
	for round := 0; round < rounds; round++ {
		dir := filepath.Join(tmp, fmt.Sprintf("r%d", round))
		if out, err := exec.Command("cp", "-a", template, dir).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v %s", err, out)
		}
		// Even rounds pause at a step of the swap (closed, then after
		// the 1st, 2nd ... file moved); odd rounds are killed at random.
		pause := 0
		if round%2 == 0 {
			pause = 1 + round/2
		}
		os.Setenv("CASEBOARD_RESTORE_FILE", bakFile)
		os.Setenv("CASEBOARD_RESTORE_PAUSE", strconv.Itoa(pause))
		c := startChild(t, dir, "restore")
		how := ""
		deadline := time.After(30 * time.Second)
	wait:
		for {
			select {
			case l, ok := <-c.lines:
				switch {
				case !ok:
					t.Fatalf("round %d: the child ended", round)
				case l == "restoring" && pause == 0:
					time.Sleep(time.Duration(rng.Int63n(int64(took))))
					how = "at random"
					break wait
				case strings.HasPrefix(l, "paused "):
					how = l
					break wait
				case l == "restored":
					how = "after the restore"
					break wait
				case strings.HasPrefix(l, "restore:"), strings.HasPrefix(l, "open:"):
					t.Fatalf("round %d: %s", round, l)
				}
			case <-deadline:
				t.Fatalf("round %d: the child said nothing", round)
			}
		}
		for _, l := range c.kill() {
			if l == "restored" && how == "at random" {
				how = "at random, after the restore"
			}
		}
		s, err := Open(Options{Dir: dir, Role: "command", HeldWait: time.Second})
		if err != nil {
			t.Fatalf("round %d (killed %s): open: %v", round, how, err)
		}
		got := exportBytes(t, s)
		s.Close()
		which := "old"
		switch {
		case bytes.Equal(got, oldDesk):
		case bytes.Equal(got, newDesk):
			which = "new"
		default:
			t.Fatalf("round %d (killed %s): the store is neither the old desk nor the new one (%d bytes)", round, how, len(got))
		}
		seen[which]++
		for _, name := range []string{stagingName, oldName, swapName} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				t.Errorf("round %d (killed %s): %s left behind", round, how, name)
			}
		}
		t.Logf("round %d: killed %s: %s desk", round, how, which)
		os.RemoveAll(dir)
	}
	os.Unsetenv("CASEBOARD_RESTORE_FILE")
	os.Unsetenv("CASEBOARD_RESTORE_PAUSE")
	t.Logf("%d rounds (a restore takes %v): %d old, %d new", rounds, took, seen["old"], seen["new"])
	if rounds >= 4 && seen["new"] == 0 {
		t.Error("no round reached the new desk: the swap steps were not exercised")
	}
}

// timeRestore runs one child restore to its end and gives how long it took.
func timeRestore(t *testing.T, template, dir, bakFile string) time.Duration {
	t.Helper()
	if out, err := exec.Command("cp", "-a", template, dir).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	defer os.RemoveAll(dir)
	os.Setenv("CASEBOARD_RESTORE_FILE", bakFile)
	os.Setenv("CASEBOARD_RESTORE_PAUSE", "0")
	c := startChild(t, dir, "restore")
	defer c.kill()
	var start time.Time
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-c.lines:
			switch {
			case !ok:
				t.Fatal("the timing child ended")
			case l == "restoring":
				start = time.Now()
			case l == "restored":
				return time.Since(start)
			case strings.HasPrefix(l, "restore:"), strings.HasPrefix(l, "open:"):
				t.Fatal(l)
			}
		case <-deadline:
			t.Fatal("the timing restore did not end")
		}
	}
}
