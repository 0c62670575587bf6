package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"caseboard/model"
)

// The 50-board fan-out on the built binary (issue 25 item 1): serve on a
// generated store, 50 SSH boards, one change; every board shows it within
// a deadline, and serve's memory (VmHWM, VmRSS from /proc/PID/status) is
// reported and bounded. CI runs 20,000 cases; -scale.cases 100000 is the
// issue's size.
var (
	scaleCases  = flag.Int("scale.cases", 20000, "cases in TestServeFiftyBoardsFanOut's store (4 in 5 open)")
	scaleBoards = flag.Int("scale.boards", 50, "SSH boards in TestServeFiftyBoardsFanOut")
)

// serveRSSBound is what serve may hold resident with its boards: the
// issue's goal at 100,000 cases (it held 11-12.6 GB, a desk per board).
const serveRSSBound = 400

// scaleDoc is a desk of n cases over 60 accounts and 50 users (two
// managers, a TAM, 47 specialists), each user with the given key.
func scaleDoc(n int, keys map[string]string) *model.Document {
	na, emea := "na", "emea"
	doc := &model.Document{Format: 1}
	add := func(id, name, role string, region *string) {
		doc.Users = append(doc.Users, model.UserRecord{ID: id, Name: name, Role: role, Region: region, Keys: []string{keys[id]}})
	}
	add("maria", "Maria Chen", "manager", &na)
	add("omar", "Omar Haddad", "manager", &emea)
	add("tina", "Tina Okafor", "tam", &na)
	for i := 1; len(doc.Users) < 50; i++ {
		r := &na
		if i%2 == 0 {
			r = &emea
		}
		add(fmt.Sprintf("s%02d", i), fmt.Sprintf("Specialist %d", i), "specialist", r)
	}
	for i := 0; i < 60; i++ {
		region := "na"
		if i%2 == 1 {
			region = "emea"
		}
		doc.Accounts = append(doc.Accounts, model.AccountRecord{ID: fmt.Sprintf("acct%02d", i), Name: fmt.Sprintf("Account %d", i),
			Plan: []string{"basic", "plus", "premium"}[i%3], Region: region, TAMPlan: "none",
			Contacts: []model.ContactRecord{{Name: "Ana Ruiz", Kind: "contact"}}})
	}
	// Opened over the last weeks before now, so the clocks are a mix.
	base := time.Now().Add(-time.Duration(n) * time.Minute).Truncate(time.Second).UTC()
	contact := "Ana Ruiz"
	for i := 1; i <= n; i++ {
		acct := i % 60
		c := model.CaseRecord{Number: int64(i), Account: fmt.Sprintf("acct%02d", acct), Severity: 1 + i%4,
			Title: fmt.Sprintf("Something is wrong with index %d", i), Status: "new", Contact: &contact,
			OpenedAt: base.Add(time.Duration(i) * time.Minute / 2).Format(time.RFC3339)}
		switch i % 5 {
		case 0:
			closed := base.Add(time.Duration(i)*time.Minute/2 + time.Hour).Format(time.RFC3339)
			reason := "resolved"
			c.Status, c.ClosedAt, c.CloseReason = "closed", &closed, &reason
		case 1:
			owner := fmt.Sprintf("s%02d", 1+(i/5%23)*2+acct%2)
			c.Status, c.Owner = "assigned", &owner
		}
		doc.Cases = append(doc.Cases, c)
	}
	return doc
}

// sshBoard is one SSH board's terminal: everything serve wrote to it.
type sshBoard struct {
	c   *gossh.Client
	s   *gossh.Session
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *sshBoard) mark() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func (b *sshBoard) since(mark int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return ansi.Strip(string(b.buf.Bytes()[mark:]))
}

func (b *sshBoard) close() {
	b.s.Close()
	b.c.Close()
}

func sshDial(addr string, signer gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "anyone", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
}

// openSSHBoard opens a board at 180x40 whose terminal answers serve's
// colour and device queries.
func openSSHBoard(addr string, signer gossh.Signer) (*sshBoard, error) {
	c, err := sshDial(addr, signer)
	if err != nil {
		return nil, err
	}
	s, err := c.NewSession()
	if err != nil {
		c.Close()
		return nil, err
	}
	b := &sshBoard{c: c, s: s}
	if err := s.RequestPty("xterm-256color", 40, 180, gossh.TerminalModes{}); err != nil {
		b.close()
		return nil, err
	}
	out, err := s.StdoutPipe()
	if err != nil {
		b.close()
		return nil, err
	}
	in, err := s.StdinPipe()
	if err != nil {
		b.close()
		return nil, err
	}
	if err := s.Shell(); err != nil {
		b.close()
		return nil, err
	}
	_, _ = io.WriteString(in, "\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\\x1b[?62;22c")
	go func() {
		p := make([]byte, 32<<10)
		for {
			n, err := out.Read(p)
			b.mu.Lock()
			b.buf.Write(p[:n])
			b.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return b, nil
}

// procStatusMB reads a memory line of /proc/PID/status, in MB.
func procStatusMB(pid int, key string) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == key+":" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// TestServeFiftyBoardsFanOut: serve holds one desk for 50 SSH boards; a
// case opened over SSH shows on every board ("open N+1" in each header)
// within the deadline, and serve stays under serveRSSBound resident.
func TestServeFiftyBoardsFanOut(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and opens 50 SSH boards")
	}
	n, boardsN := *scaleCases, *scaleBoards
	bin := buildBinary(t)
	dir := filepath.Join(t.TempDir(), "desk")
	signers, lines := map[string]gossh.Signer{}, map[string]string{}
	for _, id := range []string{"maria", "omar", "tina"} {
		signers[id], lines[id] = scaleKey(t)
	}
	for i := 1; i <= 47; i++ {
		id := fmt.Sprintf("s%02d", i)
		signers[id], lines[id] = scaleKey(t)
	}
	docPath := filepath.Join(t.TempDir(), "desk.json")
	data, err := json.Marshal(scaleDoc(n, lines))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(docPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, "data"))
	start := time.Now()
	imp := exec.Command(bin, "--data", dir, "import", docPath)
	imp.Env = env
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	t.Logf("%d cases imported in %s", n, time.Since(start).Round(time.Millisecond))

	srv := exec.Command(bin, "--data", dir, "serve", "--listen", "127.0.0.1:0", "--max-sessions", strconv.Itoa(boardsN+8))
	srv.Env = env
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var serr bytes.Buffer
	srv.Stderr = &serr
	start = time.Now()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = srv.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = srv.Process.Kill()
		}
	})
	addrs := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`listening on (\S+),`).FindStringSubmatch(sc.Text()); m != nil {
				addrs <- m[1]
			}
		}
	}()
	var addr string
	select {
	case addr = <-addrs:
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start: %s", serr.String())
	}
	t.Logf("serve listening on %s after %s: VmHWM %.0f MB, VmRSS %.0f MB", addr, time.Since(start).Round(time.Millisecond),
		procStatusMB(srv.Process.Pid, "VmHWM"), procStatusMB(srv.Process.Pid, "VmRSS"))
	// Its first look at every clock (the alerts a fresh desk owes) is
	// done once a command has gone through.
	start = time.Now()
	if out, err := scaleSSHRun(addr, signers["maria"], "case", "note", "2", "--", "before the boards"); err != nil {
		t.Fatalf("case note over SSH: %v\n%s", err, out)
	}
	t.Logf("a first command took %s: VmHWM %.0f MB, VmRSS %.0f MB", time.Since(start).Round(time.Millisecond),
		procStatusMB(srv.Process.Pid, "VmHWM"), procStatusMB(srv.Process.Pid, "VmRSS"))

	users := []string{"maria", "s01", "s03", "omar", "s02"}
	boards := make([]*sshBoard, boardsN)
	errs := make([]error, boardsN)
	var wg sync.WaitGroup
	start = time.Now()
	for i := range boards {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			boards[i], errs[i] = openSSHBoard(addr, signers[users[i%len(users)]])
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("board %d: %v", i, err)
		}
	}
	defer func() {
		for _, b := range boards {
			b.close()
		}
	}()
	open := n - n/5
	waitAll := func(what string, re *regexp.Regexp, marks []int, from time.Time) []time.Duration {
		t.Helper()
		delays := make([]time.Duration, boardsN)
		missed := make(chan int, boardsN)
		for i, b := range boards {
			wg.Add(1)
			go func(i int, b *sshBoard) {
				defer wg.Done()
				deadline := from.Add(30 * time.Second)
				for time.Now().Before(deadline) {
					if re.MatchString(b.since(marks[i])) {
						delays[i] = time.Since(from)
						return
					}
					time.Sleep(5 * time.Millisecond)
				}
				missed <- i
			}(i, b)
		}
		wg.Wait()
		close(missed)
		for i := range missed {
			t.Fatalf("board %d (%s) never showed %s:\n%s", i, users[i%len(users)], what, scaleTail(boards[i].since(marks[i])))
		}
		return delays
	}
	zero := make([]int, boardsN)
	waitAll(fmt.Sprintf("open %d", open), regexp.MustCompile(fmt.Sprintf(`open %d `, open)), zero, start)
	t.Logf("%d boards up in %s: serve VmHWM %.0f MB, VmRSS %.0f MB", boardsN, time.Since(start).Round(time.Millisecond),
		procStatusMB(srv.Process.Pid, "VmHWM"), procStatusMB(srv.Process.Pid, "VmRSS"))

	// One change, made over SSH as serve's other users do.
	marks := make([]int, boardsN)
	for i, b := range boards {
		marks[i] = b.mark()
	}
	sent := time.Now()
	if out, err := scaleSSHRun(addr, signers["maria"], "case", "new", "--account", "acct00", "--severity", "3",
		"--title", "Fan-out check", "--contact", "Ana Ruiz"); err != nil {
		t.Fatalf("case new over SSH: %v\n%s", err, out)
	}
	took := time.Since(sent)
	delays := waitAll(fmt.Sprintf("open %d", open+1), regexp.MustCompile(fmt.Sprintf(`open %d `, open+1)), marks, sent)
	sort.Slice(delays, func(a, b int) bool { return delays[a] < delays[b] })
	pid := srv.Process.Pid
	hwm, rss := procStatusMB(pid, "VmHWM"), procStatusMB(pid, "VmRSS")
	t.Logf("%d cases, %d boards: the command took %s; seen on every board (from sending it, 5 ms polling): p50 %s, p99 %s, max %s; serve VmHWM %.0f MB, VmRSS %.0f MB",
		n, boardsN, took.Round(time.Millisecond), delays[boardsN/2].Round(time.Millisecond),
		delays[boardsN*99/100].Round(time.Millisecond), delays[boardsN-1].Round(time.Millisecond), hwm, rss)
	if hwm > serveRSSBound {
		t.Errorf("serve held %.0f MB at its peak with %d boards on %d cases; the bound is %d MB", hwm, boardsN, n, serveRSSBound)
	}
}

func scaleKey(t *testing.T) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
}

// scaleSSHRun runs one command over SSH.
func scaleSSHRun(addr string, signer gossh.Signer, args ...string) (string, error) {
	c, err := sshDial(addr, signer)
	if err != nil {
		return "", err
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		return "", err
	}
	defer s.Close()
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	out, err := s.CombinedOutput(strings.Join(q, " "))
	return string(out), err
}

func scaleTail(s string) string {
	if len(s) > 1500 {
		return s[len(s)-1500:]
	}
	return s
}
