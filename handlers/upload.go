package handlers

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Limits on the non-file parts of an upload, which are read into memory.
const (
	maxFieldBytes = 8 << 10
	maxParts      = 200
)

// filePart is one file of a multipart upload, handed over while it streams.
type filePart struct {
	Field    string // form field name, e.g. "file" or "file:veo-3"
	FileName string // the client's name for it, for messages only: never a path
	Body     io.Reader
}

// streamMultipart reads a multipart/form-data body part by part, without
// buffering it: ordinary fields are collected (fields must come before the
// files they apply to, as browsers send them in form order), and each file
// is passed to onFile while it is still arriving. onFile returning an error
// stops the reading. A file input left empty is skipped.
//
// Request.ParseMultipartForm is not used on purpose: it copies large files
// to disk and small ones to memory before the handler sees a byte, so a
// 1 GB clip would be written twice.
func streamMultipart(c echo.Context, onFile func(fields map[string]string, f filePart) error) (map[string]string, error) {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEMultipartForm {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the file as multipart/form-data")
	}
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return nil, badRequest("malformed multipart body: %s", err)
	}
	fields := make(map[string]string)
	for n := 0; ; n++ {
		if n == maxParts {
			return nil, badRequest("too many parts: send at most %d", maxParts)
		}
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return fields, nil
		}
		if err != nil {
			if c.Request().Context().Err() != nil {
				return nil, c.Request().Context().Err()
			}
			return nil, badRequest("malformed multipart body: %s", err)
		}
		name := part.FormName()
		if name == "" {
			part.Close()
			continue
		}
		if isFileField(name, part) {
			if part.FileName() == "" { // an empty file input
				part.Close()
				continue
			}
			err := onFile(fields, filePart{Field: name, FileName: part.FileName(), Body: part})
			part.Close()
			if err != nil {
				return nil, err
			}
			continue
		}
		v, err := readField(part)
		part.Close()
		if err != nil {
			return nil, err
		}
		fields[name] = v
	}
}

// isFileField tells file parts from ordinary fields: by the field names the
// upload forms use, or by a file name in the part header.
func isFileField(name string, part *multipart.Part) bool {
	return name == "file" || name == "image" || strings.HasPrefix(name, "file:") || part.FileName() != ""
}

func readField(part *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
	if err != nil {
		return "", badRequest("malformed multipart body: %s", err)
	}
	if len(b) > maxFieldBytes {
		return "", badRequest("field %q is longer than %d bytes", part.FormName(), maxFieldBytes)
	}
	return string(b), nil
}
