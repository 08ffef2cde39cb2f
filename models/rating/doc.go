// Package rating turns Arena's vote counts into a leaderboard: scores,
// 95% intervals, ranks, pairwise matrices and the weights that choose the
// next matchup. It is pure: no database, no clock, no global state, and
// randomness only from the seed in Options. The Method constant says the
// same in plain words for the methodology page.
//
// # Model
//
// Bradley-Terry: model i beats model j with probability
// 1/(1+10^((s_j-s_i)/400)), so scores are on the Elo scale, 400·log10 of
// the odds. A tie and a "both bad" vote each count as half a win for both
// sides — the objective of the logistic regression public arenas fit. The
// scores maximise the likelihood of the aggregated counts (Newton's method
// on the models×models matrix with a backtracking line search, stopped when
// no score moves by more than Options.Tolerance, 1e-6 points by default).
// They are shifted so that the ranked models (those with at least one vote)
// average 1000, or so that Options.Anchor sits at Options.AnchorScore.
//
// # Degenerate data
//
// The maximum-likelihood scores are finite only when the comparison graph
// is strongly connected: drawing an arrow from each winner to each loser
// (both ways for a tie), every model must reach every other. A model that
// never lost, one that never won, or two groups that never met break this.
// Then, and only then, every ranked model gets Options.Prior (default 1)
// virtual tied votes against a virtual "field" model whose strength is
// fixed at the centre of the scale; the scores are then re-centred as
// usual. One tie is weak next to real votes, so it only decides what the
// data cannot: an undefeated model ends above the models it beat by a
// finite margin that shrinks as it meets more opponents, and separate
// groups are placed as if each had tied the average once. Data that do not
// need the prior are fitted exactly, so a single vote that connects the
// graph switches the prior off.
//
// # Intervals
//
// A bootstrap over votes: each round resamples the N valid votes with
// replacement and refits. Only counts matter, so a round draws the number
// of votes in each (pair, outcome) cell from a multinomial(N, count/N),
// exactly, by a Poisson split (independent Poisson draws from per-count
// alias tables, then N-S votes added or S-N removed uniformly) or, when
// those tables would be too large, by conditional binomials drawn with
// Hörmann's BTRD. Each round starts from the full fit and converges by a
// few chord steps with its Hessian, falling back to Newton's method, to
// 0.001 points. The interval is the 2.5th to 97.5th percentile of a model's
// score over Options.Rounds rounds (default 1000), interpolated as NumPy
// does. A round that loses a model's only loss follows the degenerate-data
// rule. Round r uses a generator seeded from (Options.Seed, r), so the
// result depends on the seed but not on the number of workers. With an
// anchor, every round pins the anchor, whose interval is then its score.
//
// # Ranks
//
// Rank = 1 + the number of models whose lower bound is above this model's
// upper bound: the models that are surely better. Overlapping intervals do
// not make a shared rank: with A=[10,20], B=[15,25] and C=[21,30], B
// overlaps both others, yet A is ranked 2 (C lies wholly above it) while B
// and C are ranked 1. Models hidden from a board (retired ones) are left out
// before ranking (RankIntervals), so they leave no gap. The rank spread
// runs from that rank (RankBest) to RankWorst, the number of models whose
// upper bound is at or above this model's lower bound, itself included.
//
// # Style control
//
// ComputeStyle fits a second board that holds the clips' style equal, so a
// model does not climb by making longer, busier, brighter, more saturated or
// sounding clips that voters happen to favour. For a vote between clip a
// (side A) and clip b, each continuous feature f gives
// d_f = (f_a − f_b)/(f_a + f_b + 1) and a binary one d = a − b. Each d column
// is standardised over the votes as shown (minus its mean, divided by its
// population standard deviation); a column that never varies is left out.
// Then P(a beats b) = σ(ln10·(r_a − r_b) + Σ γ_f d_f), ties and both-bad
// votes half a win each way, and (r, γ) maximise the log-likelihood minus
// StylePenalty·(Σ r² + Σ γ²) — the objective of the published style-control
// fit. The penalty makes the maximum unique and finite for any data, so the
// degenerate-data rule of the plain board is not needed. Scores are 400·r,
// re-centred like the plain board's (mean 1000 or the anchor); γ_f is the
// change in log-odds per standard deviation of d_f, so e^γ_f is the factor
// one standard deviation more of f multiplies the odds by.
//
// Votes are aggregated into cells of identical (model A, model B, feature
// differences, outcome); the fit is Newton's method with a line search on
// the rows of cells, stopped when no parameter moves by more than
// Options.Tolerance points. The bootstrap draws a multinomial resample of the
// cells exactly as the plain board does, keeps the standardisation of the
// data (as the published method does), and refits by chord steps with the
// full data's Hessian from the full fit, the first of which reuses its
// probabilities; it stops when the distance left, estimated from the rate of
// convergence, is below 0.001 points, and falls back to Newton's method.
// Intervals and ranks follow the plain board's rules; each γ gets the same
// percentile interval.
//
// BootstrapStylePool runs a pool's style bootstrap with its categories':
// a multinomial(N) resample of the pool is group totals M_g ~
// multinomial(N; N_g/N), then a multinomial(M_g) resample within each
// group, and the categories' own round r has drawn one of those for each
// group already (votes are added or undone from it, or, rarely, the group
// is drawn afresh). Every board's resample keeps its stated law; only the
// pool's rounds and its categories' become correlated. Each board's round
// r draws from its own seed, so the results do not depend on the workers.
//
// # Choosing the next pair
//
// PairWeights gives each pair of models a share of the next matchups. A
// floor (DefaultPairFloor, 20%) is spread evenly so every pair keeps
// appearing; the rest goes in proportion to p(1-p)/(1+battles), where p is
// the predicted chance that one beats the other and battles the votes the
// pair already has. p(1-p) is largest for close models, whose order is the
// least settled; dividing by the votes already cast favours pairs that have
// met little, and so every pair with a new model. DrawPair draws from any
// subset of the pairs, such as those with clips for one prompt.
package rating

// MethodVersion names this method — the fit, the tie rule, the prior, the
// bootstrap and the rank rule — in every stored leaderboard. It changes
// whenever a change to any of them can move a published number, so a cited
// board says which method made it.
const MethodVersion = "bradley-terry/2"

// Method describes the ranking for the methodology page.
const Method = `Scores come from a Bradley-Terry model fitted by maximum likelihood to all valid votes, on the Elo scale: a 400-point gap means the higher model is expected to win 10 votes for every 1 it loses. A tie or a "both bad" vote counts as half a win for each model. Scores are shifted so that the ranked models average 1000. When the votes alone cannot place a model — it never lost, never won, or its group of models never met the others — every model is given one imaginary tie against an average model, which keeps all scores finite and barely moves models with real records.

The 95% interval comes from a bootstrap: we redraw the votes at random with replacement 1000 times (a fixed seed, so the page is reproducible), refit each time, and keep the middle 95% of each model's scores. A model's rank is 1 plus the number of models whose whole interval lies above its own. Overlapping intervals do not simply mean a shared rank: if A's interval is 10 to 20, B's 15 to 25 and C's 21 to 30, then B overlaps both, yet A is ranked 2 (C is surely better) while B and C are both ranked 1. The rank spread shows the best and worst positions the intervals allow. Retired models are left out before ranking.

New matchups favour pairs whose next vote tells us most: models that are close in score and pairs that have met rarely, including every pair with a new model. A fifth of all matchups are spread evenly over all pairs, so every pair keeps being compared.`

// StyleMethod describes the style-controlled board for the methodology page.
const StyleMethod = `Voters may be swayed by how a clip looks and sounds as well as by what the model can do: a longer clip, more motion, brighter or more saturated colour, or sound. The style-controlled board asks what the scores would be if both clips were alike in these respects. For every vote we take the difference between the two clips in each feature — for duration, motion, brightness and saturation as (A − B) / (A + B + 1), for sound simply A − B — scale each difference to a standard deviation of one over all votes, and fit the same Bradley-Terry model with these differences as extra terms, each with its own coefficient. A small penalty (0.25 times the sum of all squared parameters, as in the published style-control method) keeps every estimate finite. A feature that never differs, such as sound in a silent pool, is left out. Scores, intervals (the same 1000-round bootstrap) and ranks then follow the rules of the raw board, and each coefficient is shown with its 95% interval as the factor by which one standard deviation more of that feature multiplies the odds of winning. Only votes whose two clips have measured features count on this board; it says how many it used.`
