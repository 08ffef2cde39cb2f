package models

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
)

// scanChunk is how many lines travel between the reader and the parsers at
// once: big enough to amortise the hand-off, small enough that memory stays
// flat (a few chunks in flight).
const scanChunk = 4096

type rawChunk struct {
	first int64   // line number of the first line
	data  []byte  // the lines' bytes, back to back
	ends  []int   // end offset of each line in data
	lines []int64 // line number of each line (blank lines are dropped)
}

type parsedLine struct {
	n   int64
	v   BattleVote
	err error
}

// scanBattles calls fn for every non-blank line of the file with its line
// number and parse result, feeding the raw bytes to h when it is not nil.
// JSON parsing runs on every core while fn runs on the calling goroutine,
// so fn needs no locking; chunks of lines may arrive out of file order.
func scanBattles(path string, h io.Writer, o ImportOptions, pass int, fn func(n int64, v BattleVote, err error) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if h != nil {
		r = io.TeeReader(f, h)
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	raw := make(chan rawChunk, workers)
	parsed := make(chan []parsedLine, workers)
	stop := make(chan struct{})
	var readErr error
	go func() { // reader
		defer close(raw)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), maxBattleLine)
		var n int64
		c := rawChunk{}
		send := func() bool {
			if len(c.ends) == 0 {
				return true
			}
			select {
			case raw <- c:
				c = rawChunk{}
				return true
			case <-stop:
				return false
			}
		}
		for sc.Scan() {
			n++
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			c.data = append(c.data, line...)
			c.ends = append(c.ends, len(c.data))
			c.lines = append(c.lines, n)
			if len(c.ends) == scanChunk && !send() {
				return
			}
		}
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				readErr = fmt.Errorf("line %d: longer than %d bytes (nothing was imported)", n+1, maxBattleLine)
			} else {
				readErr = fmt.Errorf("read %s: %w", path, err)
			}
			return
		}
		send()
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range raw {
				out := make([]parsedLine, len(c.ends))
				start := 0
				for i, end := range c.ends {
					v, err := ParseBattleLine(c.data[start:end])
					out[i] = parsedLine{n: c.lines[i], v: v, err: err}
					start = end
				}
				select {
				case parsed <- out:
				case <-stop:
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(parsed) }()
	var seen int64
	var fnErr error
	for lines := range parsed {
		if fnErr != nil {
			continue // drain so the goroutines end
		}
		for _, l := range lines {
			if fnErr = fn(l.n, l.v, l.err); fnErr != nil {
				close(stop)
				break
			}
			if seen++; o.Progress != nil && seen%100000 == 0 {
				o.Progress(pass, seen)
			}
		}
	}
	if fnErr != nil {
		return fnErr
	}
	return readErr // read after parsed closed: the reader has finished
}
