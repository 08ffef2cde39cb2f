// Package media owns Arena's clip files: it recognises uploads by their
// content rather than their names, probes duration, size and sound, strips
// container metadata that could reveal which model made a clip, and keeps the
// result in a content-addressed directory.
//
// Blindness is the reason most of this package exists. A clip's title,
// comment, encoder tag, handler name, XMP or C2PA box can name the model that
// made it, so when ffmpeg is installed every clip is remuxed (never
// re-encoded) with all metadata dropped, only its first video and first audio
// stream kept, and H.264/HEVC SEI messages removed from the frames (x264
// writes its version and settings there). Every stored clip then carries the
// same muxer marker, so what is left cannot tell models apart. Two things a
// remux cannot reach stay: an SEI that x265 copies into the HEVC sample
// description (hvcC), and an encoder tag inside AAC audio frames. Without ffmpeg clips are stored as
// uploaded and [Stored.MetadataStripped] is false, so the admin pages can say so.
//
// Source images for image-to-video prompts are stripped in Go, without
// re-encoding: PNG text and unknown chunks, JPEG comments and APPn segments,
// WebP EXIF, XMP and unknown chunks (image.go, strip_webp.go).
//
// Probing uses ffprobe when it is installed and falls back to parsing the
// container in Go (github.com/abema/go-mp4 for ISO BMFF, github.com/at-wat/ebml-go
// for WebM and Matroska), so a server without ffmpeg still rejects files that
// are not playable video.
//
// Uploads are streamed to a temporary file and hashed on the way, so memory
// use does not grow with the size of the clip. Finished files go to a
// [BlobStore] under the SHA-256 of their bytes: a data directory
// ([DirStore]) by default.
package media
