package model

import (
	"fmt"
	"math/rand"
)

func init() {
	refChecks = append(refChecks, refCheck{"DocCheck fed as a stream", checkAsStream})
}

// checkAsStream feeds DocCheck as the store's ImportJSON does: the lists
// in the order of the document's text (here a random one, the format
// among them), each in chunks of a random size handed over in one buffer
// that the next chunk overwrites, a list given as null only ended, a
// list left out not met; the document read again until the check is
// done.
func checkAsStream(rc *refCase, doc *Document, p *Policy) (*ImportPlan, []Problem, error) {
	rng := rand.New(rand.NewSource(rc.seed))
	order := rng.Perm(nLists + 1) // nLists: the format
	size := []int{1, 2, 3, 1024}[rng.Intn(4)]
	absent := [nLists]bool{} // a nil list: left out rather than null
	for l := range absent {
		absent[l] = rng.Intn(2) == 0
	}
	w := &planWriter{plan: &ImportPlan{}}
	ck := NewDocCheck(p, rc.look, w, rc.o)
	for pass := 0; !ck.Done(); pass++ {
		if pass == nLists+2 {
			return nil, nil, fmt.Errorf("the check is not done after %d passes", pass)
		}
		for _, l := range order {
			switch l {
			case nLists:
				if doc.Format != 0 || rng.Intn(2) == 0 {
					ck.Format(doc.Format)
				}
			case listAccounts:
				streamList(ck, "accounts", doc.Accounts, absent[l], size, ck.Accounts)
			case listUsers:
				streamList(ck, "users", doc.Users, absent[l], size, ck.Users)
			case listCases:
				streamList(ck, "cases", doc.Cases, absent[l], size, ck.Cases)
			case listEscalations:
				streamList(ck, "escalations", doc.Escalations, absent[l], size, ck.Escalations)
			case listEntries:
				streamList(ck, "time_entries", doc.TimeEntries, absent[l], size, ck.TimeEntries)
			case listEvents:
				streamList(ck, "events", doc.Events, absent[l], size, ck.Events)
			}
			if ck.Err() != nil {
				break
			}
		}
		ck.EndPass()
	}
	return finishPlan(ck, w)
}

// streamList gives one list as the store's parser does.
func streamList[T any](ck *DocCheck, name string, list []T, absent bool, size int, emit func([]T)) {
	if list == nil && absent {
		return
	}
	buf := make([]T, 0, size)
	for i := range list {
		buf = append(buf, list[i])
		if len(buf) == size {
			emit(buf)
			clear(buf) // the check must have kept what it needs
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		emit(buf)
		clear(buf)
	}
	ck.End(name)
}
