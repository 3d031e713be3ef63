package vision

import (
	"image"
	"math"

	"gocv.io/x/gocv"
)

// Motion is a linear motion blur: the image smeared evenly over Length
// pixels along Angle, in degrees in [0, 180) in image coordinates (y down),
// as a hand shaking during the exposure smears it.
type Motion struct {
	Length int
	Angle  float64
}

// Motion blur is looked for from motionMin to motionMax pixels: a shorter
// smear leaves text legible, and sharp strokes have their own dip there
// (their width).
const (
	motionMin = 5
	motionMax = 25
	// motionStep is the step, in degrees, between the directions tried.
	motionStep = 3
	// motionAnisotropy is how much smoother over its first pixels the
	// derivative must be along a smear than at right angles to it (the mean
	// autocorrelation at 1-3 pixels). Sharp text differs by at most 0.05
	// between directions, a smear of 8-13 px by 0.5.
	motionAnisotropy = 0.25
	// motionBand: directions whose derivative is this close to the
	// smoothest's over the first pixels are candidates for the smear's.
	motionBand = 0.2
	// motionDip is how far below zero the autocorrelation along the smear
	// must fall at its length.
	motionDip = -0.1
	// motionStride: the autocorrelation is summed over every motionStride-th
	// row and column, which is plenty of pixels on a label.
	motionStride = 3
	// deblurIterations of Richardson-Lucy: enough to bring 11 px smears
	// back to legible strokes without amplifying the grain into noise.
	deblurIterations = 20
)

// FindMotion estimates the motion blur of the page's working image where
// its text is: the lines Focus cropped to, without the margin around them
// (the table top's grain and the edges of things on it are not smeared
// as the label is when the label moved), or the whole page; at most
// motionWindow pixels square of it, around its centre.
func (p *Page) FindMotion() (Motion, bool) {
	area := image.Rect(0, 0, p.Gray.Cols(), p.Gray.Rows())
	if !p.block.Empty() {
		area = p.block.Intersect(area)
	}
	centre := area.Min.Add(area.Size().Div(2))
	half := image.Pt(motionWindow/2, motionWindow/2)
	area = area.Intersect(image.Rectangle{Min: centre.Sub(half), Max: centre.Add(half)})
	if area.Dx() < 4*motionMax || area.Dy() < 4*motionMax {
		return Motion{}, false // too little to measure a smear on
	}
	text := p.Gray.Region(area)
	defer text.Close()
	return FindMotion(text)
}

// motionWindow bounds the side of the part of a page a motion blur is
// measured on (a million pixels, some 0.12 s: BenchmarkFindMotion).
const motionWindow = 1024

// FindMotion estimates the linear motion blur of gray, an 8-bit grey
// image, from the autocorrelation of its derivative along each direction
// (after Yitzhaky and Kopeika). Sharp strokes make the derivative swing
// from one sign to the other within a stroke's width, in every direction:
// its autocorrelation is negative two or three pixels on. A smear of n
// pixels makes the derivative along it the difference of two copies of the
// image n apart, each spread over n: along the smear, and only along it,
// the autocorrelation stays positive over the first pixels and dips at n.
// The smear's direction is the one whose derivative is smoothest over the
// first pixels, when it is clearly smoother than at right angles to it (a
// defocused image is smooth every way); its length is where the
// autocorrelation along it dips lowest. ok is false without such a
// direction or dip.
func FindMotion(gray gocv.Mat) (m Motion, ok bool) {
	if gray.Empty() || gray.Rows() < 4*motionMax || gray.Cols() < 4*motionMax {
		return Motion{}, false
	}
	gx, gy := gocv.NewMat(), gocv.NewMat()
	defer gx.Close()
	defer gy.Close()
	gocv.Sobel(gray, &gx, gocv.MatTypeCV32F, 1, 0, 3, 1, 0, gocv.BorderReflect)
	gocv.Sobel(gray, &gy, gocv.MatTypeCV32F, 0, 1, 3, 1, 0, gocv.BorderReflect)
	dx, err := gx.DataPtrFloat32()
	if err != nil {
		return Motion{}, false
	}
	dy, err := gy.DataPtrFloat32()
	if err != nil {
		return Motion{}, false
	}
	rows, cols := gray.Rows(), gray.Cols()
	const directions = 180 / motionStep
	deriv := make([]float32, len(dx))
	along := func(d int) (c, s float64) {
		angle := float64(d*motionStep) * math.Pi / 180
		c, s = math.Cos(angle), math.Sin(angle)
		for i := range dx {
			deriv[i] = float32(c*float64(dx[i]) + s*float64(dy[i]))
		}
		return c, s
	}
	// How smooth the derivative is over its first pixels, each way.
	smooth := make([]float64, directions)
	smoothest := 0
	for d := range directions {
		c, s := along(d)
		ac := autocorrelation(deriv, rows, cols, c, s, 3)
		if ac == nil {
			return Motion{}, false // a blank image
		}
		if smooth[d] = (ac[1] + ac[2] + ac[3]) / 3; smooth[d] > smooth[smoothest] {
			smoothest = d
		}
	}
	if smooth[smoothest]-smooth[(smoothest+directions/2)%directions] < motionAnisotropy {
		return Motion{}, false
	}
	// Over the first pixels, directions some ten degrees apart sample the
	// same neighbours: of those about as smooth, the one whose dip is the
	// deepest is the smear's.
	best := motionDip
	for d := range directions {
		if smooth[d] < smooth[smoothest]-motionBand {
			continue
		}
		c, s := along(d)
		ac := autocorrelation(deriv, rows, cols, c, s, motionMax)
		for n := motionMin; n <= motionMax && ac != nil; n++ {
			if ac[n] < best {
				m, best, ok = Motion{Length: n, Angle: float64(d * motionStep)}, ac[n], true
			}
		}
	}
	return m, ok
}

// autocorrelation is the autocorrelation of deriv (rows × cols) along the
// direction (c, s) at lags 0 to upTo, over the one at lag 0 (nil when that
// is 0: nothing changes).
func autocorrelation(deriv []float32, rows, cols int, c, s float64, upTo int) []float64 {
	out := make([]float64, upTo+1)
	for n := range out {
		ox, oy := int(math.Round(float64(n)*c)), int(math.Round(float64(n)*s))
		var r float64
		for y := motionMax; y < rows-motionMax; y += motionStride {
			row, shifted := y*cols, (y+oy)*cols+ox
			for x := motionMax; x < cols-motionMax; x += motionStride {
				r += float64(deriv[row+x]) * float64(deriv[shifted+x])
			}
		}
		out[n] = r
	}
	if out[0] <= 0 {
		return nil
	}
	for n := len(out) - 1; n >= 0; n-- {
		out[n] /= out[0]
	}
	return out
}

// motionKernel is the point spread function of m: a line of m.Length
// pixels along m.Angle, its weight shared between the pixels it passes
// nearest, summing to 1. The kernel's side is odd, so that its anchor is
// its centre: with an even side, each pass of Richardson-Lucy would shift
// the image by half a pixel.
func motionKernel(m Motion) gocv.Mat {
	n := m.Length
	side := n | 1
	k := gocv.Zeros(side, side, gocv.MatTypeCV32F)
	c := float64(side / 2)
	dx, dy := math.Cos(m.Angle*math.Pi/180), math.Sin(m.Angle*math.Pi/180)
	for i := range n {
		t := float64(i) - float64(n-1)/2
		y, x := int(math.Round(c+t*dy)), int(math.Round(c+t*dx))
		k.SetFloatAt(y, x, k.GetFloatAt(y, x)+1/float32(n))
	}
	return k
}

// Deblur undoes the motion blur m on the page's working image by
// Richardson-Lucy deconvolution: the estimate is multiplied, again and
// again, by the blurred image over the estimate blurred, blurred back
// along the smear.
func (p *Page) Deblur(m Motion) error {
	if m.Length < 2 || p.Gray.Empty() {
		return nil
	}
	k := motionKernel(m)
	defer k.Close()
	flipped := gocv.NewMat()
	defer flipped.Close()
	gocv.Flip(k, &flipped, -1)
	observed := gocv.NewMat()
	defer observed.Close()
	p.Gray.ConvertTo(&observed, gocv.MatTypeCV32F)
	observed.AddFloat(1) // no division by zero on black
	estimate := observed.Clone()
	defer estimate.Close()
	blurred, ratio, back := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer blurred.Close()
	defer ratio.Close()
	defer back.Close()
	anchor := image.Pt(-1, -1)
	for range deblurIterations {
		gocv.Filter2D(estimate, &blurred, -1, k, anchor, 0, gocv.BorderReflect)
		gocv.Divide(observed, blurred, &ratio)
		gocv.Filter2D(ratio, &back, -1, flipped, anchor, 0, gocv.BorderReflect)
		gocv.Multiply(estimate, back, &estimate)
	}
	estimate.SubtractFloat(1)
	estimate.ConvertTo(&p.Gray, gocv.MatTypeCV8U) // saturates to 0-255
	if p.det != nil {
		// The lines' direction seen on the smeared page may be the smear's:
		// it is looked for again.
		regs, err := p.det.Detect(p.Gray)
		if err != nil {
			return err
		}
		_, lines := textArea(regs, max(p.Gray.Cols(), p.Gray.Rows()))
		p.saw(lines)
	}
	return nil
}
