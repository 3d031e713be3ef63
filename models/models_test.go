package models

import (
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
