package models

import (
	"slices"
	"testing"
)

// shippedMigrations are the migrations released so far, in the order
// databases in the field applied them. A database upgraded over several
// releases applied them in this order, so a new database must too:
// inserting a migration before the last shipped one, or reordering, would
// give the two different histories. Append new ids here when they ship.
var shippedMigrations = []string{
	"0001_init",
	"0002_vote_indexes",
	"0300_vote_validity",
	"0100_admin_tokens_sessions",
	"0200_ranking_indexes",
	"0600_clip_style_features",
	"0700_history",
	"0701_history_scan_index",
	"0500_admin_access",
	"0510_vote_evidence",
	"0520_targeting_flags",
}

func TestMigrations_ShippedOrderNeverChanges(t *testing.T) {
	var ids []string
	for _, m := range migrations() {
		ids = append(ids, m.ID)
	}
	if len(ids) < len(shippedMigrations) || !slices.Equal(ids[:len(shippedMigrations)], shippedMigrations) {
		t.Fatalf("migrations() starts %v, want the shipped ones first, in shipped order: %v (append new ones at the end)", ids, shippedMigrations)
	}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("migration %s is listed twice", id)
		}
		seen[id] = true
	}
}
