package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/labelcheck/labelcheck/inspection"
)

func sample() []*inspection.Report {
	box := inspection.Box{1, 2, 3, 4}
	return []*inspection.Report{
		{Case: "a", Category: inspection.GasStove, Verdict: inspection.Fail, Seller: &inspection.Seller{ID: "S-1", Name: "店一"},
			Findings: []inspection.Finding{{Code: "LISTING_MISMATCH", Field: "model", Severity: inspection.High, Message: "型号 differs",
				Evidence: []inspection.Evidence{{Image: "1.jpg", Box: &box, Text: "型号：A"}}}}},
		{Case: "b", Category: inspection.GasStove, Verdict: inspection.Pass, Seller: &inspection.Seller{ID: "S-1", Name: "店一"}, Findings: []inspection.Finding{}},
		{Case: "c", Category: inspection.Toy, Verdict: inspection.Review, Findings: []inspection.Finding{{Code: "TOY_NO_AGE_GRADING", Severity: inspection.Medium}}},
	}
}

func writeAll(t *testing.T, format string) string {
	t.Helper()
	return string(writeBatch(t, format, Options{}, sample()))
}

// writeBatch writes reports through a writer of format and returns what it
// wrote.
func writeBatch(t *testing.T, format string, opts Options, reports []*inspection.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(format, &buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJSONLOneReportPerLine(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(writeAll(t, "jsonl")), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	var r inspection.Report
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil || r.Case != "a" || r.Findings[0].Evidence[0].Box[3] != 4 {
		t.Errorf("first line %q: %v", lines[0], err)
	}
	if strings.Contains(lines[0], `\u`) {
		t.Errorf("Chinese escaped: %s", lines[0])
	}
}

func TestJSONSummaryCounts(t *testing.T) {
	var doc struct {
		Cases   []json.RawMessage `json:"cases"`
		Summary Summary           `json:"summary"`
	}
	if err := json.Unmarshal([]byte(writeAll(t, "json")), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Summary
	if len(doc.Cases) != 3 || s.Cases != 3 || s.Verdicts["fail"] != 1 || s.Verdicts["pass"] != 1 || s.Verdicts["review"] != 1 {
		t.Errorf("totals %+v", s.Counts)
	}
	if s.Findings["LISTING_MISMATCH"] != 1 || s.ByCategory["gas_stove"].Cases != 2 || s.ByCategory["toy"].Findings["TOY_NO_AGE_GRADING"] != 1 {
		t.Errorf("by code/category %+v %+v", s.Findings, s.ByCategory)
	}
	if s.BySeller["S-1"].Cases != 2 || s.BySeller["S-1"].Name != "店一" || s.BySeller["(unknown)"].Cases != 1 {
		t.Errorf("by seller %+v", s.BySeller)
	}
}

func TestTextSummary(t *testing.T) {
	out := writeAll(t, "text")
	for _, want := range []string{"FAIL   a  [gas_stove, seller 店一]", "LISTING_MISMATCH(model): 型号 differs", `1.jpg [1 2 3 4] "型号：A"`,
		"3 case(s): 1 fail, 1 review, 1 pass", "findings: LISTING_MISMATCH 1, TOY_NO_AGE_GRADING 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestEmptyJSONBatch(t *testing.T) {
	var buf bytes.Buffer
	w, _ := New("json", &buf, Options{})
	w.Close()
	if !strings.Contains(buf.String(), `"cases": []`) {
		t.Errorf("empty batch: %s", buf.String())
	}
	if _, err := New("xml", &buf, Options{}); err == nil {
		t.Error("New(xml) succeeded")
	}
}
