package vision

import (
	"context"
	"fmt"
	"image"
	"math"
	"strings"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/inspection"
)

// Config tunes the preprocessing and line detection. Every default is a
// named value in DefaultConfig with the reason for it.
type Config struct {
	Limits Limits
	// TextGate decides from a glance at the image whether it may hold text;
	// GateText switches it on.
	TextGate TextGate
	GateText bool
	// DetectMaxSide is the longer side line detection runs at; the crops
	// themselves come from the full-resolution image.
	DetectMaxSide int
	// LineHeight is the text height, in pixels, a crop is scaled to for the
	// recogniser.
	LineHeight int
	// Margin is the blank border around a crop, as a fraction of its height.
	Margin float64
	// MinSkewDeg: smaller skews are left alone (rotating costs a resample).
	MinSkewDeg float64
	// Deskew switches the deskew step on.
	Deskew bool
	// Orient switches on the orientation step: any skew up to ±45° and
	// quarter turns, before lines are looked for.
	Orient bool
	// Focus switches on cropping a large frame to where its text is.
	Focus bool
	// NoQuarterTurns keeps Orient to skews of ±45°.
	NoQuarterTurns bool
	// Detector finds the text lines: "classical" (morphology) or "db"
	// (PP-OCRv4's learned detector, see TextDetector).
	Detector string
	// Redetect: when the classical detector's lines leave an image
	// unreadable, its lines are looked for again with the DB detector
	// (FindLinesDB).
	Redetect bool
	// DBSide is the square input size of the DB detector.
	DBSide int
	// Gate is the quality an image's text must have to be read.
	Gate QualityGate
	// Flatten switches on evening out the light and grain of soft line
	// crops: those whose glyph edges are blurred over SoftBlur of the line
	// height or more.
	Flatten  bool
	SoftBlur float64
	// Deblur: a label read unsure or not at all is looked at for a motion
	// blur, which is undone before it is read again (FindMotion, Deblur);
	// a label read with confidence too, see LongSmear.
	Deblur bool
	// LongSmear: a label read with confidence is looked at for a smear too,
	// and deblurred when it finds one this many pixels long or longer (0:
	// never); its values may be misread with confidence.
	LongSmear float64
}

// Detectors are the values Config.Detector takes.
var Detectors = []string{"classical", "db"}

// DefaultConfig returns the configuration labelcheck runs with.
func DefaultConfig() Config {
	return Config{
		Limits:   DefaultLimits(),
		TextGate: DefaultTextGate(),
		GateText: true,
		// 1280 px keeps 8-point text of a label that fills a phone frame
		// above 8 px, enough to find, and detection stays under 40 ms.
		DetectMaxSide: 1280,
		// Tesseract's LSTM models read CJK best at 36-48 px glyphs.
		LineHeight: 40,
		// MEASURED.md: Tesseract needs about 0.3 x line height around a line.
		Margin: 0.3,
		// Tesseract itself copes with half a degree on a single line.
		MinSkewDeg: 0.5,
		Deskew:     true,
		Orient:     true,
		Focus:      true,
		// Measured on 100 hard cases (focus on): classical lines give field
		// recall 0.46 at 2.8 images/s, DB lines 0.42 at 1.6 images/s.
		Detector: "classical",
		// 100 hard cases: the images left unreadable by classical lines
		// fall from 32 to 4 (finding F1 0.53 -> 0.61, field exact 81.0 ->
		// 82.3%); every image looked at with DB lines (--detector db)
		// gives F1 0.56 and false fails 6% at 1.58 images/s, not 2.1.
		Redetect: true,
		// The DB detector locates labels in whole 12 MP frames for Focus:
		// at 640 it misses the lines of a label a fifth of the frame wide
		// (field recall 0.38 on 100 hard cases), at 960 it finds most
		// (0.46). About 0.25 s per frame in ONNX Runtime on one core.
		DBSide: 960,
		// Measured on the 300 bench cases at every level (label images,
		// the share of their printed values read): text under 14 px, or
		// blurred over 8% of its height, reads 2% of its values (120 of
		// 824 hard images; 1 of 824 phone images, none clean); the other
		// hard images read 42%, and no product photo falls under the
		// gate. Contrast never decided on its own above 40 grey levels.
		// With PP-OCR reading the lines Tesseract is unsure of, text blurred
		// over 8-11% of its height reads well enough to keep: on 100 hard
		// cases, MaxBlur 0.08 / 0.11 / 0.14 gave field exact 78.2 / 79.4 /
		// 79.4%, finding F1 0.49 / 0.54 / 0.54, verdict accuracy 70 / 72 /
		// 71%, false-fail 2% each.
		Gate: QualityGate{MinTextHeight: 14, MaxBlur: 0.11, MinContrast: 40},
		// 100 cases per level, field recall hard / clean / phone: none
		// 0.452 / 0.948 / 0.956; every line 0.488 / 0.939 / 0.951; lines
		// blurred over 5% 0.474 / 0.948 / 0.957, over 4% 0.480 / 0.946 /
		// 0.958. (Sharpening instead: hard 0.413.)
		Flatten:  true,
		SoftBlur: 0.04,
		Deblur:   true,
		// 129 hard cases with a label smeared 9-13 px (seed 1), with LongSmear
		// 0 / 8 / 5: field exact 87.6 / 89.4 / 89.7%, finding F1 0.841 /
		// 0.850 / 0.850, 1.34 / 1.09 / 0.56 images/s.
		LongSmear: 8,
	}
}

// StepNames are the optional preprocessing steps, in pipeline order.
func StepNames() []string {
	return []string{"gate", "focus", "orient", "deskew", "redetect", "flatten", "deblur"}
}

// Disable switches off the optional step called name.
func (c *Config) Disable(name string) error {
	switch strings.TrimSpace(name) {
	case "gate":
		c.GateText = false
	case "focus":
		c.Focus = false
	case "orient":
		c.Orient = false
	case "deskew":
		c.Deskew = false
	case "redetect":
		c.Redetect = false
	case "flatten":
		c.Flatten = false
	case "deblur":
		c.Deblur = false
	default:
		return fmt.Errorf("no preprocessing step %q (steps: %s)", name, strings.Join(StepNames(), ", "))
	}
	return nil
}

// Page is an image on its way through the preprocessing pipeline.
type Page struct {
	// Gray is the working image: grayscale, deskewed. Owned by the Page.
	Gray gocv.Mat
	// Width and Height are the size of the image as stored.
	Width, Height int
	// Skew is the rotation, in degrees, the deskew step removed.
	Skew float64
	// QuarterTurned says Orient turned the page by about 90°.
	QuarterTurned bool
	// focus is the rectangle of the decoded image Focus cropped to
	// (empty: none).
	focus image.Rectangle
	// block is where in the crop the lines Focus found are (empty: no
	// crop).
	block image.Rectangle
	// textDir is the direction the lines Focus found run in, in degrees
	// (valid when hasDir): Orient turns the page by it.
	textDir float64
	hasDir  bool
	// seen is the number of lines Focus's last look found (LinesSeen).
	seen int
	// hint is where a glance saw the most text (see HintText).
	hint image.Rectangle
	// Lines are the text lines found, in Gray's coordinates, in reading order.
	Lines []Region
	cfg   Config
	// toImage maps Gray's coordinates to the stored image's (2x3 affine).
	toImage [6]float64
	// det locates text for Focus and, with Config.Detector "db", finds the
	// lines.
	det *TextDetector
	// frame is the whole image, at most markSide on its longer side, kept
	// when Focus crops (empty otherwise): CCC marks are looked for on it
	// too, since a mark may stand beyond the text Focus cropped to.
	frame      gocv.Mat
	frameScale float64
	// frameToImage maps frame's coordinates, unscaled, to the stored image's.
	frameToImage [6]float64
}

// SetDetector gives the page a DB text detector, which Focus and, with
// Config.Detector "db", FindLines need. The page does not own d.
func (p *Page) SetDetector(d *TextDetector) { p.det = d }

// NeedsDetector reports whether the steps cfg switches on use a TextDetector.
func (c Config) NeedsDetector() bool { return c.Focus || c.Redetect || c.Detector == "db" }

// Region is a detected text line.
type Region struct {
	Rect image.Rectangle
	// Angle is the line's slope in degrees, from its minimum-area rectangle,
	// in [-45, 45); Dir is the direction of its long side, in [-90, 90).
	Angle, Dir float64
	// Long and Short are the sides of that rectangle, at detection scale.
	Long, Short int
	// Center, Width (along the line) and Height are the line's rotated
	// rectangle in Gray's coordinates; LineCrop cuts along it.
	Center        [2]float64
	Width, Height float64
}

// Step is one stage of the preprocessing pipeline.
type Step func(*Page) error

// Pipeline returns the preprocessing steps cfg switches on, in order.
func Pipeline(cfg Config) []Step {
	var steps []Step
	if cfg.Focus {
		steps = append(steps, Focus)
	}
	if cfg.Orient {
		steps = append(steps, Orient)
	}
	steps = append(steps, FindLines)
	if cfg.Deskew {
		steps = append(steps, Deskew)
	}
	return steps
}

// NewPage makes a Page from a decoded image, grey or BGR. The caller keeps
// ownership of img; the Page must be closed.
func NewPage(img gocv.Mat, cfg Config) *Page {
	p := &Page{Gray: gocv.NewMat(), frame: gocv.NewMat(), Width: img.Cols(), Height: img.Rows(), cfg: cfg, toImage: [6]float64{1, 0, 0, 0, 1, 0}}
	if img.Channels() == 1 {
		img.CopyTo(&p.Gray)
	} else {
		gocv.CvtColor(img, &p.Gray, gocv.ColorBGRToGray)
	}
	return p
}

// HintText tells Focus where the text gate's look at the image (at any
// size: a glance at a reduced decode, or the image itself) saw the most
// text: where the detector, over the whole frame, sees text too small to
// find lines in, Focus looks closer there. Call it before any step.
func (p *Page) HintText(l Look) {
	if l.Of.X <= 0 || p.Gray.Cols() == 0 {
		return
	}
	scale := float64(l.Of.X) / float64(p.Gray.Cols())
	p.hint = unscaled(l.Area, scale).Intersect(image.Rect(0, 0, p.Gray.Cols(), p.Gray.Rows()))
}

// StoredAs says the image as stored is of size, not of the size decoded (a
// JPEG over Limits.ReducePixels is decoded at half size): boxes are then
// given on the image as stored. Call it before any step.
func (p *Page) StoredAs(size image.Point) {
	if size.X <= 0 || size.Y <= 0 || (size.X == p.Width && size.Y == p.Height) {
		return
	}
	sx, sy := float64(size.X)/float64(p.Width), float64(size.Y)/float64(p.Height)
	p.toImage = [6]float64{sx, 0, 0, 0, sy, 0}
	p.Width, p.Height = size.X, size.Y
}

// Run applies the steps in order, stopping at the first error or when ctx
// is done.
func (p *Page) Run(ctx context.Context, steps []Step) error {
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s(p); err != nil {
			return err
		}
	}
	return nil
}

// Close frees the Page's Mats.
func (p *Page) Close() error {
	p.frame.Close()
	return p.Gray.Close()
}

// ImageBox maps a rectangle in Gray's coordinates to the box it covers on
// the image as stored.
func (p *Page) ImageBox(r image.Rectangle) inspection.Box {
	return p.boxThrough(p.toImage, r)
}

// boxThrough maps a rectangle by the affine map t to the box it covers on
// the image as stored.
func (p *Page) boxThrough(t [6]float64, r image.Rectangle) inspection.Box {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, c := range [4][2]float64{{float64(r.Min.X), float64(r.Min.Y)}, {float64(r.Max.X), float64(r.Min.Y)},
		{float64(r.Max.X), float64(r.Max.Y)}, {float64(r.Min.X), float64(r.Max.Y)}} {
		x := t[0]*c[0] + t[1]*c[1] + t[2]
		y := t[3]*c[0] + t[4]*c[1] + t[5]
		minX, minY = math.Min(minX, x), math.Min(minY, y)
		maxX, maxY = math.Max(maxX, x), math.Max(maxY, y)
	}
	x0 := clampInt(int(math.Floor(minX)), 0, p.Width)
	y0 := clampInt(int(math.Floor(minY)), 0, p.Height)
	x1 := clampInt(int(math.Ceil(maxX)), 0, p.Width)
	y1 := clampInt(int(math.Ceil(maxY)), 0, p.Height)
	return inspection.Box{x0, y0, x1 - x0, y1 - y0}
}

// shrunk returns Gray scaled down so its longer side is at most side (a
// copy when it already is), and the scale used. The caller closes the Mat.
func (p *Page) shrunk(side int) (gocv.Mat, float64) {
	scale := math.Min(1, float64(side)/float64(max(p.Gray.Cols(), p.Gray.Rows())))
	small := gocv.NewMat()
	if scale < 1 {
		gocv.Resize(p.Gray, &small, image.Point{}, scale, scale, gocv.InterpolationArea)
	} else {
		p.Gray.CopyTo(&small)
	}
	return small, scale
}

// unscaled maps a rectangle found at scale back to Gray's coordinates,
// rounding outwards.
func unscaled(r image.Rectangle, scale float64) image.Rectangle {
	return image.Rect(int(float64(r.Min.X)/scale), int(float64(r.Min.Y)/scale),
		int(math.Ceil(float64(r.Max.X)/scale)), int(math.Ceil(float64(r.Max.Y)/scale)))
}

func clampInt(v, lo, hi int) int {
	return max(lo, min(hi, v))
}
