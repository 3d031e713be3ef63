package ocr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/otiai10/gosseract/v2"
	"gocv.io/x/gocv"
)

// Config selects the Tesseract languages and data.
type Config struct {
	// Languages are Tesseract language names, joined with + for Tesseract.
	Languages []string
	// LatinLanguages re-read a line whose first reading holds no Chinese
	// character; the more confident reading wins. Empty switches it off.
	LatinLanguages []string
	// TessdataPrefix is the folder holding *.traineddata; empty means
	// Tesseract's default (TESSDATA_PREFIX or the compiled-in path).
	TessdataPrefix string
}

// DefaultConfig reads labels in simplified Chinese and re-reads lines of
// Latin letters and digits (model numbers, units) in English: chi_sim reads
// "TDT-1203Z" as "TDT-12032", eng reads it right, and running chi_sim+eng as
// one model would slow every line instead of the few that need it.
func DefaultConfig() Config {
	return Config{Languages: []string{"chi_sim"}, LatinLanguages: []string{"eng"}}
}

// ErrNoTessdata means Tesseract could not load its language data.
var ErrNoTessdata = errors.New("tesseract language data not loaded")

// Client is one warm Tesseract engine set to read a single text line.
type Client struct {
	t *gosseract.Client
}

// NewClient starts an engine for languages and proves it works with a first
// read. The page-segmentation mode is set after that read: gosseract drops a
// mode set before the engine's first initialisation (MEASURED.md).
func NewClient(tessdataPrefix string, languages []string) (*Client, error) {
	t := gosseract.NewClient()
	c := &Client{t: t}
	if tessdataPrefix != "" {
		if err := t.SetTessdataPrefix(tessdataPrefix); err != nil {
			c.Close()
			return nil, err
		}
	}
	if err := t.SetLanguage(languages...); err != nil {
		c.Close()
		return nil, err
	}
	if err := t.DisableOutput(); err != nil {
		c.Close()
		return nil, err
	}
	warm := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(255, 0, 0, 0), 32, 32, gocv.MatTypeCV8U)
	defer warm.Close()
	if _, _, err := c.ReadLine(warm); err != nil {
		c.Close()
		return nil, fmt.Errorf("%w (languages %s): %v", ErrNoTessdata, strings.Join(languages, "+"), err)
	}
	for k, v := range map[gosseract.SettableVariable]string{
		// Crops are scaled so their text is ~40 px; tell Tesseract not to guess.
		"user_defined_dpi": "300",
	} {
		if err := t.SetVariable(k, v); err != nil {
			c.Close()
			return nil, err
		}
	}
	if err := t.SetPageSegMode(gosseract.PSM_SINGLE_LINE); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Close stops the engine.
func (c *Client) Close() error {
	return c.t.Close()
}

// Reader is one worker's set of engines: the main one and, optionally, the
// one for Latin-only lines.
type Reader struct {
	main, latin *Client
}

// NewReader starts the engines cfg names.
func NewReader(cfg Config) (*Reader, error) {
	m, err := NewClient(cfg.TessdataPrefix, cfg.Languages)
	if err != nil {
		return nil, err
	}
	r := &Reader{main: m}
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

// ReadLine reads a line crop. A reading without Chinese characters is read
// again by the Latin engine, which is preferred for such lines.
func (r *Reader) ReadLine(crop gocv.Mat) (string, float64, error) {
	text, conf, err := r.main.ReadLine(crop)
	unsure := conf < unsureBelow
	if err != nil || r.latin == nil || (hasHan(text) && !unsure) {
		return text, conf, err
	}
	lt, lc, err := r.latin.ReadLine(crop)
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
	err := r.main.Close()
	if r.latin != nil {
		err = errors.Join(err, r.latin.Close())
	}
	return err
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
// mean confidence in [0, 1].
func (c *Client) ReadLine(crop gocv.Mat) (string, float64, error) {
	buf, err := gocv.IMEncode(gocv.PNGFileExt, crop)
	if err != nil {
		return "", 0, fmt.Errorf("encode crop: %w", err)
	}
	defer buf.Close()
	if err := c.t.SetImageFromBytes(buf.GetBytes()); err != nil {
		return "", 0, err
	}
	boxes, err := c.t.GetBoundingBoxes(gosseract.RIL_TEXTLINE)
	if err != nil {
		return "", 0, err
	}
	var parts []string
	var sum, weight float64
	for _, b := range boxes {
		text := strings.TrimSpace(b.Word)
		if text == "" {
			continue
		}
		parts = append(parts, text)
		w := float64(len([]rune(text)))
		sum += b.Confidence * w
		weight += w
	}
	if weight == 0 {
		return "", 0, nil
	}
	return strings.Join(parts, " "), sum / weight / 100, nil
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
