package media

import "errors"

// Errors returned by the store. They are wrapped with details a user can act
// on, so test for them with errors.Is and show the wrapped message.
var (
	// ErrEmpty means the upload had no bytes.
	ErrEmpty = errors.New("the file is empty")
	// ErrTooLarge means the upload exceeded the byte limit passed to Put.
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
