package vision

import (
	"image"
	"math"
	"slices"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/inspection"
)

// markSide is the longer side CCC-mark search works at. At 1000 px a mark
// 12° askew whose ring is a ninth of a 4000 px frame wide was missed (its
// letters merged); at 1600 it is found. Marks whose ring is under about 80
// px wide here are missed: their three Cs merge. The OCR of "CCC" then still
// counts as CCC wording for the rules.
const markSide = 1600

// CCC mark geometry (DOMAIN.md 1.2: an oval ring around three letters C,
// printed, moulded or on a sticker, high contrast).
const (
	// markMinAxis: rings with a shorter minor axis, at markSide, are noise.
	markMinAxis = 18
	// The ring's width-to-height ratio; the standard mark is about 1.5.
	markMinAspect, markMaxAspect = 1.2, 2.2
	// markFit: the ring's outline must cover its fitted ellipse's area
	// within this share.
	markFit = 0.12
	// markMinScore: marks scoring lower are not reported (the score is
	// 1 - the ring's misfit, so markFit already bounds it).
	markMinScore = 1 - markFit
)

// CCCMarks finds CCC marks on the page: an elliptical ring whose hole holds
// three letter-like shapes of one size side by side, dark on light or
// light on dark. The page must already be straightened (the mark is then
// level within the ±30° a photographed mark keeps after deskew). Boxes are
// on the image as stored.
func (p *Page) CCCMarks() []inspection.Mark {
	small, scale := p.shrunk(markSide)
	out, rings := p.marksOn(small, scale, p.toImage, nil)
	small.Close()
	if len(out) == 0 {
		for i := range rings {
			rings[i] = unscaled(rings[i], scale)
		}
		out = p.closerUntilFound(p.Gray, p.toImage, rings)
	}
	if !p.frame.Empty() {
		// Focus cropped to the text; the mark may stand beyond it.
		var frameRings []image.Rectangle
		out, frameRings = p.marksOn(p.frame, p.frameScale, p.frameToImage, out)
		for _, r := range frameRings {
			out = p.closerMark(p.frame, p.frameScale, p.frameToImage, r, out)
		}
	}
	return out
}

// closerMark looks again at a ring found at markSide whose letters could
// not be told apart there (ring is its bounds on src, an image at srcScale
// of the one t maps to the stored image): the window around it is scaled
// so that the ring is markCloser pixels across. The binarisation window
// and the stroke widths change with the scale, and letters that touch the
// ring or one another at one size stand clear at another (a sticker upside
// down in a 12 MP frame, hard case 96 of seed 1, was found at 1400 and 1800
// px but not at 1600).
func (p *Page) closerMark(src gocv.Mat, srcScale float64, t [6]float64, ring image.Rectangle, found []inspection.Mark) []inspection.Mark {
	window := grow(ring, 0.3).Intersect(image.Rect(0, 0, src.Cols(), src.Rows()))
	if window.Empty() {
		return found
	}
	region := src.Region(window)
	defer region.Close()
	scale := float64(markCloser) / float64(max(ring.Dx(), ring.Dy()))
	near := gocv.NewMat()
	defer near.Close()
	interp := gocv.InterpolationArea
	if scale > 1 {
		interp = gocv.InterpolationLinear
	}
	gocv.Resize(region, &near, image.Point{}, scale, scale, interp)
	// near is src's window at scale, and src the original at srcScale:
	// near's pixels unscaled by both are the original's from the window's
	// corner.
	t = compose(t, [6]float64{1, 0, float64(window.Min.X) / srcScale, 0, 1, float64(window.Min.Y) / srcScale})
	found, _ = p.marksOn(near, scale*srcScale, t, found)
	return found
}

// closerUntilFound looks closer (closerMark) at rings, bounds on src (the
// image t maps to the stored image), one after another until one holds a
// mark.
func (p *Page) closerUntilFound(src gocv.Mat, t [6]float64, rings []image.Rectangle) []inspection.Mark {
	var found []inspection.Mark
	for _, r := range rings {
		if found = p.closerMark(src, 1, t, r, found); len(found) > 0 {
			break
		}
	}
	return found
}

// markCloser is the width, in pixels, a ring is looked at again at.
const markCloser = 240

// marksOn appends to found the marks on gray (at scale of the page mapped
// to the stored image by t) that do not overlap a mark already found. rings
// are the bounds, on gray, of the rings that held no three Cs.
func (p *Page) marksOn(gray gocv.Mat, scale float64, t [6]float64, found []inspection.Mark) (marks []inspection.Mark, rings []image.Rectangle) {
	block := max(15, (max(gray.Cols(), gray.Rows())/20)|1)
	for _, inv := range []gocv.ThresholdType{gocv.ThresholdBinaryInv, gocv.ThresholdBinary} {
		bin := gocv.NewMat()
		gocv.AdaptiveThreshold(gray, &bin, 255, gocv.AdaptiveThresholdMean, inv, block, 10)
		hits, empty := findMarks(bin)
		rings = append(rings, empty...)
		for _, r := range hits {
			box := p.boxThrough(t, unscaled(r.box, scale))
			if slices.ContainsFunc(found, func(m inspection.Mark) bool { return m.Box.Rect().Overlaps(box.Rect()) }) {
				continue
			}
			found = append(found, inspection.Mark{Kind: "ccc", Box: box, Score: math.Round(r.score*100) / 100})
		}
		bin.Close()
	}
	return found, rings
}

type markHit struct {
	box   image.Rectangle
	score float64
}

// findMarks looks on a binary image (ink white) for rings holding three Cs;
// rings are the bounds of the rings that hold something else.
func findMarks(bin gocv.Mat) (hits []markHit, rings []image.Rectangle) {
	hierarchy := gocv.NewMat()
	defer hierarchy.Close()
	contours := gocv.FindContoursWithParams(bin, &hierarchy, gocv.RetrievalCComp, gocv.ChainApproxNone)
	defer contours.Close()
	for i := 0; i < contours.Size(); i++ {
		h := hierarchy.GetVeciAt(0, i)
		hole := int(h[2]) // first child: with RetrievalCComp, a hole of this outline
		if h[3] >= 0 || hole < 0 {
			continue
		}
		outer := contours.At(i)
		ring, ok := ellipseLike(outer)
		if !ok {
			continue
		}
		// The largest hole must be the ring's inside: an ellipse of the
		// same centre.
		best, bestArea := -1, 0.0
		for c := hole; c >= 0; c = int(hierarchy.GetVeciAt(0, c)[0]) {
			if a := gocv.ContourArea(contours.At(c)); a > bestArea {
				best, bestArea = c, a
			}
		}
		inner, ok := ellipseLike(contours.At(best))
		if !ok || bestArea < 0.45*gocv.ContourArea(outer) ||
			math.Hypot(float64(inner.Center.X-ring.Center.X), float64(inner.Center.Y-ring.Center.Y)) > 0.1*float64(min(ring.Width, ring.Height)) {
			continue
		}
		// Exactly three: the oval 检验合格 stamps of certificates and the
		// rings of burners hold other shapes, or more.
		if letterCs(bin, gocv.BoundingRect(contours.At(best)), float64(min(inner.Width, inner.Height)), majorAxisAngle(ring)) != 3 {
			rings = append(rings, gocv.BoundingRect(outer))
			continue
		}
		// How well the ring fits an ellipse is the score.
		score := 1 - ellipseMisfit(outer, ring)
		if score >= markMinScore {
			hits = append(hits, markHit{box: gocv.BoundingRect(outer), score: score})
		}
	}
	return hits, rings
}

// ellipseLike fits an ellipse to c and reports whether c is one: large
// enough, of the mark's proportions, and covering the fitted area.
func ellipseLike(c gocv.PointVector) (gocv.RotatedRect, bool) {
	if c.Size() < 20 {
		return gocv.RotatedRect{}, false
	}
	e := gocv.FitEllipse(c)
	long, short := float64(max(e.Width, e.Height)), float64(min(e.Width, e.Height))
	if short < markMinAxis || long/short < markMinAspect || long/short > markMaxAspect {
		return e, false
	}
	return e, ellipseMisfit(c, e) <= markFit
}

// ellipseMisfit is how far c's area is from that of its fitted ellipse e,
// as a share of the latter.
func ellipseMisfit(c gocv.PointVector, e gocv.RotatedRect) float64 {
	fitted := math.Pi / 4 * float64(e.Width) * float64(e.Height)
	return math.Abs(gocv.ContourArea(c)/fitted - 1)
}

// letterCs counts the letter-like shapes in the hole of a ring (its bounds
// and the minor axis of its ellipse, holeH; tilt is its major axis in
// radians): components of ink inside of one height (0.3-0.75 of holeH), at
// least half as wide as high, hollow (a C fills under 70% of its hull),
// opening along the axis all the same way (forward, or backward on a mark
// upside down), on one row along the axis.
func letterCs(bin gocv.Mat, hole image.Rectangle, holeH, tilt float64) int {
	// Inset: the hole's bounds run along the ring's inner edge, which would
	// otherwise enclose everything inside as one shape.
	r := hole.Inset(max(2, int(holeH/20))).Intersect(image.Rect(0, 0, bin.Cols(), bin.Rows()))
	if r.Empty() {
		return 0
	}
	region := bin.Region(r)
	defer region.Close()
	inside := region.Clone()
	defer inside.Close()
	hierarchy := gocv.NewMat()
	defer hierarchy.Close()
	contours := gocv.FindContoursWithParams(inside, &hierarchy, gocv.RetrievalExternal, gocv.ChainApproxSimple)
	defer contours.Close()
	sin, cos := math.Sincos(tilt)
	// A shape's size is that of its minimum-area rectangle, which a tilted
	// mark does not change.
	type shape struct {
		cx, cy, h float64
		opens     bool // forward along the axis (else backward)
	}
	var shapes []shape
	for i := 0; i < contours.Size(); i++ {
		c := contours.At(i)
		b := gocv.BoundingRect(c)
		// Shapes touching the bounds are the ring itself.
		if b.Min.X == 0 || b.Min.Y == 0 || b.Max.X >= r.Dx() || b.Max.Y >= r.Dy() {
			continue
		}
		rr := gocv.MinAreaRect(c)
		hh, ww := float64(max(rr.Width, rr.Height)), float64(min(rr.Width, rr.Height))
		if hh < 0.3*holeH || hh > 0.75*holeH || ww < 0.5*hh {
			continue
		}
		hullX, hullY, hullArea := centroid(hullPoints(c))
		if math.Abs(hullArea) == 0 || gocv.ContourArea(c) > 0.7*math.Abs(hullArea) {
			continue
		}
		// A C opens along the reading direction: its ink sits on the side
		// away from the opening, so its centroid lies behind its hull's.
		inkX, inkY, _ := centroid(c.ToPoints())
		along := (hullX-inkX)*cos + (hullY-inkY)*sin
		if math.Abs(along) < 0.05*hh {
			continue
		}
		shapes = append(shapes, shape{float64(rr.Center.X), float64(rr.Center.Y), hh, along > 0})
	}
	// The largest group of shapes of one height on one row, the row running
	// along the ring's major axis, within a third of a letter's height: a
	// mark photographed at a slant is sheared, and its row turns off the
	// ellipse's axis (hard case 36 of seed 1: the outer Cs stood 0.2 of a
	// height off it).
	best := 0
	for _, a := range shapes {
		n := 0
		for _, b := range shapes {
			if a.opens == b.opens && math.Abs(a.h-b.h) <= 0.2*a.h && math.Abs(-sin*(a.cx-b.cx)+cos*(a.cy-b.cy)) <= 0.35*a.h {
				n++ // a itself included
			}
		}
		best = max(best, n)
	}
	return best
}

// centroid is the centre of area of the polygon pts.
func centroid(pts []image.Point) (x, y, area float64) {
	for i := range pts {
		a, b := pts[i], pts[(i+1)%len(pts)]
		cross := float64(a.X*b.Y - b.X*a.Y)
		area += cross
		x += float64(a.X+b.X) * cross
		y += float64(a.Y+b.Y) * cross
	}
	if area == 0 {
		return 0, 0, 0
	}
	return x / (3 * area), y / (3 * area), area / 2
}

// hullPoints is the convex hull of c.
func hullPoints(c gocv.PointVector) []image.Point {
	hull := gocv.NewMat()
	defer hull.Close()
	gocv.ConvexHull(c, &hull, false, true)
	pts := gocv.NewPointVectorFromMat(hull)
	defer pts.Close()
	return pts.ToPoints()
}

// majorAxisAngle is the direction of an ellipse's major axis in radians,
// pointing right.
func majorAxisAngle(e gocv.RotatedRect) float64 {
	a := e.Angle
	if e.Height > e.Width {
		a += 90
	}
	// An axis has no direction: take the one pointing right, in (-90°, 90°].
	a = math.Mod(a+90, 180)
	if a <= 0 {
		a += 180
	}
	return (a - 90) * math.Pi / 180
}
