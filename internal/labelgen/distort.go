package labelgen

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"gocv.io/x/gocv"
)

// Distortion is how a label is "photographed": placed in a frame at an angle,
// in uneven light, out of focus or moving, with glare, sensor noise and JPEG
// loss. Ranges are [min, max] and drawn per image.
type Distortion struct {
	Name         string
	MaxRotateDeg float64    // rotation drawn from ±MaxRotateDeg
	TurnProb     float64    // chance of an extra 90°, 180° or 270° turn
	Perspective  [2]float64 // corner jitter as a fraction of the label size
	Defocus      [2]float64 // Gaussian blur sigma, in pixels of the frame
	MotionProb   float64    // chance of motion blur instead of defocus
	MotionLen    [2]int     // motion blur length in pixels
	Noise        float64    // standard deviation of additive noise, in grey levels
	LightMin     float64    // the darkest side of the lighting gradient, as a factor
	GlareProb    float64    // chance of a glare spot
	Clutter      int        // shapes scattered around the label
	JPEG         [2]int     // JPEG quality
	Frame        image.Point
	Fill         [2]float64 // fraction of the frame's width the label covers; 0: no frame (a scan)
}

// The three difficulty levels of the benchmark (issue 3), applied to the same cases.
var (
	// Clean is a straight scan: the label itself, lightly compressed.
	Clean = Distortion{Name: "clean", JPEG: [2]int{92, 92}}
	// Phone is a careful phone photo; the bundled examples use it.
	Phone = Distortion{Name: "phone", MaxRotateDeg: 8, Perspective: [2]float64{0.01, 0.03}, Defocus: [2]float64{0.5, 1.0},
		Noise: 3, LightMin: 0.75, JPEG: [2]int{60, 85}, Frame: image.Pt(1600, 1200), Fill: [2]float64{0.7, 0.85}}
	// Hard is a hurried photo: any angle, at a slant on a table, blurred,
	// with glare and clutter, the label small in a 12-megapixel frame.
	Hard = Distortion{Name: "hard", MaxRotateDeg: 25, TurnProb: 0.3, Perspective: [2]float64{0.05, 0.12},
		Defocus: [2]float64{1.2, 2.5}, MotionProb: 0.4, MotionLen: [2]int{5, 13}, Noise: 6, LightMin: 0.55,
		GlareProb: 0.5, Clutter: 8, JPEG: [2]int{30, 50}, Frame: image.Pt(4000, 3000), Fill: [2]float64{0.2, 0.4}}
)

// Levels are the distortions by name.
var Levels = map[string]Distortion{"clean": Clean, "phone": Phone, "hard": Hard}

func between(rng *rand.Rand, r [2]float64) float64 { return r[0] + rng.Float64()*(r[1]-r[0]) }

// photograph applies d to src and returns the encoded file (JPEG, or PNG
// when png is set).
func photograph(src *image.RGBA, d Distortion, rng *rand.Rand, png bool) ([]byte, error) {
	label, err := gocv.ImageToMatRGB(src)
	if err != nil {
		return nil, err
	}
	defer label.Close()
	if d.Fill[1] == 0 {
		return encodeMat(label, png, d.JPEG[0])
	}
	frame := background(d, rng)
	defer frame.Close()

	sw, sh := float64(src.Bounds().Dx()), float64(src.Bounds().Dy())
	fw, fh := float64(d.Frame.X), float64(d.Frame.Y)
	scale := math.Min(between(rng, d.Fill)*fw/sw, 0.9*fh/sh)
	theta := (rng.Float64()*2 - 1) * d.MaxRotateDeg * math.Pi / 180
	cx := fw/2 + (rng.Float64()*2-1)*(fw/2-sw*scale*0.6)*0.5
	cy := fh/2 + (rng.Float64()*2-1)*(fh/2-sh*scale*0.6)*0.5
	persp := between(rng, d.Perspective)
	srcPts := []image.Point{{0, 0}, {int(sw), 0}, {int(sw), int(sh)}, {0, int(sh)}}
	dstPts := make([]image.Point, 4)
	for i, p := range srcPts {
		x, y := (float64(p.X)-sw/2)*scale, (float64(p.Y)-sh/2)*scale
		jx := (rng.Float64()*2 - 1) * persp * sw * scale
		jy := (rng.Float64()*2 - 1) * persp * sh * scale
		dstPts[i] = image.Pt(int(cx+x*math.Cos(theta)-y*math.Sin(theta)+jx), int(cy+x*math.Sin(theta)+y*math.Cos(theta)+jy))
	}
	sv, dv := gocv.NewPointVectorFromPoints(srcPts), gocv.NewPointVectorFromPoints(dstPts)
	defer sv.Close()
	defer dv.Close()
	m := gocv.GetPerspectiveTransform(sv, dv)
	defer m.Close()
	gocv.WarpPerspectiveWithParams(label, &frame, m, d.Frame, gocv.InterpolationLinear, gocv.BorderTransparent, color.RGBA{})

	light(frame, d, rng)
	// Blur where the label is: the background's focus does not matter, and
	// blurring a 12 MP frame whole costs half a second.
	roi := image.Rectangle{}
	for _, p := range dstPts {
		roi = roi.Union(image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))})
	}
	roi = roi.Inset(-40).Intersect(image.Rect(0, 0, d.Frame.X, d.Frame.Y))
	region := frame.Region(roi)
	if d.MotionProb > 0 && rng.Float64() < d.MotionProb {
		motionBlur(region, d.MotionLen[0]+rng.IntN(d.MotionLen[1]-d.MotionLen[0]+1), rng.Float64()*180)
	} else if s := between(rng, d.Defocus); s > 0 {
		gocv.GaussianBlur(region, &region, image.Point{}, s, s, gocv.BorderReflect)
	}
	region.Close()
	addNoise(frame, d.Noise, rng)
	if d.TurnProb > 0 && rng.Float64() < d.TurnProb {
		codes := []gocv.RotateFlag{gocv.Rotate90Clockwise, gocv.Rotate180Clockwise, gocv.Rotate90CounterClockwise}
		gocv.Rotate(frame, &frame, codes[rng.IntN(3)])
	}
	q := d.JPEG[0] + rng.IntN(d.JPEG[1]-d.JPEG[0]+1)
	return encodeMat(frame, png, q)
}

// background is the frame around the label: a table top lit from one side,
// with clutter scattered on it.
func background(d Distortion, rng *rand.Rand) gocv.Mat {
	base := color.RGBA{uint8(90 + rng.IntN(90)), uint8(80 + rng.IntN(70)), uint8(60 + rng.IntN(60)), 255}
	frame := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(float64(base.B), float64(base.G), float64(base.R), 0), d.Frame.Y, d.Frame.X, gocv.MatTypeCV8UC3)
	for range d.Clutter {
		col := color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
		x, y := rng.IntN(d.Frame.X), rng.IntN(d.Frame.Y)
		r := d.Frame.X/40 + rng.IntN(d.Frame.X/12)
		if rng.IntN(2) == 0 {
			gocv.Circle(&frame, image.Pt(x, y), r, col, -1)
		} else {
			gocv.Rectangle(&frame, image.Rect(x, y, x+r*2, y+r), col, -1)
		}
	}
	return frame
}

// light multiplies the frame by a linear gradient in a random direction and
// adds a glare spot: a bright, soft-edged blob that washes out what is under
// it. Fixed-point arithmetic and a separable glare keep a 12 MP frame fast.
func light(frame gocv.Mat, d Distortion, rng *rand.Rand) {
	pix, _ := frame.DataPtrUint8()
	w, h := frame.Cols(), frame.Rows()
	a := rng.Float64() * 2 * math.Pi
	lx, ly := math.Cos(a), math.Sin(a)
	// k(x, y) = 1 - (1-LightMin)·t with t linear in x and y, in 1/65536ths.
	dark := 1 - d.LightMin
	k0 := 1 - dark*(0.5-0.25*lx-0.25*ly)
	kx, ky := -dark*0.5*lx/float64(w), -dark*0.5*ly/float64(h)
	for y := range h {
		k := int64((k0 + ky*float64(y)) * 65536)
		step := int64(kx * 65536)
		row := pix[y*w*3 : (y+1)*w*3]
		for x := range w {
			for j := range 3 {
				i := 3*x + j
				row[i] = uint8(min(255, max(0, (int64(row[i])*k)>>16)))
			}
			k += step
		}
	}
	if d.GlareProb == 0 || rng.Float64() >= d.GlareProb {
		return
	}
	gx, gy := rng.IntN(w), rng.IntN(h)
	gr := float64(w) * (0.04 + rng.Float64()*0.06)
	reach := int(3 * gr)
	prof := make([]float64, 2*reach+1) // exp(-d²/2σ²) = profile(dx)·profile(dy)
	for i := range prof {
		dd := float64(i - reach)
		prof[i] = math.Exp(-dd * dd / (2 * gr * gr))
	}
	for y := max(0, gy-reach); y < min(h, gy+reach+1); y++ {
		py := prof[y-gy+reach]
		for x := max(0, gx-reach); x < min(w, gx+reach+1); x++ {
			add := 235 * py * prof[x-gx+reach]
			i := (y*w + x) * 3
			for j := range 3 {
				pix[i+j] = clamp8(float64(pix[i+j]) + add)
			}
		}
	}
}

// motionBlur smears the frame along a line of n pixels at angle degrees.
func motionBlur(frame gocv.Mat, n int, angle float64) {
	k := gocv.NewMatWithSize(n, n, gocv.MatTypeCV32F)
	defer k.Close()
	c := float64(n-1) / 2
	dx, dy := math.Cos(angle*math.Pi/180), math.Sin(angle*math.Pi/180)
	for i := range n {
		t := float64(i) - c
		k.SetFloatAt(int(math.Round(c+t*dy)), int(math.Round(c+t*dx)), 1/float32(n))
	}
	gocv.Filter2D(frame, &frame, -1, k, image.Pt(-1, -1), 0, gocv.BorderReflect)
}

// addNoise adds Gaussian noise from a table of normal samples drawn per
// image (drawing one per pixel costs a quarter second on 12 MP).
func addNoise(frame gocv.Mat, sigma float64, rng *rand.Rand) {
	if sigma <= 0 {
		return
	}
	const n = 1 << 16
	table := make([]int16, n)
	for i := range table {
		table[i] = int16(math.Round(rng.NormFloat64() * sigma))
	}
	pix, _ := frame.DataPtrUint8()
	idx, stride := rng.Uint32(), uint32(2*rng.IntN(n/2)+1) // odd: visits the whole table
	for i := 0; i < len(pix); i += 3 {
		idx += stride
		e := table[idx&(n-1)]
		for j := range 3 {
			pix[i+j] = uint8(min(255, max(0, int16(pix[i+j])+e)))
		}
	}
}

func encodeMat(m gocv.Mat, png bool, quality int) ([]byte, error) {
	ext, params := gocv.JPEGFileExt, []int{gocv.IMWriteJpegQuality, quality}
	if png {
		ext, params = gocv.PNGFileExt, []int{gocv.IMWritePngCompression, 6}
	}
	buf, err := gocv.IMEncodeWithParams(ext, m, params)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	defer buf.Close()
	return append([]byte(nil), buf.GetBytes()...), nil
}

func clamp8(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, math.Round(v))))
}
