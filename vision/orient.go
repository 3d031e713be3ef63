package vision

import (
	"math"

	"gocv.io/x/gocv"
)

// orientSide is the longer side the orientation search works at: enough for
// line gaps of a label that fills a tenth of the frame, and the ~50 trial
// angles take about 2 ms in all (projecting the stroke pixels; warping the
// mask for each angle took 50 ms, a tenth of a phone label's time).
const orientSide = 640

// Orient straightens the page before lines are looked for: it finds the
// angle at which the stroke mask's row profile is most peaked (text rows and
// the gaps between them), and turns the page a quarter when the column
// profile is more peaked than any row profile (text running up or down).
// Unlike the slope of line blobs, this works when the page is turned so far
// that a line's characters no longer merge into one blob. Upside-down pages
// are told apart later, by recognition confidence (see Page.Turn180).
//
// When Focus found the lines with the DB detector and they agree on a
// direction, the page is turned by that direction instead: the detector
// sees lines at any angle, where the profiles must tell a quarter turn
// from a table's columns.
func Orient(p *Page) error {
	if p.hasDir && !(p.cfg.NoQuarterTurns && math.Abs(p.textDir) > 45) {
		p.QuarterTurned = math.Abs(p.textDir) > 45
		if math.Abs(p.textDir) >= p.cfg.MinSkewDeg {
			rotate(p, p.textDir)
		}
		return nil
	}
	small, _ := p.shrunk(orientSide)
	defer small.Close()
	mask := strokeMask(small)
	defer mask.Close()
	if glyphCount(mask) < minOrientGlyphs {
		return nil // too little text to orient by: a product photo, or text too small to see here
	}
	pts := strokePoints(mask)

	// One projection per trial angle gives both profiles; coarse steps
	// over ±45°, then half-degree steps around the best row and column
	// angles.
	var rowA, rowS, colA, colS float64
	try := func(a float64) {
		r, c := pts.profileScores(a)
		if r > rowS {
			rowA, rowS = a, r
		}
		if c > colS {
			colA, colS = a, c
		}
	}
	for a := -45.0; a <= 45; a += 3 {
		try(a)
	}
	for _, centre := range []float64{rowA, colA} {
		for a := centre - 2.5; a <= centre+2.5+1e-9; a += 0.5 {
			try(a)
		}
	}

	angle := rowA
	// Columns must win clearly: tables give some column structure too.
	if colS > rowS*quarterTurnMargin && !p.cfg.NoQuarterTurns {
		angle = colA + 90
		p.QuarterTurned = true
	}
	if math.Abs(angle) >= p.cfg.MinSkewDeg {
		rotate(p, angle)
	}
	return nil
}

// quarterTurnMargin is how much more peaked the column profile must be than
// the row profile before the page is turned a quarter.
const quarterTurnMargin = 1.25

// minOrientGlyphs: fewer glyph-like strokes than this are not enough text to
// orient a page by (the shapes of a product photo give a handful).
const minOrientGlyphs = 15

// strokes are the stroke pixels of a mask, as offsets from its centre,
// and their row and column profiles, as many bins as the mask's diagonal
// (enough at any angle), reused between angles.
type strokes struct {
	xs, ys     []float32
	rows, cols []float32
}

// strokePoints lists the stroke pixels of mask.
func strokePoints(mask gocv.Mat) *strokes {
	w, h := mask.Cols(), mask.Rows()
	d := int(math.Ceil(math.Hypot(float64(w), float64(h)))) + 2
	s := &strokes{rows: make([]float32, d), cols: make([]float32, d)}
	pix, err := mask.DataPtrUint8()
	if err != nil {
		return s
	}
	cx, cy := float32(w)/2, float32(h)/2
	for y := range h {
		for x, v := range pix[y*w : (y+1)*w] {
			if v != 0 {
				s.xs = append(s.xs, float32(x)-cx)
				s.ys = append(s.ys, float32(y)-cy)
			}
		}
	}
	return s
}

// profileScores turns the strokes by deg (counter-clockwise, as
// GetRotationMatrix2D) and measures how peaked their row and column sums
// are: the sum of squares over the square of the sum, largest when
// strokes pile up in some rows (columns) and leave the others empty.
// Projecting the stroke pixels costs a tenth of warping the mask.
func (s *strokes) profileScores(deg float64) (rows, cols float64) {
	if len(s.xs) == 0 {
		return 0, 0
	}
	rad := deg * math.Pi / 180
	c, n := float32(math.Cos(rad)), float32(math.Sin(rad))
	half := float32(len(s.rows)) / 2
	clear(s.rows)
	clear(s.cols)
	last := len(s.rows) - 2
	// Each pixel is shared between the two bins its centre falls between:
	// counted whole in one, pixels on a grid projected at 45° fall in
	// every other bin and make a comb the peakedness takes for text rows.
	add := func(profile []float32, v float32) {
		i := min(max(int(v), 0), last)
		f := min(max(v-float32(i), 0), 1)
		profile[i] += 1 - f
		profile[i+1] += f
	}
	for i, x := range s.xs {
		y := s.ys[i]
		add(s.cols, c*x+n*y+half)
		add(s.rows, c*y-n*x+half)
	}
	return peakedness(s.rows), peakedness(s.cols)
}

// peakedness is how peaked a profile is: n·Σv² / (Σv)², n its length.
func peakedness(profile []float32) float64 {
	var total, squares float64
	for _, v := range profile {
		total += float64(v)
		squares += float64(v) * float64(v)
	}
	if total == 0 {
		return 0
	}
	return squares * float64(len(profile)) / (total * total)
}

// Turn180 turns the page upside down and finds its lines again; the
// inspector calls it when lines read better upside down.
func (p *Page) Turn180() error {
	rotate(p, 180)
	return FindLines(p)
}
