package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/labelcheck/labelcheck/inspection"
)

//go:embed packs.json
var packsJSON []byte

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
type Pack struct {
	// Codes are the finding codes of CONTRACT.md section 4 with their
	// default severities.
	Codes map[string]inspection.Severity `json:"codes"`
	// Severity raises or lowers a code's severity for a category (CONTRACT.md
	// 4: "a rule pack may raise or lower it"), as checker.packSeverities
	// applies it.
	Severity        map[inspection.Category]map[string]inspection.Severity `json:"severity"`
	CCCYearMin      int                                                    `json:"ccc_year_min"`
	CCCProductCodes map[inspection.Category][]string                       `json:"ccc_product_codes"`
	// CategoryKeywords are tried in order, most specific first: a water
	// heater listing may mention 灶具 too, a stove listing never 燃气热水器.
	CategoryKeywords []CategoryKeywords `json:"category_keywords"`
	Limits           []Limit            `json:"limits"`
	Phrases          []PhraseRule       `json:"phrases"`
	Toy              ToyRules           `json:"toy"`
	// ModelPatterns are the shapes a category's model designations take: a
	// label model of another shape, where the listing's has it, is taken as
	// misread.
	ModelPatterns map[inspection.Category]ModelPattern `json:"model_patterns"`
}

// ModelPattern is a category's model designation, as a regular expression
// on the canonical model.
type ModelPattern struct {
	Pattern string `json:"pattern"`
	Source  string `json:"source"`
	re      *regexp.Regexp
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
		if err := json.Unmarshal(packsJSON, &pack); err != nil {
			packErr = fmt.Errorf("rules/packs.json: %w", err)
			return
		}
		if packErr = pack.check(); packErr != nil {
			return
		}
		for i, lim := range pack.Limits {
			t, err := time.Parse("2006-01-02", lim.Effective)
			if err != nil {
				packErr = fmt.Errorf("rules/packs.json: limit %s of %s: effective date: %w", lim.Field, lim.Category, err)
				return
			}
			pack.Limits[i].effective = t
		}
		for cat, mp := range pack.ModelPatterns {
			re, err := regexp.Compile(mp.Pattern)
			if err != nil {
				packErr = fmt.Errorf("rules/packs.json: model pattern of %s: %w", cat, err)
				return
			}
			mp.re = re
			pack.ModelPatterns[cat] = mp
		}
	})
	return &pack, packErr
}

// check refuses a pack whose severities name codes or severities that do
// not exist.
func (p *Pack) check() error {
	known := func(s inspection.Severity) bool {
		return s == inspection.High || s == inspection.Medium || s == inspection.Low || s == inspection.Info
	}
	for code, sev := range p.Codes {
		if !known(sev) {
			return fmt.Errorf("rules/packs.json: code %s: severity %q", code, sev)
		}
	}
	for cat, over := range p.Severity {
		for code, sev := range over {
			if _, ok := p.Codes[code]; !ok || !known(sev) {
				return fmt.Errorf("rules/packs.json: severity of %s for %s: no code %q or severity %q", code, cat, code, sev)
			}
		}
	}
	return nil
}
