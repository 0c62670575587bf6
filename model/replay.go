package model

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// ReplayCase rebuilds a case and its escalations from the case's events in
// commit order: each event's after is laid over the record it concerns
// ("escalated" starts a new escalation; an "imported" event carries a whole
// record). It is how import checks that given events match given state.
func ReplayCase(events []Event) (*CaseRecord, []EscalationRecord, error) {
	var c *CaseRecord
	var escs []EscalationRecord
	for _, ev := range events {
		after := bytes.TrimSpace(ev.After)
		if IsNotCaseKind(ev.Kind) || len(after) == 0 || bytes.Equal(after, []byte("null")) {
			continue
		}
		switch {
		case ev.Kind == "escalated" || (ev.Kind == "imported" && isEscalationRecord(after)):
			var e EscalationRecord
			if err := json.Unmarshal(after, &e); err != nil {
				return nil, nil, fmt.Errorf("event %d (%s): %w", ev.Seq, ev.Kind, err)
			}
			escs = append(escs, e)
		case IsEscalationKind(ev.Kind):
			if len(escs) == 0 {
				return nil, nil, fmt.Errorf("event %d (%s): no escalation to apply it to", ev.Seq, ev.Kind)
			}
			if err := json.Unmarshal(after, &escs[len(escs)-1]); err != nil {
				return nil, nil, fmt.Errorf("event %d (%s): %w", ev.Seq, ev.Kind, err)
			}
		default:
			if c == nil {
				c = &CaseRecord{}
			}
			if err := json.Unmarshal(after, c); err != nil {
				return nil, nil, fmt.Errorf("event %d (%s): %w", ev.Seq, ev.Kind, err)
			}
		}
	}
	if c == nil {
		return nil, escs, fmt.Errorf("no event creates the case")
	}
	return c, escs, nil
}

func isEscalationRecord(obj []byte) bool {
	var probe struct {
		RequestedAt *string `json:"requested_at"`
		Number      *int64  `json:"number"`
	}
	if json.Unmarshal(obj, &probe) != nil {
		return false
	}
	return probe.RequestedAt != nil && probe.Number == nil
}
