package bench

import (
	"path/filepath"
	"testing"

	"github.com/labelcheck/labelcheck/cases"
	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/inspector"
	"github.com/labelcheck/labelcheck/internal/labelgen"
	"github.com/labelcheck/labelcheck/internal/leakcheck"
	"github.com/labelcheck/labelcheck/registry"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

// gate is what the fixed slice must reach at a level: a little below what it
// measured when the gate was set (see the test), so a regression fails it
// while the run-to-run wobble of OCR does not.
type gate struct {
	minF1, minVerdict, minFieldRecall, maxFalseFail float64
}

// gates were set from the slice's scores measured when the gate was last
// raised (with --engine auto, every rule and the set's registry: clean: F1
// 1.000, verdict 1.000, field recall 1.000, false-fail 0.000; phone: the
// same; hard: 0.667, 0.700, 0.963, 0.200) less a margin for other builds
// of Tesseract and ONNX Runtime. Raise them when the scores rise.
var gates = map[string]gate{
	"clean": {minF1: 0.9, minVerdict: 0.9, minFieldRecall: 0.97, maxFalseFail: 0.2},
	"phone": {minF1: 0.9, minVerdict: 0.9, minFieldRecall: 0.95, maxFalseFail: 0.2},
	"hard":  {minF1: 0.5, minVerdict: 0.5, minFieldRecall: 0.9, maxFalseFail: 0.6},
}

// TestRegressionGate runs a fixed slice of the benchmark set (10 cases, two
// per category, seed 7) through the inspector at every level and holds the
// scores to the gates. The full scoreboard is go run ./cmd/labelbench.
func TestRegressionGate(t *testing.T) {
	if testing.Short() {
		t.Skip("the regression gate inspects 30 generated cases")
	}
	set := labelgen.Synthesize(10, 7)
	cfg := inspector.DefaultConfig()
	cfg.Jobs = 2
	regPath := filepath.Join(t.TempDir(), "registry.csv")
	if err := labelgen.WriteRegistry(regPath, set.Registry); err != nil {
		t.Fatal(err)
	}
	reg, err := registry.LoadFile(regPath)
	if err != nil || len(reg.Problems) > 0 {
		t.Fatalf("registry: %v %v", err, reg)
	}
	cfg.Registry = reg
	ins, err := inspector.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ins.Close()
	for _, name := range []string{"clean", "phone", "hard"} {
		dir := filepath.Join(t.TempDir(), name)
		if err := labelgen.WriteSet(dir, set, labelgen.Levels[name], 7); err != nil {
			t.Fatal(err)
		}
		src, err := cases.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		var cs []Case
		err = ins.Batch(t.Context(), src.Cases, func(r *inspection.Report) error {
			truth, err := labelgen.ReadTruth(filepath.Join(dir, r.Case))
			cs = append(cs, Case{Truth: truth, Report: r})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		l := Score(name, cs)
		g := gates[name]
		t.Logf("%s: finding F1 %.3f, verdict accuracy %.3f, field recall %.3f, false-fail %.3f",
			name, l.All.Findings.F1(), l.All.VerdictAccuracy(), l.FieldRecall, l.All.FalseFailRate())
		if f1 := l.All.Findings.F1(); f1 < g.minF1 {
			t.Errorf("%s: finding F1 %.3f under the gate %.3f", name, f1, g.minF1)
		}
		if v := l.All.VerdictAccuracy(); v < g.minVerdict {
			t.Errorf("%s: verdict accuracy %.3f under the gate %.3f", name, v, g.minVerdict)
		}
		if r := l.FieldRecall; r < g.minFieldRecall {
			t.Errorf("%s: field recall %.3f under the gate %.3f", name, r, g.minFieldRecall)
		}
		if ff := l.All.FalseFailRate(); ff > g.maxFalseFail {
			t.Errorf("%s: false-fail rate %.3f over the gate %.3f", name, ff, g.maxFalseFail)
		}
	}
}
