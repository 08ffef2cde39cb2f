package media

import (
	"fmt"
	"io"
	"math"
)

// probeGo reads a clip's duration, picture size and audio presence without
// ffprobe. It reads only the container's index (moov, or the Matroska Info
// and Tracks), so it is cheap for any file size.
//
// It never panics: the parsers are third-party code fed untrusted bytes, so a
// panic inside them is turned into ErrCorrupt rather than taking the server
// down.
func probeGo(r io.ReadSeeker, mime string) (p Source, err error) {
	defer func() {
		if v := recover(); v != nil {
			p, err = Source{}, fmt.Errorf("%w: container parser failed: %v", ErrCorrupt, v)
		}
	}()
	switch mime {
	case MIMEWebM, MIMEMatroska:
		p, err = probeEBML(r)
	case MIMEMP4, MIMEQuickTime:
		p, err = probeBMFF(r)
	default:
		return Source{}, fmt.Errorf("%w: %s", ErrUnsupported, mime)
	}
	if err != nil {
		return Source{}, err
	}
	p.MIME = mime
	if p.Codec == "" {
		return Source{}, fmt.Errorf("%w: no video stream", ErrCorrupt)
	}
	if p.Width <= 0 || p.Height <= 0 {
		return Source{}, fmt.Errorf("%w: the video stream has no picture size", ErrCorrupt)
	}
	return p, nil
}

// Limits on a container's index, far above what real clips have, so that a
// small hostile file cannot make a probe use unbounded memory or stack.
const (
	maxBoxDepth   = 10     // nesting of boxes inside moov
	maxIndexBoxes = 100000 // boxes the BMFF probe visits
	maxTracks     = 64     // tracks in one clip
)

// scaleMS converts a duration in timescale units to whole milliseconds.
func scaleMS(d uint64, timescale uint32) int64 {
	if timescale == 0 {
		return 0
	}
	ms := math.Round(float64(d) * 1000 / float64(timescale))
	if ms > math.MaxInt64/2 {
		return 0
	}
	return int64(ms)
}

// clampInt keeps a forged 64-bit picture size from wrapping negative.
func clampInt(v uint64) int {
	if v > math.MaxInt32 {
		return 0
	}
	return int(v)
}
