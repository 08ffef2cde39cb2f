package models

import "math"

// Targeted voting is found with a sequential likelihood-ratio test, one per
// (group of votes, model): a voter, a client network (IPv4 address or IPv6
// /64) or an IPv6 /48. Each vote the group casts is scored twice against
// what an honest voter would do:
//
//   - presence: an honest voter cannot see which models made the clips, so
//     whether they vote or skip cannot depend on them, and the matchups they
//     vote on contain the model as often as the matchups issued do (share
//     pi). A voter who recognises the model's clips and skips the rest
//     votes on it far more often. Skips enter the evidence here.
//   - outcome: in a decisive vote (A or B) the model wins with the
//     probability p the current board gives that pairing.
//
// The alternative is a voter who votes on the model's matchups with
// probability max(targetQ, pi) and picks it with probability
// max(targetQ, p). The product of the likelihood ratios has expectation 1
// under the honest hypothesis after every vote, so by Ville's inequality
// the chance that it ever exceeds 1/alpha is at most alpha, however long
// the group votes and however often it is checked. Testing every model of a
// group, each at alpha/K, bounds the group's false-positive rate by alpha.
const targetQ = 0.9

// TargetingFalsePositiveRate is the chance that an honest voter, or an
// honest network, is ever flagged as targeting, when the board's
// probabilities are right: the alpha above.
const TargetingFalsePositiveRate = 1e-4

// targetThreshold is the log likelihood ratio at which a group's test of one
// of tests models flags it.
func targetThreshold(tests int) float64 {
	return math.Log(float64(max(tests, 1)) / TargetingFalsePositiveRate)
}

// presenceLLR is the log likelihood ratio of one vote for a model's test:
// present tells whether the voted matchup contained the model, pi the share
// of issued matchups that do.
func presenceLLR(present bool, pi float64) float64 {
	pi = clampProb(pi)
	q := max(targetQ, pi)
	if present {
		return math.Log(q / pi)
	}
	return math.Log((1 - q) / (1 - pi))
}

// outcomeLLR is the log likelihood ratio of a decisive vote in a matchup
// with the model: won tells whether the model won, p the probability the
// board gives it.
func outcomeLLR(won bool, p float64) float64 {
	p = clampProb(p)
	q := max(targetQ, p)
	if won {
		return math.Log(q / p)
	}
	return math.Log((1 - q) / (1 - p))
}

// clampProb keeps probabilities away from 0 and 1, where a board with an
// undefeated model would make a single vote decisive.
func clampProb(p float64) float64 {
	return min(max(p, 0.01), 0.99)
}

// winProbability is the chance a model scored si beats one scored sj on the
// Elo scale the board uses.
func winProbability(si, sj float64) float64 {
	return 1 / (1 + math.Pow(10, (sj-si)/400))
}
