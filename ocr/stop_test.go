package ocr

import (
	"context"
	"testing"
	"time"
)

// TestStopperStopsOnlyItsOwnRun: a context that ends during a run stops
// it; one that ends after the run does not stop the next run; nothing is
// stopped once the engine is closed.
func TestStopperStopsOnlyItsOwnRun(t *testing.T) {
	var s stopper
	stops := make(chan int, 4)
	ctx, cancel := context.WithCancel(t.Context())
	done := s.start(ctx, func() {}, func() { stops <- 1 })
	cancel()
	if got := <-stops; got != 1 {
		t.Fatal("the run was not stopped")
	}
	done()

	ctx, cancel = context.WithCancel(t.Context())
	done = s.start(ctx, func() {}, func() { stops <- 2 })
	done()
	next := s.start(t.Context(), func() {}, func() { stops <- 3 })
	cancel() // the first run's context ends late, during the next run
	next()
	s.close()
	ctx, cancel = context.WithCancel(t.Context())
	after := s.start(ctx, func() {}, func() { stops <- 4 })
	cancel()
	after()
	// The late stops run on goroutines of their own: give them time to act.
	select {
	case n := <-stops:
		t.Errorf("stop %d called for a run that had ended or an engine that was closed", n)
	case <-time.After(200 * time.Millisecond):
	}
}
