package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"
)

// bigClip returns a reader of a valid MP4 of exactly size bytes: the small
// fixture followed by one top-level free box of zeros. It costs no memory or
// disk to produce, and every check in PutRendition accepts it.
func bigClip(t testing.TB, size int64) io.Reader {
	clip := fixture(t, "clip.mp4")
	pad := size - int64(len(clip))
	if pad < 16 || pad > 1<<32-1 {
		t.Fatalf("bigClip size %d out of range", size)
	}
	hdr := binary.BigEndian.AppendUint32(nil, uint32(pad))
	hdr = append(hdr, "free"...)
	return io.MultiReader(bytes.NewReader(clip), bytes.NewReader(hdr), io.LimitReader(zeros{}, pad-8))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// heapGrowth runs f and returns the largest growth of the Go heap in use and
// of memory obtained from the OS, sampled while f runs.
func heapGrowth(f func()) (heap, sys uint64) {
	var before, now runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var (
		mu       sync.Mutex
		peakHeap = before.HeapInuse
		done     = make(chan struct{})
		stopped  = make(chan struct{})
	)
	go func() {
		defer close(stopped)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				mu.Lock()
				peakHeap = max(peakHeap, m.HeapInuse)
				mu.Unlock()
			}
		}
	}()
	f()
	close(done)
	<-stopped
	runtime.ReadMemStats(&now)
	mu.Lock()
	defer mu.Unlock()
	peakHeap = max(peakHeap, now.HeapInuse)
	return peakHeap - before.HeapInuse, now.Sys - min(now.Sys, before.Sys)
}

// TestPutRendition_MemoryDoesNotGrowWithSize stores a 64 MB clip and checks
// that the heap grew by a small fraction of that: receiving streams, it never
// buffers.
func TestPutRendition_MemoryDoesNotGrowWithSize(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 64 MB to disk")
	}
	const size = 64 << 20
	s, dir := newStore(t, false)
	var st Stored
	var err error
	heap, _ := heapGrowth(func() { st, err = s.PutRendition(context.Background(), bigClip(t, size), size) })
	if err != nil {
		t.Fatal(err)
	}
	assertNoTemps(t, dir)
	if st.Size != size || st.Info.DurationMS == 0 {
		t.Errorf("PutRendition = %+v, want a %d-byte clip", st, size)
	}
	if heap > 8<<20 {
		t.Errorf("heap grew by %d bytes storing %d bytes; receiving should stream", heap, size)
	}
}
