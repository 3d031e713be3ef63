package labelgen

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/labelcheck/labelcheck/inspection"
)

// RegistryRow is one certificate record of the registry CSV (CONTRACT.md 1.3).
type RegistryRow struct {
	CertificateNo string   `json:"certificate_no"`
	Status        string   `json:"status"`
	Holder        string   `json:"holder"`
	Manufacturer  string   `json:"manufacturer"`
	Factory       string   `json:"factory"`
	ProductName   string   `json:"product_name"`
	Models        []string `json:"models"`
	IssueDate     string   `json:"issue_date"`
	ExpiryDate    string   `json:"expiry_date"`
}

// Registry is the certificate registry of a generated set, by number.
type Registry map[string]RegistryRow

// shown is everything a case shows: the fields printed on its readable label
// images, and its listing.
type shown struct {
	label        map[string]string // field → value, first printed wins
	labelImages  int
	markImages   int
	certificates int
	unreadable   int
}

func (c CaseSpec) shown() shown {
	s := shown{label: map[string]string{}}
	for _, im := range c.Images {
		if im.Truncate {
			s.unreadable++
			continue
		}
		rows := printed(im.Layout, c.Label)
		switch im.Layout {
		case Photo:
			continue
		case CCCMark, CCCMarkBeside:
			s.markImages++
		case Certificate:
			s.certificates++
		}
		if len(rows) == 0 && im.Layout != Certificate {
			continue // a CCC logo alone holds no label text
		}
		s.labelImages++
		for _, r := range rows {
			if _, ok := s.label[r.field]; !ok {
				s.label[r.field] = r.value
			}
		}
	}
	return s
}

// listingValue is the listing's value of a field: its attribute, by the key
// the generator writes.
func (c CaseSpec) listingValue(field string) string {
	if c.Listing == nil {
		return ""
	}
	for k, v := range c.Listing.Attributes {
		if listingKeys[k] == field {
			return v
		}
	}
	return ""
}

// listingKeys are the attribute keys the generator writes, by field.
var listingKeys = map[string]string{
	"品牌": "brand", "型号": "model", "3C证书编号": "ccc_number", "制造商": "manufacturer", "生产厂家": "manufacturer",
	"执行标准": "standard", "燃气类别": "gas_type", "额定热负荷": "heat_input_kw", "能效等级": "energy_grade",
	"最高车速": "max_speed_kmh", "整车质量": "vehicle_mass_kg", "蓄电池标称电压": "battery_voltage_v",
	"电池类型": "battery_type", "额定功率": "motor_power_w", "适用年龄": "age_range",
}

// mismatchFields are compared for LISTING_MISMATCH (CONTRACT.md 4.3).
var mismatchFields = []string{"model", "manufacturer", "ccc_number", "standard", "gas_type", "heat_input_kw",
	"energy_grade", "battery_type", "battery_voltage_v", "max_speed_kmh", "vehicle_mass_kg", "motor_power_w", "age_range", "brand"}

var legalForm = regexp.MustCompile(`(股份有限公司|有限责任公司|有限公司|集团|公司|厂)$`)

// same compares two values of a field the way a careful person would:
// spaces and case ignored, companies on their core name.
func same(field, a, b string) bool {
	n := func(s string) string {
		s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
		if field == "manufacturer" {
			s = legalForm.ReplaceAllString(s, "")
		}
		return s
	}
	return n(a) == n(b)
}

func (c CaseSpec) listingText() string {
	if c.Listing == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(c.Listing.Title + "\n" + c.Listing.Text)
	for k, v := range c.Listing.Attributes {
		b.WriteString("\n" + k + " " + v)
	}
	return b.String()
}

var number = regexp.MustCompile(`\d+(\.\d+)?`)

func firstNumber(s string) (float64, bool) {
	m := number.FindString(s)
	if m == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(m, 64)
	return v, err == nil
}

// cccValid reports whether num is a well-formed certificate number for cat
// (CONTRACT.md 4.2), for a set generated in 2026.
func cccValid(num string, cat inspection.Category) bool {
	if len(num) != 16 || strings.Trim(num, "0123456789") != "" {
		return false
	}
	year, _ := strconv.Atoi(num[:4])
	if year < 2002 || year > 2026 {
		return false
	}
	switch cat {
	case inspection.GasStove:
		return num[6:10] == "2401"
	case inspection.GasWaterHeater:
		return num[6:10] == "2402" || num[6:10] == "2403"
	}
	return true
}

// Expect is the oracle: the findings CONTRACT.md section 4 asks of a case,
// derived from what its images print, its listing and the registry (nil
// when the set has none). It works on the case's structure, never on
// pixels, so it is the ground truth the pipeline is scored against.
func Expect(c CaseSpec, reg Registry) []TruthFinding {
	s := c.shown()
	var out []TruthFinding
	add := func(code, field string) {
		for _, f := range out {
			if f.Code == code && f.Field == field {
				return
			}
		}
		out = append(out, TruthFinding{Code: code, Field: field})
	}
	lab := s.label
	cat := c.Category
	text := c.listingText()

	// 4.1 labelling
	if s.unreadable > 0 {
		add("IMAGE_UNREADABLE", "")
	}
	if s.labelImages == 0 {
		add("NO_LABEL_IMAGES", "")
	} else {
		for _, m := range []struct{ field, code string }{{"manufacturer", "LABEL_NO_MANUFACTURER"},
			{"address", "LABEL_NO_ADDRESS"}, {"standard", "LABEL_NO_STANDARD"}} {
			if lab[m.field] == "" {
				add(m.code, "")
			}
		}
		if s.certificates == 0 {
			add("LABEL_NO_CERTIFICATE_OF_CONFORMITY", "")
		}
	}

	// 4.2 CCC
	needsCCC := cat.NeedsCCC()
	if needsCCC && s.markImages == 0 && lab["ccc_number"] == "" {
		add("CCC_MARK_MISSING", "")
	}
	numbers := []string{}
	for _, n := range []string{lab["ccc_number"], c.listingValue("ccc_number")} {
		if n != "" {
			numbers = append(numbers, n)
		}
	}
	if needsCCC && len(numbers) == 0 {
		add("CCC_NUMBER_MISSING", "ccc_number")
	}
	for _, n := range numbers {
		if !cccValid(n, cat) {
			add("CCC_NUMBER_INVALID", "ccc_number")
		}
	}
	if reg != nil && len(numbers) > 0 && cccValid(numbers[0], cat) {
		row, ok := reg[numbers[0]]
		switch {
		case !ok:
			add("CCC_CERT_NOT_FOUND", "")
		default:
			if row.Status != "valid" && row.Status != "有效" {
				add("CCC_CERT_NOT_VALID", "")
			}
			if m := lab["manufacturer"]; m != "" && !same("manufacturer", m, row.Manufacturer) {
				add("CCC_CERT_MANUFACTURER_MISMATCH", "")
			}
			if m := lab["model"]; m != "" && !containsModel(row.Models, m) {
				add("CCC_CERT_MODEL_MISMATCH", "")
			}
		}
	}

	// 4.3 listing against label
	if c.Listing != nil {
		for _, f := range mismatchFields {
			l, v := lab[f], c.listingValue(f)
			if l != "" && v != "" && !same(f, l, v) {
				add("LISTING_MISMATCH", f)
			}
		}
		for _, f := range []string{"model", "manufacturer", "ccc_number"} {
			if l := lab[f]; l != "" && c.listingValue(f) == "" && !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(l, " ", "")) {
				add("LISTING_MISSING", f)
			}
		}
	}

	// 4.4 gas appliances
	if cat == inspection.GasStove && (lab["flame_failure_device"] == "无" || containsAny(text, "无熄火保护", "熄火保护：无", "不带熄火保护")) {
		add("GAS_NO_FLAME_FAILURE_DEVICE", "")
	}
	if cat == inspection.GasWaterHeater {
		ex := lab["exhaust_type"] + " " + c.listingText()
		if containsAny(ex, "烟道式", "自然排气式") || strings.HasPrefix(lab["model"], "JSD") || strings.HasPrefix(c.listingValue("model"), "JSD") {
			add("GAS_FLUE_TYPE_WATER_HEATER", "")
		}
		if containsAny(ex, "直排式") {
			add("GAS_DIRECT_EXHAUST_WATER_HEATER", "")
		}
	}

	// 4.5 electric bicycles
	if cat == inspection.EBike {
		for _, lim := range []struct {
			field, code string
			max         float64
		}{{"max_speed_kmh", "EBIKE_SPEED_OVER_LIMIT", 25}, {"vehicle_mass_kg", "EBIKE_MASS_OVER_LIMIT", 55},
			{"battery_voltage_v", "EBIKE_VOLTAGE_OVER_LIMIT", 48}, {"motor_power_w", "EBIKE_POWER_OVER_LIMIT", 400}} {
			for _, v := range []string{lab[lim.field], c.listingValue(lim.field)} {
				if n, ok := firstNumber(v); ok && n > lim.max {
					add(lim.code, lim.field)
				}
			}
		}
		if containsAny(text, "不含电池", "不带电池", "裸车", "不含充电器") {
			add("EBIKE_NOT_COMPLETE_VEHICLE", "")
		}
		if l, v := lab["battery_type"], c.listingValue("battery_type"); (l != "" && v != "" && !same("battery_type", l, v)) ||
			(strings.Contains(text, "铅酸") && strings.Contains(text, "锂")) {
			add("EBIKE_BATTERY_TYPE_MISMATCH", "")
		}
		if containsAny(text, "解码", "解除限速", "提速", "改装", "可改") {
			add("EBIKE_MODIFICATION", "")
		}
	}

	// 4.6 toys
	if cat == inspection.Toy && s.labelImages > 0 {
		if lab["age_range"] == "" {
			add("TOY_NO_AGE_GRADING", "")
		}
		if lab["warning"] == "" {
			add("TOY_NO_WARNING", "")
		}
		if containsAny(lab["warning"], "不适合3岁以下", "36个月以下") && c.Listing != nil &&
			containsAny(c.Listing.Title+c.Listing.Text, "0-3岁", "婴儿", "宝宝", "1岁") {
			add("TOY_AGE_CONFLICT", "")
		}
	}
	if out == nil {
		out = []TruthFinding{}
	}
	return out
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func containsModel(models []string, m string) bool {
	for _, x := range models {
		if same("model", x, m) {
			return true
		}
	}
	return false
}

// Severities are the default severities of CONTRACT.md section 4.
var Severities = map[string]inspection.Severity{
	"LABEL_NO_MANUFACTURER": inspection.High, "LABEL_NO_ADDRESS": inspection.High, "LABEL_NO_STANDARD": inspection.Medium,
	"LABEL_NO_CERTIFICATE_OF_CONFORMITY": inspection.Medium, "NO_LABEL_IMAGES": inspection.Medium, "IMAGE_UNREADABLE": inspection.Info,
	"CCC_MARK_MISSING": inspection.High, "CCC_NUMBER_MISSING": inspection.Medium, "CCC_NUMBER_INVALID": inspection.High,
	"CCC_CERT_NOT_FOUND": inspection.High, "CCC_CERT_NOT_VALID": inspection.High, "CCC_CERT_MANUFACTURER_MISMATCH": inspection.High,
	"CCC_CERT_MODEL_MISMATCH": inspection.High, "LISTING_MISMATCH": inspection.High, "LISTING_MISSING": inspection.Low,
	"GAS_NO_FLAME_FAILURE_DEVICE": inspection.High, "GAS_FLUE_TYPE_WATER_HEATER": inspection.High, "GAS_DIRECT_EXHAUST_WATER_HEATER": inspection.High,
	"EBIKE_SPEED_OVER_LIMIT": inspection.High, "EBIKE_MASS_OVER_LIMIT": inspection.High, "EBIKE_VOLTAGE_OVER_LIMIT": inspection.High,
	"EBIKE_POWER_OVER_LIMIT": inspection.High, "EBIKE_NOT_COMPLETE_VEHICLE": inspection.High, "EBIKE_BATTERY_TYPE_MISMATCH": inspection.High,
	"EBIKE_MODIFICATION": inspection.High, "TOY_NO_AGE_GRADING": inspection.Medium, "TOY_NO_WARNING": inspection.Medium, "TOY_AGE_CONFLICT": inspection.High,
}

// TruthVerdict is the verdict the findings call for.
func TruthVerdict(fs []TruthFinding) inspection.Verdict {
	var all []inspection.Finding
	for _, f := range fs {
		all = append(all, inspection.Finding{Code: f.Code, Severity: Severities[f.Code]})
	}
	return inspection.VerdictOf(all)
}

// Printed is what the case's readable label images print, by field.
func (c CaseSpec) Printed() map[string]string { return c.shown().label }
