package ui_test

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"caseboard/cli"
	"caseboard/model"
	"caseboard/store"
	"caseboard/ui"

	"github.com/charmbracelet/x/exp/teatest"
)

// openStore is a store in memory holding the action desk.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	p := model.DefaultPolicy()
	st, err := store.Open(store.Options{InMemory: true, Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	doc := ui.ActionDesk().Document(p)
	doc.Events = nil // the test desk's few hand-written events are not a replayable history
	if _, err := st.Import(doc, "", ui.TestNow); err != nil {
		t.Fatal(err)
	}
	return st
}

func startBoard(t *testing.T, st *store.Store, o ui.Options) *teatest.TestModel {
	t.Helper()
	o.Backend = st
	return teatest.NewTestModel(t, ui.New(ui.Pinned(o)), teatest.WithInitialTermSize(120, 40))
}

func waitOut(t *testing.T, tm *teatest.TestModel, what ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(bts []byte) bool {
		for _, w := range what {
			if !bytes.Contains(bts, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

func quit(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// eventKeys is what both doors must agree on: kind, actor, before, after.
func eventKeys(t *testing.T, st *store.Store) []string {
	t.Helper()
	evs, err := st.AllEvents()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%d %s %s %s -> %s", e.Case, e.Kind, e.Actor, e.Before, e.After))
	}
	return out
}

// TestOneActionTwoDoors: every form on the board and its command of
// INTERFACE.md, on two identical stores at the same --now, write the same
// events and the same records.
func TestOneActionTwoDoors(t *testing.T) {
	now := ui.TestNow.Format(time.RFC3339)
	for _, fl := range ui.Flows() {
		t.Run(fl.Name, func(t *testing.T) {
			byCLI := openStore(t)
			var out, errb bytes.Buffer
			env := &cli.Env{IO: cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}, Store: byCLI, Clock: time.Now}
			args := append([]string{"--as", fl.Actor, "--now", now}, fl.CLI...)
			if code := cli.Run(env, args); code != 0 {
				t.Fatalf("caseboard %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
			}
			msg := strings.TrimSpace(out.String())

			byBoard := openStore(t)
			base := len(eventKeys(t, byBoard))
			tm := startBoard(t, byBoard, ui.Options{Actor: fl.Actor})
			waitOut(t, tm, "("+fl.Actor+")")
			for _, k := range fl.Keys {
				tm.Send(ui.KeyOf(k))
			}
			waitOut(t, tm, msg)
			quit(t, tm)

			a, b := eventKeys(t, byBoard), eventKeys(t, byCLI)
			if len(a) <= base {
				t.Fatal("the board wrote no event")
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("events differ:\nboard %q\n  cli %q", a, b)
			}
			da, _ := byBoard.LoadDesk()
			db, _ := byCLI.LoadDesk()
			if !reflect.DeepEqual(da.Cases, db.Cases) || !reflect.DeepEqual(da.Escalations, db.Escalations) ||
				!reflect.DeepEqual(da.TimeEntries, db.TimeEntries) {
				t.Error("the records differ")
			}
		})
	}
}

// TestTwoBoardsRaceForATake: two programs on one store; sam's take form is
// open when maria takes the case: sam's take is refused with the owner's
// name and changes nothing.
func TestTwoBoardsRaceForATake(t *testing.T) {
	st := openStore(t)
	sam := startBoard(t, st, ui.Options{Actor: "sam"})
	maria := startBoard(t, st, ui.Options{Actor: "maria"})
	waitOut(t, sam, "(sam)")
	waitOut(t, maria, "(maria)")
	for _, k := range []string{"/", "00001001", "enter", "t"} {
		sam.Send(ui.KeyOf(k))
		maria.Send(ui.KeyOf(k))
	}
	waitOut(t, sam, "Take 00001001")
	maria.Send(ui.KeyOf("enter"))
	waitOut(t, maria, "took 00001001")
	before := eventKeys(t, st)
	sam.Send(ui.KeyOf("enter"))
	waitOut(t, sam, "cannot take 00001001: owned by maria")
	quit(t, sam)
	quit(t, maria)
	if after := eventKeys(t, st); !reflect.DeepEqual(before, after) {
		t.Error("the refused take wrote")
	}
	if c, _ := st.Case(1001); c.Owner != "maria" {
		t.Errorf("1001 is owned by %q", c.Owner)
	}
}

// TestCommandLineOnTheBoard: `:` runs a command of INTERFACE.md through
// cli.Run as the acting user on the board's store; its write reaches the
// board through the change feed, its output shows in the pane, and a
// refusal in the status line.
func TestCommandLineOnTheBoard(t *testing.T) {
	st := openStore(t)
	p := model.DefaultPolicy()
	tm := startBoard(t, st, ui.Options{Actor: "sam", RunCommand: cli.BoardCommand(st, p)})
	waitOut(t, tm, "(sam)")
	for _, k := range []string{":", `case note 1002 "customer sent logs"`, "enter"} {
		tm.Send(ui.KeyOf(k))
	}
	waitOut(t, tm, "noted 00001002")
	for _, k := range []string{":", "timebank --account acme", "enter"} {
		tm.Send(ui.KeyOf(k))
	}
	waitOut(t, tm, "TAM Enterprise")
	for _, k := range []string{":", "case take 1004", "enter"} {
		tm.Send(ui.KeyOf(k))
	}
	waitOut(t, tm, "sam may not take 00001004", "(exit 1)")
	quit(t, tm)
	evs, _ := st.Events(1002)
	last := evs[len(evs)-1]
	if last.Actor != "sam" || !strings.Contains(string(last.After), "customer sent logs") || !last.At.Equal(ui.TestNow) {
		t.Errorf("the note event: %+v", last)
	}
	if c, _ := st.Case(1004); c.Owner != "" {
		t.Error("the refused take wrote")
	}
}

// TestCompletionKnowsEveryCommand: the prompt's command names are cli's,
// less `serve`, which runs on its own and refuses to start inside a board.
func TestCompletionKnowsEveryCommand(t *testing.T) {
	root := cli.NewRoot(&cli.Env{})
	want := map[string][]string{}
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" || c.Name() == "serve" || c.Name() == "watch" {
			continue
		}
		want[""] = append(want[""], c.Name())
		for _, s := range c.Commands() {
			want[c.Name()] = append(want[c.Name()], s.Name())
		}
	}
	got := ui.CommandTree()
	for k, names := range want {
		if !reflect.DeepEqual(sorted(got[k]), sorted(names)) {
			t.Errorf("%q: the prompt completes %v, cli has %v", k, got[k], names)
		}
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
