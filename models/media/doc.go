// Package media owns Arena's clip files: it recognises uploads by their
// content rather than their names, keeps each original as sent, renders it
// into the canonical rendition voters are served, and keeps every file
// content-addressed in a [BlobStore].
//
// Blindness is the reason most of this package exists. Anything of a served
// clip that differs between models (codec, container, picture size, frame
// rate, bytes per second, a title, comment, encoder string, handler name,
// XMP or C2PA box) can name the model that made it. So an upload is never
// served: [Store.PutOriginal] checks, probes and keeps it, for admins only,
// and [Store.Render] transcodes it with ffmpeg to one [Profile] per pool
// (H.264 at constant bitrate with filler, one size box and frame rate, AAC in
// sound pools, MP4 with faststart), with no metadata of the source and no
// creation time. Without ffmpeg and ffprobe nothing can be rendered, so
// originals are refused with [ErrNoFFmpeg]; the demo clips ship already
// canonical and are stored as they are by [Store.PutRendition].
//
// Source images for image-to-video prompts are stripped in Go, without
// re-encoding: PNG text and unknown chunks, JPEG comments and APPn segments,
// WebP EXIF, XMP and unknown chunks (image.go, strip_webp.go).
//
// Probing uses ffprobe when it is installed and falls back to parsing the
// container in Go (github.com/abema/go-mp4 for ISO BMFF, github.com/at-wat/ebml-go
// for WebM and Matroska), so a demo server without ffmpeg still checks the
// clips it stores. The Go parsers bound depth, tracks and elements, so a
// small hostile file cannot exhaust memory.
//
// Uploads are streamed to a temporary file and hashed on the way, and ffmpeg
// reads and writes files, so memory use does not grow with the size of the
// clip. Finished files go to a [BlobStore] under the SHA-256 of their bytes:
// a data directory ([DirStore]) by default, or an S3-compatible bucket.
package media
