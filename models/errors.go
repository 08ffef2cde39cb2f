package models

import "errors"

// Domain errors. Handlers map them to HTTP statuses in one place.
var (
	ErrNotFound     = errors.New("not found")
	ErrAlreadyVoted = errors.New("this matchup already has a vote")
	ErrExpired      = errors.New("this matchup has expired")
	ErrNoMatchup    = errors.New("no prompt has clips from two active models")
	ErrConflict     = errors.New("already exists")
	ErrSchemaTooNew = errors.New("database schema is newer than this binary")
	ErrInvalidInput = errors.New("invalid input")
)
