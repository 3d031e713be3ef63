package rules

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/labelcheck/labelcheck/inspection"
)

// The embedded rule packs: packs/codes.json, the codes and what every
// category shares, and one file per category (packs/ebike.json ...) with
// that category's limits, phrases, code tables and severities.
//
//go:embed packs/*.json
var packFiles embed.FS

// Limit is one numeric ceiling a category's products must stay under.
type Limit struct {
	Category inspection.Category `json:"category"`
	Field    string              `json:"field"`
	Name     string              `json:"name"`
	Max      float64             `json:"max"`
	Unit     string              `json:"unit"`
	Code     string              `json:"code"`
	Basis    string              `json:"basis"`
	// Effective is the date from which the limit applies to products made
	// then (YYYY-MM-DD): a later edition's limit replaces an earlier one's
	// for products made from its date on.
	Effective string `json:"effective"`
	// BatteryType, when set, keeps the limit to products with that battery
	// type (BatteryKind), where it replaces the general one.
	BatteryType string `json:"battery_type,omitempty"`
	effective   time.Time
}

// PhraseRule raises Code for a product of Category whose label or listing
// (Sources) says a phrase of Phrases, whose Field has one of Values, or
// whose model starts with one of ModelPrefixes.
type PhraseRule struct {
	Code          string              `json:"code"`
	Category      inspection.Category `json:"category"`
	What          string              `json:"what"`
	Basis         string              `json:"basis"`
	Sources       []string            `json:"sources"`
	Phrases       []string            `json:"phrases"`
	Field         string              `json:"field,omitempty"`
	Values        []string            `json:"values,omitempty"`
	ModelPrefixes []string            `json:"model_prefixes,omitempty"`
}

// ToyRules are the phrases of a toy's age conflict: a label warning that
// restricts use by children under 3, and a listing that targets them; and
// the words of a warning, which show one where its key (警告) is misread.
type ToyRules struct {
	WarningWords  []string `json:"warning_words"`
	Under3Label   []string `json:"under3_label"`
	Under3Listing []string `json:"under3_listing"`
	Basis         string   `json:"basis"`
}

// Pack is the rule data: thresholds and code tables, kept out of the code.
// DefaultPack builds it from the embedded per-category packs.
type Pack struct {
	// Codes are the finding codes of CONTRACT.md section 4 with their
	// default severities.
	Codes map[string]inspection.Severity
	// Severity raises or lowers a code's severity for a category (CONTRACT.md
	// 4: "a rule pack may raise or lower it"), as checker.packSeverities
	// applies it.
	Severity        map[inspection.Category]map[string]inspection.Severity
	CCCYearMin      int
	CCCProductCodes map[inspection.Category][]string
	// CategoryKeywords are tried in order, most specific first: a water
	// heater listing may mention 灶具 too, a stove listing never 燃气热水器.
	CategoryKeywords []CategoryKeywords
	Limits           []Limit
	Phrases          []PhraseRule
	Toy              ToyRules
	Negations        Negations
	// ModelPatterns are the shapes a category's model designations take: a
	// label model of another shape, where the listing's has it, is taken as
	// misread.
	ModelPatterns map[inspection.Category]ModelPattern
	Standards     map[inspection.Category]Standards
}

// codesFile is packs/codes.json.
type codesFile struct {
	Source     string                         `json:"source"`
	Codes      map[string]inspection.Severity `json:"codes"`
	CCCYearMin int                            `json:"ccc_year_min"`
	Negations  Negations                      `json:"negations"`
	// KeywordOrder is the order the categories' keywords are tried in.
	KeywordOrder []inspection.Category `json:"keyword_order"`
}

// categoryFile is one category's pack, packs/<category>.json. Its limits
// and phrases are the category's; one that names another is refused.
type categoryFile struct {
	Category        inspection.Category            `json:"category"`
	Source          string                         `json:"source"`
	Severity        map[string]inspection.Severity `json:"severity"`
	CCCProductCodes []string                       `json:"ccc_product_codes"`
	Keywords        []string                       `json:"keywords"`
	Limits          []Limit                        `json:"limits"`
	Phrases         []PhraseRule                   `json:"phrases"`
	Toy             *ToyRules                      `json:"toy"`
	ModelPattern    *ModelPattern                  `json:"model_pattern"`
	Standards       *Standards                     `json:"standards"`
}

// Negations are the words that deny a phrase after them in its clause
// (严禁改装, 非裸车, 不适合婴儿), and words that hold one without denying
// anything (非常).
type Negations struct {
	Words []string `json:"words"`
	Not   []string `json:"not"`
}

// ModelPattern is a category's model designation, as a regular expression
// on the canonical model.
type ModelPattern struct {
	Pattern string `json:"pattern"`
	Source  string `json:"source"`
	re      *regexp.Regexp
}

// Standards are the standards a category's products are made and labelled
// to, each as its canonical designation without a year (GB 6932): a label
// of the category that prints a standard a digit or two from one of them
// prints that one, misread (see StandardReadings).
type Standards struct {
	Numbers []string `json:"numbers"`
	Source  string   `json:"source"`
}

// CategoryKeywords are words that name a category's products.
type CategoryKeywords struct {
	Category inspection.Category `json:"category"`
	Keywords []string            `json:"keywords"`
}

var (
	packOnce sync.Once
	pack     Pack
	packErr  error
)

// DefaultPack returns the embedded rule pack.
func DefaultPack() (*Pack, error) {
	packOnce.Do(func() {
		var p *Pack
		if p, packErr = loadPack(packFiles); packErr == nil {
			pack = *p
		}
	})
	return &pack, packErr
}

// loadPack builds a pack from packs/codes.json and the packs/<category>.json
// files of fsys. A file that does not parse, names an unknown field, a
// category that is not its own or an edition date that is no date is an
// error naming the file.
func loadPack(fsys fs.FS) (*Pack, error) {
	var codes codesFile
	if err := decodeStrict(fsys, "packs/codes.json", &codes); err != nil {
		return nil, err
	}
	p := &Pack{Codes: codes.Codes, CCCYearMin: codes.CCCYearMin, Negations: codes.Negations, Severity: map[inspection.Category]map[string]inspection.Severity{},
		CCCProductCodes: map[inspection.Category][]string{}, ModelPatterns: map[inspection.Category]ModelPattern{},
		Standards: map[inspection.Category]Standards{}}
	names, err := fs.Glob(fsys, "packs/*.json")
	if err != nil {
		return nil, err
	}
	keywords := map[inspection.Category][]string{}
	for _, name := range names {
		if name == "packs/codes.json" {
			continue
		}
		var cf categoryFile
		if err := decodeStrict(fsys, name, &cf); err != nil {
			return nil, err
		}
		if cat, err := inspection.ParseCategory(string(cf.Category)); err != nil || path.Base(name) != string(cat)+".json" {
			return nil, fmt.Errorf("rules/%s: category %q is not the file's", name, cf.Category)
		}
		if err := p.add(cf); err != nil {
			return nil, fmt.Errorf("rules/%s: %w", name, err)
		}
		keywords[cf.Category] = cf.Keywords
	}
	for _, cat := range codes.KeywordOrder {
		kws, ok := keywords[cat]
		if !ok {
			return nil, fmt.Errorf("rules/packs/codes.json: keyword_order names %s, which has no pack", cat)
		}
		p.CategoryKeywords = append(p.CategoryKeywords, CategoryKeywords{Category: cat, Keywords: kws})
		delete(keywords, cat)
	}
	for cat, kws := range keywords {
		if len(kws) > 0 {
			return nil, fmt.Errorf("rules/packs/codes.json: keyword_order leaves out %s, whose pack has keywords", cat)
		}
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return p, nil
}

// add puts a category's pack into p.
func (p *Pack) add(cf categoryFile) error {
	cat := cf.Category
	if len(cf.Severity) > 0 {
		p.Severity[cat] = cf.Severity
	}
	if len(cf.CCCProductCodes) > 0 {
		p.CCCProductCodes[cat] = cf.CCCProductCodes
	}
	for _, lim := range cf.Limits {
		if lim.Category != "" && lim.Category != cat {
			return fmt.Errorf("limit %s names category %s", lim.Field, lim.Category)
		}
		lim.Category = cat
		t, err := time.Parse("2006-01-02", lim.Effective)
		if err != nil {
			return fmt.Errorf("limit %s: effective date: %w", lim.Field, err)
		}
		lim.effective = t
		p.Limits = append(p.Limits, lim)
	}
	for _, ph := range cf.Phrases {
		if ph.Category != "" && ph.Category != cat {
			return fmt.Errorf("phrases of %s name category %s", ph.Code, ph.Category)
		}
		ph.Category = cat
		p.Phrases = append(p.Phrases, ph)
	}
	if cf.Toy != nil {
		if cat != inspection.Toy {
			return fmt.Errorf("toy rules in the pack of %s", cat)
		}
		p.Toy = *cf.Toy
	}
	if mp := cf.ModelPattern; mp != nil {
		re, err := regexp.Compile(mp.Pattern)
		if err != nil {
			return fmt.Errorf("model pattern: %w", err)
		}
		mp.re = re
		p.ModelPatterns[cat] = *mp
	}
	if st := cf.Standards; st != nil {
		for _, n := range st.Numbers {
			if CanonicalStandard(n) != n || strings.Contains(n, "-") {
				return fmt.Errorf("standard %q is not a canonical designation without a year", n)
			}
		}
		p.Standards[cat] = *st
	}
	return nil
}

// decodeStrict reads the JSON file name of fsys into v, refusing fields v
// does not have (a misspelt key would otherwise be a rule silently gone).
func decodeStrict(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("rules/%s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("rules/%s: %w", name, err)
	}
	return nil
}

// check refuses a pack whose severities name codes or severities that do
// not exist.
func (p *Pack) check() error {
	known := func(s inspection.Severity) bool {
		return s == inspection.High || s == inspection.Medium || s == inspection.Low || s == inspection.Info
	}
	for code, sev := range p.Codes {
		if !known(sev) {
			return fmt.Errorf("rules/packs/codes.json: code %s: severity %q", code, sev)
		}
	}
	for cat, over := range p.Severity {
		for code, sev := range over {
			if _, ok := p.Codes[code]; !ok || !known(sev) {
				return fmt.Errorf("rules/packs/%s.json: severity of %s: no code %q or severity %q", cat, code, code, sev)
			}
		}
	}
	return nil
}
