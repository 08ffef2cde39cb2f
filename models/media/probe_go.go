package media

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/abema/go-mp4"
	"github.com/at-wat/ebml-go"
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

// bmffTrack collects what probeBMFF learns about one trak box.
type bmffTrack struct {
	handler       string // "vide", "soun", ...
	sampleEntry   string // first stsd entry: "avc1", "vp09", ...
	width, height int
	timescale     uint32
	duration      uint64
}

// bmffCodec maps an ISO BMFF sample entry to ffprobe's codec name.
func bmffCodec(entry string) string {
	switch entry {
	case "avc1", "avc3":
		return "h264"
	case "hvc1", "hev1":
		return "hevc"
	case "vp08":
		return "vp8"
	case "vp09":
		return "vp9"
	case "av01":
		return "av1"
	case "":
		return "unknown"
	}
	return entry
}

func probeBMFF(r io.ReadSeeker) (Source, error) {
	var (
		timescale         uint32
		movieDur, fragDur uint64
		tracks            []*bmffTrack
		cur               *bmffTrack
	)
	boxes := 0
	_, err := mp4.ReadBoxStructure(r, func(h *mp4.ReadHandle) (any, error) {
		bi := h.BoxInfo
		if bi.Size < bi.HeaderSize {
			return nil, fmt.Errorf("box %q has an impossible size %d", bi.Type, bi.Size)
		}
		// A real index nests six deep (moov/trak/mdia/minf/stbl/stsd) and
		// holds a few hundred boxes; a forged one could nest trak in trak
		// until the stack or the track list exhausts memory.
		if len(h.Path) > maxBoxDepth {
			return nil, fmt.Errorf("boxes nested more than %d deep", maxBoxDepth)
		}
		if boxes++; boxes > maxIndexBoxes {
			return nil, fmt.Errorf("more than %d boxes in the index", maxIndexBoxes)
		}
		parent := mp4.BoxType{}
		if len(h.Path) >= 2 {
			parent = h.Path[len(h.Path)-2]
		}
		switch bi.Type {
		case mp4.BoxTypeMoov():
			if bi.Size > maxMoovBytes {
				return nil, fmt.Errorf("moov box of %d bytes is larger than any real clip's index", bi.Size)
			}
			return h.Expand()
		case mp4.BoxTypeTrak():
			if len(tracks) == maxTracks {
				return nil, fmt.Errorf("more than %d tracks", maxTracks)
			}
			cur = &bmffTrack{}
			tracks = append(tracks, cur)
			return h.Expand()
		case mp4.BoxTypeMdia(), mp4.BoxTypeMinf(), mp4.BoxTypeStbl(), mp4.BoxTypeMvex():
			return h.Expand()
		case mp4.BoxTypeStsd():
			if cur != nil && cur.sampleEntry == "" {
				return h.Expand()
			}
		case mp4.BoxTypeMvhd():
			box, _, err := h.ReadPayload()
			if err != nil {
				return nil, err
			}
			if mvhd, ok := box.(*mp4.Mvhd); ok {
				timescale, movieDur = mvhd.Timescale, mvhd.GetDuration()
			}
		case mp4.BoxTypeMehd():
			box, _, err := h.ReadPayload()
			if err != nil {
				return nil, err
			}
			if mehd, ok := box.(*mp4.Mehd); ok {
				fragDur = mehd.GetFragmentDuration()
			}
		case mp4.BoxTypeTkhd():
			box, _, err := h.ReadPayload()
			if err != nil {
				return nil, err
			}
			if tkhd, ok := box.(*mp4.Tkhd); ok && cur != nil {
				cur.width, cur.height = int(tkhd.GetWidthInt()), int(tkhd.GetHeightInt())
			}
		case mp4.BoxTypeMdhd():
			box, _, err := h.ReadPayload()
			if err != nil {
				return nil, err
			}
			if mdhd, ok := box.(*mp4.Mdhd); ok && cur != nil {
				cur.timescale, cur.duration = mdhd.Timescale, mdhd.GetDuration()
			}
		case mp4.BoxTypeHdlr():
			// QuickTime puts a data-handler hdlr in minf too; the media type
			// is the one in mdia.
			if parent != mp4.BoxTypeMdia() || cur == nil {
				return nil, nil
			}
			box, _, err := h.ReadPayload()
			if err != nil {
				return nil, err
			}
			if hdlr, ok := box.(*mp4.Hdlr); ok {
				cur.handler = string(hdlr.HandlerType[:])
			}
		default:
			if parent == mp4.BoxTypeStsd() && cur != nil && cur.sampleEntry == "" {
				cur.sampleEntry = bi.Type.String()
			}
		}
		return nil, nil
	})
	if err != nil {
		return Source{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if timescale == 0 && movieDur == 0 && len(tracks) == 0 {
		return Source{}, fmt.Errorf("%w: no moov box", ErrCorrupt)
	}

	var p Source
	ms := scaleMS(movieDur, timescale)
	if ms == 0 {
		ms = scaleMS(fragDur, timescale)
	}
	for _, t := range tracks {
		switch t.handler {
		case "vide":
			if p.Codec == "" {
				p.Codec = bmffCodec(t.sampleEntry)
				p.Width, p.Height = t.width, t.height
			}
		case "soun":
			p.HasAudio = true
		}
		if ms == 0 {
			ms = max(ms, scaleMS(t.duration, t.timescale))
		}
	}
	p.DurationMS = ms
	return p, nil
}

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

// clampInt keeps a forged 64-bit picture size from wrapping negative.
func clampInt(v uint64) int {
	if v > math.MaxInt32 {
		return 0
	}
	return int(v)
}
