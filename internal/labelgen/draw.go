package labelgen

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// canvas is an RGBA picture with the few drawing operations labels need.
type canvas struct {
	img *image.RGBA
}

func newCanvas(w, h int, bg color.Color) *canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	return &canvas{img: img}
}

// text draws s with its top-left corner at (x, y) and returns the advance
// width in pixels.
func (c *canvas) text(x, y int, s, fontName string, size float64, col color.Color) (int, error) {
	f, err := face(fontName, size)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	ascent := f.Metrics().Ascent.Ceil()
	d := &font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: f, Dot: fixed.P(x, y+ascent)}
	d.DrawString(s)
	return d.MeasureString(s).Ceil(), nil
}

// measure returns the width of s in pixels.
func measure(s, fontName string, size float64) (int, error) {
	f, err := face(fontName, size)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return font.MeasureString(f, s).Ceil(), nil
}

func (c *canvas) fillRect(r image.Rectangle, col color.Color) {
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Over)
}

// strokeRect draws the outline of r, t pixels thick.
func (c *canvas) strokeRect(r image.Rectangle, t int, col color.Color) {
	c.fillRect(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+t), col)
	c.fillRect(image.Rect(r.Min.X, r.Max.Y-t, r.Max.X, r.Max.Y), col)
	c.fillRect(image.Rect(r.Min.X, r.Min.Y, r.Min.X+t, r.Max.Y), col)
	c.fillRect(image.Rect(r.Max.X-t, r.Min.Y, r.Max.X, r.Max.Y), col)
}

// ellipse fills (or, with ring > 0, outlines) an axis-aligned ellipse.
func (c *canvas) ellipse(cx, cy, rx, ry float64, ring float64, col color.Color) {
	b := c.img.Bounds()
	for y := max(b.Min.Y, int(cy-ry-1)); y <= min(b.Max.Y-1, int(cy+ry+1)); y++ {
		for x := max(b.Min.X, int(cx-rx-1)); x <= min(b.Max.X-1, int(cx+rx+1)); x++ {
			dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
			d := math.Sqrt(dx*dx + dy*dy)
			inside := d <= 1
			if ring > 0 {
				inside = inside && d >= 1-ring/math.Min(rx, ry)
			}
			if inside {
				c.img.Set(x, y, col)
			}
		}
	}
}

// gradient fills the canvas with a vertical gradient from top to bottom.
func (c *canvas) gradient(top, bottom color.RGBA) {
	b := c.img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		t := float64(y-b.Min.Y) / float64(max(1, b.Dy()-1))
		col := color.RGBA{lerp(top.R, bottom.R, t), lerp(top.G, bottom.G, t), lerp(top.B, bottom.B, t), 255}
		draw.Draw(c.img, image.Rect(b.Min.X, y, b.Max.X, y+1), image.NewUniform(col), image.Point{}, draw.Src)
	}
}

func lerp(a, b uint8, t float64) uint8 {
	return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t))
}

// brush adds the horizontal streaks of brushed metal, deterministic for the
// canvas size; strength scales their contrast.
func (c *canvas) brush(strength float64) {
	b := c.img.Bounds()
	seed := uint32(b.Dx()*7919 + b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		seed = seed*1664525 + 1013904223
		d := (float64(seed>>24) - 128) / 128 * 14 * strength
		for x := b.Min.X; x < b.Max.X; x++ {
			i := c.img.PixOffset(x, y)
			for j := range 3 {
				c.img.Pix[i+j] = clamp8(float64(c.img.Pix[i+j]) + d)
			}
		}
	}
}
