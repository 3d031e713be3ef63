package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/internal/onnxrt"
	"github.com/labelcheck/labelcheck/models"
)

// PaddleFiles are the files of the PP-OCRv4 recogniser and of the runtime
// that runs it, each with the SHA-256 it must have (models/onnx.json).
type PaddleFiles struct {
	onnxrt.Files
	Keys, KeysSHA256 string
}

// PaddleFilesFrom names the recogniser's files by asking path for each
// one's location and checksum by its name in models/onnx.json
// (models.Path).
func PaddleFilesFrom(path func(name string) (file, sha256 string, err error)) (PaddleFiles, error) {
	var f PaddleFiles
	var err error
	if f.Files, err = onnxrt.FilesFrom(path, "rec"); err != nil {
		return f, err
	}
	f.Keys, f.KeysSHA256, err = path("keys")
	return f, err
}

// ErrNoPaddle means the second engine could not be started.
var ErrNoPaddle = errors.New("PP-OCR recogniser not loaded")

// The recogniser's input: height 48, width scaled with the line and padded to
// at least paddleMinWidth (PaddleOCR's own rec_image_shape 3x48x320), pixels
// as (v-127.5)/127.5. paddleMaxWidth bounds the work on a pathological crop
// (a line 60 times as long as high is squeezed to it, as PaddleOCR does).
// The model was trained on lines padded to 320: padding short lines (a key
// cell, a value cell) only to 160 or 48 saves 20-30% of PP-OCR's time but
// reads hard photos worse (300 hard cases of seed 1: field exact 2324 →
// 2318 and 2319 of 2439, finding F1 0.919 → 0.906 and 0.907; phone: no
// finding changed).
const (
	paddleHeight   = 48
	paddleMinWidth = 320
	paddleMaxWidth = 2880
)

// The recogniser's input and output names.
const (
	paddleInput  = "x"
	paddleOutput = "softmax_11.tmp_0"
)

// paddleState is what every session shares: the checked model bytes and
// character list, kept per set of files.
var paddleState struct {
	mu     sync.Mutex
	loaded map[PaddleFiles]*paddleData
}

type paddleData struct {
	onnx  []byte
	keys  []string
	class map[rune]int // the class of each character
}

// loadPaddle checks the files against their checksums and starts ONNX
// Runtime the first time. A failure is not remembered: a later call with
// the files fixed succeeds.
func loadPaddle(files PaddleFiles) (*paddleData, error) {
	st := &paddleState
	st.mu.Lock()
	defer st.mu.Unlock()
	if d := st.loaded[files]; d != nil {
		return d, nil
	}
	d, err := func() (*paddleData, error) {
		onnx, err := files.Load()
		if err != nil {
			return nil, err
		}
		keys, err := models.ReadChecked(files.Keys, files.KeysSHA256)
		if err != nil {
			return nil, err
		}
		// Class 0 is the CTC blank, classes 1..n the listed characters,
		// class n+1 a space.
		d := &paddleData{onnx: onnx, keys: append(strings.Split(strings.TrimRight(string(keys), "\n"), "\n"), " "), class: map[rune]int{}}
		for i, k := range d.keys {
			if r := []rune(k); len(r) == 1 {
				if _, dup := d.class[r[0]]; !dup {
					d.class[r[0]] = i + 1
				}
			}
		}
		ins, outs, err := ort.GetInputOutputInfoWithONNXData(onnx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", files.Model, err)
		}
		if len(ins) != 1 || ins[0].Name != paddleInput || len(outs) != 1 || outs[0].Name != paddleOutput ||
			len(outs[0].Dimensions) != 3 || outs[0].Dimensions[2] != int64(len(d.keys)+1) {
			return nil, fmt.Errorf("%s: inputs %v, outputs %v: want %s and %s over %d classes (%s)", files.Model, ins, outs, paddleInput, paddleOutput, len(d.keys)+1, files.Keys)
		}
		return d, nil
	}()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoPaddle, err)
	}
	if st.loaded == nil {
		st.loaded = map[PaddleFiles]*paddleData{}
	}
	st.loaded[files] = d
	return d, nil
}

// Paddle is one PP-OCRv4 recognition session. It is not safe for
// concurrent use: each worker has its own.
type Paddle struct {
	sess    *ort.DynamicAdvancedSession
	opts    *ort.RunOptions
	keys    []string
	class   map[rune]int
	classes int
	input   []float32 // reused between lines
	runs    stopper
}

// NewPaddle starts a recognition session on one thread (the workers are
// the parallelism).
func NewPaddle(files PaddleFiles) (*Paddle, error) {
	d, err := loadPaddle(files)
	if err != nil {
		return nil, err
	}
	sess, err := onnxrt.Session(d.onnx, []string{paddleInput}, []string{paddleOutput})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoPaddle, err)
	}
	opts, err := ort.NewRunOptions()
	if err != nil {
		sess.Destroy()
		return nil, fmt.Errorf("%w: %v", ErrNoPaddle, err)
	}
	return &Paddle{sess: sess, opts: opts, keys: d.keys, class: d.class, classes: len(d.keys) + 1}, nil
}

// Close ends the session.
func (p *Paddle) Close() error {
	p.runs.close()
	return errors.Join(p.opts.Destroy(), p.sess.Destroy())
}

// ReadLine recognises a grayscale line crop (dark or light text, upright)
// and returns its text and the mean probability of its characters. A run
// still going when ctx ends is stopped by the runtime.
func (p *Paddle) ReadLine(ctx context.Context, crop gocv.Mat) (string, float64, error) {
	var text string
	var conf float64
	err := p.run(ctx, crop, func(probs []float32, steps int) { text, conf = p.decode(probs, steps) })
	return text, conf, err
}

// Likelihoods recognises a line crop as ReadLine does, with the
// probability of each character read (see glyphs), and also gives the
// log-likelihood the recogniser's output gives its own reading and each
// text alternatives makes of that reading: the CTC probability of a text
// over every alignment (math.Inf(-1) for a text with a character the
// recogniser does not know). It tells how well the pixels support a text
// other than the one read: a glyph read 文 where the listing says 义 may be
// nearly as likely the one as the other.
//
// alternatives may ask fit for the likeliest text of a form the output
// gives (see Fit), to weigh it with the others; a pattern that does not
// compile is an error of Likelihoods.
func (p *Paddle) Likelihoods(ctx context.Context, crop gocv.Mat, alternatives func(read string, fit Fit) []string) (read string, glyphs []float64, readLL float64, lls []float64, err error) {
	readLL = math.Inf(-1)
	var altErr error
	err = p.run(ctx, crop, func(probs []float32, steps int) {
		read, glyphs = p.glyphs(probs, steps)
		readLL = p.ctcLikelihood(probs, steps, read)
		fit := func(pattern string) (string, bool) {
			f, err := p.compileForm(pattern)
			if err != nil {
				altErr = err
				return "", false
			}
			return p.fit(probs, steps, f)
		}
		for _, t := range alternatives(read, fit) {
			lls = append(lls, p.ctcLikelihood(probs, steps, t))
		}
	})
	return read, glyphs, readLL, lls, errors.Join(err, altErr)
}

// ctcLikelihood is log P(text | probs): the CTC forward algorithm over the
// text's labels with blanks between and around them, in log space.
func (p *Paddle) ctcLikelihood(probs []float32, steps int, text string) float64 {
	var labels []int
	for _, r := range text {
		c, ok := p.class[r]
		if !ok {
			return math.Inf(-1)
		}
		labels = append(labels, c)
	}
	n := 2*len(labels) + 1
	if steps == 0 || len(labels) > steps {
		return math.Inf(-1)
	}
	label := func(s int) int { // blank at even states
		if s%2 == 0 {
			return 0
		}
		return labels[s/2]
	}
	logp := func(t, c int) float64 { return math.Log(math.Max(float64(probs[t*p.classes+c]), 1e-30)) }
	alpha, next := make([]float64, n), make([]float64, n)
	for s := range alpha {
		alpha[s] = math.Inf(-1)
	}
	alpha[0] = logp(0, 0)
	if n > 1 {
		alpha[1] = logp(0, label(1))
	}
	for t := 1; t < steps; t++ {
		for s := range n {
			v := alpha[s]
			if s > 0 {
				v = logAdd(v, alpha[s-1])
			}
			if s > 1 && label(s) != 0 && label(s) != label(s-2) {
				v = logAdd(v, alpha[s-2])
			}
			next[s] = v + logp(t, label(s))
		}
		alpha, next = next, alpha
	}
	if n == 1 {
		return alpha[0]
	}
	return logAdd(alpha[n-1], alpha[n-2])
}

// logAdd is log(exp(a) + exp(b)).
func logAdd(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	if a < b {
		a, b = b, a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// run feeds a grayscale line crop to the network and hands its class
// probabilities, steps × classes, to use (not called for a crop too small
// to read). They live only as long as the call.
func (p *Paddle) run(ctx context.Context, crop gocv.Mat, use func(probs []float32, steps int)) error {
	if crop.Empty() || crop.Rows() < 2 || crop.Cols() < 2 {
		return nil
	}
	w := int(math.Ceil(float64(paddleHeight) * float64(crop.Cols()) / float64(crop.Rows())))
	w = min(max(w, 1), paddleMaxWidth)
	resized := gocv.NewMat()
	defer resized.Close()
	gocv.Resize(crop, &resized, image.Pt(w, paddleHeight), 0, 0, gocv.InterpolationLinear)
	if resized.Channels() != 1 {
		gocv.CvtColor(resized, &resized, gocv.ColorBGRToGray)
	}
	padded := max(w, paddleMinWidth)
	plane := paddleHeight * padded
	if cap(p.input) < 3*plane {
		p.input = make([]float32, 3*plane)
	}
	in := p.input[:3*plane]
	clear(in) // 0 is the grey PaddleOCR pads with
	pix, err := resized.DataPtrUint8()
	if err != nil {
		return err
	}
	for y := range paddleHeight {
		row := pix[y*w : (y+1)*w]
		for x, v := range row {
			f := (float32(v) - 127.5) / 127.5
			i := y*padded + x
			in[i], in[plane+i], in[2*plane+i] = f, f, f
		}
	}
	done := p.runs.start(ctx, func() { p.opts.UnsetTerminate() }, func() { p.opts.Terminate() })
	probs, err := onnxrt.Run(p.sess, p.opts, ort.NewShape(1, 3, paddleHeight, int64(padded)), in)
	done()
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %w", ErrStopped, ctx.Err())
		}
		return fmt.Errorf("recogniser: %w", err)
	}
	defer probs.Destroy()
	shape := probs.GetShape()
	if len(shape) != 3 || shape[2] != int64(p.classes) {
		return fmt.Errorf("recogniser output shape %v, want [1 T %d]", shape, p.classes)
	}
	use(probs.GetData(), int(shape[1]))
	return nil
}

// decode is CTC greedy decoding: the likeliest class per step, repeats
// merged, blanks dropped; the confidence is the mean probability of the
// characters kept (PaddleOCR's CTCLabelDecode).
func (p *Paddle) decode(probs []float32, steps int) (string, float64) {
	chars, ps := p.greedy(probs, steps)
	return strings.TrimSpace(strings.Join(chars, "")), mean(ps)
}

// mean is the mean of ps (0 for none).
func mean(ps []float64) float64 {
	if len(ps) == 0 {
		return 0
	}
	var sum float64
	for _, v := range ps {
		sum += v
	}
	return sum / float64(len(ps))
}

// glyphs is the greedy reading, trimmed, and the probability each of its
// characters was read with (spaces within it included).
func (p *Paddle) glyphs(probs []float32, steps int) (string, []float64) {
	chars, ps := p.greedy(probs, steps)
	for len(chars) > 0 && strings.TrimSpace(chars[0]) == "" {
		chars, ps = chars[1:], ps[1:]
	}
	for len(chars) > 0 && strings.TrimSpace(chars[len(chars)-1]) == "" {
		chars, ps = chars[:len(chars)-1], ps[:len(ps)-1]
	}
	return strings.Join(chars, ""), ps
}

// greedy is the likeliest class per step, repeats merged and blanks
// dropped: the characters and the probability each was read with.
func (p *Paddle) greedy(probs []float32, steps int) (chars []string, ps []float64) {
	prev := -1
	for t := range steps {
		row := probs[t*p.classes : (t+1)*p.classes]
		best, bestP := 0, row[0]
		for c, v := range row {
			if v > bestP {
				best, bestP = c, v
			}
		}
		if best != 0 && best != prev {
			chars = append(chars, p.keys[best-1])
			ps = append(ps, float64(bestP))
		}
		prev = best
	}
	return chars, ps
}
