package model

// ShownStep is the step an escalation is at, as the board names it: the
// first step with an undone sub-step, except that an accepted escalation
// stays in the resolution cycle (its updates repeat until it closes) and
// an ended or finished one shows its closure step. An index into
// pr.Steps.
func (pr StepProgress) ShownStep(e *Escalation) int {
	cur := pr.Current
	switch {
	case pr.Ended && cur < len(pr.Steps):
		cur = len(pr.Steps) - 1 // declined or de-escalated: the closure step shows why
	case e != nil && e.Status == EscAccepted && cur > 2:
		cur = 2 // updates repeat until the escalation closes
	case cur >= len(pr.Steps):
		cur = len(pr.Steps) - 1
	}
	return cur
}
