package model

// Update is one message of the store's change feed, as every open screen
// receives it: a committed Change, or Resync, which says that updates were
// dropped (the subscriber fell behind, or an import or restore replaced
// much of the store) and that the subscriber should reload the desk.
//
// A Change carries whole records, so a subscriber that reloads and then
// receives a Change already reflected in what it loaded may apply it again
// harmlessly; events it already holds have a Seq at or below the highest
// it loaded (Desk.Covers).
type Update struct {
	Change *Change
	Resync bool
}
