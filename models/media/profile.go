package media

import (
	"fmt"
	"strconv"
	"strings"
)

// Profile is the canonical rendition every clip of a pool is transcoded to,
// so that nothing a voter can measure of a served clip (codec, container,
// picture size, frame rate, bytes per second, metadata) tells the models
// apart: H.264 High, yuv420p, in MP4 with faststart; AAC stereo 48 kHz in
// sound pools, no audio elsewhere.
type Profile struct {
	// BoxWidth and BoxHeight bound the picture: a clip is scaled down to
	// fit, keeping its aspect ratio, and never scaled up.
	BoxWidth, BoxHeight int
	// FPS is the one frame rate of every rendition.
	FPS int
	// Kbps is the bitrate of the whole file, audio included, in kbit/s. The
	// video is encoded at constant bitrate with filler, so a rendition's
	// bytes per second sit within a few percent of Kbps*1000/8.
	Kbps int
	// AudioKbps is the AAC bitrate in sound pools, taken out of Kbps.
	AudioKbps int
	// Audio keeps the first audio track (sound pools); false drops audio.
	Audio bool
	// Preset is x264's speed preset; empty means "veryfast". Slower presets
	// buy quality at the same bitrate for CPU time.
	Preset string
}

// DefaultProfile is the profile of a silent pool with the default settings.
func DefaultProfile() Profile {
	return Profile{BoxWidth: 1280, BoxHeight: 720, FPS: 24, Kbps: 2500, AudioKbps: 128}
}

// Validate reports a profile that cannot be encoded.
func (p Profile) Validate() error {
	switch {
	case p.BoxWidth < 16 || p.BoxHeight < 16 || p.BoxWidth > 7680 || p.BoxHeight > 7680:
		return fmt.Errorf("rendition box %dx%d: each side must be 16 to 7680 pixels", p.BoxWidth, p.BoxHeight)
	case p.BoxWidth%2 != 0 || p.BoxHeight%2 != 0:
		return fmt.Errorf("rendition box %dx%d: H.264 in 4:2:0 needs even sides", p.BoxWidth, p.BoxHeight)
	case p.FPS < 1 || p.FPS > 120:
		return fmt.Errorf("rendition frame rate %d: must be 1 to 120", p.FPS)
	case p.Kbps < 200 || p.Kbps > 100000:
		return fmt.Errorf("rendition bitrate %d kbit/s: must be 200 to 100000", p.Kbps)
	case p.AudioKbps < 32 || p.AudioKbps > 320 || p.AudioKbps*4 > p.Kbps:
		return fmt.Errorf("rendition audio bitrate %d kbit/s: must be 32 to 320 and at most a quarter of the total", p.AudioKbps)
	}
	return nil
}

// ParseBox reads a box written as WIDTHxHEIGHT, e.g. "1280x720".
func ParseBox(s string) (w, h int, err error) {
	a, b, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "x")
	if ok {
		w, err = strconv.Atoi(a)
		if err == nil {
			h, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil {
		return 0, 0, fmt.Errorf("rendition box %q: write it as WIDTHxHEIGHT, e.g. 1280x720", s)
	}
	return w, h, nil
}

// String names the profile for logs and the admin pages.
func (p Profile) String() string {
	audio := "no audio"
	if p.Audio {
		audio = fmt.Sprintf("AAC %d kbit/s", p.AudioKbps)
	}
	return fmt.Sprintf("H.264 %dx%d box, %d fps, %d kbit/s CBR, %s", p.BoxWidth, p.BoxHeight, p.FPS, p.Kbps, audio)
}
