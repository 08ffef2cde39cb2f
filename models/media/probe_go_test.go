package media

import (
	"bytes"
	"errors"
	"testing"
)

func TestProbeGo_Fixtures(t *testing.T) {
	for _, name := range []string{"clip.mp4", "clip.webm"} {
		t.Run(name, func(t *testing.T) {
			body := fixture(t, name)
			mime, err := Sniff(body[:SniffLen])
			if err != nil {
				t.Fatal(err)
			}
			if err := checkComplete(bytes.NewReader(body), int64(len(body)), mime); err != nil {
				t.Fatalf("checkComplete: %v", err)
			}
			got, err := probeGo(bytes.NewReader(body), mime)
			if err != nil {
				t.Fatal(err)
			}
			if got.Width != 160 || got.Height != 90 || !got.HasAudio || got.DurationMS < 950 || got.DurationMS > 1100 {
				t.Errorf("probeGo = %+v, want 160x90, about 1 s, with audio", got)
			}
		})
	}
}

// FuzzProbeGo feeds arbitrary bytes to the completeness check and the Go
// container parsers, which must never panic and must fail only with the
// package's own errors.
func FuzzProbeGo(f *testing.F) {
	mp4 := fixture(f, "clip.mp4")
	webm := fixture(f, "clip.webm")
	f.Add(mp4[:4096])
	f.Add(webm[:4096])
	f.Add(nestedTraks(64))
	f.Add(manyTraks(70))
	f.Fuzz(func(t *testing.T, body []byte) {
		mime, err := Sniff(body[:min(len(body), SniffLen)])
		if err != nil {
			return
		}
		if err := checkComplete(bytes.NewReader(body), int64(len(body)), mime); err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("checkComplete error %v is not ErrCorrupt", err)
		}
		p, err := probeGo(bytes.NewReader(body), mime)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("probeGo error %v is not ErrCorrupt", err)
			}
			return
		}
		if p.Width <= 0 || p.Height <= 0 || p.DurationMS < 0 || p.MIME != mime {
			t.Fatalf("probeGo accepted %+v", p)
		}
	})
}
