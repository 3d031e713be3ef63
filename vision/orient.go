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
func Orient(p *Page) error {
	scale := math.Min(1, float64(orientSide)/float64(max(p.Gray.Cols(), p.Gray.Rows())))
	small := gocv.NewMat()
	defer small.Close()
	gocv.Resize(p.Gray, &small, image.Point{}, scale, scale, gocv.InterpolationArea)
	mask := strokeMask(small)
	defer mask.Close()
	if medianGlyphHeight(mask) == 0 {
		return nil // no text to orient by
	}
	// A square canvas the size of the diagonal keeps every rotation whole.
	d := int(math.Ceil(math.Hypot(float64(mask.Cols()), float64(mask.Rows()))))
	padded := gocv.NewMat()
	defer padded.Close()
	top, left := (d-mask.Rows())/2, (d-mask.Cols())/2
	gocv.CopyMakeBorder(mask, &padded, top, d-mask.Rows()-top, left, d-mask.Cols()-left, gocv.BorderConstant, color.RGBA{})

	best := func(lo, hi, step float64, cols bool) (float64, float64) {
		ba, bs := 0.0, -1.0
		for a := lo; a <= hi+1e-9; a += step {
			if s := profileScore(padded, a, cols); s > bs {
				ba, bs = a, s
			}
		}
		return ba, bs
	}
	rowA, rowS := best(-45, 45, 3, false)
	rowA, rowS = best(rowA-2.5, rowA+2.5, 0.5, false)
	colA, colS := best(-45, 45, 3, true)
	colA, colS = best(colA-2.5, colA+2.5, 0.5, true)

	angle := rowA
	// Columns must win clearly: tables give some column structure too.
	if colS > rowS*quarterTurnMargin {
		angle = colA + 90
	}
	if math.Abs(angle) >= p.cfg.MinSkewDeg {
		rotate(p, angle)
	}
	return nil
}

// quarterTurnMargin is how much more peaked the column profile must be than
// the row profile before the page is turned a quarter.
const quarterTurnMargin = 1.25

// profileScore rotates the mask by deg and measures how peaked its row (or
// column) sums are: the sum of squares over the square of the sum, which
// is largest when strokes pile up in some rows and leave others empty.
func profileScore(mask gocv.Mat, deg float64, cols bool) float64 {
	m := gocv.GetRotationMatrix2D(image.Pt(mask.Cols()/2, mask.Rows()/2), deg, 1)
	defer m.Close()
	rot := gocv.NewMat()
	defer rot.Close()
	gocv.WarpAffineWithParams(mask, &rot, m, image.Pt(mask.Cols(), mask.Rows()), gocv.InterpolationNearestNeighbor, gocv.BorderConstant, color.RGBA{})
	sums := gocv.NewMat()
	defer sums.Close()
	dim := 1 // one sum per row
	if cols {
		dim = 0
	}
	gocv.Reduce(rot, &sums, dim, gocv.ReduceSum, gocv.MatTypeCV32F)
	n := sums.Total()
	var total, squares float64
	for i := range n {
		var v float64
		if cols {
			v = float64(sums.GetFloatAt(0, i))
		} else {
			v = float64(sums.GetFloatAt(i, 0))
		}
		total += v
		squares += v * v
	}
	if total == 0 {
		return 0
	}
	return squares * float64(n) / (total * total)
}

// Turn180 turns the page upside down and finds its lines again; the
// inspector calls it when lines read better upside down.
func (p *Page) Turn180() error {
	rotate(p, 180)
	return FindLines(p)
}
