package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labelcheck/labelcheck/inspection"
)

var testNow = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// labelImage makes a label image from "key：value" lines stacked top to bottom.
func labelImage(name string, texts ...string) inspection.ImageResult {
	im := inspection.ImageResult{Name: name, Kind: inspection.KindLabel, Text: strings.Join(texts, "\n"), MeanConfidence: 0.9}
	for i, t := range texts {
		im.Lines = append(im.Lines, line(t, 20, 20+i*50, 600, 40))
	}
	return im
}

// readAt sets the confidence every line of im was read at.
func readAt(conf float64, im inspection.ImageResult) inspection.ImageResult {
	for i := range im.Lines {
		im.Lines[i].Confidence = conf
	}
	return im
}

// completeStove is a gas-stove label with everything a label needs.
func completeStove() []string {
	return []string{"型号：JZT-2E01B", "执行标准：GB 16410-2020", "3C证书编号：2021012401123456",
		"制造商：佛山市美厨电器有限公司", "地址：广东省佛山市顺德区容桂街道8号", "检验合格"}
}

func stoveListing() *inspection.Listing {
	return &inspection.Listing{Category: "gas_stove", Title: "美厨 燃气灶 JZT-2E01B",
		Attributes: map[string]string{"型号": "JZT-2E01B", "3C证书编号": "2021012401123456",
			"制造商": "佛山市美厨电器有限公司", "执行标准": "GB 16410-2020"}}
}

// replace returns lines with every line starting with prefix replaced by
// with (or dropped when with is empty).
func replace(lines []string, prefix, with string) []string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			if with != "" {
				out = append(out, with)
			}
			continue
		}
		out = append(out, l)
	}
	return out
}

// stoveWithCCC is the complete stove label showing another certificate number.
func stoveWithCCC(num string) []string {
	return replace(completeStove(), "3C证书编号", "3C证书编号："+num)
}

type code struct{ code, field string }

func codesOf(r *Result) []code {
	var out []code
	for _, f := range r.Findings {
		out = append(out, code{f.Code, f.Field})
	}
	return out
}

func TestEvaluateRaisesExactly(t *testing.T) {
	photo := inspection.ImageResult{Name: "9.jpg", Kind: inspection.KindPhoto}
	for _, tc := range []struct {
		name     string
		in       Input
		want     []code
		verdict  inspection.Verdict
		category inspection.Category
	}{
		{"complete stove raises nothing",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...), photo}},
			nil, inspection.Pass, inspection.GasStove},
		{"no manufacturer",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "制造商", "")...)}},
			[]code{{"LABEL_NO_MANUFACTURER", ""}}, inspection.Fail, inspection.GasStove},
		{"no address",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "地址", "产地：广东")...)}},
			[]code{{"LABEL_NO_ADDRESS", ""}}, inspection.Fail, inspection.GasStove},
		{"no standard",
			Input{Listing: nil, Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "执行标准", "")...)}, Category: inspection.GasStove},
			[]code{{"LABEL_NO_STANDARD", ""}}, inspection.Review, inspection.GasStove},
		{"no certificate of conformity",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "检验合格", "")...)}},
			[]code{{"LABEL_NO_CERTIFICATE_OF_CONFORMITY", ""}}, inspection.Review, inspection.GasStove},
		{"photos only: NO_LABEL_IMAGES instead of the labelling codes",
			Input{Images: []inspection.ImageResult{photo}},
			[]code{{"NO_LABEL_IMAGES", ""}}, inspection.Review, inspection.Generic},
		{"photos only of a stove also misses its CCC number",
			Input{Listing: &inspection.Listing{Category: "gas_stove"}, Images: []inspection.ImageResult{photo}},
			[]code{{"NO_LABEL_IMAGES", ""}, {"CCC_MARK_MISSING", ""}, {"CCC_NUMBER_MISSING", "ccc_number"}}, inspection.Fail, inspection.GasStove},
		{"unreadable image is info only",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...),
				{Name: "2.jpg", Kind: inspection.KindUnreadable, Reason: "truncated JPEG"}}},
			[]code{{"IMAGE_UNREADABLE", ""}}, inspection.Pass, inspection.GasStove},
		{"no manufacturer while an image was too blurred to read: review, not fail",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "制造商", "")...),
				{Name: "2.jpg", Kind: inspection.KindUnreadable, Reason: "blurred"}}},
			[]code{{"IMAGE_UNREADABLE", ""}, {"LABEL_NO_MANUFACTURER", ""}}, inspection.Review, inspection.GasStove},
		{"no CCC mark while an image was too blurred to read: review, not fail",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "3C证书编号", "")...),
				{Name: "2.jpg", Kind: inspection.KindUnreadable, Reason: "text too small"}}},
			[]code{{"IMAGE_UNREADABLE", ""}, {"CCC_MARK_MISSING", ""}}, inspection.Review, inspection.GasStove},
		{"no address on a label read unsure: review, not fail",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{unsure(labelImage("1.jpg", replace(completeStove(), "地址", "")...), 0.6)}},
			[]code{{"LABEL_NO_ADDRESS", ""}}, inspection.Review, inspection.GasStove},
		{"stove without any certificate number",
			Input{Listing: &inspection.Listing{Category: "gas_stove", Title: "燃气灶 JZT-2E01B 佛山市美厨电器有限公司"}, Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "3C证书编号", "")...)}},
			[]code{{"CCC_MARK_MISSING", ""}, {"CCC_NUMBER_MISSING", "ccc_number"}}, inspection.Fail, inspection.GasStove},
		{"number on the listing only: no CCC mark on the images",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "3C证书编号", "")...)}},
			[]code{{"CCC_MARK_MISSING", ""}}, inspection.Fail, inspection.GasStove},
		{"energy grade on the energy label differs from the listing",
			Input{Listing: withAttr(stoveListing(), "能效等级", "1级"), Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...),
				labelImage("2.jpg", "中国能效标识", "3级")}},
			[]code{{"LISTING_MISMATCH", "energy_grade"}}, inspection.Fail, inspection.GasStove},
		{"energy grade written 三级 on the listing matches 3级",
			Input{Listing: withAttr(stoveListing(), "能效等级", "三级"), Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...),
				labelImage("2.jpg", "中国能效标识", "3级")}},
			nil, inspection.Pass, inspection.GasStove},
		{"a CCC mark found is enough",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "3C证书编号", "")...)},
				Marks: []inspection.Mark{{Kind: "ccc", Image: "1.jpg", Box: inspection.Box{10, 10, 90, 60}, Score: 0.9}}},
			nil, inspection.Pass, inspection.GasStove},
		{"the letters CCC read on an image are enough",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", append(replace(completeStove(), "3C证书编号", ""), "(CCC)")...)}},
			nil, inspection.Pass, inspection.GasStove},
		{"3C in a model number is not CCC wording",
			Input{Listing: &inspection.Listing{Category: "gas_stove", Attributes: map[string]string{"型号": "JZT-3C01", "3C证书编号": "2021012401123456", "制造商": "佛山市美厨电器有限公司"}},
				Images: []inspection.ImageResult{labelImage("1.jpg", replace(replace(completeStove(), "3C证书编号", ""), "型号", "型号：JZT-3C01")...)}},
			[]code{{"CCC_MARK_MISSING", ""}}, inspection.Fail, inspection.GasStove},
		{"generic product needs no CCC",
			Input{Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "3C证书编号", "")...)}, Category: inspection.Generic},
			nil, inspection.Pass, inspection.Generic},
		{"15-digit certificate number",
			Input{Listing: nil, Category: inspection.GasStove, Images: []inspection.ImageResult{labelImage("1.jpg", stoveWithCCC("202101240112345")...)}},
			[]code{{"CCC_NUMBER_INVALID", "ccc_number"}}, inspection.Fail, inspection.GasStove},
		{"15-digit number read unsure off a photo goes to review",
			Input{Listing: nil, Category: inspection.GasStove, Images: []inspection.ImageResult{readAt(0.6, labelImage("1.jpg", stoveWithCCC("202101240112345")...))}},
			[]code{{"CCC_NUMBER_INVALID", "ccc_number"}}, inspection.Review, inspection.GasStove},
		{"15-digit number read unsure but also in the listing fails",
			Input{Listing: &inspection.Listing{Category: "gas_stove", Attributes: map[string]string{"型号": "JZT-2E01B", "3C证书编号": "202101240112345", "制造商": "佛山市美厨电器有限公司"}},
				Images: []inspection.ImageResult{readAt(0.6, labelImage("1.jpg", stoveWithCCC("202101240112345")...))}},
			[]code{{"CCC_NUMBER_INVALID", "ccc_number"}}, inspection.Fail, inspection.GasStove},
		{"certificate year before CCC",
			Input{Listing: nil, Category: inspection.GasStove, Images: []inspection.ImageResult{labelImage("1.jpg", stoveWithCCC("2001012401123456")...)}},
			[]code{{"CCC_NUMBER_INVALID", "ccc_number"}}, inspection.Fail, inspection.GasStove},
		{"certificate year in the future",
			Input{Listing: nil, Category: inspection.GasStove, Images: []inspection.ImageResult{labelImage("1.jpg", stoveWithCCC("2031012401123456")...)}},
			[]code{{"CCC_NUMBER_INVALID", "ccc_number"}}, inspection.Fail, inspection.GasStove},
		{"IT-equipment product code on a stove",
			Input{Listing: nil, Category: inspection.GasStove, Images: []inspection.ImageResult{labelImage("1.jpg", stoveWithCCC("2021010901123456")...)}},
			[]code{{"CCC_NUMBER_INVALID", "ccc_number"}}, inspection.Fail, inspection.GasStove},
		{"water heater code 2403 is valid",
			Input{Listing: nil, Category: inspection.GasWaterHeater, Images: []inspection.ImageResult{labelImage("1.jpg", stoveWithCCC("2021012403123456")...)}},
			nil, inspection.Pass, inspection.GasWaterHeater},
		{"listing model differs",
			Input{Listing: func() *inspection.Listing { l := stoveListing(); l.Attributes["型号"] = "JZT-2E02B"; return l }(),
				Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}},
			[]code{{"LISTING_MISMATCH", "model"}}, inspection.Fail, inspection.GasStove},
		{"listing manufacturer differs",
			Input{Listing: func() *inspection.Listing {
				l := stoveListing()
				l.Attributes["制造商"] = "中山市恒热电器有限公司"
				return l
			}(),
				Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}},
			[]code{{"LISTING_MISMATCH", "manufacturer"}}, inspection.Fail, inspection.GasStove},
		{"listing model written without its dash: review, not fail",
			Input{Listing: withAttr(stoveListing(), "型号", "JZT2E01B"), Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}},
			[]code{{"LISTING_MISMATCH", "model"}}, inspection.Review, inspection.GasStove},
		{"manufacturer one character off, read unsure: review, not fail",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{unsure(labelImage("1.jpg", replace(completeStove(), "制造商", "制造商：佛山市美语电器有限公司")...), 0.7)}},
			[]code{{"LISTING_MISMATCH", "manufacturer"}}, inspection.Review, inspection.GasStove},
		{"manufacturer one character off, read sure: a knock-off's name fails",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "制造商", "制造商：佛山市美语电器有限公司")...)}},
			[]code{{"LISTING_MISMATCH", "manufacturer"}}, inspection.Fail, inspection.GasStove},
		{"listing manufacturer with another legal form matches",
			Input{Listing: func() *inspection.Listing {
				l := stoveListing()
				l.Attributes["制造商"] = "佛山市美厨电器股份有限公司"
				return l
			}(),
				Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}},
			nil, inspection.Pass, inspection.GasStove},
		{"listing certificate number differs",
			Input{Listing: func() *inspection.Listing {
				l := stoveListing()
				l.Attributes["3C证书编号"] = "2021012401123457"
				return l
			}(),
				Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}},
			[]code{{"LISTING_MISMATCH", "ccc_number"}}, inspection.Fail, inspection.GasStove},
		{"listing standard differs",
			Input{Listing: func() *inspection.Listing {
				l := stoveListing()
				l.Attributes["执行标准"] = "GB 16410-2007"
				return l
			}(),
				Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}},
			[]code{{"LISTING_MISMATCH", "standard"}}, inspection.Fail, inspection.GasStove},
		{"listing without model",
			Input{Listing: &inspection.Listing{Category: "gas_stove", Title: "美厨 燃气灶",
				Attributes: map[string]string{"3C证书编号": "2021012401123456", "制造商": "佛山市美厨电器有限公司"}},
				Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}},
			[]code{{"LISTING_MISSING", "model"}}, inspection.Pass, inspection.GasStove},
		{"model named in the title is not missing",
			Input{Listing: &inspection.Listing{Category: "gas_stove", Title: "美厨 燃气灶 JZT-2E01B",
				Attributes: map[string]string{"3C证书编号": "2021012401123456", "制造商": "佛山市美厨电器有限公司"}},
				Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}},
			nil, inspection.Pass, inspection.GasStove},
		{"e-bike over 25 km/h on the label",
			Input{Category: inspection.EBike, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2023011119012345"), "最高车速：32km/h")...)}},
			[]code{{"EBIKE_SPEED_OVER_LIMIT", "max_speed_kmh"}}, inspection.Fail, inspection.EBike},
		{"e-bike at 25 km/h",
			Input{Category: inspection.EBike, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2023011119012345"), "最高车速：25km/h")...)}},
			nil, inspection.Pass, inspection.EBike},
		{"e-bike listing offers 40 码",
			Input{Listing: &inspection.Listing{Category: "ebike", Title: "电动自行车", Text: "最高车速: 40码", Attributes: map[string]string{"型号": "JZT-2E01B", "制造商": "佛山市美厨电器有限公司", "3C证书编号": "2023011119012345"}},
				Images: []inspection.ImageResult{labelImage("1.jpg", stoveWithCCC("2023011119012345")...)}},
			[]code{{"EBIKE_SPEED_OVER_LIMIT", "max_speed_kmh"}}, inspection.Fail, inspection.EBike},
		{"speed limit is for e-bikes only",
			Input{Category: inspection.Generic, Images: []inspection.ImageResult{labelImage("1.jpg", append(completeStove(), "最高车速：32km/h")...)}},
			nil, inspection.Pass, inspection.Generic},
		{"toy without age grading",
			Input{Category: inspection.Toy, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2022012202345678"), "警告：内含小零件")...)}},
			[]code{{"TOY_NO_AGE_GRADING", ""}}, inspection.Review, inspection.Toy},
		{"toy with age grading",
			Input{Category: inspection.Toy, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2022012202345678"), "适用年龄：3岁以上")...)}},
			nil, inspection.Pass, inspection.Toy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Now = testNow
			r, err := Evaluate(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			got := codesOf(r)
			slices.SortFunc(got, func(a, b code) int { return strings.Compare(a.code+a.field, b.code+b.field) })
			want := slices.Clone(tc.want)
			slices.SortFunc(want, func(a, b code) int { return strings.Compare(a.code+a.field, b.code+b.field) })
			if !slices.Equal(got, want) {
				for _, f := range r.Findings {
					t.Logf("  %s %s: %s", f.Code, f.Field, f.Message)
				}
				t.Fatalf("codes %v, want %v", got, want)
			}
			if r.Verdict != tc.verdict {
				t.Errorf("verdict %s, want %s", r.Verdict, tc.verdict)
			}
			if r.Category != tc.category {
				t.Errorf("category %s (%s), want %s", r.Category, r.CategorySource, tc.category)
			}
			for _, f := range r.Findings {
				if len(f.Evidence) == 0 {
					t.Errorf("%s has no evidence", f.Code)
				}
			}
		})
	}
}

func TestMismatchEvidencePointsAtBothSides(t *testing.T) {
	l := stoveListing()
	l.Attributes["型号"] = "JZT-2E02B"
	im := labelImage("1.jpg", completeStove()...)
	for i := range im.Lines {
		// The model line was read by the second engine, the others by the first.
		im.Lines[i].Engine = "tesseract"
		if strings.Contains(im.Lines[i].Text, "JZT") {
			im.Lines[i].Engine = "paddle"
		}
	}
	r, err := Evaluate(Input{Listing: l, Images: []inspection.ImageResult{im}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	f := r.Findings[0]
	if f.LabelValue != "JZT-2E01B" || f.ListingValue != "JZT-2E02B" {
		t.Errorf("values %q / %q", f.LabelValue, f.ListingValue)
	}
	if f.Evidence[0].Image != "1.jpg" || f.Evidence[0].Box == nil || f.Evidence[0].Confidence == 0 {
		t.Errorf("label evidence %+v", f.Evidence[0])
	}
	if f.Evidence[1].Source != "listing" || !strings.Contains(f.Evidence[1].Text, "JZT-2E02B") {
		t.Errorf("listing evidence %+v", f.Evidence[1])
	}
	if fr := r.Fields["model"]; fr.Status != inspection.StatusMismatch || fr.Engine != "paddle" {
		t.Errorf("fields.model = %+v", fr)
	}
}

// An absence finding raised while an image could not be read says which
// image and why, so the inspector knows what to ask the seller for.
func TestAbsenceNamesTheUnreadImage(t *testing.T) {
	r, err := Evaluate(Input{Listing: stoveListing(), Now: testNow, Images: []inspection.ImageResult{
		labelImage("1.jpg", replace(completeStove(), "地址", "")...),
		{Name: "2.jpg", Kind: inspection.KindUnreadable, Reason: "blurred: glyph edges spread over 4.0 px"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		if f.Code != "LABEL_NO_ADDRESS" {
			continue
		}
		if f.Severity != inspection.Medium || !strings.Contains(f.Message, "2.jpg could not be read") {
			t.Errorf("finding %s %q", f.Severity, f.Message)
		}
		last := f.Evidence[len(f.Evidence)-1]
		if last.Image != "2.jpg" || !strings.HasPrefix(last.Text, "blurred") {
			t.Errorf("evidence %+v, want the unread image with its reason", last)
		}
		return
	}
	t.Fatalf("no LABEL_NO_ADDRESS in %+v", r.Findings)
}

func TestCategoryDecision(t *testing.T) {
	stove := labelImage("1.jpg", "家用燃气灶", "型号：JZT-2E01B")
	for _, tc := range []struct {
		name   string
		in     Input
		want   inspection.Category
		source string
	}{
		{"flag wins", Input{Category: inspection.Toy, Listing: &inspection.Listing{Category: "ebike"}}, inspection.Toy, "flag"},
		{"listing category", Input{Listing: &inspection.Listing{Category: "ebike"}}, inspection.EBike, "listing"},
		{"inferred from title", Input{Listing: &inspection.Listing{Title: "新国标电动自行车 48V"}}, inspection.EBike, "inferred"},
		{"inferred from a label", Input{Images: []inspection.ImageResult{stove}}, inspection.GasStove, "inferred"},
		{"water heater before stove", Input{Listing: &inspection.Listing{Title: "燃气热水器 灶具伴侣"}}, inspection.GasWaterHeater, "inferred"},
		{"unknown listing category is inferred", Input{Listing: &inspection.Listing{Category: "sofa", Title: "积木玩具"}}, inspection.Toy, "inferred"},
		{"nothing to go on", Input{}, inspection.Generic, "default"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Now = testNow
			r, err := Evaluate(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if r.Category != tc.want || !strings.HasPrefix(r.CategorySource, tc.source) {
				t.Errorf("category %s (%s), want %s (%s…)", r.Category, r.CategorySource, tc.want, tc.source)
			}
		})
	}
}

// withAttr returns l with one more attribute.
// unsure sets the confidence of every line of im.
func unsure(im inspection.ImageResult, conf float64) inspection.ImageResult {
	for i := range im.Lines {
		im.Lines[i].Confidence = conf
	}
	im.MeanConfidence = conf
	return im
}

func withAttr(l *inspection.Listing, key, value string) *inspection.Listing {
	l.Attributes[key] = value
	return l
}

// TestUnsureCCCNumberNamesItsConfidence: the review message of an invalid
// number gives the confidence the decision was made on (a number read
// without its key counts at 0.9 of its line's confidence).
func TestUnsureCCCNumberNamesItsConfidence(t *testing.T) {
	im := readAt(0.95, labelImage("1.jpg", append(replace(completeStove(), "3C证书编号", ""), "2021010901123456")...))
	r, err := Evaluate(Input{Category: inspection.GasStove, Images: []inspection.ImageResult{im}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		if f.Code != "CCC_NUMBER_INVALID" {
			continue
		}
		if want := fmt.Sprintf("read at confidence %.2f", 0.95*0.9); f.Severity != inspection.Medium || !strings.Contains(f.Message, want) {
			t.Errorf("%s %q, want medium saying %q", f.Severity, f.Message, want)
		}
		return
	}
	t.Fatalf("no CCC_NUMBER_INVALID in %+v", r.Findings)
}
