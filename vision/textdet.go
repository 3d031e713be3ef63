package vision

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/models"
)

// TextDetector is PaddleOCR's PP-OCRv4 DB text detector run in OpenCV's
// DNN module: a network that marks the pixels inside text lines with a
// probability, whose regions are cut into line boxes (Liao et al.,
// "Real-time Scene Text Detection with Differentiable Binarization").
//
// A TextDetector is not safe for concurrent use; give each worker its own.
type TextDetector struct {
	net gocv.Net
	// side is the one input size the network ever runs at: OpenCV 4.6
	// returns an all-zero map when a Net that ran at one size is run at
	// another, so every page is letterboxed into side x side.
	side int
}

// DB post-processing, PaddleOCR's defaults for PP-OCRv4.
const (
	// dbThreshold: a pixel with a higher probability is text.
	dbThreshold = 0.3
	// dbBoxScore: regions whose mean probability is lower are dropped.
	dbBoxScore = 0.6
	// dbUnclip: the network marks a shrunk core of each line; a box is
	// grown by area x dbUnclip / perimeter on every side to cover the glyphs.
	dbUnclip = 1.5
	// dbMinSide: regions thinner than this, in input pixels, are noise.
	dbMinSide = 3
	// dbMaxRegions bounds the work on a page of noise.
	dbMaxRegions = 1000
)

// Input normalisation of PaddleOCR's detector (ImageNet statistics), per
// channel of the BGR image as OpenCV reads it — PaddleOCR feeds BGR too.
var (
	dbMean = [3]float64{0.485, 0.456, 0.406}
	dbStd  = [3]float64{0.229, 0.224, 0.225}
)

// LoadTextDetector loads the converted detector from path after checking
// its SHA-256 against want. OpenCV 4.6 aborts the whole process on a model
// it cannot import, so only the exact file the set-up command produced is
// ever given to it.
func LoadTextDetector(path, want string, side int) (*TextDetector, error) {
	if side < 32 || side%32 != 0 {
		return nil, fmt.Errorf("text detector: input side %d is not a positive multiple of 32", side)
	}
	data, err := models.ReadChecked(path, want)
	if err != nil {
		return nil, fmt.Errorf("text detector: %w", err)
	}
	net, err := gocv.ReadNetFromONNXBytes(data)
	if err != nil {
		return nil, fmt.Errorf("text detector: %w", err)
	}
	if net.Empty() {
		net.Close()
		return nil, fmt.Errorf("text detector: OpenCV read nothing from %s", path)
	}
	net.SetPreferableBackend(gocv.NetBackendOpenCV)
	net.SetPreferableTarget(gocv.NetTargetCPU)
	return &TextDetector{net: net, side: side}, nil
}

// Close frees the network.
func (d *TextDetector) Close() error { return d.net.Close() }

// Side is the input size the detector runs at.
func (d *TextDetector) Side() int { return d.side }

// Detect finds text lines on a grayscale image and returns them in its
// coordinates.
func (d *TextDetector) Detect(gray gocv.Mat) []Region {
	prob, scale := d.probability(gray)
	defer prob.Close()
	return dbRegions(prob, scale, image.Rect(0, 0, gray.Cols(), gray.Rows()))
}

// probability runs the network on gray letterboxed into side x side (scaled
// by scale, padded right and below) and returns its text-probability map.
func (d *TextDetector) probability(gray gocv.Mat) (gocv.Mat, float64) {
	scale := float64(d.side) / float64(max(gray.Cols(), gray.Rows()))
	w := min(d.side, max(1, int(math.Round(float64(gray.Cols())*scale))))
	h := min(d.side, max(1, int(math.Round(float64(gray.Rows())*scale))))
	small := gocv.NewMat()
	defer small.Close()
	interp := gocv.InterpolationArea
	if scale > 1 {
		interp = gocv.InterpolationLinear
	}
	gocv.Resize(gray, &small, image.Pt(w, h), 0, 0, interp)
	gocv.CopyMakeBorder(small, &small, 0, d.side-h, 0, d.side-w, gocv.BorderConstant, color.RGBA{})
	gocv.CvtColor(small, &small, gocv.ColorGrayToBGR)

	blob := gocv.BlobFromImage(small, 1.0/255, image.Pt(d.side, d.side),
		gocv.NewScalar(255*dbMean[0], 255*dbMean[1], 255*dbMean[2], 0), false, false)
	defer blob.Close()
	if data, err := blob.DataPtrFloat32(); err == nil {
		plane := d.side * d.side
		for c := range 3 {
			inv := float32(1 / dbStd[c])
			for i, v := range data[c*plane : (c+1)*plane] {
				data[c*plane+i] = v * inv
			}
		}
	}
	d.net.SetInput(blob, "")
	out := d.net.Forward("")
	defer out.Close()
	prob := gocv.NewMatWithSize(d.side, d.side, gocv.MatTypeCV32F)
	if src, err := out.DataPtrFloat32(); err == nil && len(src) >= d.side*d.side {
		if dst, err := prob.DataPtrFloat32(); err == nil {
			copy(dst, src[:d.side*d.side])
		}
	}
	return prob, scale
}

// dbRegions cuts a probability map into line regions: pixels over the
// threshold, one region per outer contour, kept when the mean probability
// inside is high enough, grown back to the glyphs' extent, and mapped to
// the image by 1/scale.
func dbRegions(prob gocv.Mat, scale float64, bounds image.Rectangle) []Region {
	bin := gocv.NewMat()
	defer bin.Close()
	gocv.Threshold(prob, &bin, dbThreshold, 255, gocv.ThresholdBinary)
	bin.ConvertTo(&bin, gocv.MatTypeCV8U)
	contours := gocv.FindContours(bin, gocv.RetrievalList, gocv.ChainApproxSimple)
	defer contours.Close()
	var out []Region
	for i := 0; i < contours.Size() && i < dbMaxRegions; i++ {
		c := contours.At(i)
		rr := gocv.MinAreaRect(c)
		if min(rr.Width, rr.Height) < dbMinSide {
			continue
		}
		if regionScore(prob, c, rr.BoundingRect) < dbBoxScore {
			continue
		}
		w, h := float64(rr.Width), float64(rr.Height)
		grow := w * h * dbUnclip / (2 * (w + h))
		w, h = w+2*grow, h+2*grow
		if min(w, h) < dbMinSide+2 {
			continue
		}
		grown := gocv.RotatedRect{Center: rr.Center, Width: int(math.Round(w)), Height: int(math.Round(h)), Angle: rr.Angle}
		box := rotatedBounds(grown, 1/scale).Intersect(bounds)
		if box.Empty() {
			continue
		}
		out = append(out, rotatedRegion(box, grown, scale))
	}
	sortReadingOrder(out)
	return out
}

// regionScore is the mean probability inside contour c (within its bounds r).
func regionScore(prob gocv.Mat, c gocv.PointVector, r image.Rectangle) float64 {
	r = r.Intersect(image.Rect(0, 0, prob.Cols(), prob.Rows()))
	if r.Empty() {
		return 0
	}
	mask := gocv.Zeros(r.Dy(), r.Dx(), gocv.MatTypeCV8U)
	defer mask.Close()
	pts := c.ToPoints()
	for i := range pts {
		pts[i] = pts[i].Sub(r.Min)
	}
	shifted := gocv.NewPointsVectorFromPoints([][]image.Point{pts})
	defer shifted.Close()
	gocv.FillPoly(&mask, shifted, color.RGBA{255, 255, 255, 255})
	region := prob.Region(r)
	defer region.Close()
	return region.MeanWithMask(mask).Val1
}

// rotatedBounds is the upright bounding box of rr scaled by s.
func rotatedBounds(rr gocv.RotatedRect, s float64) image.Rectangle {
	rad := float64(rr.Angle) * math.Pi / 180
	cos, sin := math.Abs(math.Cos(rad)), math.Abs(math.Sin(rad))
	w, h := float64(rr.Width), float64(rr.Height)
	bw, bh := (w*cos+h*sin)/2, (w*sin+h*cos)/2
	cx, cy := float64(rr.Center.X), float64(rr.Center.Y)
	return image.Rect(int(math.Floor((cx-bw)*s)), int(math.Floor((cy-bh)*s)),
		int(math.Ceil((cx+bw)*s)), int(math.Ceil((cy+bh)*s)))
}
