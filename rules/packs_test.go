package rules

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labelcheck/labelcheck/inspection"
)

// The embedded packs build one pack: every category's rules are its own,
// the keywords in the order codes.json gives, the editions dated.
func TestEmbeddedPacksAreOnePerCategory(t *testing.T) {
	p, err := DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	var order []inspection.Category
	for _, ck := range p.CategoryKeywords {
		order = append(order, ck.Category)
	}
	if got := strings.Join(func() []string {
		s := make([]string, len(order))
		for i, c := range order {
			s[i] = string(c)
		}
		return s
	}(), ","); got != "gas_water_heater,gas_stove,ebike,toy" {
		t.Errorf("keyword order %s", got)
	}
	for _, lim := range p.Limits {
		if lim.Category != inspection.EBike || lim.effective.IsZero() {
			t.Errorf("limit %+v", lim)
		}
	}
	for _, ph := range p.Phrases {
		if !strings.HasPrefix(ph.Code, map[inspection.Category]string{inspection.GasStove: "GAS_", inspection.GasWaterHeater: "GAS_", inspection.EBike: "EBIKE_"}[ph.Category]) {
			t.Errorf("%s in the pack of %s", ph.Code, ph.Category)
		}
	}
	if p.ModelPatterns[inspection.GasWaterHeater].re == nil || len(p.Toy.WarningWords) == 0 || len(p.CCCProductCodes[inspection.GasWaterHeater]) != 2 {
		t.Errorf("model patterns %v, toy %v, product codes %v", p.ModelPatterns, p.Toy, p.CCCProductCodes)
	}
	if len(p.Standards) != 4 || !slices.Contains(p.Standards[inspection.EBike].Numbers, "GB 17761") {
		t.Errorf("standards %v", p.Standards)
	}
}

// A pack file with a misspelt key, another category's rules, a date that
// is none, or left out of the keyword order is refused, naming the file.
func TestLoadPackRefusesABadFile(t *testing.T) {
	codes := `{"source": "t", "codes": {"TOY_NO_WARNING": "medium"}, "ccc_year_min": 2002, "keyword_order": ["toy"]}`
	toy := `{"category": "toy", "source": "t", "keywords": ["玩具"]}`
	if _, err := loadPack(fstest.MapFS{"packs/codes.json": {Data: []byte(codes)}, "packs/toy.json": {Data: []byte(toy)}}); err != nil {
		t.Fatalf("a good pack: %v", err)
	}
	for name, files := range map[string]map[string]string{
		"misspelt key":        {"packs/toy.json": `{"category": "toy", "keywrods": ["玩具"]}`},
		"category not its":    {"packs/toy.json": `{"category": "ebike", "keywords": ["玩具"]}`},
		"limit of another":    {"packs/ebike.json": `{"category": "ebike", "limits": [{"category": "toy", "field": "x", "effective": "2020-01-01"}]}`},
		"edition not a date":  {"packs/ebike.json": `{"category": "ebike", "limits": [{"field": "x", "effective": "2020-13-01"}]}`},
		"left out of order":   {"packs/ebike.json": `{"category": "ebike", "keywords": ["电动车"]}`},
		"toy rules elsewhere": {"packs/ebike.json": `{"category": "ebike", "toy": {"basis": "x"}}`},
		"unknown code":        {"packs/toy.json": `{"category": "toy", "severity": {"NO_SUCH_CODE": "high"}}`},
		"bad pattern":         {"packs/ebike.json": `{"category": "ebike", "model_pattern": {"pattern": "("}}`},
		"standard with year":  {"packs/toy.json": `{"category": "toy", "keywords": ["玩具"], "standards": {"numbers": ["GB 6675-2014"]}}`},
		"standard misspelt":   {"packs/toy.json": `{"category": "toy", "keywords": ["玩具"], "standards": {"numbers": ["GB6675"]}}`},
		"not JSON":            {"packs/codes.json": `{"codes": `},
	} {
		fsys := fstest.MapFS{"packs/codes.json": {Data: []byte(codes)}, "packs/toy.json": {Data: []byte(toy)}}
		var file string
		for f, data := range files {
			fsys[f] = &fstest.MapFile{Data: []byte(data)}
			file = f
		}
		if name == "left out of order" {
			file = "codes.json: keyword_order leaves out ebike"
		}
		if _, err := loadPack(fsys); err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
