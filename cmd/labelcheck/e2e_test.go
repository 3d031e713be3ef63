package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/internal/labelgen"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "labelcheck-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "labelcheck")
	if examples, err = filepath.Abs(examples); err != nil {
		panic(err)
	}
	if modelsDir, err = filepath.Abs(filepath.Join("..", "..", "models", "onnx")); err != nil {
		panic(err)
	}
	args := []string{"build", "-o", binary}
	if tags := os.Getenv("LABELCHECK_TEST_TAGS"); tags != "" {
		args = append(args, "-tags", tags)
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var examples = filepath.Join("..", "..", "examples", "batch")

// modelsDir is the repository's fetched models, which a run out of the
// source tree is told of (LABELCHECK_MODELS) unless the test says otherwise.
var modelsDir string

// run runs the built binary and returns stdout, stderr and the exit code.
func run(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	// Out of the source tree: what a run leaves in its working folder (ONNX
	// Runtime writes a session file there when it has no cache directory)
	// goes with the test.
	cmd.Dir = t.TempDir()
	base := []string{"OMP_THREAD_LIMIT=1"}
	if os.Getenv("LABELCHECK_MODELS") == "" {
		base = append(base, "LABELCHECK_MODELS="+modelsDir)
	}
	cmd.Env = append(os.Environ(), append(base, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

type finding struct{ Code, Field string }

// TestExampleBatchMatchesTruth is the end-to-end check of the issue: every
// truth finding of every example case is reported, and no case raises a
// finding its truth does not list.
func TestExampleBatchMatchesTruth(t *testing.T) {
	stdout, stderr, code := run(t, nil, "inspect", "--format", "jsonl", examples)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the batch has failing cases); stderr: %s", code, stderr)
	}
	seen := 0
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r inspection.Report
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d is not a report: %v", seen+1, err)
		}
		seen++
		truth, err := labelgen.ReadTruth(filepath.Join(examples, r.Case))
		if err != nil {
			t.Fatal(err)
		}
		var got, want []finding
		for _, f := range r.Findings {
			if !slices.Contains(got, finding{f.Code, f.Field}) {
				got = append(got, finding{f.Code, f.Field})
			}
			if len(f.Evidence) == 0 {
				t.Errorf("%s: %s has no evidence", r.Case, f.Code)
			}
		}
		for _, f := range truth.Findings {
			want = append(want, finding{f.Code, f.Field})
		}
		cmp := func(a, b finding) int { return strings.Compare(a.Code+a.Field, b.Code+b.Field) }
		slices.SortFunc(got, cmp)
		slices.SortFunc(want, cmp)
		if !slices.Equal(got, want) {
			t.Errorf("%s: findings %v, truth %v", r.Case, got, want)
		}
		if r.Category != truth.Category {
			t.Errorf("%s: category %s, truth %s", r.Case, r.Category, truth.Category)
		}
		if wantV := inspection.VerdictOf(r.Findings); r.Verdict != wantV {
			t.Errorf("%s: verdict %s, findings say %s", r.Case, r.Verdict, wantV)
		}
		if len(r.Images) != len(truth.Images) {
			t.Errorf("%s: %d images reported, %d in the case", r.Case, len(r.Images), len(truth.Images))
		}
		var marked []string
		for _, m := range r.Marks {
			if !slices.Contains(marked, m.Image) {
				marked = append(marked, m.Image)
			}
		}
		slices.Sort(marked)
		if !slices.Equal(marked, truth.Marks) {
			t.Errorf("%s: CCC marks on %v, truth %v", r.Case, marked, truth.Marks)
		}
	}
	if seen != len(labelgen.Examples()) {
		t.Errorf("%d reports, want %d", seen, len(labelgen.Examples()))
	}
}

func TestJSONFormatHasSummary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.json")
	_, stderr, code := run(t, nil, "inspect", "--format", "json", "--out", out, "--jobs", "1",
		filepath.Join(examples, "case-01-gas-stove-clean"), filepath.Join(examples, "case-03-no-manufacturer-no-address"))
	if code != 1 {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases   []inspection.Report `json:"cases"`
		Summary struct {
			Cases    int                       `json:"cases"`
			Verdicts map[string]int            `json:"verdicts"`
			Findings map[string]int            `json:"findings"`
			BySeller map[string]map[string]any `json:"by_seller"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Summary
	if len(doc.Cases) != 2 || s.Cases != 2 || s.Verdicts["pass"] != 1 || s.Verdicts["fail"] != 1 ||
		s.Findings["LABEL_NO_MANUFACTURER"] != 1 || s.BySeller["S-88231"] == nil {
		t.Errorf("summary %+v", s)
	}
}

func TestExitCodes(t *testing.T) {
	clean := filepath.Join(examples, "case-01-gas-stove-clean")
	review := filepath.Join(examples, "case-05-toy-no-age-grading")
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		code int
		err  string
	}{
		{"passing case", nil, []string{"inspect", "--format", "jsonl", clean}, 0, ""},
		{"review under --fail-on fail", nil, []string{"inspect", "--format", "jsonl", review}, 0, ""},
		{"review under --fail-on review", nil, []string{"inspect", "--format", "jsonl", "--fail-on", "review", review}, 1, ""},
		{"fail-on from the environment", []string{"LABELCHECK_FAIL_ON=review"}, []string{"inspect", "--format", "jsonl", review}, 1, ""},
		{"unknown flag", nil, []string{"inspect", "--no-such-flag", clean}, 2, "no-such-flag"},
		{"bad format", nil, []string{"inspect", "--format", "xml", clean}, 2, "unknown format"},
		{"bad category", nil, []string{"inspect", "--category", "sofa", clean}, 2, "unknown category"},
		{"bad fail-on", nil, []string{"inspect", "--fail-on", "pass", clean}, 2, "--fail-on"},
		{"missing folder", nil, []string{"inspect", "/no/such/folder"}, 2, "no such file"},
		{"no arguments", nil, []string{"inspect"}, 2, "at least one"},
		{"missing tessdata", []string{"TESSDATA_PREFIX=" + t.TempDir()}, []string{"inspect", "--format", "jsonl", clean}, 2, "language data"},
		{"bad engine", nil, []string{"inspect", "--engine", "ocrad", clean}, 2, "engine"},
		{"missing recogniser", []string{"LABELCHECK_MODELS=" + t.TempDir()}, []string{"inspect", "--format", "jsonl", "--engine", "paddle", clean}, 2, "PP-OCR recogniser not loaded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := run(t, tc.env, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if tc.err != "" && !strings.Contains(stderr, tc.err) {
				t.Errorf("stderr %q, want it to mention %q", stderr, tc.err)
			}
			if tc.code == 2 && stdout != "" {
				t.Errorf("stdout %q on a usage error", stdout)
			}
		})
	}
}

func TestCategoryFlagOverrides(t *testing.T) {
	stdout, _, _ := run(t, nil, "inspect", "--format", "jsonl", "--category", "toy", filepath.Join(examples, "case-01-gas-stove-clean"))
	var r inspection.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if r.Category != inspection.Toy || r.CategorySource != "flag" {
		t.Errorf("category %s from %s", r.Category, r.CategorySource)
	}
	if !slices.ContainsFunc(r.Findings, func(f inspection.Finding) bool { return f.Code == "TOY_NO_AGE_GRADING" }) {
		t.Error("a stove judged as a toy has no TOY_NO_AGE_GRADING")
	}
}

func TestTextFormatAndOCRAndVersion(t *testing.T) {
	stdout, _, code := run(t, nil, "inspect", "--format", "text", filepath.Join(examples, "case-02-gas-stove-listing-mismatch"))
	if code != 1 || !strings.Contains(stdout, "FAIL") || !strings.Contains(stdout, "LISTING_MISMATCH(model)") || !strings.Contains(stdout, "1 case(s): 1 fail") {
		t.Errorf("text report (exit %d):\n%s", code, stdout)
	}
	stdout, _, code = run(t, nil, "ocr", filepath.Join(examples, "case-01-gas-stove-clean", "3.jpg"))
	if code != 0 || !strings.Contains(stdout, "2021012401123456") || !strings.Contains(stdout, "kind label\nquality over") {
		t.Errorf("ocr (exit %d):\n%s", code, stdout)
	}
	stdout, _, code = run(t, nil, "version")
	if code != 0 || !strings.Contains(stdout, "opencv 4.6") || !strings.Contains(stdout, "tesseract 5.3") || !strings.Contains(stdout, "chi_sim") ||
		!strings.Contains(stdout, "npm onnxruntime-node@1.30.0: libonnxruntime.so.1\n") {
		t.Errorf("version (exit %d):\n%s", code, stdout)
	}
}

func TestOutFileIsNotLeftHalfWritten(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.jsonl")
	_, _, code := run(t, nil, "inspect", "--format", "jsonl", "--out", out, filepath.Join(examples, "case-06-photos-only"))
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "report.jsonl" {
		t.Errorf("folder holds %v, want only report.jsonl", entries)
	}
}

// --annotate writes each readable image with its boxes drawn: the evidence
// of the model mismatch is outlined in red where the report says it is, and
// the CCC mark of the example is reported and outlined in magenta.
func TestAnnotateDrawsTheEvidence(t *testing.T) {
	dir := t.TempDir()
	c := filepath.Join(examples, "case-02-gas-stove-listing-mismatch")
	stdout, stderr, code := run(t, nil, "inspect", "--format", "jsonl", "--annotate", dir, c)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r inspection.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Marks) != 1 || r.Marks[0].Image != "3.jpg" {
		t.Errorf("marks %+v, want the CCC mark of 3.jpg", r.Marks)
	}
	for _, im := range r.Images {
		orig := gocv.IMRead(filepath.Join(c, im.Name), gocv.IMReadColor)
		ann := gocv.IMRead(filepath.Join(dir, r.Case, strings.TrimSuffix(im.Name, filepath.Ext(im.Name))+".jpg"), gocv.IMReadColor)
		if ann.Empty() || ann.Cols() != orig.Cols() || ann.Rows() != orig.Rows() {
			t.Errorf("%s: annotated image missing or of another size", im.Name)
		}
		orig.Close()
		ann.Close()
	}
	var ev *inspection.Evidence
	for _, f := range r.Findings {
		if f.Code == "LISTING_MISMATCH" && f.Field == "model" {
			ev = &f.Evidence[0]
		}
	}
	if ev == nil || ev.Box == nil {
		t.Fatalf("no model mismatch with a box in %+v", r.Findings)
	}
	ann := gocv.IMRead(filepath.Join(dir, r.Case, strings.TrimSuffix(ev.Image, filepath.Ext(ev.Image))+".jpg"), gocv.IMReadColor)
	defer ann.Close()
	// The left edge of the box, halfway down, is red (BGR).
	b := *ev.Box
	px := ann.GetVecbAt(b[1]+b[3]/2, b[0])
	if px[2] < 150 || px[1] > 90 || px[0] > 90 {
		t.Errorf("pixel at the evidence box's edge is BGR %v, want red", px)
	}
}

// TestEngineFlagChoosesTheRecogniser: each engine alone reads the model
// number of the bundled mismatch case, and the report says which read it.
func TestEngineFlagChoosesTheRecogniser(t *testing.T) {
	c := filepath.Join(examples, "case-02-gas-stove-listing-mismatch")
	for _, engine := range []string{"tesseract", "paddle"} {
		stdout, stderr, code := run(t, nil, "inspect", "--format", "jsonl", "--engine", engine, c)
		if code != 1 {
			t.Fatalf("%s: exit %d; stderr %s", engine, code, stderr)
		}
		var r inspection.Report
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatal(err)
		}
		if fr := r.Fields["model"]; fr == nil || fr.Label != "JZT-2E01B" || fr.Engine != engine {
			t.Errorf("%s: fields.model %+v", engine, fr)
		}
		for _, im := range r.Images {
			if _, other := im.StagesMs[map[string]string{"tesseract": "paddle", "paddle": "tesseract"}[engine]]; other {
				t.Errorf("%s: %s spent time in the other engine: %v", engine, im.Name, im.StagesMs)
			}
		}
	}
}

// TestRegistryFlag: the registry's bad rows are named on stderr with their
// line, the rest is used: the example stove's certificate is found, and a
// revoked one fails the case; a registry that cannot be read is a usage
// error. A file the store holds is not imported again; without a store to
// keep it in, the registry is read for the run.
func TestRegistryFlag(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "reg.csv")
	storeEnv := []string{"LABELCHECK_STORE=" + filepath.Join(dir, "store.db")}
	write := func(status string) {
		csv := "certificate_no,status,manufacturer,models\n" +
			"2021012401123456," + status + ",佛山市美厨电器有限公司,JZT-2E01B;JZT-2E02B\n" +
			"2021012401123457,maybe,,\n"
		if err := os.WriteFile(reg, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stove := filepath.Join(examples, "case-01-gas-stove-clean")
	for _, tc := range []struct {
		status string
		code   int
		want   []string
	}{{"有效", 0, nil}, {"撤销", 1, []string{"CCC_CERT_NOT_VALID"}}} {
		write(tc.status)
		for _, how := range []string{"imported into", "as imported into"} {
			stdout, stderr, code := run(t, storeEnv, "inspect", "--format", "jsonl", "--registry", reg, stove)
			if code != tc.code || !strings.Contains(stderr, "line 3: status \"maybe\"") ||
				!strings.Contains(stderr, "1 certificates, 1 rows skipped, "+how+" "+filepath.Join(dir, "store.db")) {
				t.Fatalf("%s: exit %d, stderr %s", tc.status, code, stderr)
			}
			var r inspection.Report
			if err := json.Unmarshal([]byte(stdout), &r); err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, f := range r.Findings {
				codes = append(codes, f.Code)
			}
			if !slices.Equal(codes, tc.want) || !r.Registry.Checked || r.Registry.CertificateNo != "2021012401123456" {
				t.Errorf("%s, %s: findings %v, registry %+v", tc.status, how, codes, r.Registry)
			}
		}
	}
	// No cache directory to keep a store in: the run goes on without one.
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, []string{"XDG_CACHE_HOME=" + filepath.Join(blocker, "cache")}, "inspect", "--registry", reg, stove)
	if code != 1 || !strings.Contains(stderr, "read into memory for this run") || !strings.Contains(stderr, "1 certificates, 1 rows skipped, loaded") {
		t.Errorf("no store: exit %d, stderr %s", code, stderr)
	}
	// A store named that cannot be made is an error of the run.
	if _, stderr, code := run(t, []string{"LABELCHECK_STORE=" + filepath.Join(blocker, "store.db")}, "inspect", "--registry", reg, stove); code != 2 || !strings.Contains(stderr, "store") {
		t.Errorf("bad --store: exit %d, stderr %s", code, stderr)
	}
	if _, stderr, code := run(t, storeEnv, "inspect", "--registry", filepath.Join(dir, "none.csv"), stove); code != 2 || !strings.Contains(stderr, "none.csv") {
		t.Errorf("missing registry: exit %d, stderr %s", code, stderr)
	}
}
