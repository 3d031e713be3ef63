package vision

import (
	"errors"
	"image"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/internal/labelgen"
)

// The gate passes every label image of the example cases and stops every
// product photo, photographed carefully (phone) and in haste (hard: 12 MP
// frames, the label a fifth to two fifths of the width, glare, clutter);
// the lone CCC marks among them pass too.
func TestTextGateOnTheExampleCases(t *testing.T) {
	g := DefaultTextGate()
	for _, level := range []labelgen.Distortion{labelgen.Phone, labelgen.Hard} {
		dir := t.TempDir()
		var photos, labels, marks int
		for _, spec := range labelgen.Examples() {
			if err := labelgen.WriteCase(dir, spec, level, 1); err != nil {
				t.Fatal(err)
			}
			tr, err := labelgen.ReadTruth(filepath.Join(dir, spec.Name))
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range tr.Images {
				data, err := os.ReadFile(filepath.Join(dir, spec.Name, name))
				if err != nil {
					t.Fatal(err)
				}
				m, size, _, err := Glance(data, DefaultLimits(), g.Side)
				if err != nil {
					m.Close()
					continue // the broken upload
				}
				if size.X < m.Cols() || size.Y < m.Rows() {
					t.Errorf("%s %s/%s: stored size %v smaller than the glance %dx%d", level.Name, spec.Name, name, size, m.Cols(), m.Rows())
				}
				look := g.Look(m)
				m.Close()
				photo := slices.Contains(tr.Photos, name)
				switch {
				case photo && g.Text(look):
					t.Errorf("%s %s/%s: product photo passed the gate (%+v)", level.Name, spec.Name, name, look)
				case !photo && !g.Text(look):
					t.Errorf("%s %s/%s: label image stopped by the gate (%+v)", level.Name, spec.Name, name, look)
				}
				if photo {
					photos++
				} else {
					labels++
				}
				if look.Marks > 0 {
					marks++
				}
			}
		}
		if photos == 0 || labels == 0 {
			t.Fatalf("%s: %d photos and %d label images: the examples changed", level.Name, photos, labels)
		}
		t.Logf("%s: %d photos stopped, %d label images passed (%d with a mark seen)", level.Name, photos, labels, marks)
	}
}

// The glance of a 12 MP JPEG is a quarter of it, decoded as such, with the
// size of the image as stored; a small image is decoded whole once.
func TestGlanceDecodesReduced(t *testing.T) {
	for _, tc := range []struct {
		w, h       int
		exif       uint16
		glance     [2]int
		stored     [2]int
		fullDecode bool
	}{
		{4000, 3000, 1, [2]int{1000, 750}, [2]int{4000, 3000}, false},
		{4000, 3000, 6, [2]int{750, 1000}, [2]int{3000, 4000}, false}, // turned a quarter by EXIF
		{2400, 1800, 1, [2]int{1200, 900}, [2]int{2400, 1800}, false},
		{1600, 1200, 1, [2]int{1600, 1200}, [2]int{1600, 1200}, true},
	} {
		data := withEXIFOrientation(encodeJPEG(t, testPicture(tc.w, tc.h)), tc.exif)
		m, size, full, err := Glance(data, DefaultLimits(), 1000)
		if err != nil {
			t.Fatal(err)
		}
		if m.Channels() != 1 || m.Cols() != tc.glance[0] || m.Rows() != tc.glance[1] {
			t.Errorf("%dx%d: glance %dx%d with %d channels, want %v in grey", tc.w, tc.h, m.Cols(), m.Rows(), m.Channels(), tc.glance)
		}
		if size.X != tc.stored[0] || size.Y != tc.stored[1] || full != tc.fullDecode {
			t.Errorf("%dx%d: stored %v full %v, want %v %v", tc.w, tc.h, size, full, tc.stored, tc.fullDecode)
		}
		m.Close()
	}
	// Refusals are Decode's.
	m, _, _, err := Glance([]byte("not an image"), DefaultLimits(), 1000)
	m.Close()
	var u *UnreadableError
	if err == nil || !errors.As(err, &u) {
		t.Errorf("glance of junk: %v, want an UnreadableError", err)
	}
}

// A page decoded at half size maps its boxes onto the image as stored.
func TestStoredAsScalesBoxes(t *testing.T) {
	half := gocv.NewMatWithSize(300, 400, gocv.MatTypeCV8U)
	defer half.Close()
	p := NewPage(half, DefaultConfig())
	defer p.Close()
	p.StoredAs(image.Pt(800, 600))
	if p.Width != 800 || p.Height != 600 {
		t.Fatalf("page %dx%d, want 800x600", p.Width, p.Height)
	}
	if got := p.ImageBox(image.Rect(10, 20, 110, 70)); got != (inspection.Box{20, 40, 200, 100}) {
		t.Errorf("box %v, want [20 40 200 100]", got)
	}
}

// A CCC mark standing alone (large letters, no other text: few text
// cells) passes the gate by the mark search.
func TestTextGatePassesALoneMark(t *testing.T) {
	img, err := labelgen.RenderLabel(labelgen.CCCMark, labelgen.Label{}, "noto-sans", 1)
	if err != nil {
		t.Fatal(err)
	}
	m := matFrom(t, img)
	defer m.Close()
	gray := gocv.NewMat()
	defer gray.Close()
	gocv.CvtColor(m, &gray, gocv.ColorBGRToGray)
	g := DefaultTextGate()
	look := g.Look(gray)
	t.Logf("%+v", look)
	if !g.Text(look) || look.Marks != 1 {
		t.Errorf("lone mark: %+v, want it passed with its mark", look)
	}
}

// BenchmarkTextGate12MP times the whole decision on a text-less 12 MP
// product photo (the hard level's frame): the reduced decode and the look,
// as generated (JPEG quality 30-50) and re-encoded at a phone camera's 92.
func BenchmarkTextGate12MP(b *testing.B) {
	dir := b.TempDir()
	spec := labelgen.CaseSpec{Name: "photo", Category: inspection.Generic,
		Images: []labelgen.ImageSpec{{Layout: labelgen.Photo, Format: "jpg"}}}
	if err := labelgen.WriteCase(dir, spec, labelgen.Hard, 1); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "photo", "1.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	m, err := gocv.IMDecode(data, gocv.IMReadColor)
	if err != nil {
		b.Fatal(err)
	}
	q92, err := gocv.IMEncodeWithParams(gocv.JPEGFileExt, m, []int{gocv.IMWriteJpegQuality, 92})
	m.Close()
	if err != nil {
		b.Fatal(err)
	}
	defer q92.Close()
	g := DefaultTextGate()
	for _, tc := range []struct {
		name string
		data []byte
	}{{"generated", data}, {"q92", q92.GetBytes()}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.data)))
			for b.Loop() {
				m, size, _, err := Glance(tc.data, DefaultLimits(), g.Side)
				if err != nil {
					b.Fatal(err)
				}
				if size.X*size.Y < 12_000_000 || g.Text(g.Look(m)) {
					b.Fatalf("%v: not a text-less 12 MP photo", size)
				}
				m.Close()
			}
		})
	}
}
