package rules

import (
	"slices"
	"testing"

	"github.com/labelcheck/labelcheck/inspection"
)

func line(text string, x, y, w, h int) inspection.Line {
	return inspection.Line{Text: text, Box: inspection.Box{x, y, w, h}, Confidence: 0.9}
}

func fieldValues(vs []Value) map[string]string {
	out := map[string]string{}
	for _, v := range vs {
		if _, seen := out[v.Field]; !seen {
			out[v.Field] = v.Canonical
		}
	}
	return out
}

func TestExtractLabel(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []inspection.Line
		want  map[string]string
		not   []string
	}{
		{"key colon value", []inspection.Line{line("型号：JZT-2E01B", 0, 0, 300, 40)},
			map[string]string{"model": "JZT-2E01B"}, nil},
		{"spaced chinese key", []inspection.Line{line("制 造 商 : 佛山市美厨电器有限公司", 0, 0, 600, 40)},
			map[string]string{"manufacturer": "佛山市美厨电器"}, nil},
		{"table cell to the right", []inspection.Line{
			line("|型号", 10, 100, 80, 40), line("JZT-2E01B", 300, 98, 200, 40),
			line("地址", 10, 160, 80, 40), line("广东省佛山市顺德区", 300, 158, 400, 40)},
			map[string]string{"model": "JZT-2E01B", "address": "广东省佛山市顺德区"}, nil},
		{"value on the next row is not taken", []inspection.Line{
			line("型号", 10, 100, 80, 40), line("JZT-2E01B", 10, 200, 200, 40)},
			map[string]string{}, []string{"model"}},
		{"misread 3C prefix", []inspection.Line{line("35证书编号", 10, 10, 160, 40), line("2021012401123456", 300, 10, 300, 40)},
			map[string]string{"ccc_number": "2021012401123456"}, nil},
		{"misread head of a key cell", []inspection.Line{line("蕾电池标称电压:", 10, 10, 220, 40), line("48V", 300, 12, 60, 30)},
			map[string]string{"battery_voltage_v": "48"}, nil},
		{"a key word after a value is not a key cell", []inspection.Line{line("地址：上海市型号:", 0, 0, 300, 40)},
			map[string]string{"address": "上海市型号"}, []string{"model"}},
		{"two columns", []inspection.Line{line("型号：JZT-2E01B 执行标准：GB 16410-2020", 0, 0, 900, 40)},
			map[string]string{"model": "JZT-2E01B", "standard": "GB 16410-2020"}, nil},
		{"longest key wins", []inspection.Line{line("产品名称：家用燃气灶", 0, 0, 300, 40)},
			map[string]string{"product_name": "家用燃气灶"}, nil},
		{"certificate of conformity words", []inspection.Line{line("检验合格", 0, 0, 200, 40)},
			map[string]string{"certificate_of_conformity": "YES"}, nil},
		{"age without key", []inspection.Line{line("本品适合3岁以上儿童", 0, 0, 300, 40)},
			map[string]string{"age_range": "3+"}, nil},
		{"warning key alone", []inspection.Line{line("警告：内含小零件", 0, 0, 300, 40)},
			map[string]string{"warning": "内含小零件"}, nil},
		{"bare ccc number", []inspection.Line{line("2022012202345678", 0, 0, 300, 40)},
			map[string]string{"ccc_number": "2022012202345678"}, nil},
		{"key inside a value does not split it", []inspection.Line{line("地址：上海市型号路8号", 0, 0, 300, 40)},
			map[string]string{"address": "上海市型号路8号"}, []string{"model"}},
		{"company and address whose keys were misread", []inspection.Line{line("朝造商", 0, 0, 120, 40), line("义乌市小星星玩具厂", 0, 50, 300, 40),
			line("址：", 0, 100, 60, 40), line("浙江省义乌市北苑街道春华路158号", 0, 150, 400, 40)},
			map[string]string{"manufacturer": "义乌市小星星玩具", "address": "浙江省义乌市北苑街道春华路158号"}, nil},
		{"company and address whose keys were misread past recognition", []inspection.Line{line("动：天津飞驰车业有限公司", 0, 0, 400, 40),
			line("造址：浙江省义乌市北苑街道春华路158号", 0, 50, 400, 40)},
			map[string]string{"manufacturer": "天津飞驰车业", "address": "浙江省义乌市北苑街道春华路158号"}, nil},
		{"a company run into its key read with a character wrong", []inspection.Line{line("制道商中山市恒热电器有限公司", 0, 0, 400, 40),
			line("生产地扯广东省中山市小榄镇工业大道南28号", 0, 50, 400, 40)},
			map[string]string{"manufacturer": "中山市恒热电器", "address": "广东省中山市小榄镇工业大道南28号"}, nil},
		{"a company whose name starts like a key is left whole", []inspection.Line{line("华产商城科技有限公司", 0, 0, 400, 40)},
			map[string]string{"manufacturer": "华产商城科技"}, nil},
		{"a company after a key cut off", []inspection.Line{line("：天津飞驰车业有限公司", 0, 0, 400, 40)},
			map[string]string{"manufacturer": "天津飞驰车业"}, nil},
		{"a distributor or a service address is not the maker's", []inspection.Line{line("经销商：杭州好家电器销售有限公司", 0, 0, 400, 40),
			line("售后服务：浙江省义乌市北苑街道春华路158号", 0, 50, 400, 40), line("产品名称：家用燃气灶具厂", 0, 100, 400, 40)},
			map[string]string{}, []string{"manufacturer", "address"}},
		{"an address cell on the row of another key in a skewed table", []inspection.Line{line("检验员：", 0, 100, 120, 40),
			line("天津市北辰区宜兴埠工业园12号", 200, 95, 400, 40)},
			map[string]string{"address": "天津市北辰区宜兴埠工业园12号", "inspector": ""}, nil},
		{"a quantity after a misread key, its unit misread too", []inspection.Line{line("服定功率：1000%", 0, 0, 300, 40)},
			map[string]string{"motor_power_w": "1000"}, nil},
		{"a product name is no company, a province alone no address", []inspection.Line{line("电动遥控汽车", 0, 0, 300, 40), line("广东省", 0, 50, 300, 40),
			line("产品合格证", 0, 100, 300, 40)},
			map[string]string{}, []string{"manufacturer", "address"}},
		{"origin alone is not an address", []inspection.Line{line("产地：广东", 0, 0, 300, 40)},
			map[string]string{}, []string{"address"}},
		{"grade in the arrow of an energy label", []inspection.Line{line("中国能效标识", 0, 0, 300, 40),
			line("规格型号：JZY-2D98A", 0, 60, 300, 40), line("1", 0, 120, 20, 40), line("3级", 400, 200, 60, 40), line("5", 0, 300, 20, 40)},
			map[string]string{"energy_grade": "3", "model": "JZY-2D98A"}, nil},
		{"a key with one character misread", []inspection.Line{line("执行标票：GB17761-2018", 0, 0, 400, 40),
			line("武行标准", 0, 50, 120, 40), line("GB 6932-2015", 300, 50, 200, 40), line("热行标准 GB 6675.1-2014", 0, 100, 400, 40)},
			map[string]string{"standard": "GB 17761-2018"}, nil},
		{"a key cell with one character misread", []inspection.Line{line("武行标准", 0, 50, 120, 40), line("GB 6932-2015", 300, 50, 200, 40)},
			map[string]string{"standard": "GB 6932-2015"}, nil},
		{"a misread key run into a value of its field's form", []inspection.Line{line("电池美型铅酸", 0, 0, 300, 40),
			line("执行标票GB17761-2018", 0, 50, 400, 40), line("整车质是55kg", 0, 100, 300, 40)},
			map[string]string{"battery_type": "lead_acid", "standard": "GB 17761-2018", "vehicle_mass_kg": "55"}, nil},
		{"a misread key run into no value of its field's form", []inspection.Line{line("电池美型11111", 0, 0, 300, 40),
			line("执行标票一二三", 0, 50, 400, 40)},
			map[string]string{}, []string{"battery_type", "standard"}},
		{"an exhaust type standing alone, its key lost", []inspection.Line{line("烟道式", 0, 0, 200, 40)},
			map[string]string{"exhaust_type": "自然排气式"}, nil},
		{"two characters misread is no key, a short key is not guessed", []inspection.Line{line("执行桥线：68667512014", 0, 0, 400, 40),
			line("型亏：JZT-2E01B", 0, 50, 400, 40), line("家用燃气灶", 0, 100, 300, 40)},
			map[string]string{}, []string{"standard", "model", "product_name"}},
		{"a misread key vouched for only by a value of its form", []inspection.Line{line("证街编号：21", 0, 0, 200, 40),
			line("投车质量 电池美系 11111", 0, 50, 300, 40), line("整车质是：55kg", 0, 100, 300, 40)},
			map[string]string{"vehicle_mass_kg": "55"}, []string{"ccc_number"}},
		{"what an address line picks up after the address", []inspection.Line{line("地址：浙江省宁波市慈溪市周巷镇环城北路66号 检验合格", 0, 0, 600, 40)},
			map[string]string{"address": "浙江省宁波市慈溪市周巷镇环城北路66号"}, nil},
		{"a stamp misread into words of an address", []inspection.Line{line("地址：广东省佛山市顺德区容桂街道华口工业区8号 格路合格", 0, 0, 600, 40)},
			map[string]string{"address": "广东省佛山市顺德区容桂街道华口工业区8号"}, nil},
		{"an address in parts", []inspection.Line{line("地址：上海市 嘉定区 宝安公路2999号 B座", 0, 0, 600, 40)},
			map[string]string{"address": "上海市嘉定区宝安公路2999号B座"}, nil},
		{"a key with one character lost", []inspection.Line{line("生日期：2024年08月01日", 0, 0, 400, 40), line("产名称 家用燃气灶", 0, 50, 400, 40)},
			map[string]string{"production_date": "2024-08-01"}, []string{"product_name"}},
		{"a date alone on a line", []inspection.Line{line("2025年07月14日", 0, 0, 300, 40)},
			map[string]string{"production_date": "2025-07-14"}, nil},
		{"a standard alone on a line", []inspection.Line{line("GB6932-2015", 0, 0, 200, 40), line("GB/T 29606-2013", 0, 50, 200, 40)},
			map[string]string{"standard": "GB 6932-2015"}, nil},
		{"a standard's number without its year is not taken alone", []inspection.Line{line("GB 6932", 0, 0, 200, 40)},
			map[string]string{}, []string{"standard"}},
		{"an address alone that lost its first character, which the gazetteer gives", []inspection.Line{line("东省中山市小榄镇工业大道南28号", 0, 0, 400, 40)},
			map[string]string{"address": "广东省中山市小榄镇工业大道南28号"}, nil},
		{"an address alone at a city", []inspection.Line{line("制造商：佛山市美厨电器有限公司", 0, 0, 400, 40),
			line("佛山市顺德区美厨电器有限公司", 0, 50, 400, 40), line("中山市小榄镇工业大道南28号", 0, 100, 400, 40)},
			map[string]string{"address": "中山市小榄镇工业大道南28号"}, nil},
		{"a model broken after its dash", []inspection.Line{line("型号 JZY-", 0, 0, 150, 40), line("3D45E", 160, 0, 100, 40)},
			map[string]string{"model": "JZY-3D45E"}, nil},
		{"a line found to say a value, after a key misread or alone", []inspection.Line{says(line("服高车话：25km/h", 0, 0, 300, 40), "max_speed_kmh"),
			says(line("TDT0614Q", 300, 50, 200, 40), "model"), line("额定动车：300W", 0, 100, 300, 40)},
			map[string]string{"max_speed_kmh": "25", "model": "TDT0614Q"}, []string{"motor_power_w"}},
		{"a gas type alone, its key lost", []inspection.Line{line("气贝别", 0, 0, 100, 40), line("121天然气", 0, 50, 150, 40)},
			map[string]string{"gas_type": "T"}, nil},
		{"a gas type after a key misread past recognition", []inspection.Line{line("气类时：12T 天然气", 0, 0, 300, 40)},
			map[string]string{"gas_type": "12T"}, nil},
		{"a family's name alone is no gas type", []inspection.Line{line("天然气", 0, 0, 100, 40), line("适用于12T天然气管道", 0, 50, 300, 40)},
			map[string]string{}, []string{"gas_type"}},
		{"a grade alone off an energy label is not one", []inspection.Line{line("产品合格证", 0, 0, 300, 40), line("3级", 400, 200, 60, 40)},
			map[string]string{}, []string{"energy_grade"}},
		{"an energy label's grade beside its bars' numbers, its title misread", []inspection.Line{line("生产者名际：中山市恒热电器有限公司", 0, 0, 400, 40),
			line("1", 0, 100, 20, 40), line("3级", 400, 200, 60, 40), line("5", 0, 300, 20, 40), line("5", 0, 300, 20, 40)},
			map[string]string{"energy_grade": "3"}, nil},
		{"one lone number is no energy label's bars", []inspection.Line{line("检验员：", 0, 0, 100, 40), line("3", 120, 0, 20, 40), line("3级", 400, 200, 60, 40),
			line("3", 0, 300, 20, 40)},
			map[string]string{}, []string{"energy_grade"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := ExtractLabel("1.jpg", tc.lines)
			if err != nil {
				t.Fatal(err)
			}
			got := fieldValues(vs)
			for f, want := range tc.want {
				if got[f] != want {
					t.Errorf("%s = %q, want %q (all: %v)", f, got[f], want, got)
				}
			}
			for _, f := range tc.not {
				if v, ok := got[f]; ok {
					t.Errorf("%s extracted as %q, want nothing", f, v)
				}
			}
			for _, v := range vs {
				if v.Evidence.Image != "1.jpg" || v.Evidence.Box == nil {
					t.Errorf("%s has no image evidence: %+v", v.Field, v.Evidence)
				}
			}
		})
	}
}

func TestExtractListing(t *testing.T) {
	l := &inspection.Listing{
		Attributes: map[string]string{"品牌": "美厨", "Model": "JZT-2E01B", "3C证书编号": "2021 0124 0112 3456", "颜色": "黑"},
		Text:       "产品参数\n执行标准: GB 16410-2020\n生产厂家：佛山市美厨电器有限公司\n这款灶具的型号很好",
	}
	vs, err := ExtractListing(l)
	if err != nil {
		t.Fatal(err)
	}
	got := fieldValues(vs)
	want := map[string]string{"brand": "美厨", "model": "JZT-2E01B", "ccc_number": "2021012401123456",
		"standard": "GB 16410-2020", "manufacturer": "佛山市美厨电器"}
	for f, w := range want {
		if got[f] != w {
			t.Errorf("%s = %q, want %q", f, got[f], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("extracted %v, want exactly %v", got, want)
	}
	for _, v := range vs {
		if v.Evidence.Source != "listing" || v.Evidence.Text == "" {
			t.Errorf("%s evidence %+v, want listing source with quote", v.Field, v.Evidence)
		}
	}
}

// Regression (fuzz crash f719f7b6): strings.ToLower turned an invalid byte
// into a three-byte U+FFFD, so key offsets found in the lowered line cut the
// original line out of range.
func TestExtractLabelInvalidUTF8BeforeKey(t *testing.T) {
	vs, err := ExtractLabel("1.jpg", []inspection.Line{line("\x9a制造商：佛山市美厨电器有限公司", 0, 0, 400, 40)})
	if err != nil {
		t.Fatal(err)
	}
	if got := fieldValues(vs)["manufacturer"]; got != "佛山市美厨电器" {
		t.Errorf("manufacturer %q", got)
	}
}

func TestValueSplitAcrossLines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []inspection.Line
		want  string
	}{
		{"standard split at a wide space", []inspection.Line{line("执行标准：GB", 10, 10, 200, 40), line("17761-2018", 250, 10, 200, 40)}, "GB 17761-2018"},
		{"key cell, value in two pieces", []inspection.Line{line("执行标准", 10, 10, 120, 40), line("GB", 300, 10, 60, 40), line("16410-2020", 390, 10, 200, 40)}, "GB 16410-2020"},
		{"far column is not a continuation", []inspection.Line{line("执行标准：GB 16410-2020", 10, 10, 400, 40), line("2021年", 900, 10, 100, 40)}, "GB 16410-2020"},
	} {
		vs, err := ExtractLabel("1.jpg", tc.lines)
		if err != nil {
			t.Fatal(err)
		}
		if got := fieldValues(vs)["standard"]; got != tc.want {
			t.Errorf("%s: standard %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCanonicalGrade(t *testing.T) {
	for raw, want := range map[string]string{"3级": "3", "三级": "3", "1": "1", " 5 级": "5", "一级": "1", "6级": "6级", "A++": "A++"} {
		if got := CanonicalGrade(raw); got != want {
			t.Errorf("CanonicalGrade(%q) = %q, want %q", raw, got, want)
		}
	}
}

// says is l found to say field's value (inspection.Line.Says).
func says(l inspection.Line, field string) inspection.Line {
	l.Says = field
	return l
}

func TestKeysShown(t *testing.T) {
	lines := []inspection.Line{line("执行##6#.1-2014", 0, 0, 300, 40), line("武行标准", 0, 50, 300, 40),
		line("地址", 0, 100, 100, 40), line("电动自行车", 0, 150, 300, 40), line("制造日期：2025年", 0, 200, 300, 40)}
	got, err := KeysShown(lines, "standard", "address", "manufacturer")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"standard", "address"}; !slices.Equal(got, want) {
		t.Errorf("KeysShown = %q, want %q", got, want)
	}
	if got, _ := KeysShown(lines[:1], "address"); len(got) != 0 {
		t.Errorf("a field not asked for: %q", got)
	}
}

func TestUnvalued(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []inspection.Line
		want  []string
	}{
		{"a key whose value cell was not read", []inspection.Line{line("型号", 0, 0, 100, 40),
			line("执行标准", 0, 50, 100, 40), line("GB 4806.9-2023", 300, 50, 300, 40)}, []string{"model"}},
		{"every key with its value", []inspection.Line{line("型号：TC-833A", 0, 0, 300, 40),
			line("制造商：永康市金达日用品有限公司", 0, 50, 500, 40)}, nil},
		{"a key read with nothing after it", []inspection.Line{line("地址：", 0, 0, 100, 40)}, []string{"address"}},
		{"a key that vouches for itself", []inspection.Line{line("检验员", 0, 0, 100, 40)}, nil},
		{"no key", []inspection.Line{line("电动自行车", 0, 0, 300, 40)}, nil},
	} {
		got, err := Unvalued(tc.lines)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: Unvalued = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestGradeMissing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []inspection.Line
		want  bool
	}{
		{"energy label without its grade", []inspection.Line{line("中国能效标识", 0, 0, 300, 40), line("规格型号：JZY-3F43D", 0, 50, 300, 40), line("1", 0, 100, 20, 40)}, true},
		{"energy label with its grade", []inspection.Line{line("中国能效标识", 0, 0, 300, 40), line("2级", 200, 100, 60, 40)}, false},
		{"no energy label", []inspection.Line{line("产品合格证", 0, 0, 300, 40), line("型号：JZY-3F43D", 0, 50, 300, 40)}, false},
		{"an energy label's bars without its title or grade", []inspection.Line{line("规格型号：JZY-3F43D", 0, 50, 300, 40), line("2", 0, 100, 20, 40), line("4", 0, 150, 20, 40)}, true},
	} {
		if got := GradeMissing(tc.lines); got != tc.want {
			t.Errorf("%s: GradeMissing = %v", tc.name, got)
		}
	}
}
