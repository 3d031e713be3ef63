package vision

import (
	"image"
	"math"

	"gocv.io/x/gocv"
)

// TextGate decides from a glance whether an image may hold text: a product
// photo without any is then reported as it is, without line detection or
// recognition. It looks for what text has and the shapes of a product photo
// lack: small cells where strong edges run in every direction. Along the
// edge of a shape, even a curved one, the gradients in a small cell share
// one direction (the structure tensor is coherent); in a cell of glyphs
// they do not. A line of text makes a run of such cells side by side; a
// corner or a knob makes one or two. A CCC mark alone (three letters in a
// ring, which may stand on a sticker or a housing with no other text) is
// looked for too.
//
// The gate only ever saves work: an image it passes goes through the whole
// pipeline, which decides for itself whether there is text.
type TextGate struct {
	// Side is the longer side the gate looks at.
	Side int
	// Cell is the side of the square cells, in pixels at Side.
	Cell int
	// MinEnergy is the least mean squared gradient (of Sobel/4, in grey
	// levels per pixel) of a text cell: fainter cells are flat.
	MinEnergy float64
	// MaxCoherence is the most coherence (0: gradients in every direction,
	// 1: all in one) a text cell has.
	MaxCoherence float64
	// MinCells is the fewest text cells, touching, that count as text.
	MinCells int
	// UnreadCells: an image with a run of this many text cells holds text,
	// and when no line of it can be read it is unreadable, not a photo.
	UnreadCells int
}

// DefaultTextGate returns the gate labelcheck runs with.
func DefaultTextGate() TextGate {
	// Measured with Glance on the 100 generated cases per level of seed 1
	// (the largest run of text cells): product photos reach 2 clean, 4
	// phone and 5 hard (a photo whose knobs stand in a row like "ooo" can
	// reach 12: it passes, and costs the whole pipeline); label images 25
	// and more clean and phone, where only the lone CCC marks stay under 6
	// (2-3 cells, and the mark search finds them); at hard, label images
	// reach 12 and more but for 28 of 276 at 3-11, mostly small CCC
	// stickers, of which two fall under 6 with no mark seen: marks the
	// whole pipeline misses too. Each 12 MP decision takes 23 ms (27 ms for
	// a JPEG of quality 92; BenchmarkTextGate12MP).
	//
	// UnreadCells: the seven label images of which no line could be read,
	// in the five hard cases of the 300 that failed LABEL_NO_* for it,
	// show runs of 21-83 cells; product photos reach 5 on the 100-case set
	// and 12 on 40 photos of other seeds.
	return TextGate{Side: 1024, Cell: 16, MinEnergy: 25, MaxCoherence: 0.7, MinCells: 6, UnreadCells: 16}
}

// Look is what the gate saw of an image.
type Look struct {
	// Cells is the largest run of touching text cells.
	Cells int
	// Marks is how many CCC marks were found at the gate's size.
	Marks int
	// Area bounds the largest run, in the pixels of the image looked at
	// (of size Of): where the text most likely is (see Page.HintText).
	Area image.Rectangle
	Of   image.Point
}

// Look measures gray, an image reduced toward g.Side or larger (it is
// scaled down further when larger).
func (g TextGate) Look(gray gocv.Mat) Look {
	small := gocv.NewMat()
	defer small.Close()
	scale := float64(g.Side) / float64(max(gray.Cols(), gray.Rows()))
	if scale < 1 {
		gocv.Resize(gray, &small, image.Point{}, scale, scale, gocv.InterpolationArea)
	} else {
		gray.CopyTo(&small)
		scale = 1
	}
	look := Look{Of: image.Pt(gray.Cols(), gray.Rows())}
	look.Cells, look.Area = g.textCells(small)
	look.Area = unscaled(look.Area, scale).Intersect(image.Rect(0, 0, gray.Cols(), gray.Rows()))
	if look.Cells < g.MinCells {
		look.Marks = countMarks(small)
	}
	return look
}

// Text reports whether the look found text or a mark.
func (g TextGate) Text(l Look) bool { return l.Cells >= g.MinCells || l.Marks > 0 }

// textCells returns the largest run of touching text cells of small and
// the pixels it covers.
func (g TextGate) textCells(small gocv.Mat) (int, image.Rectangle) {
	cw, ch := small.Cols()/g.Cell, small.Rows()/g.Cell
	if cw == 0 || ch == 0 {
		return 0, image.Rectangle{}
	}
	gx, gy := gocv.NewMat(), gocv.NewMat()
	defer gx.Close()
	defer gy.Close()
	gocv.Sobel(small, &gx, gocv.MatTypeCV32F, 1, 0, 3, 0.25, 0, gocv.BorderReplicate)
	gocv.Sobel(small, &gy, gocv.MatTypeCV32F, 0, 1, 3, 0.25, 0, gocv.BorderReplicate)
	// The structure tensor summed over each cell: the products, averaged
	// over the cell by an area resize.
	whole := image.Rect(0, 0, cw*g.Cell, ch*g.Cell)
	perCell := func(a, b gocv.Mat) gocv.Mat {
		prod := gocv.NewMat()
		defer prod.Close()
		gocv.Multiply(a, b, &prod)
		roi := prod.Region(whole)
		defer roi.Close()
		out := gocv.NewMat()
		gocv.Resize(roi, &out, image.Pt(cw, ch), 0, 0, gocv.InterpolationArea)
		return out
	}
	jxx, jyy, jxy := perCell(gx, gx), perCell(gy, gy), perCell(gx, gy)
	defer jxx.Close()
	defer jyy.Close()
	defer jxy.Close()
	text := make([]bool, cw*ch)
	for y := range ch {
		for x := range cw {
			a, b, c := float64(jxx.GetFloatAt(y, x)), float64(jyy.GetFloatAt(y, x)), float64(jxy.GetFloatAt(y, x))
			if e := a + b; e >= g.MinEnergy {
				text[y*cw+x] = math.Sqrt((a-b)*(a-b)+4*c*c)/e <= g.MaxCoherence
			}
		}
	}
	n, run := largestRun(text, cw, ch)
	return n, image.Rect(run.Min.X*g.Cell, run.Min.Y*g.Cell, run.Max.X*g.Cell, run.Max.Y*g.Cell)
}

// largestRun returns the size of the largest 8-connected set of true cells
// of a w×h grid and the cells that bound it.
func largestRun(cells []bool, w, h int) (int, image.Rectangle) {
	best := 0
	var bounds image.Rectangle
	seen := make([]bool, len(cells))
	var stack []int
	for i, on := range cells {
		if !on || seen[i] {
			continue
		}
		seen[i] = true
		stack = append(stack[:0], i)
		n := 0
		var run image.Rectangle
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			x, y := j%w, j/w
			run = run.Union(image.Rect(x, y, x+1, y+1))
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= w || yy >= h {
						continue
					}
					if q := yy*w + xx; cells[q] && !seen[q] {
						seen[q] = true
						stack = append(stack, q)
					}
				}
			}
		}
		if n > best {
			best, bounds = n, run
		}
	}
	return best, bounds
}

// countMarks counts the CCC marks on gray, at its own scale, and looks
// closer at the rings whose letters could not be told apart (see
// Page.closerMark).
func countMarks(gray gocv.Mat) int {
	p := Page{toImage: [6]float64{1, 0, 0, 0, 1, 0}, Width: gray.Cols(), Height: gray.Rows()}
	marks, rings := p.marksOn(gray, 1, p.toImage, nil)
	if len(marks) == 0 {
		marks = p.closerUntilFound(gray, p.toImage, rings)
	}
	return len(marks)
}
