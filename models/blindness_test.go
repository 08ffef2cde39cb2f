package models

import (
	"context"
	"strings"
	"testing"
)

func TestAuditPool(t *testing.T) {
	// sample makes clip i of model m: canonical values with small noise,
	// and the overrides a case gives.
	sample := func(m uint, i int, bps, dur float64) BlindnessSample {
		return BlindnessSample{Model: m, Values: []float64{bps + float64(i%3)*1000, 1280, 720, 24, dur, 0}}
	}
	cases := []struct {
		name      string
		make      func(m uint, i int) BlindnessSample
		wantWarn  bool
		wantFirst string
	}{
		{"canonical renditions, same lengths", func(m uint, i int) BlindnessSample { return sample(m, i, 312500, 5+float64(i%2)) }, false, "bytes_per_second"},
		{"one model sends longer clips", func(m uint, i int) BlindnessSample { return sample(m, i, 312500, 4+float64(m)*4) }, true, "duration_s"},
		{"bitrate gives a model away", func(m uint, i int) BlindnessSample { return sample(m, i, 100000*float64(m), 5) }, true, "bytes_per_second"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var samples []BlindnessSample
			for m := uint(1); m <= 3; m++ {
				for i := range 6 {
					samples = append(samples, tc.make(m, i))
				}
			}
			r := AuditPool("t2v", samples)
			if r.Clips != 18 || r.Models != 3 || r.Chance < 0.33 || r.Chance > 0.34 {
				t.Fatalf("report = %+v", r)
			}
			if (r.Warning != "") != tc.wantWarn {
				t.Errorf("accuracy %.2f, warning %q, want warning %v", r.Accuracy, r.Warning, tc.wantWarn)
			}
			if tc.wantWarn && (r.Accuracy < 0.9 || !strings.Contains(r.Warning, tc.wantFirst)) {
				t.Errorf("accuracy %.2f, warning %q, want a near-perfect classifier naming %s", r.Accuracy, r.Warning, tc.wantFirst)
			}
			if !tc.wantWarn && r.Accuracy > r.Chance+BlindnessWarnMargin {
				t.Errorf("accuracy %.2f on indistinguishable clips (chance %.2f)", r.Accuracy, r.Chance)
			}
			if len(r.Separating) > 0 && tc.wantWarn && r.Separating[0].Feature != tc.wantFirst {
				t.Errorf("separating = %+v, want %s first", r.Separating, tc.wantFirst)
			}
			for _, f := range r.Separating {
				if f.Feature == "width" || f.Feature == "fps" {
					t.Errorf("a constant feature is listed: %+v", f)
				}
			}
		})
	}
	if r := AuditPool("t2v", []BlindnessSample{{Model: 1, Values: make([]float64, 6)}}); r.Accuracy != 0 || r.Warning != "" {
		t.Errorf("one model: %+v", r)
	}
}

func TestBlindnessAudit_ReadsServedClips(t *testing.T) {
	s, _ := openClocked(t, Options{}, 5000, 6000, 7000)
	r, err := s.BlindnessAudit(context.Background())
	if err != nil || len(r) != 1 || r[0].Pool != PoolT2V || r[0].Clips != 3 || r[0].Models != 3 {
		t.Fatalf("audit = %+v, %v", r, err)
	}
}
