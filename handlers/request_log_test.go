package handlers

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

// TestRequestLogHandler_WritesWhatSlogWrites: every record, the request
// line's kind and others, comes out as slog's JSON handler writes it.
func TestRequestLogHandler_WritesWhatSlogWrites(t *testing.T) {
	ctx := context.Background()
	east := time.FixedZone("east", 5*3600+30*60)
	west := time.FixedZone("west", -(3*3600 + 15*60))
	odd := time.FixedZone("odd", 3600+30) // seconds in the offset, which RFC 3339 drops
	at := time.Date(2026, 11, 30, 16, 5, 9, 123456789, time.UTC)
	for _, tc := range []struct {
		name  string
		time  time.Time
		level slog.Level
		msg   string
		attrs []slog.Attr
	}{
		{"request line", at, slog.LevelInfo, "request", []slog.Attr{
			slog.String("method", "POST"), slog.String("route", "/api/v1/matchups/:id/vote"),
			slog.Int("status", 200), slog.Duration("duration", 1234567*time.Nanosecond),
			slog.String("request_id", "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf")}},
		{"error line", at, slog.LevelError, "request", []slog.Attr{slog.Int("status", 500)}},
		{"whole second", at.Truncate(time.Second), slog.LevelInfo, "request", nil},
		{"trailing zeros", at.Truncate(time.Millisecond), slog.LevelInfo, "request", nil},
		{"one nanosecond", time.Date(2026, 1, 2, 3, 4, 5, 1, time.UTC), slog.LevelInfo, "request", nil},
		{"offset east", at.In(east), slog.LevelInfo, "request", nil},
		{"offset west", at.In(west), slog.LevelInfo, "request", nil},
		{"offset with seconds", at.In(odd), slog.LevelInfo, "request", nil},
		{"local time", at.Local(), slog.LevelInfo, "request", nil},
		{"year 1", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), slog.LevelInfo, "request", nil},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), slog.LevelInfo, "request", nil},
		{"no time", time.Time{}, slog.LevelWarn + 1, "request", nil},
		{"awkward strings", at, slog.LevelInfo, "a \"quoted\" <b>&\\ msg\n", []slog.Attr{
			slog.String("request_id", "\x00\x01\b\f\t\r\x1f\x7f é \u2028\u2029 \xff end"),
			slog.String("k\"ey", "v")}},
		{"other kinds", at, slog.LevelInfo, "request", []slog.Attr{
			slog.Bool("ok", true), slog.Float64("f", 0.1), slog.Time("t", at), slog.Any("err", context.Canceled)}},
		{"group", at, slog.LevelInfo, "request", []slog.Attr{slog.Group("g", slog.Int("n", 1))}},
		{"empty attribute", at, slog.LevelInfo, "request", []slog.Attr{{}, slog.Int("n", 1)}},
		{"negative", at, slog.LevelInfo, "request", []slog.Attr{slog.Int("n", -7), slog.Duration("d", -time.Second)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want, got bytes.Buffer
			r := slog.NewRecord(tc.time, tc.level, tc.msg, 0)
			r.AddAttrs(tc.attrs...)
			if err := slog.NewJSONHandler(&want, nil).Handle(ctx, r); err != nil {
				t.Fatal(err)
			}
			if err := RequestLogHandler(&got).Handle(ctx, r); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("got  %s\nwant %s", got.Bytes(), want.Bytes())
			}
		})
	}
}

// TestRequestLogHandler_LevelsAndDerivedHandlers: it leaves out what slog
// leaves out, and its derived handlers keep their attributes and groups.
func TestRequestLogHandler_LevelsAndDerivedHandlers(t *testing.T) {
	ctx := context.Background()
	var want, got bytes.Buffer
	for _, l := range []*slog.Logger{slog.New(slog.NewJSONHandler(&want, nil)), slog.New(RequestLogHandler(&got))} {
		l.Debug("left out")
		l.With("instance", 2).WithGroup("req").Info("request", "status", 201)
	}
	if !RequestLogHandler(&got).Enabled(ctx, slog.LevelInfo) || RequestLogHandler(&got).Enabled(ctx, slog.LevelDebug) {
		t.Error("Enabled differs from slog's JSON handler")
	}
	strip := func(b []byte) string { // the times differ
		var out []byte
		for line := range bytes.Lines(b) {
			if i := bytes.Index(line, []byte(`"level"`)); i > 0 {
				line = line[i:]
			}
			out = append(out, line...)
		}
		return string(out)
	}
	if strip(got.Bytes()) != strip(want.Bytes()) {
		t.Errorf("got  %s\nwant %s", got.Bytes(), want.Bytes())
	}
}
