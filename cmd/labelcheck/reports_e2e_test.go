package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labelcheck/labelcheck/inspection"
)

// TestCSVReportOfTheExamples: the CSV of the example batch has a row per
// finding of its JSON report and one per case without findings, readable
// back by a CSV reader after its byte order mark.
func TestCSVReportOfTheExamples(t *testing.T) {
	stdout, stderr, code := run(t, nil, "inspect", "--format", "csv", examples)
	if code != 1 || !strings.HasPrefix(stdout, "\ufeffcase,listing_id,") {
		t.Fatalf("exit %d, stderr %s, stdout %.200q", code, stderr, stdout)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(stdout, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, strings.Join([]string{r[0], r[5], r[7], r[8], r[9], r[10]}, "|"))
	}
	jsonl, _, _ := run(t, nil, "inspect", "--format", "jsonl", examples)
	var want []string
	for _, line := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		var r inspection.Report
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Findings) == 0 {
			want = append(want, strings.Join([]string{r.Case, string(r.Verdict), "", "", "", ""}, "|"))
		}
		for _, f := range r.Findings {
			want = append(want, strings.Join([]string{r.Case, string(r.Verdict), f.Code, f.Field, f.LabelValue, f.ListingValue}, "|"))
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("CSV rows:\n%s\nwant, from the JSON report:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// chromium finds Debian's Chromium; without it the test is skipped, except
// in CI, where the set-up command installs it and its absence is a failure.
func chromium(t *testing.T) string {
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium not installed: ./scripts/deps installs it")
		}
		t.Skip("chromium not installed (./scripts/deps installs it)")
	}
	return path
}

// TestHTMLReportInChromium opens the HTML report of the example batch in
// headless Chromium: the page's script runs without a console message, it
// shows every case, the boxes are drawn over the photos, and it asks for
// nothing outside the file.
func TestHTMLReportInChromium(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if _, stderr, code := run(t, nil, "inspect", "--format", "html", "--out", page, examples); code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"?(https?:)?//`).Find(html); m != nil {
		t.Errorf("the report refers outside itself: %s", m)
	}

	// The DOM after the script ran.
	domFile := filepath.Join(dir, "dom.html")
	log := headless(t, page, domFile, "--dump-dom")
	dom, err := os.ReadFile(domFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(dom, []byte(`data-ready="1"`)) {
		t.Error("the report's script did not run to its end")
	}
	for _, name := range []string{"case-01-gas-stove-clean", "case-02-gas-stove-listing-mismatch", "case-09-gas-stove-broken-upload"} {
		if !bytes.Contains(dom, []byte(`<a href="#`)) || !bytes.Contains(dom, []byte(name)) {
			t.Errorf("the page does not show %s", name)
		}
	}
	if n := bytes.Count(dom, []byte("<tr data-case=")); n != 9 {
		t.Errorf("%d cases in the summary table, want 9", n)
	}
	consoleSilent(t, log)

	// A screenshot of the top of the page: the second case is open, its
	// photos in view with their boxes.
	shot := filepath.Join(dir, "shot.png")
	consoleSilent(t, headless(t, page, "", "--window-size=1400,2200", "--screenshot="+shot))
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// Pixels of the finding boxes' red (#e60000) and the field boxes'
	// green (#00aa00); the legend's swatches alone have fewer than 100.
	near := func(r, g, b, R, G, B uint32) bool {
		d := func(x, y uint32) uint32 {
			if x > y {
				return x - y
			}
			return y - x
		}
		return d(r, R)+d(g, G)+d(b, B) < 40
	}
	red, green := 0, 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			switch {
			case near(r, g, b, 230, 0, 0):
				red++
			case near(r, g, b, 0, 170, 0):
				green++
			}
		}
	}
	if red < 300 || green < 300 {
		t.Errorf("the screenshot has %d pixels of the finding boxes' red and %d of the field boxes' green: boxes not drawn", red, green)
	}
}

// headless runs Chromium headless on page, with the flags that keep it
// off the network and away from the machine's profile, its standard output
// (--dump-dom's DOM) written to out when out is not "", and returns what
// it logged (the page's console among it).
func headless(t *testing.T, page, out string, args ...string) string {
	t.Helper()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"}, args...)
	cmd := exec.Command(chromium(t), append(all, "file://"+page)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.Stdout = f
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	return stderr.String()
}

// consoleSilent fails the test for any message of the page's console: a
// script error, or a request the page's Content-Security-Policy refused.
func consoleSilent(t *testing.T, log string) {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, ":CONSOLE") || strings.Contains(line, "Refused to") {
			t.Errorf("console: %s", line)
		}
	}
}

// TestProgressBarOnlyOnATerminal runs inspect with stderr on a terminal
// (script(1) gives it one): the bar is drawn there, with the cases done
// and the rate, and nothing of it under --quiet or when stderr is a pipe.
func TestProgressBarOnlyOnATerminal(t *testing.T) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script(1) not installed")
	}
	stove := filepath.Join(examples, "case-01-gas-stove-clean")
	onTerminal := func(quiet bool) string {
		dir := t.TempDir()
		typescript := filepath.Join(dir, "typescript")
		line := binary + " inspect --format jsonl --out " + filepath.Join(dir, "r.jsonl")
		if quiet {
			line += " --quiet"
		}
		cmd := exec.Command("script", "-q", "-e", "-c", line+" "+stove, typescript)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1", "LABELCHECK_MODELS="+modelsDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("script: %v\n%s", err, out)
		}
		out, err := os.ReadFile(typescript)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	bar := regexp.MustCompile(`\[#{24}\] 1/1 cases  [0-9.]+ images/s  0:[0-9]{2}`)
	if out := onTerminal(false); !bar.MatchString(out) || !strings.Contains(out, "\r\x1b[K[------------------------] 0/1 cases") {
		t.Errorf("on a terminal, no bar:\n%q", out)
	}
	if out := onTerminal(true); strings.Contains(out, "cases") {
		t.Errorf("--quiet drew the bar:\n%q", out)
	}
	if _, stderr, _ := run(t, nil, "inspect", "--format", "jsonl", stove); strings.Contains(stderr, "cases") {
		t.Errorf("stderr a pipe: %q", stderr)
	}
}
