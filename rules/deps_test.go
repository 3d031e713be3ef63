package rules

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRulesStayTextOnly keeps the dependency direction of the layout: the
// rules work on text and boxes, so neither they nor anything they import may
// pull in OpenCV or Tesseract.
func TestRulesStayTextOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"/vision", "/ocr", "gocv.io/", "gosseract"} {
			if strings.Contains(dep, banned) {
				t.Errorf("rules depends on %s", dep)
			}
		}
	}
}
