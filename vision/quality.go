package vision

import (
	"cmp"
	"fmt"
	"image"
	"math"
	"slices"

	"gocv.io/x/gocv"
)

// Quality is how readable a page's text is, measured over its text lines
// after the preprocessing steps (so in the pixels the recogniser is given
// its crops from). Each measure is the median over the lines weighted by
// their length, over the lines at least twice as long as high: a label's
// lines of text, not the stray marks and letters detection also returns.
type Quality struct {
	// Lines is how many lines were measured (0: no judgement).
	Lines int
	// TextHeight is the height of the lines, in pixels.
	TextHeight float64
	// Blur is the blur of glyph edges: the sigma, in pixels, of the Gaussian
	// that would spread a sharp edge of the line's contrast to its steepest
	// slope, taken in the direction the edges are softest (motion blur
	// softens one direction only). About 0.7-1.3 on a sharp label.
	Blur float64
	// Contrast is the difference between ink and ground (the 5th and 95th
	// percentile of grey), in grey levels.
	Contrast float64
}

// sqrt2Pi: a step of height c blurred by a Gaussian of sigma s has a
// steepest slope of c / (s·√(2π)).
var sqrt2Pi = math.Sqrt(2 * math.Pi)

// Quality measures the readability of the page's lines.
func (p *Page) Quality() Quality {
	bounds := image.Rect(0, 0, p.Gray.Cols(), p.Gray.Rows())
	var heights, blurs, contrasts []weighted
	for _, l := range p.Lines {
		r := l.Rect.Intersect(bounds)
		if l.Width < 2*l.Height || r.Dx() < 3 || r.Dy() < 3 {
			continue
		}
		roi := p.Gray.Region(r)
		blur, contrast := edgeBlur(roi)
		roi.Close()
		blur = min(blur, l.Height) // a flat region: no edge at all
		heights = append(heights, weighted{l.Height, l.Width})
		blurs = append(blurs, weighted{blur, l.Width})
		contrasts = append(contrasts, weighted{contrast, l.Width})
	}
	return Quality{Lines: len(heights), TextHeight: weightedMedian(heights), Blur: weightedMedian(blurs),
		Contrast: weightedMedian(contrasts)}
}

// QualityGate is what text must be like to be read.
type QualityGate struct {
	// MinTextHeight is the lowest line height read, in pixels.
	MinTextHeight float64
	// MaxBlur is the most blur read, as a share of the line height.
	MaxBlur float64
	// MinContrast is the least contrast read, in grey levels.
	MinContrast float64
}

// Problem says why text of quality q cannot be read ("" when it can). The
// contrast is judged only where text was read (hasText): a product photo's
// shapes are no text of low contrast.
func (g QualityGate) Problem(q Quality, hasText bool) string {
	switch {
	case q.Lines == 0:
		return ""
	case q.Blur > g.MaxBlur*q.TextHeight:
		return fmt.Sprintf("blurred: glyph edges spread over %.1f px on lines %.0f px high (more than %.0f%% of the height)",
			q.Blur, q.TextHeight, 100*g.MaxBlur)
	case q.TextHeight < g.MinTextHeight:
		return fmt.Sprintf("text too small: lines %.0f px high, under %.0f px", q.TextHeight, g.MinTextHeight)
	case hasText && q.Contrast < g.MinContrast:
		return fmt.Sprintf("low contrast: ink and ground differ by %.0f grey levels, under %.0f", q.Contrast, g.MinContrast)
	}
	return ""
}

type weighted struct{ v, w float64 }

// weightedMedian is the value at half the total weight (0 for none).
func weightedMedian(vs []weighted) float64 {
	slices.SortFunc(vs, func(a, b weighted) int { return cmp.Compare(a.v, b.v) })
	var total, seen float64
	for _, v := range vs {
		total += v.w
	}
	for _, v := range vs {
		if seen += v.w; seen >= total/2 {
			return v.v
		}
	}
	return 0
}

// edgeBlur returns the blur sigma of the edges in a grey region and its
// contrast. The steepest slopes are taken as the 98th percentile of the
// absolute central differences along x and along y: the glyph edges, not
// the flat ground, and not one noisy pixel.
func edgeBlur(roi gocv.Mat) (blur, contrast float64) {
	m := roi.Clone()
	defer m.Close()
	w, h := m.Cols(), m.Rows()
	px := m.ToBytes()
	var hist [256]int
	for _, v := range px {
		hist[v]++
	}
	contrast = float64(histPercentile(hist[:], len(px), 0.95) - histPercentile(hist[:], len(px), 0.05))
	if contrast < 1 {
		return math.Inf(1), contrast
	}
	var gx, gy [256]int
	nx, ny := 0, 0
	for y := range h {
		row := px[y*w : (y+1)*w]
		for x := 1; x < w-1; x++ {
			gx[absDiff(row[x+1], row[x-1])/2]++
			nx++
		}
		if y > 0 && y < h-1 {
			up, down := px[(y-1)*w:y*w], px[(y+1)*w:(y+2)*w]
			for x := range w {
				gy[absDiff(down[x], up[x])/2]++
				ny++
			}
		}
	}
	slope := math.Min(float64(histPercentile(gx[:], nx, 0.98)), float64(histPercentile(gy[:], ny, 0.98)))
	if slope < 1 {
		return math.Inf(1), contrast
	}
	return contrast / (slope * sqrt2Pi), contrast
}

func absDiff(a, b byte) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// histPercentile is the smallest value with at least share of the n counted
// values at or below it.
func histPercentile(hist []int, n int, share float64) int {
	want := int(math.Ceil(share * float64(n)))
	seen := 0
	for v, c := range hist {
		seen += c
		if seen >= want {
			return v
		}
	}
	return len(hist) - 1
}
