package vision

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

// matFrom decodes a Go image into a BGR Mat the caller closes.
func matFrom(t testing.TB, img image.Image) gocv.Mat {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	m, err := gocv.IMDecode(buf.Bytes(), gocv.IMReadColor)
	if err != nil || m.Empty() {
		t.Fatalf("decode test image: %v", err)
	}
	return m
}

func TestSetThreads(t *testing.T) {
	old := Threads()
	defer SetThreads(old)
	SetThreads(1)
	if got := Threads(); got != 1 {
		t.Errorf("threads %d after SetThreads(1)", got)
	}
}
