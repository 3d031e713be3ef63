package labelgen

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/labelcheck/labelcheck/rules"
)

// TestExamplesAreReproducible regenerates the bundled example batch and
// compares it byte for byte with the committed copy: the generator is
// deterministic, and examples/batch is what it writes today.
func TestExamplesAreReproducible(t *testing.T) {
	dir := t.TempDir()
	for _, spec := range Examples() {
		if err := WriteCase(dir, spec, Phone, 1); err != nil {
			t.Fatal(err)
		}
	}
	committed := filepath.Join("..", "..", "examples", "batch")
	var n int
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		want, err := os.ReadFile(filepath.Join(committed, rel))
		if err != nil {
			t.Errorf("%s: generated but not committed: %v", rel, err)
			return nil
		}
		got, _ := os.ReadFile(p)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the committed copy: run go run ./cmd/labelgen -out examples/batch", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Errorf("only %d files generated", n)
	}
}

func TestEveryCaseHasTruthAndImages(t *testing.T) {
	dir := t.TempDir()
	names := map[string]bool{}
	for _, spec := range Examples() {
		if names[spec.Name] {
			t.Errorf("duplicate case %s", spec.Name)
		}
		names[spec.Name] = true
		if err := WriteCase(dir, spec, Clean, 7); err != nil {
			t.Fatal(err)
		}
		tr, err := ReadTruth(filepath.Join(dir, spec.Name))
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Images) != len(spec.Images) || tr.Category != spec.Category || tr.Level != "clean" {
			t.Errorf("%s: truth %+v does not describe the case", spec.Name, tr)
		}
		_, err = os.Stat(filepath.Join(dir, spec.Name, "listing.json"))
		if (spec.Listing != nil) != (err == nil) {
			t.Errorf("%s: listing.json present = %v, want %v", spec.Name, err == nil, spec.Listing != nil)
		}
	}
	if len(names) < 6 {
		t.Errorf("%d example cases, the issue asks for at least 6", len(names))
	}
}

// TestOracleAgreesWithExamples checks the oracle against the nine example
// cases, whose findings were written by hand from CONTRACT.md.
func TestOracleAgreesWithExamples(t *testing.T) {
	key := func(fs []TruthFinding) map[TruthFinding]bool {
		m := map[TruthFinding]bool{}
		for _, f := range fs {
			m[f] = true
		}
		return m
	}
	for _, spec := range Examples() {
		got, want := key(Expect(spec, nil)), key(spec.Findings)
		if len(got) != len(want) {
			t.Errorf("%s: oracle %v, hand-written %v", spec.Name, Expect(spec, nil), spec.Findings)
			continue
		}
		for f := range want {
			if !got[f] {
				t.Errorf("%s: oracle %v, hand-written %v", spec.Name, Expect(spec, nil), spec.Findings)
				break
			}
		}
	}
}

// TestSynthesizeCoversEveryCode: the benchmark set raises every finding code
// of CONTRACT.md section 4, about half its cases are consistent, and the
// same seed gives the same set.
func TestSynthesizeCoversEveryCode(t *testing.T) {
	set := Synthesize(300, 1)
	seen := map[string]int{}
	consistent := 0
	for _, c := range set.Cases {
		if len(c.Findings) == 0 {
			consistent++
		}
		for _, f := range c.Findings {
			seen[f.Code]++
		}
	}
	for code := range Severities {
		if seen[code] < 2 {
			t.Errorf("%s raised by %d cases of 300", code, seen[code])
		}
	}
	if len(Severities) != 28 {
		t.Errorf("%d codes in the severity table, CONTRACT.md section 4 has 28", len(Severities))
	}
	if consistent < 120 || consistent > 180 {
		t.Errorf("%d of 300 cases consistent, want about half", consistent)
	}
	again := Synthesize(300, 1)
	for i := range set.Cases {
		a, b := set.Cases[i], again.Cases[i]
		if a.Name != b.Name || a.Label != b.Label || len(a.Findings) != len(b.Findings) {
			t.Fatalf("case %d differs between two runs with the same seed", i)
		}
	}
}

// TestOracleSeveritiesAreThePacks: the codes and default severities the
// truth is written with are the rule pack's.
func TestOracleSeveritiesAreThePacks(t *testing.T) {
	p, err := rules.DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(p.Codes, Severities) {
		t.Errorf("rules/packs/codes.json codes %v\noracle %v", p.Codes, Severities)
	}
}
