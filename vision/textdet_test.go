package vision

import (
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labelcheck/labelcheck/models"
)

// detector loads the DB detector fetched by scripts/models. Without it the
// test is skipped locally and fails in CI, where set-up always fetches it.
func detector(t *testing.T, side int) *TextDetector {
	t.Helper()
	f, err := DetectorFilesFrom(models.Path)
	if err == nil {
		for _, file := range []string{f.Runtime, f.Model} {
			if _, err = os.Stat(file); err != nil {
				break
			}
		}
	}
	if err == nil {
		d, err := LoadTextDetector(f, side)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("text detector missing in CI (scripts/models fetches it): %v", err)
	}
	t.Skipf("text detector not fetched (run scripts/models): %v", err)
	return nil
}

func TestLoadTextDetectorChecksTheFileFirst(t *testing.T) {
	dir := t.TempDir()
	f, err := DetectorFilesFrom(models.Path)
	if err != nil {
		t.Fatal(err)
	}
	bad := f
	bad.Model = filepath.Join(dir, "det.onnx")
	// Not a network: the runtime is never given it.
	if err := os.WriteFile(bad.Model, []byte("not an onnx model"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadTextDetector(bad, 640); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Errorf("a file with the wrong checksum: err %v", err)
	}
	missing := f
	missing.Model = filepath.Join(dir, "missing.onnx")
	if _, err := LoadTextDetector(missing, 640); err == nil || !strings.Contains(err.Error(), "scripts/setup") {
		t.Errorf("a missing file: err %v", err)
	}
	if _, err := LoadTextDetector(f, 100); err == nil {
		t.Error("input side 100 (not a multiple of 32) accepted")
	}
}

func TestTextDetectorFindsTheLinesOfANameplate(t *testing.T) {
	d := detector(t, 640)
	defer d.Close()
	cfg := DefaultConfig()
	classical := pageOf(t, nameplate(t), cfg)
	defer classical.Close()

	cfg.Detector = "db"
	p := pageOf(t, nameplate(t), cfg) // no detector set yet: classical lines
	defer p.Close()
	p.SetDetector(d)
	// Twice: the session is reused.
	for run := range 2 {
		if err := FindLines(p); err != nil {
			t.Fatal(err)
		}
		// The DB detector joins key and value cells of a row into one line:
		// the title and the 8 rows.
		if n := len(p.Lines); n < 8 || n > 17 {
			t.Fatalf("run %d: %d lines, want 9 (title and 8 rows)", run, n)
		}
		for _, l := range p.Lines {
			c := image.Pt(int(l.Center[0]), int(l.Center[1]))
			hit := false
			for _, k := range classical.Lines {
				hit = hit || c.In(k.Rect.Inset(-k.Rect.Dy()))
			}
			if !hit {
				t.Errorf("run %d: DB line %v is not near any classical line", run, l.Rect)
			}
		}
	}
}

// onFrame pastes label at (x, y) on a grey 4000x3000 frame with shapes.
func onFrame(label image.Image, x, y int) image.Image {
	frame := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	draw.Draw(frame, frame.Bounds(), image.NewUniform(color.RGBA{96, 100, 104, 255}), image.Point{}, draw.Src)
	for i, r := range []image.Rectangle{image.Rect(300, 300, 1100, 900), image.Rect(2600, 400, 3400, 700), image.Rect(500, 2000, 900, 2800)} {
		draw.Draw(frame, r, image.NewUniform(color.RGBA{uint8(60 + 60*i), 140, uint8(200 - 50*i), 255}), image.Point{}, draw.Src)
	}
	b := label.Bounds()
	draw.Draw(frame, b.Add(image.Pt(x, y).Sub(b.Min)), label, b.Min, draw.Src)
	return frame
}
