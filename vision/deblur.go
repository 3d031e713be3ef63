package vision

import (
	"image"
	"math"
	"slices"

	"gocv.io/x/gocv"
)

// Motion is a linear motion blur: the image smeared evenly over Length
// pixels along Angle, in degrees in [0, 180) in image coordinates (y down),
// as a hand shaking during the exposure smears it.
type Motion struct {
	Length float64
	Angle  float64
}

// Motion blur is looked for from motionMin to motionMax pixels: a shorter
// smear leaves text legible, and sharp strokes have their own dip there
// (their width).
const (
	motionMin = 5
	motionMax = 25
	// cepstrumTile is the side of the tiles whose power spectra are
	// averaged (half overlapping): large enough for the longest smear's
	// echo to stand clear of the origin, small enough for a small label
	// to give many tiles.
	cepstrumTile = 64
	// cepstrumDip is how far, in standard deviations of the cepstrum over
	// the lengths and directions searched, the smear's echo must stand
	// below their mean. With motionAnisotropy and motionDip, chosen on the
	// hard bench (seed 1, where the generator's smears are known): of 150
	// label images not smeared, none is taken for smeared; of 328 smeared,
	// 192 are found within 10° of the smear's direction and 35 off it (the
	// autocorrelation alone, within 15°: 77 and 109).
	cepstrumDip = -2.5
	// motionAnisotropy is how much smoother over its first pixels the
	// derivative must be along the smear than at right angles to it (the
	// mean autocorrelation at 1-3 pixels): a defocused image is smooth
	// every way.
	motionAnisotropy = 0.15
	// motionDip is how far below zero the derivative's autocorrelation
	// along the smear must fall within a pixel of its length.
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
// measured on (a million pixels, some 0.04 s: BenchmarkFindMotion).
const motionWindow = 1024

// FindMotion estimates the linear motion blur of gray, an 8-bit grey
// image. A smear of n pixels along a direction multiplies the image's
// spectrum by a sinc whose zeros repeat every 1/n along that direction:
// the cepstrum (the spectrum of the log power spectrum) has a deep
// negative echo n pixels from its origin that way, and nowhere else (after
// Cannon; Rom). Its depth is judged against the cepstrum over all the
// lengths and directions searched, at a quarter-pixel step. The power
// spectrum is averaged over half-overlapping tiles, so that the text's own
// spectrum does not hide the zeros. An echo is taken as a smear only when
// the derivative agrees (after Yitzhaky and Kopeika): smoother over its
// first pixels along the smear than across it (a defocused image is
// smooth every way, sharp text rough every way), and dipping below zero
// within a pixel of the smear's length (the difference of two copies of
// the image that far apart). ok is false when either disagrees.
func FindMotion(gray gocv.Mat) (m Motion, ok bool) {
	if gray.Empty() || gray.Rows() < 4*motionMax || gray.Cols() < 4*motionMax {
		return Motion{}, false
	}
	cep, err := cepstrum(gray, cepstrumTile)
	if err != nil {
		return Motion{}, false
	}
	m, z := cepstrumEcho(cep, cepstrumTile)
	if z > cepstrumDip {
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
	deriv := make([]float32, len(dx))
	along := func(angle float64, upTo int) []float64 {
		c, s := math.Cos(angle*math.Pi/180), math.Sin(angle*math.Pi/180)
		for i := range dx {
			deriv[i] = float32(c*float64(dx[i]) + s*float64(dy[i]))
		}
		return autocorrelation(deriv, gray.Rows(), gray.Cols(), c, s, upTo)
	}
	n := int(math.Round(m.Length))
	ac, across := along(m.Angle, min(n+1, motionMax)), along(m.Angle+90, 3)
	if ac == nil || across == nil {
		return Motion{}, false // a blank image
	}
	if (ac[1]+ac[2]+ac[3])/3-(across[1]+across[2]+across[3])/3 < motionAnisotropy {
		return Motion{}, false
	}
	if slices.Min(ac[n-1:]) > motionDip {
		return Motion{}, false
	}
	return m, true
}

// cepstrum is the real cepstrum of gray's power spectrum averaged over
// half-overlapping tiles of side tile (each less its mean, under a Hann
// window): tile × tile values, the origin at index 0, wrapping around.
func cepstrum(gray gocv.Mat, tile int) ([]float32, error) {
	f := gocv.NewMat()
	defer f.Close()
	gray.ConvertTo(&f, gocv.MatTypeCV32F)
	src, err := f.DataPtrFloat32()
	if err != nil {
		return nil, err
	}
	buf := gocv.NewMatWithSize(tile, tile, gocv.MatTypeCV32F)
	defer buf.Close()
	spec := gocv.NewMat()
	defer spec.Close()
	b, err := buf.DataPtrFloat32()
	if err != nil {
		return nil, err
	}
	hann := make([]float32, tile)
	for i := range hann {
		hann[i] = float32(0.5 - 0.5*math.Cos(2*math.Pi*(float64(i)+0.5)/float64(tile)))
	}
	power := make([]float64, tile*tile)
	rows, cols := gray.Rows(), gray.Cols()
	for y0 := 0; y0+tile <= rows; y0 += tile / 2 {
		for x0 := 0; x0+tile <= cols; x0 += tile / 2 {
			var sum float32
			for y := range tile {
				for _, v := range src[(y0+y)*cols+x0 : (y0+y)*cols+x0+tile] {
					sum += v
				}
			}
			mean := sum / float32(tile*tile)
			for y := range tile {
				row := src[(y0+y)*cols+x0 : (y0+y)*cols+x0+tile]
				for x, v := range row {
					b[y*tile+x] = (v - mean) * hann[y] * hann[x]
				}
			}
			gocv.DFT(buf, &spec, gocv.DftComplexOutput)
			s, err := spec.DataPtrFloat32()
			if err != nil {
				return nil, err
			}
			for i := range power {
				re, im := float64(s[2*i]), float64(s[2*i+1])
				power[i] += re*re + im*im
			}
		}
	}
	for i, p := range power {
		b[i] = float32(math.Log(p + 1e-3))
	}
	gocv.DFT(buf, &spec, gocv.DftComplexOutput)
	s, err := spec.DataPtrFloat32()
	if err != nil {
		return nil, err
	}
	out := make([]float32, tile*tile)
	for i := range out {
		out[i] = s[2*i] // the log power is real and even: so is its transform
	}
	return out, nil
}

// cepstrumEcho is the deepest point of cep (tile × tile, see cepstrum)
// from motionMin to motionMax pixels from its origin, every degree and
// quarter pixel, read between its samples; and its depth in standard
// deviations of all the points searched from their mean. Points along the
// axes at multiples of 8 pixels are skipped: JPEG's 8 × 8 blocks leave
// their own echoes there.
func cepstrumEcho(cep []float32, tile int) (Motion, float64) {
	at := func(x, y int) float64 {
		x, y = ((x%tile)+tile)%tile, ((y%tile)+tile)%tile
		return float64(cep[y*tile+x])
	}
	between := func(x, y float64) float64 {
		x0, y0 := math.Floor(x), math.Floor(y)
		fx, fy := x-x0, y-y0
		xi, yi := int(x0), int(y0)
		return (1-fx)*(1-fy)*at(xi, yi) + fx*(1-fy)*at(xi+1, yi) + (1-fx)*fy*at(xi, yi+1) + fx*fy*at(xi+1, yi+1)
	}
	var sum, sumSq float64
	var count int
	best, m := math.Inf(1), Motion{}
	for d := range 180 {
		c, s := math.Cos(float64(d)*math.Pi/180), math.Sin(float64(d)*math.Pi/180)
		axis := d <= 2 || d >= 178 || (d >= 88 && d <= 92)
		for q := 4 * motionMin; q <= 4*motionMax; q++ {
			n := float64(q) / 4
			if axis && math.Abs(n-8*math.Round(n/8)) < 1.1 {
				continue
			}
			v := between(n*c, n*s)
			sum, sumSq, count = sum+v, sumSq+v*v, count+1
			if v < best {
				best, m = v, Motion{Length: n, Angle: float64(d)}
			}
		}
	}
	mean := sum / float64(count)
	sd := math.Sqrt(max(0, sumSq/float64(count)-mean*mean))
	if sd == 0 {
		return Motion{}, 0
	}
	return m, (best - mean) / sd
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

// motionKernel is the point spread function of m: a segment m.Length
// pixels long along m.Angle, each pixel weighted by the length of the
// segment nearest it (sampled kernelSamples times a pixel), summing to 1.
// A whole length along an axis gives that many pixels of equal weight; a
// fraction of a pixel more puts that fraction on the pixels at the ends.
// The kernel's side is odd, so that its anchor is its centre: with an even
// side, each pass of Richardson-Lucy would shift the image by half a pixel.
func motionKernel(m Motion) gocv.Mat {
	side := int(math.Ceil(m.Length)) | 1
	k := gocv.Zeros(side, side, gocv.MatTypeCV32F)
	c := float64(side / 2)
	dx, dy := math.Cos(m.Angle*math.Pi/180), math.Sin(m.Angle*math.Pi/180)
	n := int(math.Ceil(m.Length * kernelSamples))
	for i := range n {
		t := (float64(i)+0.5)*m.Length/float64(n) - m.Length/2
		y, x := int(math.Round(c+t*dy)), int(math.Round(c+t*dx))
		k.SetFloatAt(y, x, k.GetFloatAt(y, x)+1/float32(n))
	}
	return k
}

// kernelSamples is how many points a pixel of a smear is sampled at.
const kernelSamples = 8

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
