// Package labelgen renders deterministic, seeded test cases: label pictures
// drawn with real CJK fonts from Debian packages, photographed with
// camera-like distortion, each case with its listing.json and a truth.json
// holding the true label values and the findings the case must raise.
package labelgen

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/labelcheck/labelcheck/inspection"
)

// Truth is what a generated case really holds, written as truth.json.
type Truth struct {
	Case     string              `json:"case"`
	Category inspection.Category `json:"category"`
	Level    string              `json:"level"`
	Seed     uint64              `json:"seed"`
	Font     string              `json:"font"`
	Fields   Label               `json:"fields"`
	Images   []string            `json:"images"`
	Findings []TruthFinding      `json:"findings"`
	Verdict  inspection.Verdict  `json:"verdict"`
	// Printed holds the fields the readable label images print: the values
	// a perfect reader finds.
	Printed map[string]string `json:"printed"`
	Breaks  []string          `json:"breaks,omitempty"`
	// Marks are the readable images that show a CCC mark; Photos are the
	// product photos (no label text, no mark).
	Marks  []string `json:"marks"`
	Photos []string `json:"photos"`
}

// bodyFonts are the fonts the example batch's label text is drawn in, one
// per case; generated benchmark cases use every font of Fonts but the bold.
var bodyFonts = []string{"noto-sans", "noto-serif"}

// SetFonts are the body fonts of the benchmark set.
var SetFonts = []string{"noto-sans", "noto-serif", "wqy-zenhei", "ar-pl-uming"}

// WriteCase renders spec into dir/spec.Name. The same spec, distortion and
// seed always give the same bytes.
func WriteCase(dir string, spec CaseSpec, d Distortion, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, hashName(spec.Name)))
	caseDir := filepath.Join(dir, spec.Name)
	if err := os.MkdirAll(caseDir, 0o755); err != nil {
		return err
	}
	fontName := bodyFonts[rng.IntN(len(bodyFonts))]
	if spec.Font != "" {
		fontName = spec.Font
	}
	truth := Truth{Case: spec.Name, Category: spec.Category, Level: d.Name, Seed: seed, Font: fontName,
		Fields: spec.Label, Findings: spec.Findings, Breaks: spec.Breaks, Verdict: TruthVerdict(spec.Findings), Printed: spec.Printed()}
	if truth.Findings == nil {
		truth.Findings = []TruthFinding{}
	}
	truth.Marks, truth.Photos = []string{}, []string{}
	for i, im := range spec.Images {
		pic, err := render(im.Layout, spec.Label, fontName, im.Style, rng)
		if err != nil {
			return fmt.Errorf("%s: %w", spec.Name, err)
		}
		data, err := photograph(pic, d, rng, im.Format == "png")
		if err != nil {
			return fmt.Errorf("%s: %w", spec.Name, err)
		}
		if im.Truncate {
			data = data[:len(data)/2]
		}
		name := fmt.Sprintf("%d.%s", i+1, im.Format)
		truth.Images = append(truth.Images, name)
		switch {
		case im.Truncate:
		case im.Layout == CCCMark || im.Layout == CCCMarkBeside:
			truth.Marks = append(truth.Marks, name)
		case im.Layout == Photo:
			truth.Photos = append(truth.Photos, name)
		}
		if err := os.WriteFile(filepath.Join(caseDir, name), data, 0o644); err != nil {
			return err
		}
	}
	if spec.Listing != nil {
		if err := writeJSON(filepath.Join(caseDir, "listing.json"), spec.Listing); err != nil {
			return err
		}
	}
	return writeJSON(filepath.Join(caseDir, "truth.json"), truth)
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// hashName gives each case its own random stream, independent of the order
// cases are generated in (FNV-1a).
func hashName(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// ReadTruth reads a case's truth.json.
func ReadTruth(caseDir string) (*Truth, error) {
	data, err := os.ReadFile(filepath.Join(caseDir, "truth.json"))
	if err != nil {
		return nil, err
	}
	var t Truth
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s/truth.json: %w", caseDir, err)
	}
	return &t, nil
}

// RenderLabel draws one layout of l in the named font (see Fonts), for tests
// that need a label picture without writing a case.
func RenderLabel(layout Layout, l Label, fontName string, seed uint64) (image.Image, error) {
	return render(layout, l, fontName, Style{}, rand.New(rand.NewPCG(seed, 0)))
}

// StoveLabel is the label of the example gas stove.
func StoveLabel() Label { return stoveLabel() }

// RenderText draws one line of text, dark on white, with a margin of half
// its size: a clean line crop for recogniser tests.
func RenderText(s, fontName string, size float64) (image.Image, error) {
	w, err := measure(s, fontName, size)
	if err != nil {
		return nil, err
	}
	m := int(size / 2)
	c := newCanvas(w+2*m, int(size*1.4)+2*m, paper)
	if _, err := c.text(m, m, s, fontName, size, ink); err != nil {
		return nil, err
	}
	return c.img, nil
}

// WriteSet writes a generated set at one difficulty level: every case, and
// the certificate registry as registry.csv (CONTRACT.md 1.3) beside them.
func WriteSet(dir string, set Set, d Distortion, seed uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, c := range set.Cases {
		if err := WriteCase(dir, c, d, seed); err != nil {
			return err
		}
	}
	return WriteRegistry(filepath.Join(dir, "registry.csv"), set.Registry)
}

// WriteRegistry writes the registry as CSV with a header row, sorted by number.
func WriteRegistry(path string, reg Registry) error {
	nums := make([]string, 0, len(reg))
	for n := range reg {
		nums = append(nums, n)
	}
	sort.Strings(nums)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"certificate_no", "status", "holder", "manufacturer", "factory", "product_name", "models", "issue_date", "expiry_date"})
	for _, n := range nums {
		r := reg[n]
		w.Write([]string{r.CertificateNo, r.Status, r.Holder, r.Manufacturer, r.Factory, r.ProductName, strings.Join(r.Models, ";"), r.IssueDate, r.ExpiryDate})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// Gray converts a rendered picture to grey, as a recogniser's line crop is.
func Gray(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Set(x, y, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	return g
}
