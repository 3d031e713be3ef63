package ocr

/*
#cgo CXXFLAGS: -std=c++17
#cgo pkg-config: tesseract lept
#include <stdlib.h>
#include "tess.h"
*/
import "C"

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"
	"unsafe"

	"github.com/otiai10/gosseract/v2"
	"gocv.io/x/gocv"
	"golang.org/x/text/unicode/norm"
)

// Engines are the recognisers a user can choose: Tesseract alone, PP-OCR
// alone, or Tesseract first and PP-OCR for the lines Tesseract is unsure of.
const (
	EngineTesseract = "tesseract"
	EnginePaddle    = "paddle"
	EngineAuto      = "auto"
)

// Engines lists the engine names in the order the help shows them.
var Engines = []string{EngineTesseract, EnginePaddle, EngineAuto}

// Config selects the engines, the Tesseract languages and the data.
type Config struct {
	// Engine is one of Engines.
	Engine string
	// Languages are Tesseract language names, joined with + for Tesseract.
	Languages []string
	// LatinLanguages re-read a line whose first reading holds no Chinese
	// character; the more confident reading wins. Empty switches it off.
	LatinLanguages []string
	// TessdataPrefix is the folder holding *.traineddata; empty means
	// Tesseract's default (TESSDATA_PREFIX or the compiled-in path).
	TessdataPrefix string
	// Paddle are the PP-OCR recogniser's files, needed by the paddle and
	// auto engines.
	Paddle PaddleFiles
	// SecondBelow: under auto, a Tesseract reading less confident than this
	// is read by PP-OCR too.
	SecondBelow float64
}

// DefaultConfig reads labels in simplified Chinese and re-reads lines of
// Latin letters and digits (model numbers, units) in English: chi_sim reads
// "TDT-1203Z" as "TDT-12032", eng reads it right, and running chi_sim+eng as
// one model would slow every line instead of the few that need it.
func DefaultConfig() Config {
	return Config{Engine: EngineAuto, Languages: []string{"chi_sim"}, LatinLanguages: []string{"eng"}, SecondBelow: secondBelow}
}

// secondBelow: see Config.SecondBelow. Field exact-match on 100 cases per
// level (clean / phone / hard): Tesseract alone 89.0 / 93.3 / 42.8%,
// PP-OCR alone 100.0 / 98.7 / 77.9%, auto at 0.9 99.9 / 98.7 / 77.3%, auto
// with every line read by both (1.01) 78.0% at hard, 18% slower there.
const secondBelow = 0.9

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	if !slices.Contains(Engines, c.Engine) {
		return fmt.Errorf("engine %q: want one of %s", c.Engine, strings.Join(Engines, ", "))
	}
	return nil
}

// Reading is a recognised line: its text, the engine's confidence in [0, 1]
// and the engine that read it.
type Reading struct {
	Text   string
	Conf   float64
	Engine string
}

// ErrNoTessdata means Tesseract could not load its language data.
var ErrNoTessdata = errors.New("tesseract language data not loaded")

// Client is one warm Tesseract engine set to read a single text line.
type Client struct {
	api  unsafe.Pointer
	runs stopper
}

// NewClient starts an engine for languages and proves it works with a first
// read.
func NewClient(tessdataPrefix string, languages []string) (*Client, error) {
	langs := C.CString(strings.Join(languages, "+"))
	defer C.free(unsafe.Pointer(langs))
	var prefix *C.char
	if tessdataPrefix != "" {
		prefix = C.CString(tessdataPrefix)
		defer C.free(unsafe.Pointer(prefix))
	}
	api := C.lc_tess_new(prefix, langs)
	if api == nil {
		return nil, fmt.Errorf("%w (languages %s, data %s)", ErrNoTessdata, strings.Join(languages, "+"), cmp.Or(tessdataPrefix, "the default folder"))
	}
	c := &Client{api: api}
	for k, v := range map[string]string{
		// Crops are scaled so their text is ~40 px; tell Tesseract not to guess.
		"user_defined_dpi": "300",
		"debug_file":       "/dev/null",
		// Tesseract reads a line again inverted when its mean confidence
		// is under 0.7: a second recognition of many lines of a hard
		// photo. vision's line crops are turned dark-on-light before they
		// are read, so the second reading is wasted: without it, the
		// first 100 hard cases of seed 1 gave the same field exact-match
		// and finding counts, and Tesseract's time per hard image fell
		// from 260 to 178 ms (BenchmarkRecognize/hard).
		"invert_threshold": "0",
	} {
		ck, cv := C.CString(k), C.CString(v)
		ok := C.lc_tess_set_variable(api, ck, cv) == 0
		C.free(unsafe.Pointer(ck))
		C.free(unsafe.Pointer(cv))
		if !ok {
			c.Close()
			return nil, fmt.Errorf("tesseract variable %s=%s not accepted", k, v)
		}
	}
	C.lc_tess_set_single_line(api)
	warm := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(255, 0, 0, 0), 32, 32, gocv.MatTypeCV8U)
	defer warm.Close()
	if _, _, err := c.ReadLine(warm); err != nil {
		c.Close()
		return nil, fmt.Errorf("%w (languages %s): %v", ErrNoTessdata, strings.Join(languages, "+"), err)
	}
	return c, nil
}

// Close stops the engine.
func (c *Client) Close() error {
	c.runs.close()
	if c.api != nil {
		C.lc_tess_free(c.api)
		c.api = nil
	}
	return nil
}

// Reader is one worker's set of engines: Tesseract (the main model and,
// optionally, the one for Latin-only lines) and PP-OCR, as the configured
// engine needs them.
type Reader struct {
	engine      string
	secondBelow float64
	main, latin *Client
	paddle      *Paddle
	// spent is the time each engine has spent reading, and reads the lines
	// it has read, by engine name.
	spent map[string]time.Duration
	reads map[string]int
}

// Spent is the time each engine has spent reading since the reader
// started, by engine name.
func (r *Reader) Spent() map[string]time.Duration { return maps.Clone(r.spent) }

// Reads is how many lines each engine has read since the reader started,
// by engine name.
func (r *Reader) Reads() map[string]int { return maps.Clone(r.reads) }

// read cuts the line for engine, reads it with that engine and counts the
// time it took.
func (r *Reader) read(ctx context.Context, engine string, cut Cut) (Reading, error) {
	crop := cut(engine)
	defer crop.Close()
	start := time.Now()
	var text string
	var conf float64
	var err error
	if engine == EnginePaddle {
		text, conf, err = r.paddle.ReadLine(ctx, crop)
	} else {
		text, conf, err = r.tesseract(ctx, crop)
	}
	r.spent[engine] += time.Since(start)
	r.reads[engine]++
	return Reading{text, conf, engine}, err
}

// Likelihoods reads a line with PP-OCR and weighs texts made from its
// reading against it (see Paddle.Likelihoods); glyphs are the
// probabilities of the characters read. ok is false without PP-OCR.
func (r *Reader) Likelihoods(ctx context.Context, cut Cut, alternatives func(read string, fit Fit) []string) (rd Reading, glyphs []float64, readLL float64, lls []float64, ok bool, err error) {
	if r.paddle == nil {
		return Reading{}, nil, 0, nil, false, nil
	}
	crop := cut(EnginePaddle)
	defer crop.Close()
	start := time.Now()
	text, glyphs, readLL, lls, err := r.paddle.Likelihoods(ctx, crop, alternatives)
	r.spent[EnginePaddle] += time.Since(start)
	r.reads[EnginePaddle]++
	return Reading{text, mean(glyphs), EnginePaddle}, glyphs, readLL, lls, true, err
}

// NewReader starts the engines cfg names.
func NewReader(cfg Config) (*Reader, error) {
	if cfg.Engine == "" {
		cfg.Engine = EngineTesseract
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &Reader{engine: cfg.Engine, secondBelow: cfg.SecondBelow, spent: map[string]time.Duration{}, reads: map[string]int{}}
	var err error
	if cfg.Engine != EngineTesseract {
		if r.paddle, err = NewPaddle(cfg.Paddle); err != nil {
			return nil, err
		}
	}
	if cfg.Engine == EnginePaddle {
		return r, nil
	}
	if r.main, err = NewClient(cfg.TessdataPrefix, cfg.Languages); err != nil {
		r.Close()
		return nil, err
	}
	if len(cfg.LatinLanguages) > 0 {
		if r.latin, err = NewClient(cfg.TessdataPrefix, cfg.LatinLanguages); err != nil {
			r.Close()
			return nil, err
		}
	}
	return r, nil
}

// latinMargin: the Latin engine's reading of a Latin-only line is kept unless
// the main engine is this much more confident. Measured on model numbers in
// Noto Sans and Serif: eng read 6 of 6 right, chi_sim 2 of 6, and chi_sim was
// once wrong at a higher confidence (0.88 "TDT-12032" against eng's 0.86).
const latinMargin = 0.1

// unsureBelow: a main reading under this confidence is asked of the Latin
// engine too, whose reading replaces it at latinSure or above. Measured on
// AR PL UMing at small sizes: chi_sim read "17761-2018" as "的28" at 0.23.
const (
	unsureBelow = 0.5
	latinSure   = 0.75
)

// Cut cuts a line out for an engine: Tesseract wants a margin around the
// text, PP-OCR none. The reader closes the Mat it returns.
type Cut func(engine string) gocv.Mat

// Same is a Cut that gives every engine a copy of crop.
func Same(crop gocv.Mat) Cut {
	return func(string) gocv.Mat { return crop.Clone() }
}

// ReadLine reads a line with the configured engine: under auto, a line
// Tesseract is unsure of is read by PP-OCR too (Confirm).
func (r *Reader) ReadLine(ctx context.Context, cut Cut) (Reading, error) {
	rd, err := r.First(ctx, cut)
	if err != nil {
		return rd, err
	}
	return r.Confirm(ctx, cut, rd)
}

// First reads a line with the first engine only: PP-OCR under paddle,
// Tesseract otherwise.
func (r *Reader) First(ctx context.Context, cut Cut) (Reading, error) {
	engine := EngineTesseract
	if r.engine == EnginePaddle {
		engine = EnginePaddle
	}
	return r.read(ctx, engine, cut)
}

// Judge reads a line with PP-OCR when the reader has it, else with
// Tesseract: for the orientation check, which compares confidences of one
// engine. PP-OCR's tell a turned page better: on 100 hard cases, auto
// with every line read by both engines gave 75.8% of the field values
// exactly with orientation judged by Tesseract, 78.0% judged by PP-OCR.
func (r *Reader) Judge(ctx context.Context, cut Cut) (Reading, error) {
	engine := EngineTesseract
	if r.paddle != nil {
		engine = EnginePaddle
	}
	return r.read(ctx, engine, cut)
}

// Confirm is the cascade: under auto, a first reading under SecondBelow is
// replaced by PP-OCR's (Second).
func (r *Reader) Confirm(ctx context.Context, cut Cut, first Reading) (Reading, error) {
	if !r.Unsure(first) {
		return first, nil
	}
	return r.Second(ctx, cut, first)
}

// Unsure reports whether Confirm would read a first reading again.
func (r *Reader) Unsure(first Reading) bool {
	return r.HasSecond() && first.Engine == EngineTesseract && first.Conf < r.secondBelow
}

// paddleSure: PP-OCR's reading replaces Tesseract's unless PP-OCR is below
// this and less confident than Tesseract (its confidence is the mean
// character probability, 0.9 and more on a line it reads right).
const paddleSure = 0.5

// Second reads a line with PP-OCR and returns its reading instead of first,
// unless PP-OCR read nothing or is less sure than paddleSure and than
// first. Without PP-OCR (engine tesseract) it returns first.
func (r *Reader) Second(ctx context.Context, cut Cut, first Reading) (Reading, error) {
	if r.paddle == nil || first.Engine == EnginePaddle {
		return first, nil
	}
	rd, err := r.read(ctx, EnginePaddle, cut)
	if err != nil || rd.Text == "" || (rd.Conf < paddleSure && rd.Conf < first.Conf) {
		return first, err
	}
	if comparable(rd.Text) != comparable(first.Text) {
		// The engines read the line differently: however sure PP-OCR is,
		// its reading is in dispute.
		rd.Conf = min(rd.Conf, Disputed)
	}
	return rd, nil
}

// Disputed is the confidence at most of a reading the other engine read
// differently: under the 0.9 above which the rules take a difference from
// the listing as real (rules.MaybeSlip), so that a one-glyph difference
// goes to a person instead of failing the listing.
const Disputed = 0.85

// comparable is a reading as the engines' readings are compared: NFKC
// (full-width forms folded), upper case, without spaces and without the
// marks that part a key from its value. The engines read those marks
// apart (型号，MJ-654F and 型号：MJ-654F of one line of hard case 60),
// and they say nothing of the value; a point or a dash stays (4.4kW is
// not 44kW).
func comparable(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune(keyMarks, r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s)))
}

// keyMarks part a key from its value on a label, as NFKC folds them.
const keyMarks = ":;,、'\""

// Other reads a line with the engine that did not make first: PP-OCR after
// Tesseract, Tesseract after PP-OCR. ok is false when the reader has no
// other engine (engine tesseract or paddle alone).
func (r *Reader) Other(ctx context.Context, cut Cut, first Reading) (rd Reading, ok bool, err error) {
	if !r.HasSecond() {
		return Reading{}, false, nil
	}
	engine := EnginePaddle
	if first.Engine == EnginePaddle {
		engine = EngineTesseract
	}
	rd, err = r.read(ctx, engine, cut)
	return rd, true, err
}

// HasSecond reports whether Second can read with PP-OCR after Tesseract.
func (r *Reader) HasSecond() bool { return r.engine == EngineAuto && r.paddle != nil }

// tesseract reads a line crop with Tesseract: a reading without Chinese
// characters is read again by the Latin engine, which is preferred for
// such lines.
func (r *Reader) tesseract(ctx context.Context, crop gocv.Mat) (string, float64, error) {
	text, conf, err := r.main.ReadLineContext(ctx, crop)
	unsure := conf < unsureBelow
	if err != nil || r.latin == nil || (hasHan(text) && !unsure) {
		return text, conf, err
	}
	lt, lc, err := r.latin.ReadLineContext(ctx, crop)
	if err != nil {
		return "", 0, err
	}
	switch {
	case lt == "":
	case !hasHan(text) && text != "" && lc >= conf-latinMargin:
		return lt, lc, nil
	case unsure && lc >= latinSure:
		// The main engine was unsure and the Latin one is sure: a line of
		// digits and letters in a font chi_sim reads badly.
		return lt, lc, nil
	}
	return text, conf, nil
}

// Close stops the engines.
func (r *Reader) Close() error {
	var errs []error
	for _, c := range []*Client{r.main, r.latin} {
		if c != nil {
			errs = append(errs, c.Close())
		}
	}
	if r.paddle != nil {
		errs = append(errs, r.paddle.Close())
	}
	return errors.Join(errs...)
}

func hasHan(s string) bool {
	for _, c := range s {
		if unicode.Is(unicode.Han, c) {
			return true
		}
	}
	return false
}

// ReadLine recognises a grayscale line crop once and returns its text and
// mean confidence in [0, 1]. The crop's pixels go to Tesseract as they are;
// everything Tesseract allocates is freed (tess.cpp).
func (c *Client) ReadLine(crop gocv.Mat) (string, float64, error) {
	return c.ReadLineContext(context.Background(), crop)
}

// ErrStopped means a recognition was stopped because its context ended.
var ErrStopped = errors.New("recognition stopped")

// StopError is a Tesseract recognition stopped part way: it matches
// ErrStopped and the context's error.
type StopError struct {
	// Progress is how far Tesseract got, in percent.
	Progress int
	Cause    error
}

func (e *StopError) Error() string {
	return fmt.Sprintf("%v at %d%% of the line: %v", ErrStopped, e.Progress, e.Cause)
}

func (e *StopError) Unwrap() []error { return []error{ErrStopped, e.Cause} }

// ReadLineContext is ReadLine stopped when ctx ends: Tesseract asks a
// cancel callback as it works, and a deadline of ctx is handed to it too,
// so a pathological crop cannot hold its worker past the image's time.
func (c *Client) ReadLineContext(ctx context.Context, crop gocv.Mat) (string, float64, error) {
	if err := ctx.Err(); err != nil {
		return "", 0, fmt.Errorf("%w: %w", ErrStopped, err)
	}
	if crop.Empty() {
		return "", 0, nil
	}
	gray := crop
	if crop.Channels() != 1 || crop.Type() != gocv.MatTypeCV8U || !crop.IsContinuous() {
		gray = gocv.NewMat()
		defer gray.Close()
		if crop.Channels() == 3 {
			gocv.CvtColor(crop, &gray, gocv.ColorBGRToGray)
		} else {
			crop.CopyTo(&gray)
		}
		gray.ConvertTo(&gray, gocv.MatTypeCV8U)
	}
	pix, err := gray.DataPtrUint8()
	if err != nil {
		return "", 0, err
	}
	deadline := 0
	if d, ok := ctx.Deadline(); ok {
		deadline = max(1, int(time.Until(d).Milliseconds()))
	}
	done := c.runs.start(ctx, func() { C.lc_tess_reset(c.api) }, func() { C.lc_tess_stop(c.api) })
	defer done()
	var conf C.float
	var status, progress C.int
	out := C.lc_tess_read(c.api, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(gray.Cols()), C.int(gray.Rows()), C.int(gray.Step()),
		C.int(deadline), &conf, &status, &progress)
	if out == nil {
		if status == 1 {
			return "", 0, &StopError{Progress: int(progress), Cause: cmp.Or(ctx.Err(), context.DeadlineExceeded)}
		}
		return "", 0, errors.New("tesseract could not recognise the crop")
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoString(out), float64(conf), nil
}

// Pool lends warm readers to workers.
type Pool struct {
	readers chan *Reader
	all     []*Reader
}

// NewPool starts n clients.
func NewPool(cfg Config, n int) (*Pool, error) {
	if os.Getenv("OMP_THREAD_LIMIT") != "1" {
		fmt.Fprintln(os.Stderr, "labelcheck: warning: OMP_THREAD_LIMIT is not 1; Tesseract's OpenMP threads will fight the workers")
	}
	p := &Pool{readers: make(chan *Reader, max(1, n))}
	for range max(1, n) {
		r, err := NewReader(cfg)
		if err != nil {
			p.Close()
			return nil, err
		}
		p.all = append(p.all, r)
		p.readers <- r
	}
	return p, nil
}

// Get waits for a free reader or for ctx to end.
func (p *Pool) Get(ctx context.Context) (*Reader, error) {
	select {
	case r := <-p.readers:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Put returns a reader to the pool.
func (p *Pool) Put(r *Reader) { p.readers <- r }

// Close stops every reader. No reader may be in use.
func (p *Pool) Close() error {
	var errs []error
	for _, c := range p.all {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// Available lists the languages in Tesseract's data folder.
func Available() ([]string, error) {
	return gosseract.GetAvailableLanguages()
}

// Version is the Tesseract library version.
func Version() string { return gosseract.Version() }
