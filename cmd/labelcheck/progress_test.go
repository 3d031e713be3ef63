package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/labelcheck/labelcheck/inspection"
)

func TestProgressLine(t *testing.T) {
	for _, tc := range []struct {
		done, total, images int
		elapsed             time.Duration
		want                string
	}{
		{0, 40, 0, 0, "[------------------------] 0/40 cases"},
		{10, 40, 25, 5 * time.Second, "[######------------------] 10/40 cases  5.0 images/s  0:15 left"},
		{40, 40, 100, 75 * time.Minute, "[########################] 40/40 cases  0.0 images/s  1:15:00"},
		{3, 2, 3, time.Second, "[########################] 3/2 cases  3.0 images/s  0:01"},
	} {
		if got := progressLine(tc.done, tc.total, tc.images, tc.elapsed); got != tc.want {
			t.Errorf("progressLine(%d, %d, %d, %v) = %q, want %q", tc.done, tc.total, tc.images, tc.elapsed, got, tc.want)
		}
	}
}

// The bar is redrawn in place as cases finish, a message goes on a line
// of its own above it, and a nil bar draws nothing but lets messages
// through.
func TestProgressDraws(t *testing.T) {
	var buf bytes.Buffer
	p := startProgress(&buf, 2)
	p.add(&inspection.Report{Images: make([]inspection.ImageResult, 3)})
	p.logf(&buf, "labelcheck: %s\n", "a note")
	p.add(&inspection.Report{})
	p.finish()
	out := buf.String()
	for _, want := range []string{"\r\x1b[K[------------------------] 0/2 cases", "1/2 cases", "\r\x1b[Klabelcheck: a note\n", "\r\x1b[K[########################] 2/2 cases"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in %q", want, out)
		}
	}
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("the last state is not left on its line: %q", out)
	}
	var none *progress
	var msgs bytes.Buffer
	none.add(&inspection.Report{})
	none.logf(&msgs, "x %d\n", 1)
	none.finish()
	if msgs.String() != "x 1\n" {
		t.Errorf("a nil bar's message: %q", msgs.String())
	}
}
