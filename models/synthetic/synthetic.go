// Package synthetic makes up votes with a known answer, for benchmarks and
// for checking the ranking against other implementations: battles in the
// public battle format (the one `arena import votes` reads) between models
// whose true strengths are drawn at random, with outcomes that follow the
// Bradley-Terry model on the Elo scale. The same options give the same
// battles on every machine.
package synthetic

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
)

// Options says what to generate.
type Options struct {
	Models int    // at least 2
	Votes  int    // battles to write
	Seed   uint64 // the same seed gives the same battles
	// TieRate is the share of battles that end in a tie or both bad; 0
	// means 0.15, about what public arenas see.
	TieRate float64
	// Span spreads the battles evenly over this many seconds from the
	// first; 0 puts them a second apart. A history rebuild needs days.
	Span int64
	// StyleClips, when positive, gives every model one clip with made-up
	// style features for each of that many prompts, and each battle a
	// prompt (the battles cycle through them, in place of the usual 500)
	// and the features of the two models' clips of it, so the
	// style-controlled boards have votes. Prompt c is in category c mod 5.
	// Outcomes do not depend on the features.
	StyleClips int
}

// Categories are the prompt categories the battles cycle through.
var categories = []string{"people", "nature", "animation", "sci-fi", "action"}

// promptsPerRun is how many distinct prompt ids the battles cycle through.
const promptsPerRun = 500

// firstTstamp dates the first battle (November 2023); each next one is a
// second later.
const firstTstamp = 1_700_000_000

// ModelSlug names model i.
func ModelSlug(i int) string { return fmt.Sprintf("model-%03d", i) }

// Strengths returns each model's true score on the Elo scale, centred on
// 1000 (spread with a standard deviation of 150), by model index: what a
// ranking of enough battles should find.
func Strengths(o Options) []float64 {
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	s := make([]float64, o.Models)
	mean := 0.0
	for i := range s {
		s[i] = 150 * rng.NormFloat64()
		mean += s[i] / float64(len(s))
	}
	for i := range s {
		s[i] += 1000 - mean
	}
	return s
}

// Write writes o.Votes battles to w, one JSON object a line: model_a,
// model_b, winner, prompt_id, category, pool and tstamp.
func Write(w io.Writer, o Options) error {
	if o.Models < 2 {
		return fmt.Errorf("synthetic battles need at least 2 models, not %d", o.Models)
	}
	if o.Votes < 0 {
		return fmt.Errorf("the number of votes must not be negative, not %d", o.Votes)
	}
	if o.TieRate <= 0 {
		o.TieRate = 0.15
	}
	strength := Strengths(o)
	slugs := make([]string, o.Models)
	for i := range slugs {
		slugs[i] = ModelSlug(i)
	}
	clips := styleClips(o)
	rng := rand.New(rand.NewPCG(o.Seed, 0xba771e))
	bw := bufio.NewWriterSize(w, 64<<10)
	for k := range o.Votes {
		a := rng.IntN(o.Models)
		b := (a + 1 + rng.IntN(o.Models-1)) % o.Models
		winner := "model_b"
		switch r := rng.Float64(); {
		case r < o.TieRate*0.6:
			winner = "tie"
		case r < o.TieRate:
			winner = "tie (bothbad)"
		case rng.Float64() < 1/(1+math.Pow(10, (strength[b]-strength[a])/400)):
			winner = "model_a"
		}
		prompt, category, style := k%promptsPerRun, categories[k%len(categories)], ""
		if o.StyleClips > 0 {
			// A clip is one model's video for one prompt, and a prompt
			// has one category, as in Arena: clip index c is prompt c, so
			// every vote on a clip pair falls in one category and the
			// categories split the pool's clip pairs between them. (Had
			// the category been drawn apart from the clips, each
			// category's style board would hold most of the pool's clip
			// pairs and cost as much to fit as the pool's.)
			c := k % o.StyleClips
			prompt, category = c, categories[c%len(categories)]
			style = `,"style":{"a":` + clips[a*o.StyleClips+c] + `,"b":` + clips[b*o.StyleClips+c] + `}`
		}
		_, err := fmt.Fprintf(bw, `{"model_a":%q,"model_b":%q,"winner":%q,"prompt_id":%d,"category":%q,"pool":"t2v","tstamp":%d%s}`+"\n",
			slugs[a], slugs[b], winner, prompt, category, firstTstamp+offset(k, o), style)
		if err != nil {
			return err
		}
	}
	return bw.Flush()
}

// styleClips returns each model's clips' style features as JSON objects,
// o.StyleClips per model.
func styleClips(o Options) []string {
	if o.StyleClips <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x57e1e))
	out := make([]string, 0, o.Models*o.StyleClips)
	for range o.Models {
		dur, motion := 4+6*rng.Float64(), 2+20*rng.Float64()
		bright, sat, audio := 60+120*rng.Float64(), 30+100*rng.Float64(), 0.2+0.6*rng.Float64()
		for range o.StyleClips {
			has := 0
			if rng.Float64() < audio {
				has = 1
			}
			out = append(out, fmt.Sprintf(`{"duration_s":%.2f,"motion":%.1f,"brightness":%.1f,"saturation":%.1f,"has_audio":%d}`,
				dur*(0.5+rng.Float64()), motion*(0.7+0.6*rng.Float64()), max(0, bright+10*rng.NormFloat64()), max(0, sat+10*rng.NormFloat64()), has))
		}
	}
	return out
}

// WriteFile writes the battles Write makes to a new file at path, ready
// for `arena import votes`.
func WriteFile(path string, o Options) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := Write(f, o); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// offset is how many seconds after the first battle battle k comes.
func offset(k int, o Options) int64 {
	if o.Span <= 0 || o.Votes == 0 {
		return int64(k)
	}
	return int64(k) * o.Span / int64(o.Votes)
}
