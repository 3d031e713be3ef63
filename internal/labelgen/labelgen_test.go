package labelgen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
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

func TestHomographyMapsCorners(t *testing.T) {
	from := [4][2]float64{{0, 0}, {100, 0}, {100, 50}, {0, 50}}
	to := [4][2]float64{{10, 20}, {120, 15}, {115, 80}, {5, 70}}
	h := homography(from, to)
	for i, p := range from {
		w := h[6]*p[0] + h[7]*p[1] + 1
		x, y := (h[0]*p[0]+h[1]*p[1]+h[2])/w, (h[3]*p[0]+h[4]*p[1]+h[5])/w
		if d := (x-to[i][0])*(x-to[i][0]) + (y-to[i][1])*(y-to[i][1]); d > 1e-6 {
			t.Errorf("corner %d maps to (%.3f, %.3f), want %v", i, x, y, to[i])
		}
	}
}
