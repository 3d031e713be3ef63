package vision

import (
	"image"
	"image/color"
	"math"
	"testing"

	"gocv.io/x/gocv"
)

// grayNameplate is the example stove's nameplate in grey, at a third of
// its rendered size (text about 20 px high, as on a label photographed
// from arm's length).
func grayNameplate(t testing.TB) gocv.Mat {
	t.Helper()
	bgr := matFrom(t, nameplate(t))
	defer bgr.Close()
	gray := gocv.NewMat()
	gocv.CvtColor(bgr, &gray, gocv.ColorBGRToGray)
	gocv.Resize(gray, &gray, image.Point{}, 1.0/3, 1.0/3, gocv.InterpolationArea)
	return gray
}

// smeared is gray smeared along a line of n pixels at angle degrees: a
// line drawn on a canvas four times as fine, scaled down, as the kernel.
func smeared(t testing.TB, gray gocv.Mat, n int, angle float64) gocv.Mat {
	t.Helper()
	const fine = 4
	side := (n + 2) * fine
	canvas := gocv.Zeros(side, side, gocv.MatTypeCV32F)
	defer canvas.Close()
	c := float64(side) / 2
	half := float64(n*fine) / 2
	dx, dy := math.Cos(angle*math.Pi/180)*half, math.Sin(angle*math.Pi/180)*half
	gocv.Line(&canvas, image.Pt(int(c-dx), int(c-dy)), image.Pt(int(c+dx), int(c+dy)), color.RGBA{255, 255, 255, 0}, fine)
	k := gocv.NewMat()
	defer k.Close()
	gocv.Resize(canvas, &k, image.Pt(side/fine, side/fine), 0, 0, gocv.InterpolationArea)
	k.DivideFloat(float32(k.Sum().Val1))
	out := gocv.NewMat()
	gocv.Filter2D(gray, &out, -1, k, image.Pt(-1, -1), 0, gocv.BorderReflect)
	return out
}

// angleOff is how far apart two directions are, in degrees (180 apart
// being the same direction).
func angleOff(a, b float64) float64 {
	d := math.Mod(math.Abs(a-b), 180)
	return math.Min(d, 180-d)
}

func TestFindMotionMeasuresTheSmear(t *testing.T) {
	gray := grayNameplate(t)
	defer gray.Close()
	for _, c := range []struct {
		n     int
		angle float64
	}{{11, 0}, {9, 35}, {13, 100}, {8, 150}} {
		blurred := smeared(t, gray, c.n, c.angle)
		m, ok := FindMotion(blurred)
		blurred.Close()
		// Deblurring is undone by a length a pixel off, not by a direction
		// 15° off (TestDeblurBringsTheStrokesBack).
		if !ok || math.Abs(float64(m.Length-c.n)) > 1 || angleOff(m.Angle, c.angle) > 15 {
			t.Errorf("smeared %d px at %.0f°: found %+v (ok %v)", c.n, c.angle, m, ok)
		}
	}
}

func TestFindMotionLeavesSharpAndDefocusedTextAlone(t *testing.T) {
	for _, side := range []int{0, 40} {
		tiny := gocv.NewMatWithSize(side, side, gocv.MatTypeCV8U)
		p := NewPage(tiny, DefaultConfig())
		if m, ok := p.FindMotion(); ok {
			t.Errorf("a %d px page has a motion blur %+v", side, m)
		}
		p.Close()
		tiny.Close()
	}
	gray := grayNameplate(t)
	defer gray.Close()
	if m, ok := FindMotion(gray); ok {
		t.Errorf("a sharp nameplate has a motion blur %+v", m)
	}
	soft := gocv.NewMat()
	defer soft.Close()
	gocv.GaussianBlur(gray, &soft, image.Point{}, 2.5, 2.5, gocv.BorderReflect)
	if m, ok := FindMotion(soft); ok {
		t.Errorf("a defocused nameplate has a motion blur %+v", m)
	}
}

// TestDeblurBringsTheStrokesBack: a smeared nameplate deblurred with the
// smear found is much nearer the sharp one than the smeared one is.
func TestDeblurBringsTheStrokesBack(t *testing.T) {
	gray := grayNameplate(t)
	defer gray.Close()
	blurred := smeared(t, gray, 11, 100)
	defer blurred.Close()
	m, ok := FindMotion(blurred)
	if !ok {
		t.Fatal("no motion blur found")
	}
	likeness := func(a gocv.Mat) float64 {
		ncc, mask := gocv.NewMat(), gocv.NewMat()
		defer ncc.Close()
		defer mask.Close()
		gocv.MatchTemplate(a, gray, &ncc, gocv.TmCcoeffNormed, mask)
		return float64(ncc.GetFloatAt(0, 0))
	}
	before := likeness(blurred)
	for _, m := range []Motion{m, {11, 100}, {11, 85}} {
		p := NewPage(blurred, DefaultConfig())
		p.Deblur(m)
		after := likeness(p.Gray)
		p.Close()
		t.Logf("deblurred as %+v: correlation with the sharp nameplate %.2f, smeared %.2f", m, after, before)
		if after < before+0.15 {
			t.Errorf("deblurred as %+v, the nameplate correlates %.2f with the sharp one, smeared %.2f", m, after, before)
		}
	}
}

// windowNameplate is grayNameplate stretched to the largest window
// FindMotion looks at, a million pixels.
func windowNameplate(b *testing.B) gocv.Mat {
	gray := grayNameplate(b)
	defer gray.Close()
	big := gocv.NewMat()
	gocv.Resize(gray, &big, image.Pt(motionWindow, motionWindow), 0, 0, gocv.InterpolationLinear)
	return big
}

// BenchmarkFindMotion measures the blur search on a million pixels of
// smeared label (the largest part of a page it looks at).
func BenchmarkFindMotion(b *testing.B) {
	big := windowNameplate(b)
	defer big.Close()
	blurred := smeared(b, big, 11, 100)
	defer blurred.Close()
	for b.Loop() {
		FindMotion(blurred)
	}
}

// BenchmarkDeblur measures Richardson-Lucy on a million pixels.
func BenchmarkDeblur(b *testing.B) {
	big := windowNameplate(b)
	defer big.Close()
	for b.Loop() {
		p := NewPage(big, DefaultConfig())
		p.Deblur(Motion{11, 100})
		p.Close()
	}
}
