package labelgen

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/disintegration/imaging"
)

// Distortion is how a label is "photographed": placed in a frame at an angle,
// in uneven light, slightly out of focus, with sensor noise and JPEG loss.
type Distortion struct {
	Name         string
	MaxRotateDeg float64 // rotation drawn from ±MaxRotateDeg
	Perspective  float64 // corner jitter as a fraction of the label size
	BlurSigma    float64
	Noise        float64 // standard deviation of additive noise, in grey levels
	LightMin     float64 // the darkest side of the lighting gradient, as a factor
	JPEGQuality  int
	Frame        image.Point // output size
	Fill         float64     // fraction of the frame the label's larger side covers
}

// Clean is a straight scan: no distortion at all.
var Clean = Distortion{Name: "clean", JPEGQuality: 92, Fill: 0}

// Phone is a careful phone photo of a label, the level of the bundled examples.
var Phone = Distortion{Name: "phone", MaxRotateDeg: 3, Perspective: 0.02, BlurSigma: 0.7, Noise: 3,
	LightMin: 0.8, JPEGQuality: 82, Frame: image.Pt(1600, 1200), Fill: 0.8}

// photograph applies d to src. Clean returns src unchanged.
func photograph(src image.Image, d Distortion, rng *rand.Rand) image.Image {
	if d.Fill == 0 {
		return src
	}
	sb := src.Bounds()
	sw, sh := float64(sb.Dx()), float64(sb.Dy())
	fw, fh := float64(d.Frame.X), float64(d.Frame.Y)
	scale := math.Min(d.Fill*fw/sw, d.Fill*fh/sh)
	theta := (rng.Float64()*2 - 1) * d.MaxRotateDeg * math.Pi / 180
	cx := fw/2 + (rng.Float64()*2-1)*0.05*fw
	cy := fh/2 + (rng.Float64()*2-1)*0.05*fh
	corners := [4][2]float64{{0, 0}, {sw, 0}, {sw, sh}, {0, sh}}
	var dst [4][2]float64
	for i, p := range corners {
		x, y := (p[0]-sw/2)*scale, (p[1]-sh/2)*scale
		jx := (rng.Float64()*2 - 1) * d.Perspective * sw * scale
		jy := (rng.Float64()*2 - 1) * d.Perspective * sh * scale
		dst[i] = [2]float64{cx + x*math.Cos(theta) - y*math.Sin(theta) + jx, cy + x*math.Sin(theta) + y*math.Cos(theta) + jy}
	}
	h := homography(dst, corners) // frame → label, for inverse mapping

	out := image.NewNRGBA(image.Rect(0, 0, d.Frame.X, d.Frame.Y))
	table := color.NRGBA{uint8(120 + rng.IntN(60)), uint8(100 + rng.IntN(50)), uint8(80 + rng.IntN(40)), 255}
	lightAngle := rng.Float64() * 2 * math.Pi
	lx, ly := math.Cos(lightAngle), math.Sin(lightAngle)
	for y := 0; y < d.Frame.Y; y++ {
		for x := 0; x < d.Frame.X; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			w := h[6]*fx + h[7]*fy + 1
			u, v := (h[0]*fx+h[1]*fy+h[2])/w, (h[3]*fx+h[4]*fy+h[5])/w
			c := table
			if u >= 0 && v >= 0 && u < sw-1 && v < sh-1 {
				c = bilinear(src, sb.Min.X, sb.Min.Y, u, v)
			}
			// Light falls off linearly across the frame in a random direction.
			t := ((fx/fw-0.5)*lx+(fy/fh-0.5)*ly)*0.5 + 0.5
			k := 1 - (1-d.LightMin)*t
			out.SetNRGBA(x, y, color.NRGBA{shade(c.R, k), shade(c.G, k), shade(c.B, k), 255})
		}
	}
	var img image.Image = out
	if d.BlurSigma > 0 {
		img = imaging.Blur(img, d.BlurSigma)
	}
	if d.Noise > 0 {
		n := imaging.Clone(img)
		for i := 0; i < len(n.Pix); i += 4 {
			e := rng.NormFloat64() * d.Noise
			for j := range 3 {
				n.Pix[i+j] = clamp8(float64(n.Pix[i+j]) + e)
			}
		}
		img = n
	}
	return img
}

func shade(v uint8, k float64) uint8 { return clamp8(float64(v) * k) }

func clamp8(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, math.Round(v))))
}

func bilinear(img image.Image, ox, oy int, u, v float64) color.NRGBA {
	x0, y0 := int(u), int(v)
	ax, ay := u-float64(x0), v-float64(y0)
	var acc [3]float64
	for _, s := range [4]struct {
		dx, dy int
		w      float64
	}{{0, 0, (1 - ax) * (1 - ay)}, {1, 0, ax * (1 - ay)}, {0, 1, (1 - ax) * ay}, {1, 1, ax * ay}} {
		r, g, b, _ := img.At(ox+x0+s.dx, oy+y0+s.dy).RGBA()
		acc[0] += float64(r>>8) * s.w
		acc[1] += float64(g>>8) * s.w
		acc[2] += float64(b>>8) * s.w
	}
	return color.NRGBA{clamp8(acc[0]), clamp8(acc[1]), clamp8(acc[2]), 255}
}

// homography returns h (h[8] = 1) mapping the points from onto to.
func homography(from, to [4][2]float64) [8]float64 {
	var a [8][9]float64
	for i := range 4 {
		x, y, u, v := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for col := range 8 { // Gauss-Jordan with partial pivoting
		p := col
		for r := col + 1; r < 8; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		a[col], a[p] = a[p], a[col]
		for r := range 8 {
			if r != col {
				f := a[r][col] / a[col][col]
				for k := col; k < 9; k++ {
					a[r][k] -= f * a[col][k]
				}
			}
		}
	}
	var h [8]float64
	for i := range 8 {
		h[i] = a[i][8] / a[i][i]
	}
	return h
}
