package vision

import (
	"image"
	"strings"
	"testing"

	"gocv.io/x/gocv"
)

// degraded renders the nameplate, applies f to it and returns the result.
func degraded(t *testing.T, f func(m *gocv.Mat)) image.Image {
	t.Helper()
	m := matFrom(t, nameplate(t))
	defer m.Close()
	f(&m)
	img, err := m.ToImage()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// The gate passes a sharp label and names what is wrong with a blurred,
// a motion-blurred, a tiny and a faded one.
func TestQualityGateNamesTheProblem(t *testing.T) {
	motion := gocv.Ones(11, 1, gocv.MatTypeCV32F)
	defer motion.Close()
	motion.MultiplyFloat(1.0 / 11)
	for _, tc := range []struct {
		name string
		f    func(m *gocv.Mat)
		want string
	}{
		{"sharp", func(*gocv.Mat) {}, ""},
		{"defocused", func(m *gocv.Mat) { gocv.GaussianBlur(*m, m, image.Pt(0, 0), 3.2, 3.2, gocv.BorderReplicate) }, "blurred"},
		{"moved", func(m *gocv.Mat) { gocv.Filter2D(*m, m, -1, motion, image.Pt(-1, -1), 0, gocv.BorderReplicate) }, "blurred"},
		{"tiny", func(m *gocv.Mat) { gocv.Resize(*m, m, image.Point{}, 0.25, 0.25, gocv.InterpolationArea) }, "text too small"},
		{"faded", func(m *gocv.Mat) { m.ConvertToWithParams(m, -1, 0.12, 110) }, "low contrast"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := pageOf(t, degraded(t, tc.f), DefaultConfig())
			defer p.Close()
			q := p.Quality()
			got := DefaultConfig().Gate.Problem(q, true)
			t.Logf("%+v: %q", q, got)
			if q.Lines == 0 {
				t.Fatal("no lines measured")
			}
			if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
				t.Errorf("problem %q, want %q", got, tc.want)
			}
		})
	}
}

// A product photo's shapes are not judged for contrast: it is no text.
func TestQualityGateLeavesContrastOfPhotosAlone(t *testing.T) {
	q := Quality{Lines: 3, TextHeight: 30, Blur: 1, Contrast: 10}
	g := DefaultConfig().Gate
	if got := g.Problem(q, false); got != "" {
		t.Errorf("photo: %q", got)
	}
	if got := g.Problem(q, true); !strings.HasPrefix(got, "low contrast") {
		t.Errorf("label: %q", got)
	}
}
