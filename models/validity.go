package models

// Position bias: a voter whose valid votes pick the same side at least
// PositionBiasShare of the time, over at least PositionBiasMinVotes votes, is
// flagged and their later votes are stored invalid. Real preferences do not
// line up with a side that is assigned at random; a script clicking "A" does.
// They are constants because the database trigger that applies them is made
// by a migration.
const (
	PositionBiasMinVotes = 30
	PositionBiasShare    = 0.9
)

// Reasons a stored vote is invalid.
const (
	ReasonTooFast      = "too_fast"
	ReasonPositionBias = "position_bias"
	ReasonAdmin        = "admin"
	// ReasonFlagged is used for a flagged voter whose flag gives no reason.
	ReasonFlagged = "flagged"
)
