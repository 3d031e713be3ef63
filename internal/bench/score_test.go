package bench

import (
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/internal/labelgen"
)

func TestScore(t *testing.T) {
	consistent := Case{
		Truth: &labelgen.Truth{Case: "a", Category: inspection.GasStove, Verdict: inspection.Pass, Findings: []labelgen.TruthFinding{},
			Printed: map[string]string{"model": "JZT-2E01B", "manufacturer": "佛山市美厨电器有限公司"}},
		Report: &inspection.Report{Verdict: inspection.Fail,
			Findings: []inspection.Finding{{Code: "LABEL_NO_ADDRESS"}},
			Fields:   map[string]*inspection.FieldReport{"model": {Label: "jzt-2e01b"}, "manufacturer": {Label: "佛山市美司电器有限公司"}},
			Images: []inspection.ImageResult{{Text: "型号 JZT-2E01B\n佛山市美 厨电器有限公司", Ms: 90,
				StagesMs: map[string]int64{"decode": 10, "detect": 40, "tesseract": 30, "paddle": 10}}},
			ElapsedMs: 100},
		BaselineText: "JZT 2E01B",
	}
	broken := Case{
		Truth: &labelgen.Truth{Case: "b", Category: inspection.Toy, Verdict: inspection.Fail,
			Findings: []labelgen.TruthFinding{{Code: "LISTING_MISMATCH", Field: "model"}, {Code: "TOY_NO_WARNING"}}},
		Report: &inspection.Report{Verdict: inspection.Fail, Findings: []inspection.Finding{
			{Code: "LISTING_MISMATCH", Field: "model"}, {Code: "LISTING_MISMATCH", Field: "brand"}}},
	}
	l := Score("phone", []Case{consistent, broken})
	if got := l.All.Findings; got != (Counts{TP: 1, FP: 2, FN: 1}) {
		t.Errorf("counts %+v", got)
	}
	if p, r := l.All.Findings.Precision(), l.All.Findings.Recall(); math.Abs(p-1.0/3) > 1e-9 || r != 0.5 {
		t.Errorf("precision %v recall %v", p, r)
	}
	if l.All.VerdictCorrect != 1 || l.All.Consistent != 1 || l.All.FalseFail != 1 || l.All.FalseFailRate() != 1 {
		t.Errorf("verdicts %+v", l.All)
	}
	if l.All.FieldExact["model"] != 1 || l.All.FieldExact["manufacturer"] != 0 || l.All.FieldTotal["manufacturer"] != 1 {
		t.Errorf("field exact %v of %v", l.All.FieldExact, l.All.FieldTotal)
	}
	if l.FieldRecall != 1 || l.BaselineFieldRecall != 0 {
		t.Errorf("field recall %v, baseline %v", l.FieldRecall, l.BaselineFieldRecall)
	}
	// Two cases, one image: the broken case has no images and no time.
	if want := map[string]float64{"decode": 10, "detect": 40, "tesseract": 30, "paddle": 10, "rules": 10}; !maps.Equal(l.StageMs, want) {
		t.Errorf("stage ms %v, want %v", l.StageMs, want)
	}
	if c := l.ByCode["TOY_NO_WARNING"]; c == nil || c.FN != 1 || l.ByCategory["toy"].Cases != 1 {
		t.Errorf("by code %+v, by category %+v", l.ByCode, l.ByCategory)
	}
	if len(l.Misses) != 1 || l.Misses[0].Field != "manufacturer" {
		t.Errorf("misses %+v", l.Misses)
	}
	s := NewSpeed([]float64{30, 10, 20, 40}, 2, 100)
	if s.ImagesPerSec != 2 || s.MedianMs != 30 || s.P95Ms != 40 {
		t.Errorf("speed %+v", s)
	}
	md := (&Board{Commit: "abc", Levels: []*Level{l}}).Markdown()
	for _, want := range []string{"| phone | 2 | 0.33 | 0.50 |", "| 50.0% (1/2) |", "TOY_NO_WARNING", "manufacturer: printed"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}
