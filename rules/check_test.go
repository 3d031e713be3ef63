package rules

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/registry"
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
// unsureOn marks the lines of im that start with prefix as read unsure where
// they differ from the listing (what the inspector's last look says).
func unsureOn(prefix string, im inspection.ImageResult) inspection.ImageResult {
	for i := range im.Lines {
		im.Lines[i].Unsure = strings.HasPrefix(im.Lines[i].Text, prefix)
	}
	return im
}

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

// ebike is a complete label of a product with an e-bike certificate.
func ebike() []string { return stoveWithCCC("2023011119012345") }

func ebikeListing(text string) *inspection.Listing {
	return &inspection.Listing{Category: "ebike", Title: "电动自行车", Text: text,
		Attributes: map[string]string{"型号": "JZT-2E01B", "制造商": "佛山市美厨电器有限公司", "3C证书编号": "2023011119012345"}}
}

func toyListing(title string) *inspection.Listing {
	return &inspection.Listing{Category: "toy", Title: title,
		Attributes: map[string]string{"型号": "JZT-2E01B", "制造商": "佛山市美厨电器有限公司", "3C证书编号": "2023011119012345"}}
}

// heater is a complete water heater label of the given model.
func heater(model string) []string {
	return replace(stoveWithCCC("2021012402123456"), "型号", "型号："+model)
}

type code struct{ code, field string }

// evaluateCodes evaluates in at testNow: the result and its codes, sorted.
func evaluateCodes(t *testing.T, in Input) (*Result, []code) {
	t.Helper()
	in.Now = testNow
	r, err := Evaluate(in)
	if err != nil {
		t.Fatal(err)
	}
	return r, sortedCodes(codesOf(r))
}

// sortedCodes is a sorted copy of cs.
func sortedCodes(cs []code) []code {
	out := slices.Clone(cs)
	slices.SortFunc(out, func(a, b code) int { return strings.Compare(a.code+a.field, b.code+b.field) })
	return out
}

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
		{"a standard's key shown with its value unreadable: the standard is there",
			Input{Listing: nil, Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "执行标准", "执行##6#.1-2014")...)}, Category: inspection.GasStove},
			nil, inspection.Pass, inspection.GasStove},
		{"a manufacturer's key shown with its value unreadable",
			Input{Listing: nil, Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "制造商", "制造商： ##")...)}, Category: inspection.GasStove},
			nil, inspection.Pass, inspection.GasStove},
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
		{"a misformed number read unsure beside the listing's number read whole is a misreading",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...),
				readAt(0.6, labelImage("2.jpg", "3C证书编号：202101240112345"))}},
			nil, inspection.Pass, inspection.GasStove},
		{"a misformed number read sure beside the listing's number read whole is raised",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...),
				readAt(0.95, labelImage("2.jpg", "3C证书编号：202101240112345"))}},
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
		{"label manufacturer without its city matches the listing's with it",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "制造商", "制造商：美厨电器有限公司")...)}},
			nil, inspection.Pass, inspection.GasStove},
		{"the same trade name in another city is another company",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "制造商", "制造商：广州市美厨电器有限公司")...)}},
			[]code{{"LISTING_MISMATCH", "manufacturer"}}, inspection.Fail, inspection.GasStove},
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
		{"a speed half read is no other speed than the listing's: unread",
			Input{Listing: ebikeListing("最高车速：25km/h"), Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "最高车速：2mh")...)}},
			nil, inspection.Pass, inspection.EBike},
		{"speed limit is for e-bikes only",
			Input{Category: inspection.Generic, Images: []inspection.ImageResult{labelImage("1.jpg", append(completeStove(), "最高车速：32km/h")...)}},
			nil, inspection.Pass, inspection.Generic},
		{"toy without age grading",
			Input{Category: inspection.Toy, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2022012202345678"), "警告：内含小零件")...)}},
			[]code{{"TOY_NO_AGE_GRADING", ""}}, inspection.Review, inspection.Toy},
		{"toy with age grading and a warning",
			Input{Category: inspection.Toy, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2022012202345678"), "适用年龄：3岁以上", "警告：内含小零件")...)}},
			nil, inspection.Pass, inspection.Toy},
		{"toy without a warning",
			Input{Category: inspection.Toy, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2022012202345678"), "适用年龄：3岁以上")...)}},
			[]code{{"TOY_NO_WARNING", ""}}, inspection.Review, inspection.Toy},
		{"toy age grading whose key was misread and value lost",
			Input{Category: inspection.Toy, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2022012202345678"), "适用年款", "警告：内含小零件")...)}},
			nil, inspection.Pass, inspection.Toy},
		{"toy age grading whose key shows and value does not",
			Input{Category: inspection.Toy, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2022012202345678"), "适用年龄：", "警告：内含小零件")...)}},
			nil, inspection.Pass, inspection.Toy},
		{"toy warning whose key was misread",
			Input{Category: inspection.Toy, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2022012202345678"), "适用年龄：3岁以上", "营告：内含小零件，不适合3岁以下儿童使用。")...)}},
			nil, inspection.Pass, inspection.Toy},
		{"toy warning read with a glyph misread or lost",
			Input{Category: inspection.Toy, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2022012202345678"), "适用年龄：3岁以上", "内含小零作", "适合3岁以下儿童使用")...)}},
			nil, inspection.Pass, inspection.Toy},
		{"toy with words near no warning",
			Input{Category: inspection.Toy, Images: []inspection.ImageResult{labelImage("1.jpg", append(stoveWithCCC("2022012202345678"), "适用年龄：3岁以上", "小零售", "适合儿童")...)}},
			[]code{{"TOY_NO_WARNING", ""}}, inspection.Review, inspection.Toy},
		{"toy for over-3s whose listing keeps babies away too",
			Input{Category: inspection.Toy, Listing: toyListing("乐童 积木 3岁以上，不适合婴儿、宝宝使用"),
				Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "适用年龄：3岁以上", "警告：内含小零件，不适合3岁以下儿童使用")...)}},
			nil, inspection.Pass, inspection.Toy},
		{"toy for over-3s sold for babies",
			Input{Category: inspection.Toy, Listing: toyListing("乐童 积木 0-3岁宝宝早教"),
				Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "适用年龄：3岁以上", "警告：内含小零件，不适合3岁以下儿童使用")...)}},
			[]code{{"TOY_AGE_CONFLICT", ""}}, inspection.Fail, inspection.Toy},
		{"toy for over-3s sold for 11-year-olds",
			Input{Category: inspection.Toy, Listing: toyListing("乐童 积木 适合11岁儿童"),
				Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "适用年龄：3岁以上", "警告：内含小零件，不适合3岁以下儿童使用")...)}},
			nil, inspection.Pass, inspection.Toy},
		{"e-bike over 55 kg, made in 2024",
			Input{Category: inspection.EBike, Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "整车质量：60kg", "蓄电池类型：铅酸", "生产日期：2024年5月")...)}},
			[]code{{"EBIKE_MASS_OVER_LIMIT", "vehicle_mass_kg"}}, inspection.Fail, inspection.EBike},
		{"lead-acid e-bike of 60 kg made under GB 17761-2024",
			Input{Category: inspection.EBike, Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "整车质量：60kg", "蓄电池类型：铅酸", "生产日期：2025年10月")...)}},
			nil, inspection.Pass, inspection.EBike},
		{"lithium e-bike of 60 kg made under GB 17761-2024",
			Input{Category: inspection.EBike, Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "整车质量：60kg", "蓄电池类型：锂离子", "生产日期：2025年10月")...)}},
			[]code{{"EBIKE_MASS_OVER_LIMIT", "vehicle_mass_kg"}}, inspection.Fail, inspection.EBike},
		{"e-bike battery of 60 V",
			Input{Category: inspection.EBike, Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "蓄电池标称电压：60V")...)}},
			[]code{{"EBIKE_VOLTAGE_OVER_LIMIT", "battery_voltage_v"}}, inspection.Fail, inspection.EBike},
		{"e-bike battery of 48 V",
			Input{Category: inspection.EBike, Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "蓄电池标称电压：48V")...)}},
			nil, inspection.Pass, inspection.EBike},
		{"e-bike motor of 0.5 kW",
			Input{Category: inspection.EBike, Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "额定功率：0.5kW")...)}},
			[]code{{"EBIKE_POWER_OVER_LIMIT", "motor_power_w"}}, inspection.Fail, inspection.EBike},
		{"e-bike motor of 400 W",
			Input{Category: inspection.EBike, Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "额定功率：400W")...)}},
			nil, inspection.Pass, inspection.EBike},
		{"e-bike sold without battery",
			Input{Category: inspection.EBike, Listing: ebikeListing("裸车价，不含电池和充电器。"), Images: []inspection.ImageResult{labelImage("1.jpg", ebike()...)}},
			[]code{{"EBIKE_NOT_COMPLETE_VEHICLE", ""}}, inspection.Fail, inspection.EBike},
		{"e-bike sold with battery and charger",
			Input{Category: inspection.EBike, Listing: ebikeListing("整车含电池和充电器。"), Images: []inspection.ImageResult{labelImage("1.jpg", ebike()...)}},
			nil, inspection.Pass, inspection.EBike},
		{"e-bike offered tuned",
			Input{Category: inspection.EBike, Listing: ebikeListing("支持解码提速，售后无忧。"), Images: []inspection.ImageResult{labelImage("1.jpg", ebike()...)}},
			[]code{{"EBIKE_MODIFICATION", ""}}, inspection.Fail, inspection.EBike},
		{"e-bike listing forbidding modification",
			Input{Category: inspection.EBike, Listing: ebikeListing("严禁私自改装、解码，请按新国标骑行。本车非常适合通勤。"), Images: []inspection.ImageResult{labelImage("1.jpg", ebike()...)}},
			nil, inspection.Pass, inspection.EBike},
		{"e-bike listing refusing to tune, then offering to",
			Input{Category: inspection.EBike, Listing: ebikeListing("不支持退换；可改装提速"), Images: []inspection.ImageResult{labelImage("1.jpg", ebike()...)}},
			[]code{{"EBIKE_MODIFICATION", ""}}, inspection.Fail, inspection.EBike},
		{"e-bike listing saying it is no bare frame",
			Input{Category: inspection.EBike, Listing: ebikeListing("整车出售，含电池和充电器，非裸车。"), Images: []inspection.ImageResult{labelImage("1.jpg", ebike()...)}},
			nil, inspection.Pass, inspection.EBike},
		{"e-bike listing very much a bare frame",
			Input{Category: inspection.EBike, Listing: ebikeListing("非常划算的裸车"), Images: []inspection.ImageResult{labelImage("1.jpg", ebike()...)}},
			[]code{{"EBIKE_NOT_COMPLETE_VEHICLE", ""}}, inspection.Fail, inspection.EBike},
		{"e-bike lead-acid on the label, lithium in the listing",
			Input{Category: inspection.EBike, Listing: withAttr(ebikeListing(""), "电池类型", "锂离子"),
				Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "蓄电池类型：铅酸")...)}},
			[]code{{"EBIKE_BATTERY_TYPE_MISMATCH", ""}, {"LISTING_MISMATCH", "battery_type"}}, inspection.Fail, inspection.EBike},
		{"e-bike lead-acid in other words",
			Input{Category: inspection.EBike, Listing: withAttr(ebikeListing(""), "电池类型", "铅酸"),
				Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "蓄电池类型：铅酸蓄电池")...)}},
			nil, inspection.Pass, inspection.EBike},
		{"e-bike listing offers both batteries",
			Input{Category: inspection.EBike, Listing: ebikeListing("铅酸锂电可选，同款同价。"), Images: []inspection.ImageResult{labelImage("1.jpg", ebike()...)}},
			[]code{{"EBIKE_BATTERY_TYPE_MISMATCH", ""}}, inspection.Fail, inspection.EBike},
		{"e-bike motor over the limit, read unsure: review",
			Input{Category: inspection.EBike, Images: []inspection.ImageResult{readAt(0.8, labelImage("1.jpg", append(ebike(), "额定功率：850W")...))}},
			[]code{{"EBIKE_POWER_OVER_LIMIT", "motor_power_w"}}, inspection.Review, inspection.EBike},
		{"e-bike motor over the limit, read unsure, and so says the listing: fail",
			Input{Category: inspection.EBike, Listing: withAttr(ebikeListing(""), "额定功率", "850W"),
				Images: []inspection.ImageResult{readAt(0.8, labelImage("1.jpg", append(ebike(), "额定功率：850W")...))}},
			[]code{{"EBIKE_POWER_OVER_LIMIT", "motor_power_w"}}, inspection.Fail, inspection.EBike},
		{"a water heater model missing its head is a misreading: unread",
			Input{Listing: withAttr(withAttr(stoveListing(), "型号", "JSQ23-12D3"), "3C证书编号", "2021012402123456"), Category: inspection.GasWaterHeater,
				Images: []inspection.ImageResult{labelImage("1.jpg", heater("3-12D3")...)}},
			nil, inspection.Pass, inspection.GasWaterHeater},
		{"a water heater model of another designation fails",
			Input{Listing: withAttr(withAttr(stoveListing(), "型号", "JSQ23-12D3"), "3C证书编号", "2021012402123456"), Category: inspection.GasWaterHeater,
				Images: []inspection.ImageResult{labelImage("1.jpg", heater("JSQ20-10A1")...)}},
			[]code{{"LISTING_MISMATCH", "model"}}, inspection.Fail, inspection.GasWaterHeater},
		{"a standard read as 410 is a misreading: unread",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "执行标准", "执行标准：410")...)}},
			nil, inspection.Pass, inspection.GasStove},
		{"battery type one glyph off is still its kind",
			Input{Category: inspection.EBike, Listing: withAttr(ebikeListing(""), "电池类型", "铅酸"),
				Images: []inspection.ImageResult{readAt(0.85, labelImage("1.jpg", append(ebike(), "电池类型：铝酸")...))}},
			nil, inspection.Pass, inspection.EBike},
		{"battery type of no kind: unread",
			Input{Category: inspection.EBike, Listing: withAttr(ebikeListing(""), "电池类型", "铅酸"),
				Images: []inspection.ImageResult{readAt(0.85, labelImage("1.jpg", append(ebike(), "电池类型：铝铁")...))}},
			nil, inspection.Pass, inspection.EBike},
		{"a manufacturer without its legal form: review",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "制造商", "制造商：佛山市美厨电器有")...)}},
			[]code{{"LISTING_MISMATCH", "manufacturer"}}, inspection.Review, inspection.GasStove},
		{"stove without flame-failure device on the label",
			Input{Category: inspection.GasStove, Images: []inspection.ImageResult{labelImage("1.jpg", append(completeStove(), "熄火保护：无")...)}},
			[]code{{"GAS_NO_FLAME_FAILURE_DEVICE", ""}}, inspection.Fail, inspection.GasStove},
		{"stove with flame-failure device",
			Input{Category: inspection.GasStove, Images: []inspection.ImageResult{labelImage("1.jpg", append(completeStove(), "熄火保护：有")...)}},
			nil, inspection.Pass, inspection.GasStove},
		{"stove listing without flame-failure device",
			Input{Listing: func() *inspection.Listing {
				l := stoveListing()
				l.Text = "经济款，不带熄火保护，价格实惠。"
				return l
			}(),
				Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}},
			[]code{{"GAS_NO_FLAME_FAILURE_DEVICE", ""}}, inspection.Fail, inspection.GasStove},
		{"flue-type water heater",
			Input{Category: inspection.GasWaterHeater, Images: []inspection.ImageResult{labelImage("1.jpg", append(heater("JSQ25-13A1"), "排气方式：烟道式")...)}},
			[]code{{"GAS_FLUE_TYPE_WATER_HEATER", ""}}, inspection.Fail, inspection.GasWaterHeater},
		{"water heater of a JSD model",
			Input{Category: inspection.GasWaterHeater, Images: []inspection.ImageResult{labelImage("1.jpg", heater("JSD20-10A")...)}},
			[]code{{"GAS_FLUE_TYPE_WATER_HEATER", ""}}, inspection.Fail, inspection.GasWaterHeater},
		{"forced-exhaust water heater",
			Input{Category: inspection.GasWaterHeater, Images: []inspection.ImageResult{labelImage("1.jpg", append(heater("JSQ25-13A1"), "排气方式：强制排气式")...)}},
			nil, inspection.Pass, inspection.GasWaterHeater},
		{"direct-exhaust water heater",
			Input{Category: inspection.GasWaterHeater, Images: []inspection.ImageResult{labelImage("1.jpg", append(heater("JSQ25-13A1"), "排气方式：直排式")...)}},
			[]code{{"GAS_DIRECT_EXHAUST_WATER_HEATER", ""}}, inspection.Fail, inspection.GasWaterHeater},
		{"a balanced flue is no flue type",
			Input{Category: inspection.GasWaterHeater, Images: []inspection.ImageResult{labelImage("1.jpg", append(heater("JSQ25-13A1"), "排气方式：平衡式")...)}},
			nil, inspection.Pass, inspection.GasWaterHeater},
		{"gas code on the label, family in the listing",
			Input{Listing: withAttr(stoveListing(), "燃气类别", "天然气"), Images: []inspection.ImageResult{labelImage("1.jpg", append(completeStove(), "燃气类别：12T")...)}},
			nil, inspection.Pass, inspection.GasStove},
		{"natural gas on the label, LPG in the listing",
			Input{Listing: withAttr(stoveListing(), "燃气类别", "20Y 液化石油气"), Images: []inspection.ImageResult{labelImage("1.jpg", append(completeStove(), "燃气类别：12T 天然气")...)}},
			[]code{{"LISTING_MISMATCH", "gas_type"}}, inspection.Fail, inspection.GasStove},
		{"energy grade one digit off, read unsure: another grade, not a slip",
			Input{Listing: withAttr(stoveListing(), "能效等级", "2级"), Images: []inspection.ImageResult{readAt(0.85, labelImage("1.jpg", append(completeStove(), "能效等级：1级")...))}},
			[]code{{"LISTING_MISMATCH", "energy_grade"}}, inspection.Fail, inspection.GasStove},
		{"a company three characters off, each read unsure",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{unsureOn("制造商", readAt(0.83, labelImage("1.jpg", replace(completeStove(), "制造商", "制造商：汉鸟市美厨电器有限公司")...)))}},
			[]code{{"LISTING_MISMATCH", "manufacturer"}}, inspection.Review, inspection.GasStove},
		{"a company three characters off, read sure",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "制造商", "制造商：汉鸟市美厨电器有限公司")...)}},
			[]code{{"LISTING_MISMATCH", "manufacturer"}}, inspection.Fail, inspection.GasStove},
		{"heat input in kW and W",
			Input{Listing: withAttr(stoveListing(), "额定热负荷", "4200W"), Images: []inspection.ImageResult{labelImage("1.jpg", append(completeStove(), "额定热负荷：4.2kW")...)}},
			nil, inspection.Pass, inspection.GasStove},
		{"heat input differs",
			Input{Listing: withAttr(stoveListing(), "额定热负荷", "5.2kW"), Images: []inspection.ImageResult{labelImage("1.jpg", append(completeStove(), "额定热负荷：4.2kW")...)}},
			[]code{{"LISTING_MISMATCH", "heat_input_kw"}}, inspection.Fail, inspection.GasStove},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, got := evaluateCodes(t, tc.in)
			if want := sortedCodes(tc.want); !slices.Equal(got, want) {
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

// When one image reads the listing's model and another, more confidently,
// misreads it, the field matches and shows the reading it matches on, with
// that image as its evidence.
func TestMatchShowsTheReadingThatMatches(t *testing.T) {
	l := stoveListing()
	sure := readAt(0.95, labelImage("1.jpg", replace(completeStove(), "型号", "型号：ZT-2E01B")...))
	r, err := Evaluate(Input{Listing: l, Now: testNow, Images: []inspection.ImageResult{
		sure, readAt(0.6, labelImage("2.jpg", completeStove()...))}})
	if err != nil {
		t.Fatal(err)
	}
	fr := r.Fields["model"]
	if fr.Status != inspection.StatusMatch || fr.Label != "JZT-2E01B" || fr.Confidence != 0.6 ||
		len(fr.Evidence) != 1 || fr.Evidence[0].Image != "2.jpg" {
		t.Errorf("fields.model = %+v", fr)
	}
	// Of two readings that match, the whole company name before the one
	// that lost its legal form, however confident (hard case 51 of seed 1).
	short := readAt(0.95, labelImage("1.jpg", replace(completeStove(), "制造商", "制造商：佛山市美厨电器")...))
	r, err = Evaluate(Input{Listing: l, Now: testNow, Images: []inspection.ImageResult{
		short, readAt(0.6, labelImage("2.jpg", completeStove()...))}})
	if err != nil {
		t.Fatal(err)
	}
	if fr := r.Fields["manufacturer"]; fr.Status != inspection.StatusMatch || fr.Label != "佛山市美厨电器有限公司" {
		t.Errorf("fields.manufacturer = %+v", fr)
	}
}

// TestExhaustTypeNamesAgree: a label's 强排式 is the listing's 强制排气式
// (DOMAIN.md 4.2), in the report's field table.
func TestExhaustTypeNamesAgree(t *testing.T) {
	l := &inspection.Listing{Category: "gas_water_heater", Title: "燃气热水器 JSQ25-13A1", Attributes: map[string]string{
		"型号": "JSQ25-13A1", "制造商": "佛山市美厨电器有限公司", "3C证书编号": "2021012402123456", "排气方式": "强制排气式"}}
	r, err := Evaluate(Input{Listing: l, Now: testNow, Images: []inspection.ImageResult{
		labelImage("1.jpg", append(heater("JSQ25-13A1"), "排气方式：强排式")...)}})
	if err != nil {
		t.Fatal(err)
	}
	if fr := r.Fields["exhaust_type"]; fr == nil || fr.Status != inspection.StatusMatch {
		t.Errorf("fields.exhaust_type = %+v, want a match", fr)
	}
}

// TestBestReadingOfTheLabel: of two photos of one label, the reading of a
// field to report is the one of the field's form and a value a product can
// have, then the address the gazetteer knows further and the tidier one,
// the whole date, the gas code, before the more confident.
func TestBestReadingOfTheLabel(t *testing.T) {
	for _, c := range []struct {
		field, sure, unsure, want string
	}{
		{"address", "地址：广东省佛山市德汉客街道华口工区8号", "地址：广东省佛山市顺德区容桂街道华口工业区8号", "广东省佛山市顺德区容桂街道华口工业区8号"},
		{"address", "地址：广东省佛山市顺德区容桂街道华口工业区号", "地址：广东省佛山市顺德区容桂街道华口工业区8号", "广东省佛山市顺德区容桂街道华口工业区8号"},
		{"address", "地址：广东省佛山市顺德区容桂街道华#工业区8号", "地址：广东省佛山市顺德区容桂街道华口工业区8号", "广东省佛山市顺德区容桂街道华口工业区8号"},
		{"standard", "执行标准：16410-2020", "执行标准：GB 16410-2020", "GB 16410-2020"},
		{"manufacturer", "制造商：美厨电器有限公司", "制造商：佛山市美厨电器有限公司", "佛山市美厨电器有限公司"},
		{"manufacturer", "制造商：佛山市美厨电器", "制造商：佛山市美厨电器有限公司", "佛山市美厨电器有限公司"},
		{"production_date", "生产日期：2025年11月日", "生产日期：2025年11月01日", "2025年11月01日"},
		{"gas_type", "燃气类别：127 天然气", "燃气类别：12T 天然气", "12T 天然气"},
		{"gas_type", "燃气类别：天然气", "燃气类别：12T 天然气", "12T 天然气"},
		{"heat_input_kw", "额定热负荷：4.2W", "额定热负荷：4.2kW", "4.2kW"},
		// Alike in form and places, the more confident stands.
		{"address", "地址：广东省佛山市顺德区容桂街道华口工业区8号", "地址：广东省佛山市顺德区容桂街道华日工业区8号", "广东省佛山市顺德区容桂街道华口工业区8号"},
	} {
		key, _, _ := strings.Cut(c.sure, "：")
		showing := func(line string) []string { return append(replace(completeStove(), key, ""), line) }
		r, err := Evaluate(Input{Now: testNow, Category: inspection.GasStove, Images: []inspection.ImageResult{
			readAt(0.9, labelImage("1.jpg", showing(c.sure)...)),
			readAt(0.8, labelImage("2.jpg", showing(c.unsure)...))}})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Fields[c.field].Label; got != c.want {
			t.Errorf("%s read %q at 0.9 and %q at 0.8: reported %q, want %q", c.field, c.sure, c.unsure, got, c.want)
		}
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

// TestRegistryChecks raises each registry code of CONTRACT.md 4.2 where it
// applies and none where the certificate is in order.
func TestRegistryChecks(t *testing.T) {
	reg, err := registry.Load(strings.NewReader("certificate_no,status,holder,manufacturer,factory,product_name,models,issue_date,expiry_date\n" +
		"2021012401123456,有效,美厨,佛山市美厨电器有限公司,,家用燃气灶,JZT-2E01B;JZT-2E02B,2021-03-01,2027-02-28\n" +
		"2021012401123457,撤销,美厨,佛山市美厨电器有限公司,,家用燃气灶,JZT-2E01B,2021-03-01,2027-02-28\n" +
		"2021012401123458,valid,美厨,佛山市美厨电器有限公司,,家用燃气灶,JZT-2E01B,2020-03-01,2025-02-28\n" +
		"2021012401123459,valid,恒热,中山市恒热电器有限公司,,家用燃气灶,JZT-9X99,2021-03-01,2027-02-28\n"))
	if err != nil || len(reg.Problems) > 0 {
		t.Fatal(err, reg.Problems)
	}
	for _, tc := range []struct {
		name   string
		number string
		want   []code
		status string
	}{
		{"in order", "2021012401123456", nil, "valid"},
		{"not in the registry", "2021012401123450", []code{{"CCC_CERT_NOT_FOUND", ""}}, "not_found"},
		{"revoked", "2021012401123457", []code{{"CCC_CERT_NOT_VALID", ""}}, "revoked"},
		{"expired", "2021012401123458", []code{{"CCC_CERT_NOT_VALID", ""}}, "valid"},
		{"another maker's certificate", "2021012401123459",
			[]code{{"CCC_CERT_MANUFACTURER_MISMATCH", ""}, {"CCC_CERT_MODEL_MISMATCH", ""}}, "valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Evaluate(Input{Category: inspection.GasStove, Now: testNow, Registry: reg,
				Images: []inspection.ImageResult{labelImage("1.jpg", stoveWithCCC(tc.number)...)}})
			if err != nil {
				t.Fatal(err)
			}
			got := codesOf(r)
			slices.SortFunc(got, func(a, b code) int { return strings.Compare(a.code, b.code) })
			if !slices.Equal(got, tc.want) {
				for _, f := range r.Findings {
					t.Logf("  %s: %s", f.Code, f.Message)
				}
				t.Errorf("codes %v, want %v", got, tc.want)
			}
			if !r.Registry.Checked || r.Registry.CertificateNo != tc.number || r.Registry.Status != tc.status {
				t.Errorf("registry result %+v", r.Registry)
			}
		})
	}
	// The label's number is looked up, not the listing's other one (that is
	// a LISTING_MISMATCH); without a label number, the listing's is.
	listing := withAttr(stoveListing(), "3C证书编号", "2021012401123450")
	r, err := Evaluate(Input{Now: testNow, Registry: reg, Listing: listing, Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOf(r); !slices.Equal(got, []code{{"LISTING_MISMATCH", "ccc_number"}}) || r.Registry.CertificateNo != "2021012401123456" {
		t.Errorf("listing with another number: %v, registry %+v", got, r.Registry)
	}
	if f := r.Findings[0]; f.Severity != inspection.High {
		t.Errorf("the listing's number unregistered, the label's registered: %s %s", f.Severity, f.Message)
	}
	// The label's number unregistered where the listing's is: its digits
	// may be misread, and the difference goes to review.
	r, err = Evaluate(Input{Now: testNow, Registry: reg, Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", stoveWithCCC("2021012401123450")...)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		if f.Code == "LISTING_MISMATCH" && f.Severity != inspection.Medium {
			t.Errorf("a label number nobody was issued against the listing's registered one: %s %s", f.Severity, f.Message)
		}
	}
	if got := codesOf(r); !slices.Contains(got, code{"LISTING_MISMATCH", "ccc_number"}) {
		t.Errorf("a label number nobody was issued: %v", got)
	}
	r, err = Evaluate(Input{Now: testNow, Registry: reg, Listing: listing, Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "3C证书编号", "")...)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOf(r); !slices.Contains(got, code{"CCC_CERT_NOT_FOUND", ""}) || r.Registry.CertificateNo != "2021012401123450" {
		t.Errorf("listing number alone: %v, registry %+v", got, r.Registry)
	}
	// Without a registry the checks are skipped, and the report says so.
	r, err = Evaluate(Input{Category: inspection.GasStove, Now: testNow, Images: []inspection.ImageResult{labelImage("1.jpg", stoveWithCCC("2021012401123450")...)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 0 || r.Registry.Checked || r.Registry.Reason == "" {
		t.Errorf("no registry: findings %v, registry %+v", codesOf(r), r.Registry)
	}
	// A number read unsure off a photo and not found goes to review.
	r, err = Evaluate(Input{Category: inspection.GasStove, Now: testNow, Registry: reg,
		Images: []inspection.ImageResult{readAt(0.7, labelImage("1.jpg", stoveWithCCC("2021012401123450")...))}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Code != "CCC_CERT_NOT_FOUND" || r.Findings[0].Severity != inspection.Medium {
		t.Errorf("unsure number: %+v", r.Findings)
	}
	// A number read unsure a digit off the registered number another label
	// shows, read sure, is a misreading of it; read sure too, it is a second
	// certificate, and nobody issued it.
	for _, conf := range []float64{0.7, 0.95} {
		r, err = Evaluate(Input{Category: inspection.GasStove, Now: testNow, Registry: reg, Images: []inspection.ImageResult{
			readAt(0.99, labelImage("1.jpg", stoveWithCCC("2021012401123456")...)),
			readAt(conf, labelImage("2.jpg", "3C证书编号：2021012401128456"))}})
		if err != nil {
			t.Fatal(err)
		}
		if found := slices.Contains(codesOf(r), code{"CCC_CERT_NOT_FOUND", ""}); found != (conf > 0.9) {
			t.Errorf("a number read at %.2f a digit off the one another label shows: %v", conf, codesOf(r))
		}
	}
	// So is one a digit or two off the listing's registered number.
	r, err = Evaluate(Input{Now: testNow, Registry: reg, Listing: stoveListing(), Images: []inspection.ImageResult{
		readAt(0.7, labelImage("1.jpg", stoveWithCCC("2021012401723459")...))}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOf(r); slices.Contains(got, code{"CCC_CERT_NOT_FOUND", ""}) || !slices.Contains(got, code{"LISTING_MISMATCH", "ccc_number"}) {
		t.Errorf("a number read unsure two digits off the listing's: %v", got)
	}
	// Another maker's name whose differing characters were all read unsure
	// goes to review; read sure, it fails.
	for _, unsure := range []bool{true, false} {
		im := labelImage("1.jpg", replace(stoveWithCCC("2021012401123456"), "制造商", "制造商：汉鸟市美厨电器有限公司")...)
		if unsure {
			im = unsureOn("制造商", im)
		}
		r, err = Evaluate(Input{Category: inspection.GasStove, Now: testNow, Registry: reg, Images: []inspection.ImageResult{im}})
		if err != nil {
			t.Fatal(err)
		}
		want := inspection.High
		if unsure {
			want = inspection.Medium
		}
		if !slices.ContainsFunc(r.Findings, func(f inspection.Finding) bool {
			return f.Code == "CCC_CERT_MANUFACTURER_MISMATCH" && f.Severity == want
		}) {
			t.Errorf("another maker, unsure %v: %+v, want CCC_CERT_MANUFACTURER_MISMATCH %s", unsure, r.Findings, want)
		}
	}
	// Where the listing names the registry's maker, that unsure reading is
	// one doubt, up for review against the listing, and its finding says
	// the registry agrees with the listing; a listing naming a third maker
	// leaves both findings.
	for _, maker := range []string{"佛山市美厨电器有限公司", "宁波市华光厨具有限公司"} {
		im := unsureOn("制造商", labelImage("1.jpg", replace(stoveWithCCC("2021012401123456"), "制造商", "制造商：汉鸟市美厨电器有限公司")...))
		r, err = Evaluate(Input{Now: testNow, Registry: reg, Listing: withAttr(stoveListing(), "制造商", maker), Images: []inspection.ImageResult{im}})
		if err != nil {
			t.Fatal(err)
		}
		third := maker != "佛山市美厨电器有限公司"
		if got := slices.Contains(codesOf(r), code{"CCC_CERT_MANUFACTURER_MISMATCH", ""}); got != third {
			t.Errorf("listing's maker %s: CCC_CERT_MANUFACTURER_MISMATCH %v, want %v: %v", maker, got, third, codesOf(r))
		}
		i := slices.IndexFunc(r.Findings, func(f inspection.Finding) bool { return f.Code == "LISTING_MISMATCH" && f.Field == "manufacturer" })
		if i < 0 || r.Findings[i].Severity != inspection.Medium || strings.Contains(r.Findings[i].Message, "registry") == third {
			t.Errorf("listing's maker %s: %+v", maker, r.Findings)
		}
	}
}

func TestOverLimit(t *testing.T) {
	for _, tc := range []struct {
		field, value string
		want         bool
	}{{"motor_power_w", "850", true}, {"motor_power_w", "400", false}, {"vehicle_mass_kg", "58", true},
		{"battery_voltage_v", "48", false}, {"model", "900", false}, {"motor_power_w", "a lot", false}} {
		if got := OverLimit(tc.field, tc.value); got != tc.want {
			t.Errorf("OverLimit(%s, %s) = %v", tc.field, tc.value, got)
		}
	}
}

// TestWithinLimitReadings: the readings one glyph from a value over a limit
// that are within every limit of its field.
func TestWithinLimitReadings(t *testing.T) {
	for _, tc := range []struct {
		field, raw string
		has, not   []string
	}{
		{"motor_power_w", "850W", []string{"350W", "50W", "80W"}, []string{"850W", "050W", "450W", "85W0"}},
		{"motor_power_w", "4008", []string{"400W", "400"}, []string{"4008", "0008", "408"}},
		{"motor_power_w", "3501W", []string{"350W", "301W"}, []string{"501W", "3501W"}},
		{"vehicle_mass_kg", "66kg", []string{"46kg", "6kg", "16kg"}, []string{"66kg", "56kg"}},
		{"max_speed_kmh", "36km/h", []string{"16km/h", "3km/h", "6km/h"}, []string{"26km/h", "46km/h"}},
		{"model", "850W", nil, []string{"350W"}},
	} {
		among(t, fmt.Sprintf("WithinLimitReadings(%s, %s)", tc.field, tc.raw), WithinLimitReadings(tc.field, tc.raw), tc.has, tc.not)
	}
}

// TestPackSeverities: a rule pack raises or lowers a code's severity for a
// category (CONTRACT.md 4); other categories keep the default.
func TestPackSeverities(t *testing.T) {
	def, err := DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	pack := *def
	pack.Severity = map[inspection.Category]map[string]inspection.Severity{
		inspection.Toy: {"TOY_NO_WARNING": inspection.High, "LABEL_NO_STANDARD": inspection.Low}}
	if err := pack.check(); err != nil {
		t.Fatal(err)
	}
	lines := append(replace(stoveWithCCC("2022012202345678"), "执行标准", ""), "适用年龄：3岁以上")
	for _, tc := range []struct {
		cat     inspection.Category
		want    map[string]inspection.Severity
		verdict inspection.Verdict
	}{
		{inspection.Toy, map[string]inspection.Severity{"TOY_NO_WARNING": inspection.High, "LABEL_NO_STANDARD": inspection.Low}, inspection.Fail},
		{inspection.Generic, map[string]inspection.Severity{"LABEL_NO_STANDARD": inspection.Medium}, inspection.Review},
	} {
		r, err := Evaluate(Input{Category: tc.cat, Now: testNow, Pack: &pack, Images: []inspection.ImageResult{labelImage("1.jpg", lines...)}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]inspection.Severity{}
		for _, f := range r.Findings {
			got[f.Code] = f.Severity
		}
		if !maps.Equal(got, tc.want) || r.Verdict != tc.verdict {
			t.Errorf("%s: %v (%s), want %v (%s)", tc.cat, got, r.Verdict, tc.want, tc.verdict)
		}
	}
	pack.Severity[inspection.Toy]["NO_SUCH_CODE"] = inspection.High
	if err := pack.check(); err == nil {
		t.Error("a severity for an unknown code was accepted")
	}
}

// TestMisreadFieldIsUnread: a label value not of its field's syntax, or a
// model not of the category's shape where the value it is compared with
// is, is no reading of the field: its status is unread, it is shown, and
// neither the listing nor the registry is compared with it. A value of the
// form that differs still fails.
func TestMisreadFieldIsUnread(t *testing.T) {
	reg, err := registry.Load(strings.NewReader("certificate_no,status,holder,manufacturer,factory,product_name,models,issue_date,expiry_date\n" +
		"2021012402123456,有效,美厨,佛山市美厨电器有限公司,,燃气热水器,JSQ23-12D3,2021-03-01,2027-02-28\n"))
	if err != nil || len(reg.Problems) > 0 {
		t.Fatal(err, reg.Problems)
	}
	heaterListing := func() *inspection.Listing {
		return withAttr(withAttr(stoveListing(), "型号", "JSQ23-12D3"), "3C证书编号", "2021012402123456")
	}
	for _, tc := range []struct {
		name   string
		in     Input
		field  string
		status inspection.FieldStatus
		label  string
		want   []code
		says   string // in a finding's message
	}{
		{"a standard read as 410, against the listing",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "执行标准", "执行标准：410")...)}},
			"standard", inspection.StatusUnread, "410", nil, ""},
		{"a standard read as 410, no listing",
			Input{Category: inspection.GasStove, Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "执行标准", "执行标准：410")...)}},
			"standard", inspection.StatusUnread, "410", nil, ""},
		// (The table holds what the label and the listing say: without a
		// listing to compare with, the model is the label's.)
		{"a model missing its head, against the registry and no listing",
			Input{Category: inspection.GasWaterHeater, Registry: reg, Images: []inspection.ImageResult{labelImage("1.jpg", heater("3-12D3")...)}},
			"model", inspection.StatusLabelOnly, "3-12D3", nil, ""},
		{"a model missing its head, against listing and registry",
			Input{Category: inspection.GasWaterHeater, Registry: reg, Listing: heaterListing(), Images: []inspection.ImageResult{labelImage("1.jpg", heater("3-12D3")...)}},
			"model", inspection.StatusUnread, "3-12D3", nil, ""},
		// The registry's models are compared with the label's readings
		// of the model, else with the listing's.
		{"a model missing its head, the listing's another: the listing's is not the registry's",
			Input{Category: inspection.GasWaterHeater, Registry: reg, Listing: withAttr(heaterListing(), "型号", "JSQ20-10A1"),
				Images: []inspection.ImageResult{labelImage("1.jpg", heater("3-12D3")...)}},
			"model", inspection.StatusUnread, "3-12D3", []code{{"CCC_CERT_MODEL_MISMATCH", ""}}, "the listing's model JSQ20-10A1"},
		{"no model on the label, the listing's another",
			Input{Category: inspection.GasWaterHeater, Registry: reg, Listing: withAttr(heaterListing(), "型号", "JSQ20-10A1"),
				Images: []inspection.ImageResult{labelImage("1.jpg", replace(heater("x"), "型号", "")...)}},
			"model", inspection.StatusListingOnly, "", []code{{"CCC_CERT_MODEL_MISMATCH", ""}}, "the listing's model JSQ20-10A1"},
		{"no manufacturer on the label, the listing's another",
			Input{Category: inspection.GasWaterHeater, Registry: reg, Listing: withAttr(heaterListing(), "制造商", "中山市恒热电器有限公司"),
				Images: []inspection.ImageResult{labelImage("1.jpg", replace(heater("JSQ23-12D3"), "制造商", "")...)}},
			"manufacturer", inspection.StatusListingOnly, "", []code{{"CCC_CERT_MANUFACTURER_MISMATCH", ""}, {"LABEL_NO_MANUFACTURER", ""}}, "the listing's manufacturer 中山市恒热电器有限公司"},
		{"a model misread on one photo, read on another",
			Input{Category: inspection.GasWaterHeater, Registry: reg, Images: []inspection.ImageResult{
				readAt(0.95, labelImage("1.jpg", heater("3-10A1")...)), readAt(0.9, labelImage("2.jpg", heater("JSQ20-10A1")...))}},
			"model", inspection.StatusLabelOnly, "JSQ20-10A1", []code{{"CCC_CERT_MODEL_MISMATCH", ""}}, "the label's model JSQ20-10A1"},
		{"another model of the shape fails on both",
			Input{Category: inspection.GasWaterHeater, Registry: reg, Listing: heaterListing(), Images: []inspection.ImageResult{labelImage("1.jpg", heater("JSQ20-10A1")...)}},
			"model", inspection.StatusMismatch, "JSQ20-10A1", []code{{"CCC_CERT_MODEL_MISMATCH", ""}, {"LISTING_MISMATCH", "model"}}, ""},
		{"another standard of the form fails",
			Input{Listing: stoveListing(), Images: []inspection.ImageResult{labelImage("1.jpg", replace(completeStove(), "执行标准", "执行标准：GB 30720-2014")...)}},
			"standard", inspection.StatusMismatch, "GB 30720-2014", []code{{"LISTING_MISMATCH", "standard"}}, ""},
		{"a battery type of no kind (锂离子 read 钱商子)",
			Input{Category: inspection.EBike, Listing: withAttr(ebikeListing(""), "电池类型", "锂离子"),
				Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "电池类型：钱商子")...)}},
			"battery_type", inspection.StatusUnread, "钱商子", nil, ""},
		{"a sodium-ion battery is another kind than a lithium one",
			Input{Category: inspection.EBike, Listing: withAttr(ebikeListing(""), "电池类型", "锂离子"),
				Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "电池类型：钠离子")...)}},
			"battery_type", inspection.StatusMismatch, "钠离子", []code{{"EBIKE_BATTERY_TYPE_MISMATCH", ""}, {"LISTING_MISMATCH", "battery_type"}}, ""},
		{"a graphene battery is a lead-acid one",
			Input{Category: inspection.EBike, Listing: withAttr(ebikeListing(""), "电池类型", "铅酸"),
				Images: []inspection.ImageResult{labelImage("1.jpg", append(ebike(), "电池类型：石墨烯电池")...)}},
			"battery_type", inspection.StatusMatch, "石墨烯电池", nil, ""},
		{"a gas type of none of GB/T 13611",
			Input{Listing: withAttr(stoveListing(), "气源", "12T 天然气"), Images: []inspection.ImageResult{labelImage("1.jpg", append(completeStove(), "气源：天AV")...)}},
			"gas_type", inspection.StatusUnread, "天AV", nil, ""},
		{"another gas type of GB/T 13611",
			Input{Listing: withAttr(stoveListing(), "气源", "12T 天然气"), Images: []inspection.ImageResult{labelImage("1.jpg", append(completeStove(), "气源：20Y")...)}},
			"gas_type", inspection.StatusMismatch, "20Y", []code{{"LISTING_MISMATCH", "gas_type"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, got := evaluateCodes(t, tc.in)
			if !slices.Equal(got, sortedCodes(tc.want)) {
				for _, f := range r.Findings {
					t.Logf("  %s %s: %s", f.Code, f.Field, f.Message)
				}
				t.Errorf("codes %v, want %v", got, tc.want)
			}
			if tc.says != "" && !slices.ContainsFunc(r.Findings, func(f inspection.Finding) bool { return strings.Contains(f.Message, tc.says) }) {
				t.Errorf("no finding says %q", tc.says)
			}
			fr := r.Fields[tc.field]
			if fr == nil || fr.Status != tc.status || fr.Label != tc.label || (tc.label != "" && len(fr.Evidence) == 0) {
				t.Errorf("fields[%s] = %+v, want status %s, label %q, with its evidence", tc.field, fr, tc.status, tc.label)
			}
		})
	}
}

// brokenRegistry is a registry whose look-ups fail, as a store's may (a
// disk error).
type brokenRegistry struct{}

func (brokenRegistry) Certificate(string) (*registry.Record, bool, error) {
	return nil, false, errors.New("disk I/O error")
}
func (brokenRegistry) Len() int { return 1 }

// A look-up that fails is not a certificate not found: the case is not
// judged, and the error says which number and why.
func TestRegistryLookupFailureIsNoFinding(t *testing.T) {
	r, err := Evaluate(Input{Now: testNow, Registry: brokenRegistry{}, Listing: stoveListing(),
		Images: []inspection.ImageResult{labelImage("1.jpg", completeStove()...)}})
	if err == nil || !strings.Contains(err.Error(), "2021012401123456") || !strings.Contains(err.Error(), "disk I/O error") {
		t.Errorf("err %v, result %+v", err, r)
	}
}
