package rules

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalizeText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"型 号 ： JZT－2E01B", "型号: JZT-2E01B"},
		{"| 生产日期", "生产日期"},
		{"GB 16410—2020", "GB 16410-2020"},
		{"GB 16410一2020", "GB 16410-2020"},
		{"地 址：广东省 佛山市", "地址:广东省佛山市"},
		{"ＡＢＣ１２３", "ABC123"},
		{"3C证书编号  2021012401123456", "3C证书编号 2021012401123456"},
	} {
		if got := NormalizeText(tc.in); got != tc.want {
			t.Errorf("NormalizeText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCanonicalForms(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"ccc spaces", CanonicalCCC, "2021 0124 0112 3456", "2021012401123456"},
		{"ccc O and l", CanonicalCCC, "2O21Ol24O1123456", "2021012401123456"},
		{"ccc trailing words", CanonicalCCC, "2021012401123456 有效期至2026", "2021012401123456"},
		{"ccc not numeric stays", CanonicalCCC, "ABC", "ABC"},
		{"ccc stray glyph before", CanonicalCCC, "大 2020012401775365", "2020012401775365"},
		{"ccc words before a short number stay", CanonicalCCC, "编号2020", "编号2020"},
		{"model case and space", CanonicalModel, "jzt - 2e01b", "JZT-2E01B"},
		{"model full width", CanonicalModel, "ＪＺＴ－２Ｅ０１Ｂ", "JZT-2E01B"},
		{"standard spacing", CanonicalStandard, "GB16410—2020", "GB 16410-2020"},
		{"standard GB/T", CanonicalStandard, "gb/t 13611-2018", "GB/T 13611-2018"},
		{"standard G8", CanonicalStandard, "G8 16410-2020", "GB 16410-2020"},
		{"standard part", CanonicalStandard, "GB 6675.1-2014", "GB 6675.1-2014"},
		{"standard dot for the space", CanonicalStandard, "GB.6675.1-2014", "GB 6675.1-2014"},
		{"standard 6B for GB", CanonicalStandard, "6B17761-2018", "GB 17761-2018"},
		{"standard G6 for GB", CanonicalStandard, "G617761-2018", "GB 17761-2018"},
		{"standard GR for GB", CanonicalStandard, "GR6675.1-2014", "GB 6675.1-2014"},
		{"standard GB/T without its slash", CanonicalStandard, "GBT29606-2013", "GB/T 29606-2013"},
		{"standard GB/Z slash read as a space", CanonicalStandard, "GB Z 21-2010", "GB/Z 21-2010"},
		{"standard GB T is not GB", CanonicalStandard, "GB 16410-2020", "GB 16410-2020"},
		{"standard CB is a code of its own", CanonicalStandard, "CB6675.1-2014", "CB 6675.1-2014"},
		{"standard dash before the year lost", CanonicalStandard, "GB69322015", "GB 6932-2015"},
		{"standard part, dash lost", CanonicalStandard, "GB6675.12014", "GB 6675.1-2014"},
		{"standard year alone stays", CanonicalStandard, "GB 16410", "GB 16410"},
		{"standard five digits and year", CanonicalStandard, "GB164102020", "GB 16410-2020"},
		{"exhaust type's common name", CanonicalExhaust, "强排式", "强制排气式"},
		{"flue type", CanonicalExhaust, "烟道式", "自然排气式"},
		{"balanced flue is no natural draught", CanonicalExhaust, "平衡式", "自然给排气式"},
		{"forced intake and exhaust", CanonicalExhaust, "强制给排气式", "强制给排气式"},
		{"exhaust type unknown", CanonicalExhaust, "强给排气式", "强给排气式"},
		{"company suffix", CompanyCore, "佛山市美厨电器有限公司", "佛山市美厨电器"},
		{"company brackets", CompanyCore, "美厨电器（中国）股份有限公司", "美厨电器"},
		{"company factory", CompanyCore, "汕头市乐童玩具厂", "汕头市乐童玩具"},
		{"date chinese", CanonicalDate, "2025年03月12日", "2025-03-12"},
		{"date dots", CanonicalDate, "2025.3.2", "2025-03-02"},
		{"date month only", CanonicalDate, "2025年5月", "2025-05"},
	} {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("%s: %q → %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestParseSpeedKmh(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"32km/h", 32, true}, {"25 公里/小时", 25, true}, {"40码", 40, true}, {"25.5km/h", 25.5, true}, {"快", 0, false},
	} {
		got, ok := ParseSpeedKmh(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseSpeedKmh(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMaybeSlip(t *testing.T) {
	for _, tc := range []struct {
		label, listing string
		conf           float64
		want           bool
	}{
		{"SN161B", "SN-161B", 0.95, true},              // a dash dropped
		{"GB 16410.2020", "GB 16410-2020", 0.95, true}, // a dash read as a dot
		{"TOT1379Z", "TDT1379Z", 0.95, true},           // O for D
		{"JZT-2C0O6E", "JZT-2C06E", 0.64, true},        // a character too many, unsure
		{"JZT-2E01B", "JZT-2E02B", 0.7, true},          // one digit off, unsure
		{"JZT-2E01B", "JZT-2E02B", 0.95, false},        // one digit off, sure: another model
		{"无锣新日动力科技", "无锡新日动力科技", 0.88, true},
		{"无锣新日动力科技", "无锡新日动力科技", 0.95, false},
		{"上海东方家居用品", "佛山市美厨电器", 0.5, false}, // another company
		{"GB 16410-2007", "GB 16410-2020", 0.95, false},
		{"2023012402023684", "2023012402588244", 0.87, false}, // another certificate, read unsure
	} {
		if got := MaybeSlip(tc.label, tc.listing, tc.conf); got != tc.want {
			t.Errorf("MaybeSlip(%q, %q, %.2f) = %v, want %v", tc.label, tc.listing, tc.conf, got, tc.want)
		}
	}
}

func TestBatteryKind(t *testing.T) {
	for in, want := range map[string]string{
		"铅酸": "lead_acid", "石墨烯铅酸蓄电池": "lead_acid", "Lead-acid": "lead_acid",
		"锂离子": "lithium", "磷酸铁锂": "lithium", "Li-ion": "lithium",
		"铝酸": "lead_acid", "Lithiun": "lithium", // one character misread
		"镍氢": "", "酸": "", "": "", "电池": "",
	} {
		if got := BatteryKind(in); got != want {
			t.Errorf("BatteryKind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCorrectPlaces(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"天津市北展区宜兴埠工业园12号", "天津市北辰区宜兴埠工业园12号"},
		{"浙江省宁波市禁溪市周巷镇环城化路66号", "浙江省宁波市慈溪市周巷镇环城化路66号"},
		{"浙江省义鸟市北苑街道春华路158号", "浙江省义乌市北苑街道春华路158号"}, // 金华市 left out
		{"浙江省宁波市慈溪市周春镇环城北路66号", "浙江省宁波市慈溪市周巷镇环城北路66号"},
		{"广东省佛山市联德区容桂街道华口工业区号", "广东省佛山市顺德区容桂街道华口工业区号"},
		{"广东省博山市顺德区容桂街道", "广东省佛山市顺德区容桂街道"},       // 佛山市 or 中山市: 顺德区 is 佛山市's
		{"广东省博山市容桂街道", "广东省博山市容桂街道"},             // 佛山市 or 中山市: not guessed
		{"江苏省无国市西山区东港镇工业园区", "江苏省无锡市锡山区东港镇工业园区"}, // 东港镇 is 锡山区's, not 惠山区's
		{"江苏省无锡市西山区工业园区", "江苏省无锡市西山区工业园区"},
		{"东省中山市小榄镇工业大道南28号", "广东省中山市小榄镇工业大道南28号"}, // 山东省 has no 中山市
		{"东省", "东省"},
		{"东省博山市顺德区", "东省博山市顺德区"}, // a lost glyph needs the next name read exactly
		{"江苏省无锡市山区东港镇工业园区", "江苏省无锡市锡山区东港镇工业园区"},
		{"江苏省无锡市山区工业园区", "江苏省无锡市山区工业园区"},
		{"广东省汕头市浙海区建下街工业路号", "广东省汕头市澄海区建下街工业路号"},
		{"上海市新定区马陆镇宝安公路2900号", "上海市嘉定区马陆镇宝安公路2900号"},
		{"中山市小榄镇工业大道南28号", "中山市小榄镇工业大道南28号"}, // right as read
		{"广东省佛山市顺德区容桂街道8号", "广东省佛山市顺德区容桂街道8号"},
		{"北京市朝阳区", "北京市朝阳区"},
		{"宜兴埠工业园12号", "宜兴埠工业园12号"}, // no division to start from
		{"", ""},
	} {
		got, changed := CorrectPlaces(tc.in)
		if got != tc.want || changed != (tc.in != tc.want) {
			t.Errorf("CorrectPlaces(%q) = %q, %v; want %q", tc.in, got, changed, tc.want)
		}
	}
}

func TestPlaceVariants(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   []string
		placed bool
	}{
		// 博山市 may be 佛山市, 中山市, 台山市 or 鹤山市 (county-level cities
		// a Guangdong address may name without their city); only 佛山市
		// has a district near 联德区, and 顺德区 has 容桂街道.
		{"广东省博山市联德区容桂街道8号", []string{"广东省佛山市顺德区容桂街道8号"}, true},
		{"浙江省水康市经济开发区金山西路9号", []string{"浙江省永康市经济开发区金山西路9号"}, true},
		{"东省中山市小榄镇28号", []string{"广东省中山市小榄镇28号"}, true}, // 山东省 has no 中山市
		{"天津市北辰区宜兴埠工业园12号", nil, true},                  // 宜兴埠工 is no 宜兴埠镇: the kind differs
		{"金山西路9号", nil, false},
		{"浙江省永康市经济所发区金山西路9号", []string{"浙江省永康市经济开发区金山西路9号"}, true},
		{"天津市北辰区宜兴埠工业国12号", []string{"天津市北辰区宜兴埠工业园12号", "天津市北辰区宜兴埠工业区12号"}, true},
		{"江苏省无锡市山区东港镇工业园区", []string{"江苏省无锡市锡山区东港镇工业园区"}, true}, // 惠山区 has no 东港镇
		{"浙江省水康市经济所发区", []string{"浙江省永康市经济所发区", "浙江省永康市经济开发区"}, true},
		{"广东省中山市小精镇28号", []string{"广东省中山市小榄镇28号"}, true},       // a town a glyph away: no other
		{"广东省中山市德德区容桂街道8号", []string{"广东省佛山市顺德区容桂街道8号"}, true}, // 中山市 has no 德德区, 佛山市 has 顺德区
		{"广东省中山市东区8号", nil, true}, // 中山市 has 东区
	} {
		got, placed := PlaceVariants(tc.in)
		if !slices.Equal(got, tc.want) || placed != tc.placed {
			t.Errorf("PlaceVariants(%q) = %q, %v; want %q, %v", tc.in, got, placed, tc.want, tc.placed)
		}
	}
	// A town no town is a glyph from: every town of 慈溪市 of three
	// characters, 周巷镇 among them, and no street (浒山街道) or town of
	// four (观海卫镇).
	got, _ := PlaceVariants("浙江省宁波市慈溪市商都镇环城北路66号")
	if !slices.Contains(got, "浙江省宁波市慈溪市周巷镇环城北路66号") || len(got) < 10 {
		t.Errorf("PlaceVariants of 商都镇 under 慈溪市 = %q, want its towns, 周巷镇 among them", got)
	}
	for _, v := range got {
		if r := []rune(strings.TrimPrefix(v, "浙江省宁波市慈溪市")); r[2] != '镇' {
			t.Errorf("PlaceVariants of 商都镇 gave %q, no town of three characters", v)
		}
	}
}

// An address word read with a character wrong is misread; one read right,
// a name no word is near, or a word read right beside another's misreading
// is not.
func TestMisreadWord(t *testing.T) {
	for in, want := range map[string]bool{
		"天津市北辰区宜兴埠工益园12号":      true,
		"地址：浙江省永康市经济所发区金山西路9号": true,
		"天津市北辰区宜兴埠工业园12号":      false,
		"广东省中山市小榄镇工业大道南28号":    false,
		"上海市嘉定区马陆镇宝安公路2999号":   false,
		"江苏省无锡市锡山区东港镇工业园区":     false, // 工业园区 and 工业园 read right, 工业区 one from 工业园
		"浙江省义乌市北苑街道春华路158号":    false,
		"广东省汕头市澄海区莲下镇工业路6号":    false,
	} {
		if got := MisreadWord(in); got != want {
			t.Errorf("MisreadWord(%q) = %v, want %v", in, got, want)
		}
	}
}
