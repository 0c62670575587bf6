package model

import (
	"errors"
	"time"
)

// Do checks an action against the rules and the actor's role and returns
// what it changes, or a *Refusal. It reads only through v and never writes.
func Do(v View, p *Policy, actor string, a Action, now time.Time) (*Change, error) {
	return nil, errors.New("not implemented yet")
}
