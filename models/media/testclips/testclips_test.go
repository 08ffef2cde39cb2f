package testclips

import (
	"fmt"
	"testing"
)

// The media tests and the Chromium suite upload every clip of Vendors, so
// Vendors must hold every shape the arena promises to take: each codec, each
// container, with and without sound, 4K, 1080p, 720p and portrait 9:16, at
// 24, 25, 30 and 60 fps. A row removed or changed that loses one fails here.
func TestVendors_CoverEveryPromisedShape(t *testing.T) {
	have := map[string]bool{}
	for _, s := range Vendors {
		have["codec "+s.Codec] = true
		have["container "+s.Container] = true
		have[fmt.Sprint("sound ", s.Audio)] = true
		have[fmt.Sprint("fps ", s.FPS)] = true
		switch {
		case s.Width == 3840 && s.Height == 2160:
			have["size 4K"] = true
		case s.Width == 1920 && s.Height == 1080:
			have["size 1080p"] = true
		case s.Width == 1280 && s.Height == 720:
			have["size 720p"] = true
		case s.Width*16 == s.Height*9:
			have["size portrait 9:16"] = true
		}
	}
	for _, want := range []string{
		"codec h264", "codec hevc", "codec prores", "codec vp9", "codec av1", "codec mpeg4",
		"container mp4", "container mov", "container webm", "container mkv",
		"sound true", "sound false",
		"size 4K", "size 1080p", "size 720p", "size portrait 9:16",
		"fps 24", "fps 25", "fps 30", "fps 60",
	} {
		if !have[want] {
			t.Errorf("no clip in Vendors has %s", want)
		}
	}
}
