// Command labelsoak reads the same line crops over and over with each
// recogniser and reports the process's resident memory (start, peak, end):
// a recogniser that leaks shows as memory that grows with the lines read.
// Each engine runs in a process of its own so that one's memory does not
// hide another's. It writes bench/SOAK.md.
//
//	go run ./cmd/labelsoak                  # 10,000 lines per engine
//	go run ./cmd/labelsoak -lines 2000      # a quick look
//
// The engines: "tesseract" is labelcheck's own Tesseract bridge (ocr/tess.cpp),
// "gosseract" the gosseract v2.4.1 calls it replaced (SetImageFromBytes and
// GetBoundingBoxes, which leak the strings Tesseract returns), "paddle" the
// PP-OCRv4 recogniser in ONNX Runtime.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/otiai10/gosseract/v2"
	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/internal/labelgen"
	"github.com/labelcheck/labelcheck/models"
	"github.com/labelcheck/labelcheck/ocr"
)

// engines are soaked in this order.
var engines = []string{"tesseract", "gosseract", "paddle"}

// lineTexts are what the crops print: the kinds of line a label holds.
var lineTexts = []string{"型号: JZT-2E01B", "GB 16410-2020", "佛山市美厨电器有限公司", "2021012401123456",
	"广东省佛山市顺德区容桂街道华口工业区8号", "额定热负荷: 4.2kW", "生产日期: 2025年02月16日", "TDT-1203Z"}

// result is one engine's soak.
type result struct {
	Engine  string  `json:"engine"`
	Lines   int     `json:"lines"`
	Seconds float64 `json:"seconds"`
	// RSS in MB after the warm-up, at its highest, and at the end.
	StartMB float64 `json:"start_mb"`
	PeakMB  float64 `json:"peak_mb"`
	EndMB   float64 `json:"end_mb"`
	// Samples is the RSS every tenth of the run.
	Samples []float64 `json:"samples_mb"`
}

func main() {
	lines := flag.Int("lines", 10000, "line crops read per engine")
	warm := flag.Int("warm", 1000, "lines read before the start RSS is taken")
	engine := flag.String("engine", "", "soak only this engine and print its result as JSON (used by the parent run)")
	out := flag.String("out", "bench/SOAK.md", "where to write the report")
	flag.Parse()
	os.Setenv("OMP_THREAD_LIMIT", "1")
	if *engine != "" {
		r, err := soak(*engine, *lines, *warm)
		if err != nil {
			fmt.Fprintln(os.Stderr, "labelsoak:", err)
			os.Exit(1)
		}
		json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "labelsoak:", err)
		os.Exit(1)
	}
	var results []result
	for _, e := range engines {
		cmd := exec.Command(exe, "-engine", e, "-lines", strconv.Itoa(*lines), "-warm", strconv.Itoa(*warm))
		cmd.Stderr = os.Stderr
		data, err := cmd.Output()
		if err != nil {
			fmt.Fprintf(os.Stderr, "labelsoak: %s: %v\n", e, err)
			os.Exit(1)
		}
		var r result
		if err := json.Unmarshal(data, &r); err != nil {
			fmt.Fprintf(os.Stderr, "labelsoak: %s: %v\n", e, err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "%s: %d lines in %.1f s, RSS %.1f -> peak %.1f -> %.1f MB\n", e, r.Lines, r.Seconds, r.StartMB, r.PeakMB, r.EndMB)
		results = append(results, r)
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "labelsoak:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, []byte(markdown(results, *lines, *warm)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "labelsoak:", err)
		os.Exit(1)
	}
}

// soak reads warm+lines crops with one engine, sampling RSS.
func soak(engine string, lines, warm int) (result, error) {
	crops, err := renderCrops()
	if err != nil {
		return result{}, err
	}
	defer func() {
		for _, c := range crops {
			c.Close()
		}
	}()
	read, done, err := reader(engine, crops)
	if err != nil {
		return result{}, err
	}
	defer done()
	r := result{Engine: engine, Lines: lines}
	for i := range warm {
		if err := read(i % len(crops)); err != nil {
			return r, err
		}
	}
	runtime.GC()
	r.StartMB = rssMB()
	r.PeakMB = r.StartMB
	start := time.Now()
	for i := range lines {
		if err := read(i % len(crops)); err != nil {
			return r, err
		}
		if (i+1)%max(1, lines/10) == 0 {
			m := rssMB()
			r.Samples = append(r.Samples, m)
			r.PeakMB = max(r.PeakMB, m)
		}
	}
	r.Seconds = time.Since(start).Seconds()
	runtime.GC()
	r.EndMB = rssMB()
	r.PeakMB = max(r.PeakMB, r.EndMB)
	return r, nil
}

// reader returns a function that reads crop i with engine, and one that
// stops the engine.
func reader(engine string, crops []gocv.Mat) (func(int) error, func(), error) {
	ctx := context.Background()
	switch engine {
	case "tesseract":
		c, err := ocr.NewClient("", []string{"chi_sim"})
		if err != nil {
			return nil, nil, err
		}
		return func(i int) error { _, _, err := c.ReadLine(crops[i]); return err }, func() { c.Close() }, nil
	case "gosseract":
		c := gosseract.NewClient()
		if err := c.SetLanguage("chi_sim"); err != nil {
			return nil, nil, err
		}
		var pngs [][]byte
		for _, m := range crops {
			buf, err := gocv.IMEncode(gocv.PNGFileExt, m)
			if err != nil {
				return nil, nil, err
			}
			pngs = append(pngs, bytes.Clone(buf.GetBytes()))
			buf.Close()
		}
		read := func(i int) error {
			if err := c.SetImageFromBytes(pngs[i]); err != nil {
				return err
			}
			_, err := c.GetBoundingBoxes(gosseract.RIL_TEXTLINE)
			return err
		}
		if err := read(0); err != nil {
			return nil, nil, err
		}
		if err := c.SetPageSegMode(gosseract.PSM_SINGLE_LINE); err != nil {
			return nil, nil, err
		}
		return read, func() { c.Close() }, nil
	case "paddle":
		files, err := ocr.PaddleFilesFrom(models.Path)
		if err != nil {
			return nil, nil, err
		}
		p, err := ocr.NewPaddle(files)
		if err != nil {
			return nil, nil, err
		}
		return func(i int) error { _, _, err := p.ReadLine(ctx, crops[i]); return err }, func() { p.Close() }, nil
	}
	return nil, nil, fmt.Errorf("unknown engine %q: want one of %s", engine, strings.Join(engines, ", "))
}

// renderCrops draws each line text in two fonts as grey line crops.
func renderCrops() ([]gocv.Mat, error) {
	var out []gocv.Mat
	for _, text := range lineTexts {
		for _, font := range []string{"noto-sans", "noto-serif"} {
			img, err := labelgen.RenderText(text, font, 40)
			if err != nil {
				return nil, err
			}
			m, err := gocv.ImageGrayToMatGray(labelgen.Gray(img))
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// rssMB is the process's resident set size in MB (Linux).
func rssMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func markdown(rs []result, lines, warm int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "# Recogniser soak\n\n")
	fmt.Fprintf(&s, "Measured %s on %d CPUs. Reproduce: `go run ./cmd/labelsoak -lines %d`\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.NumCPU(), lines)
	fmt.Fprintf(&s, "Each engine, in a process of its own, reads %d line crops (%d texts × 2 fonts, in turn) after %d lines of warm-up;\n", lines, len(lineTexts), warm)
	fmt.Fprintf(&s, "RSS is the process's resident memory. `tesseract` is labelcheck's bridge (ocr/tess.cpp), `gosseract` the gosseract v2.4.1\n")
	fmt.Fprintf(&s, "calls it replaced, `paddle` the PP-OCRv4 recogniser in ONNX Runtime.\n\n")
	fmt.Fprintf(&s, "*Growth* is the RSS gained from the first tenth of the run to its end, per 1,000 lines: what a leak adds.\n\n")
	fmt.Fprintf(&s, "| engine | lines | ms per line | start RSS MB | peak RSS MB | end RSS MB | growth KB per 1,000 lines |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rs {
		growth := 0.0
		if len(r.Samples) > 1 {
			growth = (r.Samples[len(r.Samples)-1] - r.Samples[0]) * 1024 / (0.9 * float64(r.Lines)) * 1000
		}
		fmt.Fprintf(&s, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.0f |\n", r.Engine, r.Lines, 1000*r.Seconds/float64(max(1, r.Lines)),
			r.StartMB, r.PeakMB, r.EndMB, growth)
	}
	fmt.Fprintf(&s, "\nRSS every tenth of the run (MB):\n\n")
	for _, r := range rs {
		var parts []string
		for _, m := range r.Samples {
			parts = append(parts, fmt.Sprintf("%.1f", m))
		}
		fmt.Fprintf(&s, "- %s: %s\n", r.Engine, strings.Join(parts, " "))
	}
	return s.String()
}
