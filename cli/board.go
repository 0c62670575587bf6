package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"caseboard/model"
	"caseboard/store"
	"caseboard/store/demo"
	"caseboard/ui"
)

// The board reads the store itself: its change feed reaches the screen
// without an adapter in between.
var _ ui.Backend = (*store.Store)(nil)

// BoardFlags are the root command's board flags.
type BoardFlags struct {
	Demo   bool
	Wall   bool
	Titles bool
	Rotate time.Duration
	// Quiet turns the bell off (--quiet, or CASEBOARD_QUIET=1).
	Quiet bool
}

// RunBoard runs the live board in this terminal: on the store of --data,
// or with --demo on a throwaway store filled with the demo desk and kept
// moving by the simulator (with --data DIR, an empty DIR, it is kept).
func RunBoard(env *Env, f BoardFlags) error {
	p, err := env.Policy()
	if err != nil {
		return err
	}
	start, err := env.Now()
	if err != nil {
		return err
	}
	dir, cleanup, err := boardDir(env, f.Demo)
	if err != nil {
		return err
	}
	defer cleanup()
	if !f.Demo {
		// The board only shows a desk: on a missing directory (a typo) it
		// would create an empty store only to say it has no users, a
		// refusal that wrote something.
		if err := store.CheckStore(dir); err != nil {
			var none *store.NoStoreError
			if errors.As(err, &none) {
				none.Board = true
			}
			return err
		}
	}
	h, err := Hold(env, dir, "board", "")
	if err != nil {
		return heldMessage(err)
	}
	defer h.Close()
	st, logger := h.Store, h.Log

	if f.Demo {
		if err := fillDemo(st, p, start); err != nil {
			return err
		}
	}
	// Only the users are needed here; the board loads the desk itself.
	users, err := st.Users()
	if err != nil {
		return err
	}
	actor, err := boardActor(env, users, f.Demo)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		return fmt.Errorf("the store %s has no users yet: add a manager (caseboard user add ID --name NAME --role manager), import a desk (caseboard import FILE), or try caseboard --demo", dir)
	}

	realStart := time.Now()
	clock := func() time.Time { return start.Add(time.Since(realStart)).Truncate(time.Second) }
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	// The person at the keyboard, as the board last said (u changes it):
	// the simulator never acts as them or on their cases.
	var atKeyboard atomic.Value
	atKeyboard.Store(actor)
	onActor := func(id string) { atKeyboard.Store(id) }
	if f.Demo {
		go simulate(ctx, st, h.Shared, p, clock, logger, func() string { return atKeyboard.Load().(string) })
	}
	// The bell rings on the terminal the program draws on (its default
	// output, os.Stdout).
	m := ui.New(ui.Options{Backend: st, Shared: h.Shared, Policy: p, Actor: actor, Wall: f.Wall,
		Titles: f.Titles, Rotate: f.Rotate, Demo: f.Demo, Start: start, RunCommand: HeldCommand(st, p, h.Shared),
		Bell: os.Stdout, Quiet: f.Quiet, OnActor: onActor})
	_, err = tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion()).Run()
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
		return nil
	}
	return err
}

// heldMessage turns a store held by another board or serve into one line
// that is not forwarded (a board or serve is never sent to another one);
// for serve it says how to connect.
func heldMessage(err error) error {
	var held *store.HeldError
	if !errors.As(err, &held) {
		return err
	}
	if held.Role == "serve" && held.Addr != "" {
		port, host := sshTarget(held.Addr)
		return fmt.Errorf("%s: connect to it with ssh -p %s %s", held.Error(), port, host)
	}
	return errors.New(held.Error())
}

// boardDir picks the board's data directory; for a demo without --data a
// temporary one, removed by cleanup (also after Ctrl-C: Bubble Tea turns
// it into a quit, so the deferred cleanup runs).
func boardDir(env *Env, demoMode bool) (dir string, cleanup func(), err error) {
	cleanup = func() {}
	dir = env.DataDir
	if dir == "" && demoMode {
		dir, err = os.MkdirTemp("", "caseboard-demo-")
		if err != nil {
			return "", cleanup, fmt.Errorf("demo store: %w", err)
		}
		return dir, func() { os.RemoveAll(dir) }, nil
	}
	if dir == "" {
		getenv := env.Getenv
		if getenv == nil {
			getenv = func(string) string { return "" }
		}
		dir = store.DefaultDir(getenv)
	}
	return dir, cleanup, nil
}

// fillDemo writes the demo desk into an empty store (a demo --data DIR
// that already holds a desk goes on with it).
func fillDemo(st *store.Store, p *model.Policy, now time.Time) error {
	empty, err := st.Empty()
	if err != nil || !empty {
		return err
	}
	res, err := demo.Build(p, demo.Options{Seed: 1, Now: now})
	if err != nil {
		return err
	}
	if _, err := st.Import(res.Desk.Document(p), "", now); err != nil {
		return fmt.Errorf("demo desk: %w", err)
	}
	return nil
}

// boardActor resolves who the board acts as: --as, $CASEBOARD_USER, the
// demo's manager, the only user, else "" (the board asks).
func boardActor(env *Env, users []model.User, demoMode bool) (string, error) {
	id := env.As
	if env.User != "" {
		id = env.User
	}
	if id == "" && env.Getenv != nil {
		id = env.Getenv("CASEBOARD_USER")
	}
	if id != "" {
		for _, u := range users {
			if u.ID == id {
				return id, nil
			}
		}
		return "", fmt.Errorf("no user %s in the store", model.Inert(id))
	}
	if demoMode {
		return demo.Manager, nil
	}
	if len(users) == 1 {
		return users[0].ID, nil
	}
	return "", nil
}

// simulate keeps the demo desk moving: every few seconds one plausible
// action, through the same rules as a person, never as the person at the
// keyboard (actor, which changes with u) nor on their cases. Refusals (a
// race with that person) are normal and only logged.
func simulate(ctx context.Context, st *store.Store, sh *ui.Shared, p *model.Policy, clock func() time.Time, log *slog.Logger, actor func() string) {
	sim := demo.NewSimulator(p, uint64(time.Now().UnixNano()))
	sim.Spare(demo.Keyboard{Actor: actor, Events: st.Events})
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// The board's own desk, read under its lock: no load per move.
		d, release, err := sh.Desk()
		if err != nil {
			log.Warn("demo simulator: load", "err", err)
			continue
		}
		now := clock()
		mv, ok := sim.Next(d, now)
		release()
		if !ok {
			continue
		}
		if _, err := st.Do(mv.Actor, mv.Action, now); err != nil {
			log.Info("demo simulator: refused", "actor", mv.Actor, "action", fmt.Sprintf("%T", mv.Action), "err", err)
		}
	}
}

// BoardCommand runs the board's `:` command lines through the same command
// tree as the shell, on the board's open store (which a command never
// closes), as the board's acting user, at the board's clock.
func BoardCommand(st Backend, p *model.Policy) ui.RunFunc { return HeldCommand(st, p, nil) }

// HeldCommand is BoardCommand reading the desk the board holds (sh; nil:
// the command loads what it needs from st).
func HeldCommand(st Backend, p *model.Policy, sh SharedDesk) ui.RunFunc {
	return func(actor string, now time.Time, args []string, stdout, stderr io.Writer) int {
		env := &Env{IO: IO{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr},
			Store: st, Shared: sh, User: actor, Clock: func() time.Time { return now }}
		env.policy = p
		return Run(env, args)
	}
}

// sshTarget is how to reach a serve listening on addr: the port, and a
// host to name (localhost for a wildcard or missing host).
func sshTarget(addr string) (port, host string) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "23234", "localhost"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return port, host
}
