package media

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/at-wat/ebml-go"
)

// mkvDoc is the part of a WebM or Matroska file probeEBML reads. The stop tag
// ends the read after Tracks, before the media data.
type mkvDoc struct {
	Segment struct {
		Info struct {
			TimecodeScale uint64  `ebml:"TimecodeScale"`
			Duration      float64 `ebml:"Duration"`
		} `ebml:"Info"`
		Tracks struct {
			TrackEntry []struct {
				TrackType uint64 `ebml:"TrackType"`
				CodecID   string `ebml:"CodecID"`
				Video     struct {
					PixelWidth  uint64 `ebml:"PixelWidth"`
					PixelHeight uint64 `ebml:"PixelHeight"`
				} `ebml:"Video"`
			} `ebml:"TrackEntry"`
		} `ebml:"Tracks,stop"`
	} `ebml:"Segment"`
}

// mkvCodec maps a Matroska codec ID to ffprobe's codec name.
func mkvCodec(id string) string {
	switch id {
	case "V_VP8":
		return "vp8"
	case "V_VP9":
		return "vp9"
	case "V_AV1":
		return "av1"
	case "V_MPEG4/ISO/AVC":
		return "h264"
	case "V_MPEGH/ISO/HEVC":
		return "hevc"
	}
	return "unknown"
}

// maxEBMLLeaf caps one element's payload. The elements read here are small;
// the cap keeps a forged size from making the parser buffer a huge block.
const maxEBMLLeaf = 16 << 20

func probeEBML(r io.ReadSeeker) (Source, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return Source{}, err
	}
	var doc mkvDoc
	// The header, Info and Tracks come first in every real file; reading
	// stops after Tracks. The limit keeps a file that hides them behind
	// gigabytes, or fills Tracks with millions of entries, from costing
	// more than the index of a large real clip.
	lr := &io.LimitedReader{R: r, N: maxMoovBytes}
	err := ebml.Unmarshal(lr, &doc, ebml.WithIgnoreUnknown(true), ebml.WithMaxLeafElementSize(maxEBMLLeaf))
	if err != nil && !errors.Is(err, ebml.ErrReadStopped) {
		if lr.N <= 0 {
			return Source{}, fmt.Errorf("%w: no track list in the first %d MB", ErrCorrupt, maxMoovBytes>>20)
		}
		return Source{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if n := len(doc.Segment.Tracks.TrackEntry); n > maxTracks {
		return Source{}, fmt.Errorf("%w: %d tracks, more than the %d any clip has", ErrCorrupt, n, maxTracks)
	}
	var p Source
	for _, t := range doc.Segment.Tracks.TrackEntry {
		switch t.TrackType {
		case 1: // video
			if p.Codec == "" {
				p.Codec = mkvCodec(t.CodecID)
				p.Width, p.Height = clampInt(t.Video.PixelWidth), clampInt(t.Video.PixelHeight)
			}
		case 2: // audio
			p.HasAudio = true
		}
	}
	scale := doc.Segment.Info.TimecodeScale
	if scale == 0 {
		scale = 1_000_000 // the Matroska default: milliseconds
	}
	ms := doc.Segment.Info.Duration * float64(scale) / 1e6
	if ms > 0 && ms < math.MaxInt64/2 {
		p.DurationMS = int64(math.Round(ms))
	}
	return p, nil
}
