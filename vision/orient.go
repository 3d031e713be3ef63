package vision

import (
	"image"
	"image/color"
	"math"

	"gocv.io/x/gocv"
)

// orientSide is the longer side the orientation search works at: enough for
// line gaps of a label that fills a tenth of the frame, and each of the ~40
// trial rotations stays well under a millisecond.
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
	// A square canvas the size of the diagonal keeps every rotation whole.
	d := int(math.Ceil(math.Hypot(float64(mask.Cols()), float64(mask.Rows()))))
	padded := gocv.NewMat()
	defer padded.Close()
	top, left := (d-mask.Rows())/2, (d-mask.Cols())/2
	gocv.CopyMakeBorder(mask, &padded, top, d-mask.Rows()-top, left, d-mask.Cols()-left, gocv.BorderConstant, color.RGBA{})

	// One rotation per trial angle gives both profiles; coarse steps over
	// ±45°, then half-degree steps around the best row and column angles.
	var rowA, rowS, colA, colS float64
	try := func(a float64) {
		r, c := profileScores(padded, a)
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

// profileScores rotates the mask by deg and measures how peaked its row and
// column sums are: the sum of squares over the square of the sum, largest
// when strokes pile up in some rows (columns) and leave the others empty.
func profileScores(mask gocv.Mat, deg float64) (rows, cols float64) {
	m := gocv.GetRotationMatrix2D(image.Pt(mask.Cols()/2, mask.Rows()/2), deg, 1)
	defer m.Close()
	rot := gocv.NewMat()
	defer rot.Close()
	gocv.WarpAffineWithParams(mask, &rot, m, image.Pt(mask.Cols(), mask.Rows()), gocv.InterpolationNearestNeighbor, gocv.BorderConstant, color.RGBA{})
	return peakedness(rot, 1), peakedness(rot, 0)
}

// peakedness reduces the mask along dim (1: one sum per row, 0: per column).
func peakedness(mask gocv.Mat, dim int) float64 {
	sums := gocv.NewMat()
	defer sums.Close()
	gocv.Reduce(mask, &sums, dim, gocv.ReduceSum, gocv.MatTypeCV32F)
	vals, err := sums.DataPtrFloat32()
	if err != nil {
		return 0
	}
	var total, squares float64
	for _, v := range vals {
		total += float64(v)
		squares += float64(v) * float64(v)
	}
	if total == 0 {
		return 0
	}
	return squares * float64(len(vals)) / (total * total)
}

// Turn180 turns the page upside down and finds its lines again; the
// inspector calls it when lines read better upside down.
func (p *Page) Turn180() error {
	rotate(p, 180)
	return FindLines(p)
}
