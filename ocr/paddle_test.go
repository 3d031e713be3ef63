package ocr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/labelcheck/labelcheck/internal/onnxrt"
	"github.com/labelcheck/labelcheck/models"
)

// paddleFiles names the recogniser fetched by scripts/models.
func paddleFiles(t testing.TB) PaddleFiles {
	t.Helper()
	f, err := PaddleFilesFrom(models.Path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func newPaddle(t testing.TB) *Paddle {
	t.Helper()
	p, err := NewPaddle(paddleFiles(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestPaddleReadsChineseAndLatin(t *testing.T) {
	p := newPaddle(t)
	for _, want := range []string{"TDT-1203Z", "GB 16410-2020", "佛山市美厨电器有限公司", "2021012401123456", "JSQ25-13A1", "广东省中山市小榄镇工业大道南28号"} {
		for _, font := range []string{"noto-sans", "noto-serif"} {
			m := textOf(t, want, font)
			text, conf, err := p.ReadLine(t.Context(), m)
			m.Close()
			if err != nil {
				t.Fatal(err)
			}
			if strings.ReplaceAll(text, " ", "") != strings.ReplaceAll(want, " ", "") || conf < 0.8 || conf > 1 {
				t.Errorf("%s: read %q as %q at %.2f", font, want, text, conf)
			}
		}
	}
}

func TestPaddleReadsNothingFromBlank(t *testing.T) {
	p := newPaddle(t)
	m := textOf(t, " ", "noto-sans")
	defer m.Close()
	text, conf, err := p.ReadLine(t.Context(), m)
	if err != nil || text != "" || conf != 0 {
		t.Errorf("blank crop read as %q at %.2f (%v)", text, conf, err)
	}
}

func TestPaddleStopsWhenContextEnds(t *testing.T) {
	p := newPaddle(t)
	m := textOf(t, "GB 16410-2020", "noto-sans")
	defer m.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := p.ReadLine(ctx, m); !errors.Is(err, context.Canceled) {
		t.Fatalf("a run with its context ended returned %v", err)
	}
	// The session is not left stopped.
	text, _, err := p.ReadLine(t.Context(), m)
	if err != nil || text != "GB 16410-2020" {
		t.Errorf("after a stopped run read %q (%v)", text, err)
	}
}

func TestPaddleRefusesWrongFiles(t *testing.T) {
	good := paddleFiles(t)
	bad := good
	bad.ModelSHA256 = strings.Repeat("0", 64)
	if _, err := NewPaddle(bad); !errors.Is(err, ErrNoPaddle) || !strings.Contains(err.Error(), "SHA-256") {
		t.Errorf("a model with the wrong checksum: %v", err)
	}
	// A character list that does not fit the model's classes.
	keys := filepath.Join(t.TempDir(), "keys.txt")
	list := []byte("a\nb\n")
	if err := os.WriteFile(keys, list, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(list)
	short := good
	short.Keys, short.KeysSHA256 = keys, hex.EncodeToString(sum[:])
	if _, err := NewPaddle(short); !errors.Is(err, ErrNoPaddle) || !strings.Contains(err.Error(), "classes") {
		t.Errorf("a wrong character list: %v", err)
	}
	// A failure is not remembered.
	p, err := NewPaddle(good)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
}

func TestEnginesChooseTheRecogniser(t *testing.T) {
	m := textOf(t, "JSQ25-13A1", "noto-sans")
	defer m.Close()
	for _, c := range []struct {
		engine      string
		secondBelow float64
		want        string
	}{
		{EngineTesseract, 1.01, EngineTesseract}, // no second engine to ask
		{EnginePaddle, 0, EnginePaddle},
		{EngineAuto, 0, EngineTesseract}, // Tesseract is never unsure
		{EngineAuto, 1.01, EnginePaddle}, // Tesseract is always unsure
	} {
		cfg := tessConfig()
		cfg.Engine, cfg.SecondBelow, cfg.Paddle = c.engine, c.secondBelow, paddleFiles(t)
		r, err := NewReader(cfg)
		if err != nil {
			t.Fatal(err)
		}
		rd, err := r.ReadLine(t.Context(), Same(m))
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if rd.Engine != c.want || rd.Text != "JSQ25-13A1" {
			t.Errorf("%s below %.2f: read %q by %s, want %s", c.engine, c.secondBelow, rd.Text, rd.Engine, c.want)
		}
	}
	if _, err := NewReader(Config{Engine: "ocrad"}); err == nil {
		t.Error("an unknown engine was accepted")
	}
}

// TestDisputedReadingIsUnsure: when PP-OCR reads a line Tesseract read
// differently, its reading is kept but its confidence is at most Disputed;
// when both read it alike, PP-OCR's confidence stands.
func TestDisputedReadingIsUnsure(t *testing.T) {
	cfg := tessConfig()
	cfg.Engine, cfg.SecondBelow, cfg.Paddle = EngineAuto, 1.01, paddleFiles(t)
	cfg.LatinLanguages = nil // chi_sim alone reads this model number wrong
	r, err := NewReader(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, c := range []struct {
		text, font string
		disputed   bool
	}{
		{"TDT-1203Z", "noto-serif", true},
		{"佛山市美厨电器有限公司", "noto-sans", false},
	} {
		m := textOf(t, c.text, c.font)
		first, err := r.First(t.Context(), Same(m))
		if err != nil {
			t.Fatal(err)
		}
		rd, err := r.Confirm(t.Context(), Same(m), first)
		m.Close()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%q: tesseract %q %.2f, paddle %q %.2f", c.text, first.Text, first.Conf, rd.Text, rd.Conf)
		if (first.Text != c.text) != c.disputed {
			t.Fatalf("%q: tesseract read %q; the case does not test what it says", c.text, first.Text)
		}
		if rd.Engine != EnginePaddle || rd.Text != c.text || (rd.Conf <= Disputed) != c.disputed {
			t.Errorf("%q: read %q by %s at %.2f, disputed %v", c.text, rd.Text, rd.Engine, rd.Conf, c.disputed)
		}
	}
}

// TestReadingsCompareByWhatTheySay: two engines' readings of a line are
// in dispute when they differ in a glyph of its words or numbers, not when
// they differ only in the mark between key and value, in width or in
// spaces.
func TestReadingsCompareByWhatTheySay(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"型号，MJ-654F", "型号：MJ-654F", true},
		{"地址; 上海市嘉定区", "地址：上海市嘉定区", true},
		{"型号' SN-590D", "型号:SN-590D", true},
		{"ＢＷ－１９０Ｄ", "bw-190d", true},
		{"型号：XJ-654F", "型号：MJ-654F", false},
		{"额定热负荷：4.4kW", "额定热负荷：44kW", false},
		{"BW-190D", "BW190D", false},
		{"GB/T 29606", "GBT29606", false},
	} {
		if got := comparable(c.a) == comparable(c.b); got != c.same {
			t.Errorf("%q and %q alike: %v, want %v", c.a, c.b, got, c.same)
		}
	}
}

// The CTC likelihood sums a text's probability over every alignment of it
// with the network's steps (blanks between and around, repeats merged).
func TestCTCLikelihood(t *testing.T) {
	p := &Paddle{keys: []string{"a", "b", " "}, class: map[rune]int{'a': 1, 'b': 2, ' ': 3}, classes: 4}
	// Two steps over blank, a, b, space.
	probs := []float32{
		0.3, 0.6, 0.1, 0,
		0.2, 0.1, 0.7, 0,
	}
	for _, tc := range []struct {
		text string
		want float64
	}{
		// "a": aa, a-, -a.
		{"a", 0.6*0.1 + 0.6*0.2 + 0.3*0.1},
		{"ab", 0.6 * 0.7},
		{"ba", 0.1 * 0.1},
		{"", 0.3 * 0.2},
		{"b", 0.1*0.7 + 0.1*0.2 + 0.3*0.7},
	} {
		got := p.ctcLikelihood(probs, 2, tc.text)
		if math.Abs(got-math.Log(tc.want)) > 1e-6 {
			t.Errorf("log P(%q) = %.6f, want %.6f", tc.text, got, math.Log(tc.want))
		}
	}
	if got := p.ctcLikelihood(probs, 2, "aa"); !math.IsInf(got, -1) {
		t.Errorf("log P(\"aa\") over 2 steps = %v, want -Inf (a repeat needs a blank between)", got)
	}
	if got := p.ctcLikelihood(probs, 2, "c"); !math.IsInf(got, -1) {
		t.Errorf("a character the recogniser does not know: %v, want -Inf", got)
	}
	if text, _ := p.decode(probs, 2); text != "ab" {
		t.Errorf("greedy reading %q, want ab", text)
	}
}

// BenchmarkPaddleNetwork times the recogniser's network alone, per line,
// by input width and by how many lines one run takes: what a line costs
// PP-OCR whatever reads it, and whether running lines together would save
// any of it. Run it with
//
//	OMP_THREAD_LIMIT=1 go test -run '^$' -bench PaddleNetwork ./ocr
func BenchmarkPaddleNetwork(b *testing.B) {
	p := newPaddle(b)
	for _, width := range []int{paddleMinWidth / 2, paddleMinWidth, 2 * paddleMinWidth} {
		for _, lines := range []int{1, 4} {
			b.Run(fmt.Sprintf("width=%d/lines=%d", width, lines), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, uint64(width)))
				in := make([]float32, lines*3*paddleHeight*width)
				for i := range in {
					in[i] = rng.Float32()*2 - 1
				}
				shape := ort.NewShape(int64(lines), 3, paddleHeight, int64(width))
				for b.Loop() {
					out, err := onnxrt.Run(p.sess, nil, shape, in)
					if err != nil {
						b.Fatal(err)
					}
					out.Destroy()
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*lines), "ms/line")
			})
		}
	}
}
