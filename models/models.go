package models

import (
	_ "embed"
	"encoding/json"
	"fmt"
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
