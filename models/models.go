package models

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
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

//go:embed places.txt
var placesTxt string

// Places returns the gazetteer of China's administrative divisions: one
// name a line, in tree order (province, city, county, township), indented
// by a tab for each level below the province. See README.md for its origin.
func Places() string { return placesTxt }

//go:embed onnx.json
var onnxJSON []byte

// ONNXFile is one file scripts/models fetches (and converts): a network,
// its character list or the runtime library.
type ONNXFile struct {
	Name   string `json:"name"`
	What   string `json:"what"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
}

// ONNXPackage is one npm package the files come from.
type ONNXPackage struct {
	Package        string     `json:"package"`
	Version        string     `json:"version"`
	PackageLicence string     `json:"package_licence"`
	WeightsLicence string     `json:"weights_licence"`
	Files          []ONNXFile `json:"files"`
}

// ONNXManifest is models/onnx.json: where the networks and their runtime
// come from and the checksums of the files labelcheck loads.
type ONNXManifest struct {
	Packages []ONNXPackage `json:"packages"`
}

// Packages returns the npm packages of models/onnx.json.
func Packages() ([]ONNXPackage, error) {
	var m ONNXManifest
	if err := json.Unmarshal(onnxJSON, &m); err != nil {
		return nil, fmt.Errorf("models/onnx.json: %w", err)
	}
	return m.Packages, nil
}

// ONNX returns the manifest entry of the file called name.
func ONNX(name string) (ONNXFile, error) {
	packages, err := Packages()
	if err != nil {
		return ONNXFile{}, err
	}
	for _, p := range packages {
		for _, f := range p.Files {
			if f.Name == name {
				return f, nil
			}
		}
	}
	return ONNXFile{}, fmt.Errorf("models/onnx.json: no file %q", name)
}

// Path is the fetched file called name, with the checksum it must have.
func Path(name string) (path, sha256 string, err error) {
	f, err := ONNX(name)
	if err != nil {
		return "", "", err
	}
	dir, err := Dir()
	if err != nil {
		return "", "", err
	}
	return filepath.Join(dir, f.File), f.SHA256, nil
}

// ReadChecked reads a fetched file and checks it has the SHA-256 want: a
// network is only ever given to a runtime as the set-up command made it.
func ReadChecked(path, want string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w (run ./scripts/setup to fetch the models)", err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != want {
		return nil, fmt.Errorf("%s: SHA-256 %s, want %s (run ./scripts/setup to fetch the models again)", path, got, want)
	}
	return data, nil
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
