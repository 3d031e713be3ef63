package vision

import (
	"context"
	"image"
	"math"
	"testing"

	"gocv.io/x/gocv"
)

func line(x, y, w, h int) Region {
	return Region{Rect: image.Rect(x, y, x+w, y+h), Width: float64(w), Height: float64(h)}
}

func TestTextAreaKeepsTheLargestBlockOfLines(t *testing.T) {
	var regs []Region
	for i := range 6 { // a label: six lines 30 px high
		regs = append(regs, line(2000, 1500+45*i, 400, 30))
	}
	regs = append(regs,
		line(200, 200, 300, 30),   // a lone line far away
		line(3000, 300, 400, 400), // a shape taken for text: too thick
		line(3000, 2000, 60, 40),  // too short for its height
		line(1000, 2600, 350, 32), // another lone line
		line(1000, 2650, 350, 32)) // …of a block of two: under half of six
	area, lines := textArea(regs, 4000)
	if n := len(lines); n != 6 {
		t.Fatalf("text area %v of %d lines, want the 6 of the label", area, n)
	}
	block := image.Rect(2000, 1500, 2400, 1500+45*5+30)
	if !block.In(area) {
		t.Errorf("area %v leaves out the label %v", area, block)
	}
	for _, far := range []image.Point{{250, 215}, {3200, 500}, {1100, 2620}} {
		if far.In(area) {
			t.Errorf("area %v takes in %v", area, far)
		}
	}
	if _, block := textArea([]Region{line(0, 0, 400, 400)}, 4000); len(block) != 0 {
		t.Error("a text area made of one shape")
	}
}

// nameplateOnFrame is the nameplate scaled by k and pasted on a 12 MP frame
// at (2300, 1700), and the rectangle it stands in.
func nameplateOnFrame(t *testing.T, k float64) (image.Image, image.Rectangle) {
	t.Helper()
	m := matFrom(t, nameplate(t))
	gocv.Resize(m, &m, image.Point{}, k, k, gocv.InterpolationArea)
	label, err := m.ToImage()
	m.Close()
	if err != nil {
		t.Fatal(err)
	}
	at := image.Pt(2300, 1700)
	return onFrame(label, at.X, at.Y), label.Bounds().Sub(label.Bounds().Min).Add(at)
}

// A nameplate a tenth of a 12 MP frame wide (small text: 2-3 px glyphs at
// the size line detection looks at the frame) is cropped to and read in
// full resolution; its lines map back onto the frame where it was pasted.
func TestFocusCropsToASmallLabelInALargeFrame(t *testing.T) {
	d := detector(t, 960)
	defer d.Close()
	frame, placed := nameplateOnFrame(t, 0.6)

	for _, focus := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Focus = focus
		bgr := matFrom(t, frame)
		p := NewPage(bgr, cfg)
		bgr.Close()
		p.SetDetector(d)
		if err := p.Run(context.Background(), Pipeline(cfg)); err != nil {
			t.Fatal(err)
		}
		inside := 0
		for _, l := range p.Lines {
			b := p.ImageBox(l.Rect)
			if b.Rect().Overlaps(placed) {
				inside++
			}
		}
		t.Logf("focus %v: page %dx%d, %d lines, %d on the label", focus, p.Gray.Cols(), p.Gray.Rows(), len(p.Lines), inside)
		if focus {
			if float64(p.Gray.Cols())*focusGain > 4000 {
				t.Errorf("not cropped: page %dx%d", p.Gray.Cols(), p.Gray.Rows())
			}
			b := p.ImageBox(image.Rect(0, 0, p.Gray.Cols(), p.Gray.Rows()))
			// The label's text, not all of its blank border.
			crop := b.Rect()
			if in := crop.Intersect(placed); in.Dx()*in.Dy() < placed.Dx()*placed.Dy()*85/100 {
				t.Errorf("cropped to %v, the label is at %v", crop, placed)
			}
			if inside < 15 {
				t.Errorf("%d lines found on the label, want the 17 of TestFindLinesOnANameplate", inside)
			}
		}
		p.Close()
	}
}

// A small label turned past a quarter (70° and -110°: text running up
// the frame, tilted) is turned upright by the direction of the lines the
// detector found, where the stroke profiles cannot tell its lines from
// columns.
func TestFocusGivesTheDirectionOfTurnedLines(t *testing.T) {
	d := detector(t, 960)
	defer d.Close()
	for _, deg := range []float64{70, -110, 15} {
		label := matFrom(t, nameplate(t))
		gocv.Resize(label, &label, image.Point{}, 1.3, 1.3, gocv.InterpolationLinear)
		p := NewPage(label, DefaultConfig())
		label.Close()
		rotate(p, deg) // turn the label itself, then paste it on a frame
		img, err := p.Gray.ToImage()
		p.Close()
		if err != nil {
			t.Fatal(err)
		}
		bgr := matFrom(t, onFrame(img, 1800, 1200))
		page := NewPage(bgr, DefaultConfig())
		bgr.Close()
		page.SetDetector(d)
		if err := Focus(page); err != nil {
			t.Fatal(err)
		}
		// Turning by -deg (or -deg ± 180) undoes the turn.
		off := math.Mod(page.textDir+deg+360+90, 180) - 90
		if !page.hasDir || math.Abs(off) > 3 {
			t.Errorf("label turned %v°: direction %.1f° (found %v), want %v° or its opposite", deg, page.textDir, page.hasDir, -deg)
		}
		if err := page.Run(context.Background(), []Step{Orient, FindLines}); err != nil {
			t.Fatal(err)
		}
		if wantQuarter := math.Abs(deg) > 45 && math.Abs(deg) < 135; page.QuarterTurned != wantQuarter {
			t.Errorf("label turned %v°: quarter turned %v", deg, page.QuarterTurned)
		}
		level := 0
		for _, l := range page.Lines {
			if math.Abs(l.Angle) < 3 && l.Width > 1.5*l.Height {
				level++
			}
		}
		if level < 8 || 3*level < 2*len(page.Lines) {
			t.Errorf("label turned %v°: %d of %d lines level after Orient", deg, level, len(page.Lines))
		}
		page.Close()
	}
}

// A nameplate so small in a 12 MP frame (0.4 of its size: glyphs of 2 px at
// the detector's size) that the detector over the whole frame sees no line
// of it is still found where the text gate's glance saw the most text.
func TestFocusLooksWhereTheGlanceSawText(t *testing.T) {
	d := detector(t, 960)
	defer d.Close()
	img, placed := nameplateOnFrame(t, 0.4)
	frame := matFrom(t, img)
	defer frame.Close()
	gray := gocv.NewMat()
	defer gray.Close()
	gocv.CvtColor(frame, &gray, gocv.ColorBGRToGray)
	look := DefaultTextGate().Look(gray)
	if !look.Area.Overlaps(placed) || !look.Area.In(placed.Inset(-2*DefaultTextGate().Cell*4)) {
		t.Errorf("the gate's text area %v, the label is at %v", look.Area, placed)
	}
	for _, hint := range []bool{false, true} {
		p := NewPage(gray, DefaultConfig())
		p.SetDetector(d)
		if hint {
			p.HintText(look)
		}
		if err := p.Run(context.Background(), []Step{Focus, FindLines}); err != nil {
			t.Fatal(err)
		}
		switch {
		case !hint && !p.focus.Empty():
			t.Errorf("no hint: cropped to %v (the detector saw the label over the whole frame: make it smaller)", p.focus)
		case hint && !placed.In(p.focus):
			t.Errorf("hint %v: cropped to %v, the label is at %v", look.Area, p.focus, placed)
		case hint && len(p.Lines) < 8:
			t.Errorf("hint: %d lines found on the label", len(p.Lines))
		}
		p.Close()
	}
}

func TestLargestRunIsBounded(t *testing.T) {
	// Two runs on a 6x4 grid: three cells and, larger, a diagonal of four.
	grid := []string{
		"xx...x",
		"x...x.",
		"...x..",
		"..x...",
	}
	var cells []bool
	for _, row := range grid {
		for _, c := range row {
			cells = append(cells, c == 'x')
		}
	}
	n, r := largestRun(cells, 6, 4)
	if n != 4 || r != image.Rect(2, 0, 6, 4) {
		t.Errorf("largest run %d cells in %v, want 4 in (2,0)-(6,4)", n, r)
	}
}
