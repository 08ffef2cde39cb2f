package media

import (
	"fmt"
	"io"

	"github.com/abema/go-mp4"
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
