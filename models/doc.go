// Package models holds the recognition assets the pipeline loads, embedded in
// the binary: the field synonym tables that map label and listing keys to
// canonical fields. README.md in this
// folder says where each asset came from.
package models
