package media

import "errors"

// Errors returned by the store. They are wrapped with details a user can act
// on, so test for them with errors.Is and show the wrapped message.
var (
	// ErrEmpty means the upload had no bytes.
	ErrEmpty = errors.New("the file is empty")
	// ErrTooLarge means the upload exceeded the byte limit it was received with.
	ErrTooLarge = errors.New("the file is too large")
	// ErrUnsupported means the content is not one of the accepted types; the
	// wrapped message lists them.
	ErrUnsupported = errors.New("unsupported file type")
	// ErrCorrupt means the content looks like an accepted type but cannot be
	// played: truncated, no video stream, zero duration and the like.
	ErrCorrupt = errors.New("the file is damaged or incomplete")
	// ErrInvalidKey means a blob key is not 64 lowercase hexadecimal digits.
	// Handlers should answer it as they answer a missing file.
	ErrInvalidKey = errors.New("invalid blob key")
)

// ErrNoFFmpeg means a clip cannot be ingested because the ffmpeg and ffprobe
// programs are not installed: every clip is transcoded into a canonical
// rendition, and storing one untranscoded would let its bytes name its model.
var ErrNoFFmpeg = errors.New("clip ingestion needs ffmpeg and ffprobe, which are not installed on the server; install them (apt-get install ffmpeg) and restart Arena")

// ErrRejected means the clip is a playable video that the arena will not take:
// longer than the clip length limit, or a frame larger than any model makes.
// The wrapped message says which limit and how to fix the file.
var ErrRejected = errors.New("the clip is outside the arena's limits")
