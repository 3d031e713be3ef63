package vision

import (
	"image"
	"testing"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/internal/labelgen"
)

// markPage renders layout, shrinks it by k, rotates it by deg and pastes it
// on a grey frame; the Page has no steps run (the mark is found as it is).
func markPage(t *testing.T, layout labelgen.Layout, k, deg float64) (*Page, image.Rectangle) {
	t.Helper()
	img, err := labelgen.RenderLabel(layout, labelgen.Label{CCCNumber: "2021012401123456", Model: "JZT-2E01B"}, "noto-sans", 1)
	if err != nil {
		t.Fatal(err)
	}
	m := matFrom(t, img)
	gocv.Resize(m, &m, image.Point{}, k, k, gocv.InterpolationArea)
	small, err := m.ToImage()
	m.Close()
	if err != nil {
		t.Fatal(err)
	}
	if deg != 0 {
		small = rotated(t, small, deg)
	}
	at := image.Pt(300, 200)
	frame := onFrame(small, at.X, at.Y)
	bgr := matFrom(t, frame)
	defer bgr.Close()
	return NewPage(bgr, DefaultConfig()), small.Bounds().Sub(small.Bounds().Min).Add(at)
}

func TestCCCMarksFindsTheMark(t *testing.T) {
	for _, tc := range []struct {
		layout labelgen.Layout
		k, deg float64
	}{
		{labelgen.CCCMark, 1, 0}, {labelgen.CCCMark, 0.5, 12}, {labelgen.CCCMark, 0.7, -25},
		{labelgen.CCCMarkBeside, 0.7, 0}, {labelgen.CCCMark, 0.45, 0},
		{labelgen.CCCMark, 0.7, 180}, {labelgen.CCCMark, 0.7, 168}, // upside down
	} {
		p, placed := markPage(t, tc.layout, tc.k, tc.deg)
		marks := p.CCCMarks()
		p.Close()
		if len(marks) != 1 {
			t.Errorf("%s ×%.2f at %v°: %d marks %v, want 1", tc.layout, tc.k, tc.deg, len(marks), marks)
			continue
		}
		b := marks[0].Box
		if c := image.Pt(b[0]+b[2]/2, b[1]+b[3]/2); !c.In(placed) || marks[0].Score < markMinScore {
			t.Errorf("%s ×%.2f at %v°: mark %+v, the logo is in %v", tc.layout, tc.k, tc.deg, marks[0], placed)
		}
	}
}

// Burner rings on a product photo and the oval 检验合格 stamp of a 合格证
// are rings too, but hold no three Cs.
func TestCCCMarksIgnoresOtherRings(t *testing.T) {
	for _, layout := range []labelgen.Layout{labelgen.Photo, labelgen.Certificate, labelgen.Nameplate, labelgen.EnergyLabel} {
		for _, k := range []float64{1, 0.5} {
			p, _ := markPage(t, layout, k, 0)
			if marks := p.CCCMarks(); len(marks) != 0 {
				t.Errorf("%s ×%.1f: marks %v, want none", layout, k, marks)
			}
			p.Close()
		}
	}
}

// Focus crops to the text: the certificate number below the logo. The mark
// beyond the crop is still found, on the whole frame, and found once.
func TestCCCMarksBeyondTheFocusCrop(t *testing.T) {
	p, placed := markPage(t, labelgen.CCCMark, 1, 0)
	defer p.Close()
	number := image.Rect(placed.Min.X, placed.Max.Y-placed.Dy()/5, placed.Max.X, placed.Max.Y)
	crop(p, number)
	marks := p.CCCMarks()
	if len(marks) != 1 {
		t.Fatalf("%d marks %v, want the logo above the crop", len(marks), marks)
	}
	b := marks[0].Box
	if c := image.Pt(b[0]+b[2]/2, b[1]+b[3]/2); !c.In(placed) || c.Y >= number.Min.Y {
		t.Errorf("mark %+v, the logo is in %v above %v", marks[0], placed, number)
	}
}
