package onnxrt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labelcheck/labelcheck/models"
)

func TestStartChecksTheLibraryAndStartsOnce(t *testing.T) {
	path, sha, err := models.Path("onnxruntime")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "libonnxruntime.so.1")
	if err := os.WriteFile(bad, []byte("not a library"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Never loaded: a library is code the process would run.
	if err := Start(bad, sha); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Fatalf("a library with the wrong checksum: err %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ONNX Runtime missing in CI (scripts/models fetches it): %v", err)
		}
		t.Skipf("ONNX Runtime not fetched (run scripts/models): %v", err)
	}
	for range 2 {
		if err := Start(path, sha); err != nil {
			t.Fatal(err)
		}
	}
	if err := Start(bad, sha); err == nil || !strings.Contains(err.Error(), "loaded already") {
		t.Errorf("another library after the first: err %v", err)
	}
	if s, err := Session([]byte("not a model"), []string{"x"}, []string{"y"}); err == nil {
		s.Destroy()
		t.Error("a session on bytes that are no model")
	}
}
