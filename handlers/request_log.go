package handlers

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"

	"github.com/arena-video/arena/models/timefmt"
)

// RequestLogHandler returns a slog handler that writes what
// slog.NewJSONHandler(w, nil) writes, byte for byte, for a server's request
// log. The request lines (a message and string, integer and duration
// attributes) are written by hand: slog's JSON handler walks every
// attribute through its generic state, and formats the time through
// time.Format's layout interpreter, a noticeable share of a voting
// request's CPU. Any other record, and the handler's WithAttrs and
// WithGroup, go to slog's JSON handler itself.
func RequestLogHandler(w io.Writer) slog.Handler {
	h := &requestLogHandler{w: w, json: slog.NewJSONHandler(w, nil)}
	h.lines.New = func() any { b := make([]byte, 0, 512); return &b }
	return h
}

type requestLogHandler struct {
	mu    sync.Mutex // one Write at a time, as slog's handler does
	w     io.Writer
	json  slog.Handler
	lines sync.Pool // *[]byte: lines being written, about 200 bytes each
}

func (h *requestLogHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.json.Enabled(ctx, l)
}

func (h *requestLogHandler) WithAttrs(as []slog.Attr) slog.Handler { return h.json.WithAttrs(as) }

func (h *requestLogHandler) WithGroup(name string) slog.Handler { return h.json.WithGroup(name) }

func (h *requestLogHandler) Handle(ctx context.Context, r slog.Record) error {
	bp := h.lines.Get().(*[]byte)
	defer h.lines.Put(bp)
	b, ok := appendRequestLine((*bp)[:0], r)
	*bp = b[:0]
	if !ok {
		return h.json.Handle(ctx, r)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := h.w.Write(b)
	return err
}

// appendRequestLine appends r as slog's JSON handler writes it, or reports
// false when r holds something written otherwise here.
func appendRequestLine(b []byte, r slog.Record) ([]byte, bool) {
	b = append(b, '{')
	if !r.Time.IsZero() {
		b = append(b, `"time":"`...)
		var ok bool
		if b, ok = timefmt.AppendRFC3339Nano(b, r.Time); !ok {
			return b, false
		}
		b = append(b, `",`...)
	}
	b = append(b, `"level":`...)
	b = appendQuoted(b, r.Level.String(), false)
	b = append(b, `,"msg":`...)
	b = appendQuoted(b, r.Message, false)
	ok := true
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "" {
			ok = false // slog leaves some of these out; let it
			return false
		}
		b = append(b, ',')
		b = appendQuoted(b, a.Key, false)
		b = append(b, ':')
		switch v := a.Value; v.Kind() {
		case slog.KindString:
			b = appendQuoted(b, v.String(), false)
		case slog.KindInt64:
			b = strconv.AppendInt(b, v.Int64(), 10)
		case slog.KindDuration:
			b = strconv.AppendInt(b, int64(v.Duration()), 10)
		default:
			ok = false
		}
		return ok
	})
	return append(b, "}\n"...), ok
}
