package ocr

import (
	"context"
	"sync"
)

// stopper stops an engine's run when the run's context ends. A stop that
// comes late (the context ended as the run finished) must not stop the
// next run, nor touch a closed engine: each run has a number, and a stop
// only acts on the run it was made for.
type stopper struct {
	mu     sync.Mutex
	run    uint64
	closed bool
}

// start begins a run: reset clears the engine's stop flag, and stop is
// called if ctx ends before the returned done is.
func (s *stopper) start(ctx context.Context, reset, stop func()) (done func()) {
	s.mu.Lock()
	s.run++
	id := s.run
	reset()
	s.mu.Unlock()
	cancel := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.run == id && !s.closed {
			stop()
		}
	})
	return func() {
		cancel()
		s.mu.Lock()
		s.run++ // a stop still on its way finds another run
		s.mu.Unlock()
	}
}

// close makes every later stop a no-op.
func (s *stopper) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}
