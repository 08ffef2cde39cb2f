// Package models owns Arena's data and the rules around it: the GORM entities,
// the versioned migrations, and the Store, whose methods are the only place
// that reads or writes the database.
//
// Handlers call Store methods with intention-revealing names (IssueMatchup,
// RecordVote, CreateModel); they never build SQL. Domain errors such as
// ErrNotFound or ErrAlreadyVoted are mapped to HTTP statuses in one place in
// the handlers package.
package models
