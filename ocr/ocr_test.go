package ocr

import (
	"context"
	"errors"
	"image"
	"image/color"
	"strings"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/internal/labelgen"
	"github.com/labelcheck/labelcheck/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

// tessConfig is the default configuration with Tesseract alone.
func tessConfig() Config {
	c := DefaultConfig()
	c.Engine = EngineTesseract
	return c
}

// grayMat converts a rendered picture to a grayscale Mat.
func grayMat(t *testing.T, img image.Image, err error) gocv.Mat {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	m, err := gocv.ImageGrayToMatGray(labelgen.Gray(img))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// grayOf renders a panel with the given label's lines.
func grayOf(t *testing.T, l labelgen.Label) gocv.Mat {
	t.Helper()
	img, err := labelgen.RenderLabel(labelgen.Panel, l, "noto-sans", 1)
	return grayMat(t, img, err)
}

// textOf renders one line of text at the crop height the pipeline uses.
func textOf(t *testing.T, s, font string) gocv.Mat {
	t.Helper()
	img, err := labelgen.RenderText(s, font, 40)
	return grayMat(t, img, err)
}

func TestReadLineReadsOneLineOnly(t *testing.T) {
	r, err := NewReader(tessConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Two lines of text: in single-line mode (PSM 7) Tesseract returns one
	// line's worth of text; in the block modes it would return both. This
	// catches the gosseract pitfall of a mode that silently falls back.
	two := grayOf(t, labelgen.Label{Model: "JZT-2E01B", Standard: "GB 16410-2020"})
	defer two.Close()
	rd, err := r.ReadLine(t.Context(), Same(two))
	if err != nil {
		t.Fatal(err)
	}
	if text := rd.Text; strings.Contains(text, "JZT") && strings.Contains(text, "16410") {
		t.Errorf("read both lines %q: page-segmentation mode is not single-line", text)
	}
}

func TestReadLineReadsChineseAndLatin(t *testing.T) {
	r, err := NewReader(tessConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, want := range []string{"TDT-1203Z", "GB 16410-2020", "佛山市美厨电器有限公司", "2021012401123456"} {
		m := textOf(t, want, "noto-sans")
		rd, err := r.ReadLine(t.Context(), Same(m))
		m.Close()
		if err != nil {
			t.Fatal(err)
		}
		if rd.Text != want || rd.Conf < 0.5 || rd.Conf > 1 || rd.Engine != EngineTesseract {
			t.Errorf("read %q at %.2f by %s, want %q", rd.Text, rd.Conf, rd.Engine, want)
		}
	}
}

func TestLatinEngineRereadsLatinLines(t *testing.T) {
	chi := tessConfig()
	chi.LatinLanguages = nil
	plain, err := NewReader(chi)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	both, err := NewReader(tessConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer both.Close()
	m := textOf(t, "TDT-1203Z", "noto-serif")
	defer m.Close()
	ra, err := plain.ReadLine(t.Context(), Same(m))
	if err != nil {
		t.Fatal(err)
	}
	rb, err := both.ReadLine(t.Context(), Same(m))
	if err != nil {
		t.Fatal(err)
	}
	a, b := ra.Text, rb.Text
	if plain.latin != nil || both.latin == nil {
		t.Fatal("LatinLanguages did not decide whether a Latin engine runs")
	}
	t.Logf("chi_sim alone %q, with eng %q", a, b)
	if b != "TDT-1203Z" {
		t.Errorf("with the Latin engine read %q", b)
	}
}

func TestMissingTessdataIsAnError(t *testing.T) {
	_, err := NewReader(Config{Languages: []string{"no_such_language"}})
	if err == nil {
		t.Fatal("NewReader with a missing language succeeded")
	}
	if !strings.Contains(err.Error(), "language data") {
		t.Errorf("error %q does not say what is missing", err)
	}
}

func TestPoolLendsEachReaderOnce(t *testing.T) {
	p, err := NewPool(tessConfig(), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := t.Context()
	a, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("the same reader was lent twice")
	}
	short, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.Get(short); err == nil {
		t.Fatal("Get on an empty pool with a cancelled context returned a reader")
	}
	p.Put(a)
	p.Put(b)
}

// TestClientReadsAnyCropLayout: a colour crop and a region of a larger
// image (rows not contiguous) read as the plain grey crop does.
func TestClientReadsAnyCropLayout(t *testing.T) {
	c, err := NewClient("", []string{"eng"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m := textOf(t, "TDT-1203Z", "noto-sans")
	defer m.Close()
	want, _, err := c.ReadLine(m)
	if err != nil || want != "TDT-1203Z" {
		t.Fatalf("grey crop read as %q (%v)", want, err)
	}
	colour := gocv.NewMat()
	defer colour.Close()
	gocv.CvtColor(m, &colour, gocv.ColorGrayToBGR)
	wide := gocv.NewMat()
	defer wide.Close()
	gocv.CopyMakeBorder(m, &wide, 0, 0, 0, 50, gocv.BorderConstant, color.RGBA{255, 255, 255, 255})
	region := wide.Region(image.Rect(0, 0, m.Cols(), m.Rows()))
	defer region.Close()
	empty := gocv.NewMat()
	defer empty.Close()
	for name, crop := range map[string]gocv.Mat{"colour": colour, "region": region} {
		got, _, err := c.ReadLine(crop)
		if err != nil || got != want {
			t.Errorf("%s crop read as %q (%v), want %q", name, got, err, want)
		}
	}
	if got, conf, err := c.ReadLine(empty); err != nil || got != "" || conf != 0 {
		t.Errorf("empty crop read as %q at %.2f (%v)", got, conf, err)
	}
}

// TestClientReadsOnlyWhatItIsGiven: a line is recognised once, as given.
// Tesseract's own retry of an unsure line inverted (invert_threshold) is
// off, since vision's crops come dark-on-light: light text on a dark crop
// does not read, where Tesseract left to itself reads it whole.
func TestClientReadsOnlyWhatItIsGiven(t *testing.T) {
	c, err := NewClient("", []string{"chi_sim"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const want = "佛山市美厨电器有限公司"
	m := textOf(t, want, "noto-sans")
	defer m.Close()
	if got, _, err := c.ReadLine(m); err != nil || got != want {
		t.Fatalf("dark on light read as %q (%v), want %q", got, err, want)
	}
	inverted := gocv.NewMat()
	defer inverted.Close()
	gocv.BitwiseNot(m, &inverted)
	if got, _, err := c.ReadLine(inverted); err != nil || strings.Contains(got, "佛山") {
		t.Errorf("light on dark read as %q (%v): Tesseract read it again inverted", got, err)
	}
}

// TestTesseractStopsWhenContextEnds: a read whose context has ended, or
// ends while Tesseract works on a long crop, returns ErrStopped, and the
// engine reads the next crop as usual.
func TestTesseractStopsWhenContextEnds(t *testing.T) {
	c, err := NewClient("", []string{"chi_sim"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m := textOf(t, strings.Repeat("广东省佛山市顺德区容桂街道华口工业区8号 ", 12), "noto-sans")
	defer m.Close()
	ended, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := c.ReadLineContext(ended, m); !errors.Is(err, ErrStopped) || !errors.Is(err, context.Canceled) {
		t.Errorf("read with an ended context: %v", err)
	}
	// The whole crop takes Tesseract some 400 ms; 5 ms is far too
	// short, and it stops part way.
	short, cancel := context.WithTimeout(t.Context(), 5*time.Millisecond)
	defer cancel()
	_, _, err = c.ReadLineContext(short, m)
	var stop *StopError
	if !errors.As(err, &stop) || !errors.Is(err, ErrStopped) || stop.Progress >= 100 {
		t.Errorf("read past its deadline: %v", err)
	}
	one := textOf(t, "GB 16410-2020", "noto-sans")
	defer one.Close()
	if text, _, err := c.ReadLineContext(t.Context(), one); err != nil || text != "GB 16410-2020" {
		t.Errorf("after a stopped read: %q (%v)", text, err)
	}
}
