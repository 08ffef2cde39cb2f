package models

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// VoterActivity is what one voter did within a window, for moderators: the
// signs of vote stuffing (many votes, many invalid) and of selective voting
// (many matchups skipped, the decisive votes going to one model).
type VoterActivity struct {
	VoterID    string `json:"voter_id"`
	Flagged    bool   `json:"flagged"`
	FlagReason string `json:"flag_reason,omitempty"`
	// Issued counts matchups issued in the window, Votes the votes cast in
	// it, Valid those that count.
	Issued int64 `json:"issued"`
	Votes  int64 `json:"votes"`
	Valid  int64 `json:"valid"`
	AVotes int64 `json:"a_votes"`
	BVotes int64 `json:"b_votes"`
	// Favourite is the model this voter picked most often in decisive (A or
	// B) votes, FavouriteWins how often.
	Favourite     string `json:"favourite,omitempty"`
	FavouriteWins int64  `json:"favourite_wins"`
}

// Skipped is the share of issued matchups that got no vote, from 0 to 1.
func (a VoterActivity) Skipped() float64 {
	if a.Issued == 0 || a.Votes >= a.Issued {
		return 0
	}
	return float64(a.Issued-a.Votes) / float64(a.Issued)
}

// FavouriteShare is the share of decisive votes that went to Favourite.
func (a VoterActivity) FavouriteShare() float64 {
	if d := a.AVotes + a.BVotes; d > 0 {
		return float64(a.FavouriteWins) / float64(d)
	}
	return 0
}

// MostActiveVoters lists the voters who cast the most votes within the last
// window, at most limit of them, most votes first. It reads votes through the
// voted_at index and each listed voter's matchups through the voter index,
// so its cost follows the window's votes, not the whole table.
func (s *Store) MostActiveVoters(ctx context.Context, window time.Duration, limit int) ([]VoterActivity, error) {
	since := s.now().UTC().Add(-window)
	db := s.db.r.WithContext(ctx)
	rows, err := db.Raw(`SELECT voter_id, COUNT(*) AS votes, SUM(CASE WHEN valid THEN 1 ELSE 0 END),
			SUM(CASE WHEN choice = '`+ChoiceA+`' THEN 1 ELSE 0 END), SUM(CASE WHEN choice = '`+ChoiceB+`' THEN 1 ELSE 0 END)
		FROM matchups WHERE choice IS NOT NULL AND voted_at >= ?
		GROUP BY voter_id ORDER BY votes DESC, voter_id LIMIT ?`, since, limit).Rows()
	if err != nil {
		return nil, fmt.Errorf("most active voters: %w", err)
	}
	var out []VoterActivity
	at := make(map[string]int)
	for rows.Next() {
		var a VoterActivity
		if err := rows.Scan(&a.VoterID, &a.Votes, &a.Valid, &a.AVotes, &a.BVotes); err != nil {
			rows.Close()
			return nil, fmt.Errorf("most active voters: %w", err)
		}
		at[a.VoterID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("most active voters: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]string, len(out))
	for i, a := range out {
		ids[i] = a.VoterID
	}

	var issued []struct {
		VoterID string
		N       int64
	}
	if err := db.Raw(`SELECT voter_id, COUNT(*) AS n FROM matchups WHERE voter_id IN ? AND issued_at >= ? GROUP BY voter_id`,
		ids, since).Scan(&issued).Error; err != nil {
		return nil, fmt.Errorf("most active voters: %w", err)
	}
	for _, r := range issued {
		out[at[r.VoterID]].Issued = r.N
	}

	var flags []Voter
	if err := db.Select("id, flagged, flag_reason").Where("id IN ?", ids).Find(&flags).Error; err != nil {
		return nil, fmt.Errorf("most active voters: %w", err)
	}
	for _, v := range flags {
		out[at[v.ID]].Flagged, out[at[v.ID]].FlagReason = v.Flagged, v.FlagReason
	}

	var wins []struct {
		VoterID string
		ModelID uint
		N       int64
	}
	const winner = `CASE WHEN choice = '` + ChoiceA + `' THEN model_a_id ELSE model_b_id END`
	if err := db.Raw(`SELECT voter_id, `+winner+` AS model_id, COUNT(*) AS n
		FROM matchups WHERE voter_id IN ? AND choice IN ? AND voted_at >= ?
		GROUP BY voter_id, `+winner, ids, []string{ChoiceA, ChoiceB}, since).Scan(&wins).Error; err != nil {
		return nil, fmt.Errorf("most active voters: %w", err)
	}
	// Ties between models go to the lower id, so the answer is stable.
	sort.Slice(wins, func(i, j int) bool { return wins[i].ModelID < wins[j].ModelID })
	best := make(map[string]uint)
	for _, w := range wins {
		a := &out[at[w.VoterID]]
		if w.N > a.FavouriteWins {
			a.FavouriteWins, best[w.VoterID] = w.N, w.ModelID
		}
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	for voter, id := range best {
		if m, ok := cat.models[id]; ok {
			out[at[voter]].Favourite = m.Slug
		}
	}
	return out, nil
}
