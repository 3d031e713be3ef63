package models

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

func TestFieldsTableIsConsistent(t *testing.T) {
	fields, err := Fields()
	if err != nil {
		t.Fatal(err)
	}
	if len(fields) < 15 {
		t.Fatalf("only %d fields in the synonym table", len(fields))
	}
	owner := map[string]string{}
	for _, f := range fields {
		if f.Field == "" || len(f.Keys) == 0 {
			t.Errorf("field %q has no keys", f.Field)
		}
		for _, k := range f.Keys {
			lk := strings.ToLower(k)
			if prev, ok := owner[lk]; ok {
				t.Errorf("key %q claimed by %s and %s", k, prev, f.Field)
			}
			owner[lk] = f.Field
		}
	}
	for _, must := range []string{"manufacturer", "address", "standard", "model", "ccc_number", "production_date"} {
		found := false
		for _, f := range fields {
			found = found || f.Field == must
		}
		if !found {
			t.Errorf("field %s missing", must)
		}
	}
}

func TestManifestNamesEachFileOnce(t *testing.T) {
	for _, name := range []string{"det", "rec", "keys", "onnxruntime"} {
		f, err := ONNX(name)
		if err != nil {
			t.Fatal(err)
		}
		if f.File == "" || len(f.SHA256) != 64 {
			t.Errorf("%s: file %q, sha256 %q", name, f.File, f.SHA256)
		}
	}
	if _, err := ONNX("nonesuch"); err == nil {
		t.Error("an unknown name was found")
	}
}

// TestPlacesAreTheMadeFile: places.txt is what scripts/places makes from
// the package its README names, and a tree (each name one tab deeper than
// its parent at most).
func TestPlacesAreTheMadeFile(t *testing.T) {
	sum := sha256.Sum256([]byte(Places()))
	if got, want := hex.EncodeToString(sum[:]), "a448b4771e610d2f4ba6f3b213767091aa25f5c088e35446fb8c6edcdb31051b"; got != want {
		t.Errorf("places.txt SHA-256 %s, want %s (remake it with scripts/places)", got, want)
	}
	counts := make([]int, 4)
	depth := -1
	for i, line := range strings.Split(strings.TrimSuffix(Places(), "\n"), "\n") {
		d := len(line) - len(strings.TrimLeft(line, "\t"))
		if d > depth+1 || d >= len(counts) || strings.TrimSpace(line) == "" {
			t.Fatalf("line %d %q: depth %d after %d", i+1, line, d, depth)
		}
		counts[d]++
		depth = d
	}
	if counts[0] != 31 || counts[2] < 2900 || counts[3] < 40000 {
		t.Errorf("provinces, cities, counties, townships = %v", counts)
	}
}
