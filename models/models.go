package models

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

//go:embed fields.json
var fieldsJSON []byte

// FieldKeys is one canonical field with the keys that name it on labels and
// listings (Chinese and English, any wording seen in practice).
type FieldKeys struct {
	Field string   `json:"field"`
	Keys  []string `json:"keys"`
}

// Fields returns the field synonym table. The embedded table is checked by a
// test, so an error here means the binary was built from a broken tree.
func Fields() ([]FieldKeys, error) {
	var doc struct {
		Fields []FieldKeys `json:"fields"`
	}
	if err := json.Unmarshal(fieldsJSON, &doc); err != nil {
		return nil, fmt.Errorf("models/fields.json: %w", err)
	}
	return doc.Fields, nil
}

//go:embed onnx.json
var onnxJSON []byte

// ONNXFile is one network file scripts/models fetches and converts.
type ONNXFile struct {
	Name   string `json:"name"`
	What   string `json:"what"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
}

// ONNXManifest is models/onnx.json: where the networks come from and the
// checksums of the files labelcheck loads.
type ONNXManifest struct {
	Package        string     `json:"package"`
	Version        string     `json:"version"`
	WeightsLicence string     `json:"weights_licence"`
	Files          []ONNXFile `json:"files"`
}

// ONNX returns the manifest entry of the network called name.
func ONNX(name string) (ONNXFile, error) {
	var m ONNXManifest
	if err := json.Unmarshal(onnxJSON, &m); err != nil {
		return ONNXFile{}, fmt.Errorf("models/onnx.json: %w", err)
	}
	for _, f := range m.Files {
		if f.Name == name {
			return f, nil
		}
	}
	return ONNXFile{}, fmt.Errorf("models/onnx.json: no network %q", name)
}

// Dir is where the fetched networks are: $LABELCHECK_MODELS when set, else
// the models/onnx folder of the source tree the binary or the test runs in
// (found upwards from the executable and from the working directory).
func Dir() (string, error) {
	if d := os.Getenv("LABELCHECK_MODELS"); d != "" {
		return d, nil
	}
	var starts []string
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, dir := range starts {
		for {
			cand := filepath.Join(dir, "models", "onnx")
			if st, err := os.Stat(cand); err == nil && st.IsDir() {
				return cand, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", errors.New("no models/onnx folder found: run ./scripts/setup, or set LABELCHECK_MODELS")
}
