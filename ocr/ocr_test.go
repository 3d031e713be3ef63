package ocr

import (
	"context"
	"image"
	"image/color"
	"strings"
	"testing"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/internal/labelgen"
	"github.com/labelcheck/labelcheck/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

// grayMat converts a rendered picture to a grayscale Mat.
func grayMat(t *testing.T, img image.Image, err error) gocv.Mat {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Set(x, y, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	m, err := gocv.ImageGrayToMatGray(g)
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
	r, err := NewReader(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Two lines of text: in single-line mode (PSM 7) Tesseract returns one
	// line's worth of text; in the block modes it would return both. This
	// catches the gosseract pitfall of a mode that silently falls back.
	two := grayOf(t, labelgen.Label{Model: "JZT-2E01B", Standard: "GB 16410-2020"})
	defer two.Close()
	text, _, err := r.ReadLine(two)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "JZT") && strings.Contains(text, "16410") {
		t.Errorf("read both lines %q: page-segmentation mode is not single-line", text)
	}
}

func TestReadLineReadsChineseAndLatin(t *testing.T) {
	r, err := NewReader(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, want := range []string{"TDT-1203Z", "GB 16410-2020", "佛山市美厨电器有限公司", "2021012401123456"} {
		m := textOf(t, want, "noto-sans")
		text, conf, err := r.ReadLine(m)
		m.Close()
		if err != nil {
			t.Fatal(err)
		}
		if text != want || conf < 0.5 || conf > 1 {
			t.Errorf("read %q at %.2f, want %q", text, conf, want)
		}
	}
}

func TestLatinEngineRereadsLatinLines(t *testing.T) {
	chi := DefaultConfig()
	chi.LatinLanguages = nil
	plain, err := NewReader(chi)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	both, err := NewReader(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer both.Close()
	m := textOf(t, "TDT-1203Z", "noto-serif")
	defer m.Close()
	a, _, err := plain.ReadLine(m)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := both.ReadLine(m)
	if err != nil {
		t.Fatal(err)
	}
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
	p, err := NewPool(DefaultConfig(), 2)
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
