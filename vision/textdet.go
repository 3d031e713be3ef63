package vision

import (
	"fmt"
	"image"
	"image/color"
	"math"

	ort "github.com/yalue/onnxruntime_go"
	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/internal/onnxrt"
)

// TextDetector is PaddleOCR's PP-OCRv4 DB text detector run in ONNX
// Runtime: a network that marks the pixels inside text lines with a
// probability, whose regions are cut into line boxes (Liao et al.,
// "Real-time Scene Text Detection with Differentiable Binarization").
//
// A TextDetector is not safe for concurrent use; give each worker its own.
type TextDetector struct {
	sess *ort.DynamicAdvancedSession
	// side is the size of the network's square input: a page is scaled
	// to fit it and padded with black below and right. (Padded only to
	// multiples of 32, the lines found differ at the margins, and on 100
	// hard cases findings fared worse, F1 0.884 against 0.901, at the
	// same speed.)
	side  int
	input []float32 // reused between pages
}

// DetectorFilesFrom names the detector's files ("det" in models/onnx.json)
// by asking path (models.Path), see onnxrt.FilesFrom.
func DetectorFilesFrom(path func(name string) (file, sha256 string, err error)) (onnxrt.Files, error) {
	return onnxrt.FilesFrom(path, "det")
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
	dbMean = [3]float32{0.485, 0.456, 0.406}
	dbStd  = [3]float32{0.229, 0.224, 0.225}
)

// The detector's input and output names.
const (
	dbInput  = "x"
	dbOutput = "sigmoid_0.tmp_0"
)

// LoadTextDetector loads the detector after checking its and the runtime's
// SHA-256, and opens a session for it on one thread.
func LoadTextDetector(files onnxrt.Files, side int) (*TextDetector, error) {
	if side < 32 || side%32 != 0 {
		return nil, fmt.Errorf("text detector: input side %d is not a positive multiple of 32", side)
	}
	data, err := files.Load()
	if err != nil {
		return nil, fmt.Errorf("text detector: %w", err)
	}
	sess, err := onnxrt.Session(data, []string{dbInput}, []string{dbOutput})
	if err != nil {
		return nil, fmt.Errorf("text detector %s: %w", files.Model, err)
	}
	return &TextDetector{sess: sess, side: side}, nil
}

// Close frees the session.
func (d *TextDetector) Close() error { return d.sess.Destroy() }

// Side is the size of the detector's square input.
func (d *TextDetector) Side() int { return d.side }

// Detect finds text lines on a grayscale image and returns them in its
// coordinates.
func (d *TextDetector) Detect(gray gocv.Mat) ([]Region, error) {
	prob, scale, err := d.probability(gray)
	if err != nil {
		return nil, err
	}
	defer prob.Close()
	return dbRegions(prob, scale, image.Rect(0, 0, gray.Cols(), gray.Rows())), nil
}

// probability runs the network on gray scaled by scale to fit side and
// letterboxed into side x side, and returns its text-probability map.
func (d *TextDetector) probability(gray gocv.Mat) (gocv.Mat, float64, error) {
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
	pix, err := small.DataPtrUint8()
	if err != nil {
		return gocv.NewMat(), 0, err
	}
	side := d.side
	plane := side * side
	if cap(d.input) < 3*plane {
		d.input = make([]float32, 3*plane)
	}
	in := d.input[:3*plane]
	for c := range 3 {
		ch := in[c*plane : (c+1)*plane]
		mean, inv := dbMean[c], 1/dbStd[c]
		black := -mean * inv
		for y := range side {
			row := ch[y*side : (y+1)*side]
			x := 0
			if y < h {
				for i, v := range pix[y*w : (y+1)*w] {
					row[i] = (float32(v)/255 - mean) * inv
				}
				x = w
			}
			for ; x < side; x++ {
				row[x] = black
			}
		}
	}
	t, err := onnxrt.Run(d.sess, nil, ort.NewShape(1, 3, int64(side), int64(side)), in)
	if err != nil {
		return gocv.NewMat(), 0, fmt.Errorf("text detector: %w", err)
	}
	defer t.Destroy()
	if len(t.GetData()) != plane {
		return gocv.NewMat(), 0, fmt.Errorf("text detector: output %v, want 1x1x%dx%d", t.GetShape(), side, side)
	}
	prob := gocv.NewMatWithSize(side, side, gocv.MatTypeCV32F)
	dst, err := prob.DataPtrFloat32()
	if err != nil {
		prob.Close()
		return gocv.NewMat(), 0, err
	}
	copy(dst, t.GetData())
	return prob, scale, nil
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
