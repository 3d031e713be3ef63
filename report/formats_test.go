package report

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/ from what the writers write now")

// batch is a batch with what the human formats must render: a fail with
// label and listing values and photo evidence, a listing's own words, a
// seller's text that reads as a spreadsheet formula, a message with a
// comma, quotes and a line break, a pass, and a case that could not be
// inspected.
func batch() []*inspection.Report {
	box := inspection.Box{201, 483, 502, 97}
	markBox := inspection.Box{40, 40, 120, 90}
	return []*inspection.Report{
		{Case: "case-02-gas-stove-listing-mismatch", ListingID: "JD-100012345", Seller: &inspection.Seller{ID: "S-88231", Name: "美厨官方旗舰店"},
			Category: inspection.GasStove, CategorySource: "listing", Verdict: inspection.Fail, ElapsedMs: 1304,
			Findings: []inspection.Finding{
				{Code: "LISTING_MISMATCH", Field: "model", Severity: inspection.High, LabelValue: "JZT-2E01B", ListingValue: "JZT-2E02B",
					Message:  "model on the label (JZT-2E01B) differs from the listing (JZT-2E02B)",
					Evidence: []inspection.Evidence{{Image: "1.jpg", Box: &box, Text: "型号 JZT-2E01B", Confidence: 0.91}, {Source: "listing", Text: "型号: JZT-2E02B"}}},
				{Code: "CCC_CERT_MANUFACTURER_MISMATCH", Field: "manufacturer", Severity: inspection.Medium, LabelValue: "佛山市美厨电器有限公司",
					ListingValue: "佛山市美厨电器有限公司", Message: "the registry's manufacturer differs"},
				{Code: "GAS_NO_FLAME_FAILURE_DEVICE", Severity: inspection.High, ListingValue: "=HYPERLINK(\"x\")",
					Message:  "the listing says \"无熄火保护\", then,\nagain",
					Evidence: []inspection.Evidence{{Source: "listing", Text: "=HYPERLINK(\"x\") 无熄火保护 <script>alert(1)</script>"}}},
			},
			Fields: map[string]*inspection.FieldReport{
				"model": {Label: "JZT-2E01B", Listing: "JZT-2E02B", Status: inspection.StatusMismatch, Confidence: 0.91, Engine: "tesseract",
					Evidence: []inspection.Evidence{{Image: "1.jpg", Box: &box, Text: "型号 JZT-2E01B"}}},
				"manufacturer": {Label: "佛山市美厨电器有限公司", Listing: "佛山市美厨电器有限公司", Status: inspection.StatusMatch, Confidence: 0.95, Engine: "paddle"},
			},
			Marks: []inspection.Mark{{Kind: "CCC", Image: "1.jpg", Box: markBox, Score: 0.93}},
			Codes: []inspection.Code{{Kind: "qr", Image: "1.jpg", Data: "https://www.energylabel.org.cn/q?id=1", Box: &markBox}},
			Images: []inspection.ImageResult{{Name: "1.jpg", Width: 800, Height: 600, Kind: inspection.KindLabel},
				{Name: "2.jpg", Kind: inspection.KindUnreadable, Reason: "truncated JPEG"}},
			Registry: inspection.RegistryResult{Reason: "no certificate registry given"}},
		{Case: "case-01-gas-stove-clean", ListingID: "JD-100012345", Seller: &inspection.Seller{ID: "S-88231", Name: "美厨官方旗舰店"},
			Category: inspection.GasStove, Verdict: inspection.Pass, ElapsedMs: 1185, Findings: []inspection.Finding{},
			Images: []inspection.ImageResult{{Name: "1.jpg", Width: 800, Height: 600, Kind: inspection.KindLabel}}},
		{Case: "case-10-broken", Category: inspection.Generic, Verdict: inspection.Error, Error: "listing.json: unexpected end of JSON input", Findings: []inspection.Finding{}},
	}
}

func render(t *testing.T, format string, opts Options) []byte {
	t.Helper()
	return writeBatch(t, format, opts, batch())
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the writer writes now (go test ./report -update rewrites it):\n%s", path, got)
	}
}

func TestTextGolden(t *testing.T) {
	golden(t, "batch.txt", render(t, "text", Options{}))
	colored := render(t, "text", Options{Color: true})
	golden(t, "batch.color.txt", colored)
	// Colour changes nothing but the escape codes.
	plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAll(colored, nil)
	if !bytes.Equal(plain, render(t, "text", Options{})) {
		t.Errorf("the coloured report without its colours is not the plain one:\n%s", plain)
	}
	if !bytes.Contains(colored, []byte("\x1b[1;31mFAIL\x1b[0m   case-02")) {
		t.Errorf("no red FAIL:\n%q", colored)
	}
}

func TestCSVGolden(t *testing.T) {
	out := render(t, "csv", Options{})
	golden(t, "batch.csv", out)
	if !bytes.HasPrefix(out, []byte("\ufeffcase,listing_id,")) || !bytes.Contains(out, []byte("\r\n")) {
		t.Errorf("no byte order mark, header or CRLF: %q", out[:min(len(out), 80)])
	}
	// A spreadsheet program reads back what was written: a row per finding
	// and one per case without findings, cells intact.
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || strings.Join(rows[0], ",") != strings.Join(CSVColumns, ",") {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	col := func(name string) int {
		for i, c := range CSVColumns {
			if c == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	if got := rows[3][col("message")]; got != "the listing says \"无熄火保护\", then,\nagain" {
		t.Errorf("message cell %q", got)
	}
	if got := rows[3][col("listing_value")]; got != "'=HYPERLINK(\"x\")" {
		t.Errorf("a formula-like cell is not made text: %q", got)
	}
	if got := rows[1][col("evidence")]; got != "1.jpg [201 483 502 97]: 型号 JZT-2E01B (0.91)\nlisting: 型号: JZT-2E02B" {
		t.Errorf("evidence cell %q", got)
	}
	if rows[4][col("verdict")] != "pass" || rows[4][col("code")] != "" || rows[5][col("message")] != "listing.json: unexpected end of JSON input" {
		t.Errorf("case rows %q, %q", rows[4], rows[5])
	}
}

// Every finding code has its Chinese and English title.
func TestEveryCodeHasATitle(t *testing.T) {
	p, err := rules.DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	for code := range p.Codes {
		if tt := Titles[code]; tt.ZH == "" || tt.EN == "" {
			t.Errorf("%s has no title", code)
		}
	}
	if len(Titles) != len(p.Codes) {
		t.Errorf("%d titles for %d codes", len(Titles), len(p.Codes))
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	jpeg := []byte{0xff, 0xd8, 0xff, 0xd9}
	var asked []string
	out := string(render(t, "html", Options{Picture: func(r *inspection.Report, image string) (*Picture, error) {
		asked = append(asked, r.Case+"/"+image)
		return &Picture{JPEG: jpeg}, nil
	}}))
	if strings.Join(asked, " ") != "case-02-gas-stove-listing-mismatch/1.jpg case-01-gas-stove-clean/1.jpg" {
		t.Errorf("pictures asked for %v (an unreadable image has none)", asked)
	}
	for _, want := range []string{
		`content="default-src 'none'; img-src data:;`,
		`src="data:image/jpeg;base64,/9j/2Q==" loading="lazy"`,
		`<svg viewBox="0 0 800 600"`,
		`<g class="finding"><rect x="201" y="483" width="502" height="97"`, ">LISTING_MISMATCH(model)</text>",
		`<g class="field"><rect x="201" y="483"`, `<g class="mark"><rect x="40" y="40" width="120" height="90"`,
		"标签与商品页面不一致（规格型号）：标签「JZT-2E01B」，页面「JZT-2E02B」", "label and listing differ: model on the label (JZT-2E01B) differs from the listing (JZT-2E02B)",
		"<td>燃气灶无熄火保护装置：页面「=HYPERLINK(&#34;x&#34;)」</td>",
		`<td class="st-mismatch">mismatch 不一致</td>`,
		`qr on 1.jpg: “https://www.energylabel.org.cn/q?id=1”`, `<g class="code"><rect x="40"`, "2.jpg: truncated JPEG",
		`<tr data-case="case-3" data-verdict="error">`, "listing.json: unexpected end of JSON input",
		"&lt;script&gt;alert(1)&lt;/script&gt;", // the seller's markup is text, never markup
	} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(out, `=HYPERLINK("x")`) || strings.Contains(out, "<script>alert") {
		t.Error("a listing's quotes went into the page unescaped")
	}
	if m := regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).FindString(out); m != "" {
		t.Errorf("an external reference: %s", m)
	}
}
