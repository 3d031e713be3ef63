package rules

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/labelcheck/labelcheck/inspection"
)

func TestPlausible(t *testing.T) {
	for _, c := range []struct {
		field, raw string
		want       bool
	}{
		{"heat_input_kw", "4.2kW", true},
		{"heat_input_kw", "28kW", true},
		{"heat_input_kw", "3.9W", false},  // kW read W: no burner is 3.9 W
		{"heat_input_kw", "221", false},   // 22kW, its unit read as a digit
		{"heat_input_kw", "27hW", false},  // no unit
		{"vehicle_mass_kg", "55g", false}, // no e-bike weighs 55 g
		{"vehicle_mass_kg", "55kg", true},
		{"vehicle_mass_kg", "69kg", true}, // over the limit, but a mass
		{"motor_power_w", "1000W", true},
		{"battery_voltage_v", "481", false},
		{"exhaust_type", "强制排气式", true},
		{"exhaust_type", "强给排气式", false},
		{"battery_type", "锂离子", true},
		{"battery_type", "钱商子", false},
		{"gas_type", "12T 天然气", true},
		{"gas_type", "天然气", true},
		{"gas_type", "127 天然气", false},
		{"gas_type", "121", false},
		{"brand", "美厨", true},
	} {
		if got := Plausible(c.field, c.raw); got != c.want {
			t.Errorf("Plausible(%s, %q) = %v, want %v", c.field, c.raw, got, c.want)
		}
	}
}

func TestFormReadings(t *testing.T) {
	for _, c := range []struct {
		field, raw string
		want       []string // among the readings
		not        []string
	}{
		{"heat_input_kw", "27hW", []string{"27kW"}, []string{"2kW"}},
		{"heat_input_kw", "221", []string{"22kW"}, []string{"221kW"}},
		{"heat_input_kw", "3.9W", []string{"3.9kW"}, nil},
		{"heat_input_kw", "324W", []string{"32kW"}, []string{"324kW"}},
		{"vehicle_mass_kg", "48k8", []string{"48kg"}, []string{"4kg"}},
		{"battery_voltage_v", "481", []string{"48V"}, nil},
		{"exhaust_type", "直特式", []string{"直排式", "强制排气式"}, nil},
		{"battery_type", "钱商子", []string{"锂离子", "铅酸"}, nil},
		{"gas_type", "127 天然气", []string{"12T 天然气", "10T 天然气"}, []string{"20Y 天然气", "12T 液化石油气"}},
		{"gas_type", "121天然气", []string{"12T天然气"}, nil},
		{"gas_type", "121", []string{"12T", "20Y"}, nil},
	} {
		among(t, fmt.Sprintf("FormReadings(%s, %q)", c.field, c.raw), FormReadings(c.field, c.raw), c.want, c.not)
	}
	// A value as plausible as read has no other reading; nor has a text
	// that is no misread value at all.
	for _, c := range [][2]string{{"heat_input_kw", "4.2kW"}, {"exhaust_type", "烟道式"}, {"gas_type", "天然气"},
		{"gas_type", "请使用天然气"}, {"heat_input_kw", "3.BkW"}, {"model", "JZT"}, {"heat_input_kw", "kW"}} {
		if got := FormReadings(c[0], c[1]); len(got) != 0 {
			t.Errorf("FormReadings(%s, %q) = %q, want none", c[0], c[1], got)
		}
	}
}

// among checks that got, what call gave, holds each of has and none of
// not.
func among(t *testing.T, call string, got, has, not []string) {
	t.Helper()
	for _, h := range has {
		if !slices.Contains(got, h) {
			t.Errorf("%s = %q, want %q among them", call, got, h)
		}
	}
	for _, n := range not {
		if slices.Contains(got, n) {
			t.Errorf("%s = %q, want no %q", call, got, n)
		}
	}
}

// TestValueForms: each field's form takes the values labels print and no
// value that FormatOK would send back to be read again; a misread one is
// not of the form.
func TestValueForms(t *testing.T) {
	for _, c := range []struct {
		field, raw string
		want       bool
	}{
		{"standard", "GB 17761-2018", true},
		{"standard", "GB6675.1-2014", true},
		{"standard", "GB/T 29606-2013", true},
		{"standard", "QB/T 1230-2018", true},
		{"standard", "DB44/T 1234-2020", true},
		{"standard", "17761-2018", false}, // its code lost
		{"standard", "#85.2014", false},
		{"standard", "GB6675.1-2084", false}, // no standard is of 2084
		{"heat_input_kw", "4.2kW", true},
		{"heat_input_kw", "28 kW", true},
		{"heat_input_kw", "221", false},
		{"motor_power_w", "240W", true},
		{"motor_power_w", "2W", false},
		{"max_speed_kmh", "25km/h", true},
		{"vehicle_mass_kg", "55kg", true},
		{"battery_voltage_v", "48V", true},
		{"heat_input_kw", "4.210", false}, // its unit read as digits
		{"vehicle_mass_kg", "59", false},
	} {
		form := ValueForm(c.field)
		if form == "" {
			t.Fatalf("%s has no form", c.field)
		}
		re := regexp.MustCompile(`^(?:` + form + `)$`)
		if got := re.MatchString(c.raw); got != c.want {
			t.Errorf("%s %q of the form: %v, want %v", c.field, c.raw, got, c.want)
		}
		if got := OfValueForm(c.field, c.raw); got != c.want {
			t.Errorf("OfValueForm(%s, %q) = %v, want %v", c.field, c.raw, got, c.want)
		}
		if c.want && !FormatOK(c.field, c.raw) {
			t.Errorf("%s %q is of the form but not FormatOK", c.field, c.raw)
		}
	}
	for _, field := range []string{"model", "manufacturer", "address", "brand", "ccc_number", "production_date"} {
		if form := ValueForm(field); form != "" {
			t.Errorf("%s has a form, %s: it is not fitted", field, form)
		}
		if !OfValueForm(field, "#85") {
			t.Errorf("a %s is of no form, yet OfValueForm says a value is not of it", field)
		}
	}
	// A standard is taken as its designation, a quantity in any case.
	for _, c := range []struct {
		field, raw string
		want       bool
	}{
		{"standard", "gb6675.1-2014", true},
		{"standard", "CB6675.1-2014", false},
		{"standard", "QB69322015", false},
		{"standard", "Q/JZD 001-2019", false},
		{"max_speed_kmh", "25 KM/H", true},
	} {
		if got := OfValueForm(c.field, c.raw); got != c.want {
			t.Errorf("OfValueForm(%s, %q) = %v, want %v", c.field, c.raw, got, c.want)
		}
	}
}

// TestModelForm: the lines of a label that names its category in its own
// words give the category's model designation scheme, which its models
// match and a misread one does not; a label of a category without a
// scheme, or naming none, gives no form.
// textLines are lines read as texts.
func textLines(texts ...string) []inspection.Line {
	var ls []inspection.Line
	for _, s := range texts {
		ls = append(ls, inspection.Line{Text: s})
	}
	return ls
}

func TestModelForm(t *testing.T) {
	for _, c := range []struct {
		lines     []inspection.Line
		fit, miss []string
	}{
		{textLines("产品名称：家用燃气快速热水器", "型号：JS022-16A4"), []string{"JSD22-16A4", "JSQ25-13A", "JSG30-16"}, []string{"JS022-16A4", "MJ-654F", "JSQ-25"}},
		{textLines("台式燃气灶", "型号：JZY-2D98A"), []string{"JZY-2D98A", "JZT-3B65C", "JZ12T2"}, []string{"J2Y-2D98A", "LT-374B"}},
	} {
		form, err := ModelForm(c.lines)
		if err != nil {
			t.Fatal(err)
		}
		if form == "" {
			t.Fatalf("%v: no form", c.lines)
		}
		for _, m := range c.fit {
			if !OfForm(form, m) {
				t.Errorf("%s is not of %s", m, form)
			}
		}
		for _, m := range c.miss {
			if OfForm(form, m) {
				t.Errorf("%s is of %s", m, form)
			}
		}
	}
	for _, lines := range [][]inspection.Line{textLines("产品名称：电动遥控汽车", "型号：LT-8118"), textLines("型号：MJ-654F")} {
		if form, err := ModelForm(lines); err != nil || form != "" {
			t.Errorf("%v: form %q (%v), want none", lines, form, err)
		}
	}
}

// A standard of the category the label names is read as it is; one a
// digit or two from one of the category's may be that one, with the year
// and the spacing as read; one far from all, or of another code, may be
// none of them; a label that names no category has no standards.
func TestStandardReadings(t *testing.T) {
	heater, err := CategoryStandards(textLines("产品名称：家用燃气快速热水器", "执行标准：GB6882-2015"))
	if err != nil {
		t.Fatal(err)
	}
	ebike, err := CategoryStandards(textLines("电动自行车产品合格证"))
	if err != nil {
		t.Fatal(err)
	}
	toy, err := CategoryStandards(textLines("品名：益智玩具"))
	if err != nil {
		t.Fatal(err)
	}
	none, err := CategoryStandards(textLines("品名：保温杯", "执行标准：GB 4806.9-2023"))
	if err != nil || none != nil {
		t.Fatalf("a label of no category: %v, %v", none, err)
	}
	for _, c := range []struct {
		standards []string
		raw       string
		want      []string
		near      bool
	}{
		{heater, "GB6882-2015", []string{"GB6932-2015"}, true},
		{heater, "GB 682-2015", []string{"GB 6932-2015"}, true},
		{heater, "GB 6932-2015", []string{"GB 6932-2015"}, false},
		{heater, "GB69322015", []string{"GB69322015"}, false}, // the dash lost
		{heater, "GB 20665-2015", []string{"GB 20665-2015"}, false},
		{heater, "GB/T 6932-2015", nil, false}, // another code
		{heater, "GB 4806.9-2023", nil, false},
		{heater, "6932-2015", nil, false}, // no code: for the fit
		{ebike, "GB1771-2018", []string{"GB17761-2018"}, true},
		{ebike, "GB 17761-2024", []string{"GB 17761-2024"}, false},
		{toy, "GB 6675.7-2014", []string{"GB 6675-2014", "GB 6675.1-2014", "GB 6675.2-2014", "GB 6675.3-2014", "GB 6675.4-2014"}, true},
		{toy, "GB 6675.2-2014", []string{"GB 6675.2-2014"}, false},
		{none, "GB 4806.9-2023", nil, false},
	} {
		got, near := StandardReadings(c.standards, c.raw)
		if !slices.Equal(got, c.want) || near != c.near {
			t.Errorf("%q among %v: %q, near %v; want %q, %v", c.raw, c.standards, got, near, c.want, c.near)
		}
	}
}
