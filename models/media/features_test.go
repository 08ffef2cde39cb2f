package media

import (
	"bufio"
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestMeasureFeatures_ReadsPictureStatistics(t *testing.T) {
	s, _ := newStore(t, true)
	clip := func(name, source string) Stored {
		t.Helper()
		b := makeClip(t, name+".mp4", "-f", "lavfi", "-i", source, "-c:v", "libx264", "-pix_fmt", "yuv420p")
		st, err := put(t, s, b)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	measure := func(st Stored) Features {
		t.Helper()
		f, err := s.MeasureFeatures(context.Background(), st.Key, st.Info.MIME)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	grey := measure(clip("grey", "color=c=0x808080:size=64x48:rate=10:duration=1"))
	black := measure(clip("black", "color=c=black:size=64x48:rate=10:duration=1"))
	white := measure(clip("white", "color=c=white:size=64x48:rate=10:duration=1"))
	red := measure(clip("red", "color=c=red:size=64x48:rate=10:duration=1"))
	// Black and white frames in turn: every frame differs from the last by
	// the full luma range, 235 − 16.
	flicker := measure(clip("flicker", "color=c=black:size=64x48:rate=10:duration=1,geq=lum='if(mod(N,2),235,16)':cb=128:cr=128"))

	if grey.Frames != 10 {
		t.Errorf("grey clip: %d frames measured, want 10", grey.Frames)
	}
	// Limited-range YUV: black is luma 16, white 235, mid grey about 126.
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"black brightness", black.Brightness, 16},
		{"white brightness", white.Brightness, 235},
		{"grey brightness", grey.Brightness, 126},
		{"grey saturation", grey.Saturation, 0},
		{"still motion", grey.Motion, 0},
	} {
		if math.Abs(c.got-c.want) > 3 {
			t.Errorf("%s = %.2f, want about %.0f", c.name, c.got, c.want)
		}
	}
	if red.Saturation < 80 {
		t.Errorf("red saturation = %.2f, want a strongly saturated clip (> 80)", red.Saturation)
	}
	if math.Abs(flicker.Motion-219) > 10 {
		t.Errorf("flicker motion = %.2f, want about 219", flicker.Motion)
	}
}

func TestMeasureFeatures_Refuses(t *testing.T) {
	noFF, _ := newStore(t, false)
	if _, err := noFF.MeasureFeatures(context.Background(), strings.Repeat("a", 64), MIMEMP4); !errors.Is(err, ErrNoFFmpeg) {
		t.Errorf("without ffmpeg: err = %v, want ErrNoFFmpeg", err)
	}
	s, _ := newStore(t, true)
	if _, err := s.MeasureFeatures(context.Background(), "../../etc/passwd", MIMEMP4); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad key: err = %v, want ErrCorrupt", err)
	}
	// A stored PNG is not a video: ffmpeg cannot read it as MP4.
	img, err := s.PutImage(context.Background(), strings.NewReader(string(pngBytes(t, 8, 8, ""))), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MeasureFeatures(context.Background(), img.Key, MIMEMP4); !errors.Is(err, ErrCorrupt) {
		t.Errorf("an image as a clip: err = %v, want ErrCorrupt", err)
	}
}

func TestParseSignalstats_AveragesFramesAndSkipsFirstDifference(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Features
	}{
		{"three frames", `frame:0    pts:0       pts_time:0
lavfi.signalstats.YAVG=100
lavfi.signalstats.SATAVG=10
lavfi.signalstats.YDIF=0
frame:1    pts:1       pts_time:0.1
lavfi.signalstats.YAVG=110
lavfi.signalstats.SATAVG=20
lavfi.signalstats.YDIF=4
frame:2    pts:2       pts_time:0.2
lavfi.signalstats.YAVG=120
lavfi.signalstats.SATAVG=30
lavfi.signalstats.YDIF=8
`, Features{Motion: 6, Brightness: 110, Saturation: 20, Frames: 3}},
		{"one frame has no motion", "frame:0 pts:0\nlavfi.signalstats.YAVG=50\nlavfi.signalstats.SATAVG=5\nlavfi.signalstats.YDIF=0\n",
			Features{Brightness: 50, Saturation: 5, Frames: 1}},
		{"nothing", "", Features{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSignalstats(bufio.NewReader(strings.NewReader(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if _, err := parseSignalstats(bufio.NewReader(strings.NewReader("frame:0\nlavfi.signalstats.YAVG=x\n"))); err == nil {
		t.Error("a non-numeric value was accepted")
	}
}
