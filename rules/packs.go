package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/labelcheck/labelcheck/inspection"
)

//go:embed packs.json
var packsJSON []byte

// Limit is one numeric ceiling a category's products must stay under.
type Limit struct {
	Category  inspection.Category `json:"category"`
	Field     string              `json:"field"`
	Name      string              `json:"name"`
	Max       float64             `json:"max"`
	Unit      string              `json:"unit"`
	Code      string              `json:"code"`
	Basis     string              `json:"basis"`
	Effective string              `json:"effective"`
}

// Pack is the rule data: thresholds and code tables, kept out of the code.
type Pack struct {
	CCCYearMin      int                              `json:"ccc_year_min"`
	CCCProductCodes map[inspection.Category][]string `json:"ccc_product_codes"`
	// CategoryKeywords are tried in order, most specific first: a water
	// heater listing may mention 灶具 too, a stove listing never 燃气热水器.
	CategoryKeywords []CategoryKeywords `json:"category_keywords"`
	Limits           []Limit            `json:"limits"`
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
		}
	})
	return &pack, packErr
}
