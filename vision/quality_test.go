package vision

import (
	"image"
	"math"
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

// flatten evens out a line crop lit from one side: the ground and the
// strokes come out at the same grey on the dim and the bright end.
func TestFlattenEvensOutTheLight(t *testing.T) {
	const h, w = 40, 400
	crop := gocv.NewMatWithSize(h, w, gocv.MatTypeCV8U)
	defer crop.Close()
	stroke := func(x, y int) bool { return y >= 10 && y < 30 && x%20 < 4 }
	for y := range h {
		for x := range w {
			ground := 90 + 160*float64(x)/w // dim on the left, bright on the right
			v := ground
			if stroke(x, y) {
				v = ground * 0.45
			}
			crop.SetUCharAt(y, x, uint8(v))
		}
	}
	flatten(crop, h)
	mean := func(x0, x1 int, ink bool) float64 {
		sum, n := 0.0, 0
		for y := range h {
			for x := x0; x < x1; x++ {
				if stroke(x, y) == ink && (!ink || x%20 == 1 || x%20 == 2) {
					sum += float64(crop.GetUCharAt(y, x))
					n++
				}
			}
		}
		return sum / float64(n)
	}
	for _, ink := range []bool{false, true} {
		left, right := mean(40, 120, ink), mean(280, 360, ink)
		if math.Abs(left-right) > 20 {
			t.Errorf("ink %v: %.0f on the dim end, %.0f on the bright end", ink, left, right)
		}
	}
	if g, k := mean(40, 360, false), mean(40, 360, true); g-k < 100 {
		t.Errorf("ground %.0f, ink %.0f: contrast lost", g, k)
	}
}
