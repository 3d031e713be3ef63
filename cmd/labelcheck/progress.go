package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/labelcheck/labelcheck/inspection"
)

// progress draws a one-line bar on a terminal's stderr while a batch runs:
// cases done of the total, images per second and the time left. It is
// redrawn as cases finish and once a second between, and ends with its
// last state on a line of its own. A nil *progress draws nothing.
type progress struct {
	w      io.Writer
	total  int
	now    func() time.Time
	start  time.Time
	mu     sync.Mutex
	done   int
	images int
	stop   chan struct{}
	wg     sync.WaitGroup
}

// barWidth is how many cells the bar has.
const barWidth = 24

// startProgress starts drawing on w for a batch of total cases.
func startProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, now: time.Now, stop: make(chan struct{})}
	p.start = p.now()
	p.draw()
	p.wg.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
				p.draw()
			}
		}
	})
	return p
}

// add counts a finished case.
func (p *progress) add(r *inspection.Report) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.done++
	p.images += len(r.Images)
	p.mu.Unlock()
	p.draw()
}

// logf prints a message on a line of its own above the bar.
func (p *progress) logf(w io.Writer, format string, args ...any) {
	if p == nil {
		fmt.Fprintf(w, format, args...)
		return
	}
	p.mu.Lock()
	fmt.Fprintf(p.w, "\r\x1b[K"+format, args...)
	p.mu.Unlock()
	p.draw()
}

// finish draws the last state and leaves it on its line.
func (p *progress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.draw()
	fmt.Fprintln(p.w)
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\x1b[K%s", progressLine(p.done, p.total, p.images, p.now().Sub(p.start)))
}

// progressLine is the bar for done of total cases and images images read
// in elapsed: [#####-------] 12/40 cases  3.1 images/s  0:08 left.
func progressLine(done, total, images int, elapsed time.Duration) string {
	filled := barWidth
	if done < total {
		filled = barWidth * done / total
	}
	line := fmt.Sprintf("[%s%s] %d/%d cases", strings.Repeat("#", filled), strings.Repeat("-", barWidth-filled), done, total)
	secs := elapsed.Seconds()
	if secs > 0 && images > 0 {
		line += fmt.Sprintf("  %.1f images/s", float64(images)/secs)
	}
	switch {
	case done >= total:
		line += "  " + clock(elapsed)
	case done > 0:
		left := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
		line += "  " + clock(left) + " left"
	}
	return line
}

// clock writes d as m:ss (h:mm:ss from an hour on).
func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
