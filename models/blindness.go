package models

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// The blindness audit asks, per pool, how well the simplest classifier names
// a clip's model from what any voter can measure of the served file, without
// watching it: bytes per second (Content-Length over duration), width,
// height, frame rate, duration and MIME type. Canonical renditions make all
// but duration the same within a pool, so accuracy should sit near chance;
// duration stays a signal, because trimming clips would cut what the models
// made (a model that always makes 5 s clips is told apart by that alone).

// blindnessFeatures names the measured features, in the order of
// BlindnessSample.Values.
func blindnessFeatures() []string {
	return []string{"bytes_per_second", "width", "height", "fps", "duration_s", "mime"}
}

// PoolBlindness is the audit of one pool.
type PoolBlindness struct {
	Pool   string `json:"pool"`
	Clips  int    `json:"clips"`
	Models int    `json:"models"`
	// Accuracy is the leave-one-out accuracy of a nearest-centroid
	// classifier on standardised features; Chance is what always guessing
	// the most common model scores.
	Accuracy float64 `json:"accuracy"`
	Chance   float64 `json:"chance"`
	// Separating lists the features by how well they separate the models:
	// the ratio of the variance between model means to the variance within
	// models (an F statistic), largest first; features that do not vary are
	// left out.
	Separating []FeatureSeparation `json:"separating"`
	// Warning is set when accuracy is well above chance.
	Warning string `json:"warning,omitempty"`
}

// FeatureSeparation is how much one feature tells the models apart.
type FeatureSeparation struct {
	Feature string  `json:"feature"`
	F       float64 `json:"f"`
}

// BlindnessSample is one served clip as a voter can measure it: Values in
// the order bytes per second, width, height, frame rate, duration in
// seconds, and MIME type as a category number.
type BlindnessSample struct {
	Model  uint
	Values []float64
}

// BlindnessWarnMargin is how far above chance accuracy must be, with at
// least BlindnessMinClips clips, before the audit warns.
const (
	BlindnessWarnMargin = 0.2
	BlindnessMinClips   = 6
)

// AuditPool runs the nearest-centroid audit on one pool's samples. It is
// pure: the same samples give the same report.
func AuditPool(pool string, samples []BlindnessSample) PoolBlindness {
	r := PoolBlindness{Pool: pool, Clips: len(samples)}
	counts := map[uint]int{}
	for _, s := range samples {
		counts[s.Model]++
	}
	r.Models = len(counts)
	if len(samples) == 0 || r.Models < 2 {
		return r
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	r.Chance = float64(most) / float64(len(samples))
	z := standardise(samples)
	correct := 0
	cs := newCentroids(z)
	for i := range z {
		if cs.nearestOmitting(z[i]) == z[i].Model {
			correct++
		}
	}
	r.Accuracy = float64(correct) / float64(len(z))
	r.Separating = separation(z)
	if r.Clips >= BlindnessMinClips && r.Accuracy >= r.Chance+BlindnessWarnMargin {
		top := "nothing measurable"
		if len(r.Separating) > 0 {
			top = r.Separating[0].Feature
		}
		r.Warning = fmt.Sprintf("a classifier names the model of %.0f%% of clips (chance %.0f%%) from what voters can measure; %s separates most",
			100*r.Accuracy, 100*r.Chance, top)
	}
	return r
}

// standardise scales each feature to mean 0 and standard deviation 1, so no
// feature wins by its unit; a constant feature becomes 0.
func standardise(samples []BlindnessSample) []BlindnessSample {
	n := len(samples[0].Values)
	out := make([]BlindnessSample, len(samples))
	for i, s := range samples {
		out[i] = BlindnessSample{Model: s.Model, Values: make([]float64, n)}
	}
	for f := range n {
		var mean, sq float64
		for _, s := range samples {
			mean += s.Values[f]
		}
		mean /= float64(len(samples))
		for _, s := range samples {
			sq += (s.Values[f] - mean) * (s.Values[f] - mean)
		}
		sd := math.Sqrt(sq / float64(len(samples)))
		for i, s := range samples {
			if sd > 1e-12 {
				out[i].Values[f] = (s.Values[f] - mean) / sd
			}
		}
	}
	return out
}

// centroids holds every model's feature sums and count, so the centroid of
// each model with one sample left out costs a subtraction: the audit is
// linear in the clips, not quadratic, and a catalog of 50,000 clips stays
// cheap.
type centroids struct {
	ids    []uint // sorted, so ties go to the lowest id
	sums   map[uint][]float64
	counts map[uint]int
}

func newCentroids(z []BlindnessSample) centroids {
	c := centroids{sums: map[uint][]float64{}, counts: map[uint]int{}}
	for _, s := range z {
		if c.sums[s.Model] == nil {
			c.sums[s.Model] = make([]float64, len(s.Values))
			c.ids = append(c.ids, s.Model)
		}
		for f, v := range s.Values {
			c.sums[s.Model][f] += v
		}
		c.counts[s.Model]++
	}
	sort.Slice(c.ids, func(a, b int) bool { return c.ids[a] < c.ids[b] })
	return c
}

// nearestOmitting returns the model whose centroid, computed without the
// sample itself, is nearest to the sample.
func (c centroids) nearestOmitting(s BlindnessSample) uint {
	best, bestD := uint(0), math.Inf(1)
	for _, m := range c.ids {
		n := c.counts[m]
		if m == s.Model {
			n--
		}
		if n == 0 {
			continue
		}
		var d float64
		for f, v := range s.Values {
			sum := c.sums[m][f]
			if m == s.Model {
				sum -= v
			}
			d += (v - sum/float64(n)) * (v - sum/float64(n))
		}
		if d < bestD-1e-12 {
			best, bestD = m, d
		}
	}
	return best
}

// separation ranks features by between-model over within-model variance.
func separation(z []BlindnessSample) []FeatureSeparation {
	var out []FeatureSeparation
	for f, name := range blindnessFeatures() {
		means := map[uint]float64{}
		counts := map[uint]int{}
		var total float64
		for _, s := range z {
			means[s.Model] += s.Values[f]
			counts[s.Model]++
			total += s.Values[f]
		}
		total /= float64(len(z))
		var between, within float64
		for m := range means {
			means[m] /= float64(counts[m])
			between += float64(counts[m]) * (means[m] - total) * (means[m] - total)
		}
		for _, s := range z {
			within += (s.Values[f] - means[s.Model]) * (s.Values[f] - means[s.Model])
		}
		if between < 1e-12 {
			continue // the feature does not vary between models
		}
		k, n := float64(len(means)), float64(len(z))
		fstat := math.Inf(1)
		if within > 1e-12 && n > k {
			fstat = (between / (k - 1)) / (within / (n - k))
		}
		out = append(out, FeatureSeparation{Feature: name, F: fstat})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].F > out[b].F })
	return out
}

// BlindnessAudit audits every pool's served clips: the ready, active ones.
func (s *Store) BlindnessAudit(ctx context.Context) ([]PoolBlindness, error) {
	c, err := s.catalog(ctx)
	if err != nil {
		return nil, fmt.Errorf("blindness audit: %w", err)
	}
	c.derived.blindOnce.Do(func() { c.derived.blindness = c.blindnessAudit() })
	return c.derived.blindness, nil
}

// blindnessAudit audits the catalog's served clips, in id order; the
// result is kept with the catalog it was computed from.
func (c *catalog) blindnessAudit() []PoolBlindness {
	var clips []Clip
	for _, cl := range c.clips {
		if cl.Status == ClipReady && cl.Active && !cl.Withdrawn {
			clips = append(clips, cl)
		}
	}
	sort.Slice(clips, func(i, j int) bool { return clips[i].ID < clips[j].ID })
	mimes := map[string]float64{}
	byPool := map[string][]BlindnessSample{}
	for _, c := range clips {
		if _, ok := mimes[c.MIME]; !ok {
			mimes[c.MIME] = float64(len(mimes))
		}
		seconds := float64(c.DurationMS) / 1000
		bps := 0.0
		if seconds > 0 {
			bps = float64(c.Size) / seconds
		}
		byPool[c.Pool] = append(byPool[c.Pool], BlindnessSample{Model: c.ModelID,
			Values: []float64{bps, float64(c.Width), float64(c.Height), c.FPS, seconds, mimes[c.MIME]}})
	}
	var out []PoolBlindness
	for _, p := range Pools {
		if len(byPool[p]) > 0 {
			out = append(out, AuditPool(p, byPool[p]))
		}
	}
	return out
}
