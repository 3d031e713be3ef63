package vision

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gocv.io/x/gocv"
)

// grayNameplate is the example stove's nameplate in grey, at a third of
// its rendered size (text about 20 px high, as on a label photographed
// from arm's length).
func grayNameplate(t testing.TB) gocv.Mat {
	t.Helper()
	return grayNameplateAt(t, 1.0/3)
}

// grayNameplateAt is the example stove's nameplate in grey, scaled by k.
func grayNameplateAt(t testing.TB, k float64) gocv.Mat {
	t.Helper()
	bgr := matFrom(t, nameplate(t))
	defer bgr.Close()
	gray := gocv.NewMat()
	gocv.CvtColor(bgr, &gray, gocv.ColorBGRToGray)
	gocv.Resize(gray, &gray, image.Point{}, k, k, gocv.InterpolationArea)
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
		if !ok || math.Abs(m.Length-float64(c.n)) > 1 || angleOff(m.Angle, c.angle) > 15 {
			t.Errorf("smeared %d px at %.0f°: found %+v (ok %v)", c.n, c.angle, m, ok)
		}
	}
}

// photographed is gray as a phone would store it: grain of 6 grey levels
// (seeded) and JPEG at quality q.
func photographed(t testing.TB, gray gocv.Mat, q int) gocv.Mat {
	t.Helper()
	// The grain is drawn in Go: OpenCV's generator is per thread, and a
	// goroutine's thread is not fixed, so its seed would not hold.
	grainy := gray.Clone()
	defer grainy.Close()
	pix, err := grainy.DataPtrUint8()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for i, v := range pix {
		pix[i] = uint8(min(255, max(0, float64(v)+math.Round(6*rng.NormFloat64()))))
	}
	buf, err := gocv.IMEncodeWithParams(gocv.JPEGFileExt, grainy, []int{gocv.IMWriteJpegQuality, q})
	if err != nil {
		t.Fatal(err)
	}
	defer buf.Close()
	out, err := gocv.IMDecode(buf.GetBytes(), gocv.IMReadGrayScale)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFindMotionMeasuresLongSmearsOnPhotos: grain and JPEG on a smear of
// 12-13 px at a slant, on text some 40 px high (as on the bench's hard
// photos). The derivative's autocorrelation alone found a stroke's width
// at another angle on such photos (hard bench, seed 1: the right direction
// for 45 of 198 labels smeared 9-13 px, a wrong one for 76).
func TestFindMotionMeasuresLongSmearsOnPhotos(t *testing.T) {
	gray := grayNameplateAt(t, 2.0/3)
	defer gray.Close()
	for _, c := range []struct {
		n     int
		angle float64
	}{{13, 36}, {12, 134}, {13, 157}, {12, 64}} {
		blurred := smeared(t, gray, c.n, c.angle)
		photo := photographed(t, blurred, 80)
		blurred.Close()
		m, ok := FindMotion(photo)
		photo.Close()
		// smeared draws its line a pixel thick with round ends: the
		// smear is n+1 px long.
		if !ok || math.Abs(m.Length-float64(c.n+1)) > 1 || angleOff(m.Angle, c.angle) > 10 {
			t.Errorf("smeared %d px at %.0f°, grain, JPEG: found %+v (ok %v)", c.n, c.angle, m, ok)
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

// TestMotionKernelSpreadsTheSmearOverItsLength: a whole length along an
// axis is that many equal pixels; a fraction more goes to the two ends; a
// slanted smear is as long as its length (its weights' spread along it is
// a box's, L²/12), whichever way it points.
func TestMotionKernelSpreadsTheSmearOverItsLength(t *testing.T) {
	weights := func(m Motion) (w []float64, spread float64) {
		k := motionKernel(m)
		defer k.Close()
		c := float64(k.Rows() / 2)
		dx, dy := math.Cos(m.Angle*math.Pi/180), math.Sin(m.Angle*math.Pi/180)
		var sum float64
		for y := range k.Rows() {
			for x := range k.Cols() {
				v := float64(k.GetFloatAt(y, x))
				if v == 0 {
					continue
				}
				w = append(w, v)
				along := (float64(x)-c)*dx + (float64(y)-c)*dy
				sum, spread = sum+v, spread+v*along*along
			}
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Errorf("%+v: weights sum to %f", m, sum)
		}
		return w, spread
	}
	w, _ := weights(Motion{Length: 13, Angle: 0})
	if len(w) != 13 || slices.Max(w)-slices.Min(w) > 1e-6 {
		t.Errorf("13 px along x: weights %v, want 13 of 1/13", w)
	}
	w, _ = weights(Motion{Length: 13.5, Angle: 90})
	if len(w) != 15 || math.Abs(w[0]-0.25/13.5) > 0.01 || math.Abs(w[7]-1/13.5) > 0.01 {
		t.Errorf("13.5 px along y: weights %v, want a quarter of a pixel's at each end", w)
	}
	for _, m := range []Motion{{13, 157}, {9.5, 36}, {14, 64}} {
		// A box L long has variance (L²-1)/12 in whole pixels.
		_, spread := weights(m)
		want := (m.Length*m.Length - 1) / 12
		if math.Abs(spread-want) > 0.1*want {
			t.Errorf("%+v: spread %.1f px² along the smear, want %.1f", m, spread, want)
		}
	}
}
