// Package annotate draws what labelcheck found on the images it found it
// in: every text line read, the evidence of each field and finding, CCC
// marks and QR codes, each in its own colour. Inspectors look at these
// instead of reading coordinates.
package annotate

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/cases"
	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/vision"
)

// Colours, distinct on grey labels and on each other.
var (
	LineColour    = color.RGBA{40, 120, 255, 255} // every line read: blue
	FieldColour   = color.RGBA{0, 170, 0, 255}    // evidence of a field value: green
	FindingColour = color.RGBA{230, 0, 0, 255}    // evidence of a finding: red
	MarkColour    = color.RGBA{200, 0, 200, 255}  // CCC marks: magenta
	CodeColour    = color.RGBA{0, 190, 190, 255}  // QR codes: cyan
	tagColour     = color.RGBA{255, 255, 255, 255}
)

// Case writes each readable image of c, with r's boxes drawn, into
// dir/<case>/<image>.jpg. An image that cannot be decoded again is skipped
// (its report already says why); the first failure to write is returned
// after the other images are done.
func Case(dir string, c cases.Case, r *inspection.Report, lim vision.Limits) error {
	out := filepath.Join(dir, safeName(r.Case))
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	byName := map[string]cases.Image{}
	for _, im := range c.Images {
		byName[im.Name] = im
	}
	var errs []error
	for _, res := range r.Images {
		im, ok := byName[res.Name]
		if !ok || res.Kind == inspection.KindUnreadable {
			continue
		}
		data, err := im.Read(lim.MaxBytes)
		if err != nil {
			continue
		}
		bgr, err := vision.Decode(data, lim)
		if err != nil {
			bgr.Close()
			continue
		}
		Draw(&bgr, res, r)
		name := filepath.Join(out, safeName(strings.TrimSuffix(res.Name, filepath.Ext(res.Name)))+".jpg")
		if !gocv.IMWriteWithParams(name, bgr, []int{gocv.IMWriteJpegQuality, 85}) {
			errs = append(errs, fmt.Errorf("annotate: cannot write %s", name))
		}
		bgr.Close()
	}
	return errors.Join(errs...)
}

// Draw draws on img (the decoded image res was read from) the lines of res
// and the boxes r puts on it. Boxes are in the stored image's pixels; img
// may be smaller (a very large JPEG is decoded at a reduced size).
func Draw(img *gocv.Mat, res inspection.ImageResult, r *inspection.Report) {
	sx, sy := 1.0, 1.0
	if res.Width > 0 && res.Height > 0 {
		sx, sy = float64(img.Cols())/float64(res.Width), float64(img.Rows())/float64(res.Height)
	}
	rect := func(b inspection.Box) image.Rectangle {
		return image.Rect(int(float64(b[0])*sx), int(float64(b[1])*sy),
			int(float64(b[0]+b[2])*sx), int(float64(b[1]+b[3])*sy))
	}
	thick := max(2, max(img.Cols(), img.Rows())/600)
	for _, l := range res.Lines {
		gocv.Rectangle(img, rect(l.Box), LineColour, max(1, thick/2))
	}
	style := map[string]struct {
		colour color.RGBA
		thick  int
	}{inspection.DrawnField: {FieldColour, thick}, inspection.DrawnFinding: {FindingColour, thick * 2},
		inspection.DrawnMark: {MarkColour, thick * 2}, inspection.DrawnCode: {CodeColour, thick * 2}}
	for _, d := range r.Drawn(res.Name) {
		box(img, rect(d.Box), style[d.Kind].colour, style[d.Kind].thick, d.Tag)
	}
}

// box draws r with a tag in a filled band above it (below, at the top edge).
// Tags are ASCII: field names and codes, which OpenCV's fonts can draw.
func box(img *gocv.Mat, r image.Rectangle, c color.RGBA, thick int, tag string) {
	gocv.Rectangle(img, r, c, thick)
	scale := max(0.5, float64(max(img.Cols(), img.Rows()))/2000)
	size := gocv.GetTextSize(tag, gocv.FontHersheySimplex, scale, max(1, thick/2))
	y := r.Min.Y - thick
	if y-size.Y-4 < 0 {
		y = r.Max.Y + size.Y + thick + 4
	}
	band := image.Rect(r.Min.X, y-size.Y-4, r.Min.X+size.X+4, y+2)
	gocv.Rectangle(img, band, c, -1)
	gocv.PutText(img, tag, image.Pt(r.Min.X+2, y-2), gocv.FontHersheySimplex, scale, tagColour, max(1, thick/2))
}

// safeName keeps a case or image name to one path element.
func safeName(s string) string {
	s = strings.NewReplacer("/", "_", "\\", "_", "..", "_").Replace(s)
	if s == "" || s == "." {
		return "_"
	}
	return s
}

// Preview is an image as an HTML report embeds it: decoded as labelcheck
// decodes it (EXIF orientation applied, so the report's boxes fit it),
// scaled down to at most maxSide pixels on its longer side, as a JPEG of
// quality 70.
func Preview(data []byte, lim vision.Limits, maxSide int) ([]byte, error) {
	bgr, err := vision.Decode(data, lim)
	defer bgr.Close()
	if err != nil {
		return nil, err
	}
	if long := max(bgr.Cols(), bgr.Rows()); long > maxSide {
		s := float64(maxSide) / float64(long)
		gocv.Resize(bgr, &bgr, image.Point{}, s, s, gocv.InterpolationArea)
	}
	buf, err := gocv.IMEncodeWithParams(gocv.JPEGFileExt, bgr, []int{gocv.IMWriteJpegQuality, 70})
	if err != nil {
		return nil, err
	}
	defer buf.Close()
	return slices.Clone(buf.GetBytes()), nil
}
