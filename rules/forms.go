package rules

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/labelcheck/labelcheck/inspection"
)

// exhaustNames are the exhaust types' names, the longer first where one
// holds another's characters, each with the name GB 6932 gives it
// (DOMAIN.md 4.2): 烟道式 is 自然排气式, 强排式 强制排气式, 平衡式
// 自然给排气式.
var exhaustNames = [][2]string{
	{"自然给排气式", "自然给排气式"}, {"强制给排气式", "强制给排气式"}, {"自然排气式", "自然排气式"},
	{"强制排气式", "强制排气式"}, {"烟道式", "自然排气式"}, {"强排式", "强制排气式"},
	{"平衡式", "自然给排气式"}, {"室外型", "室外型"}, {"直排式", "直排式"},
}

// exhaustTypes are the names of exhaustNames: the exhaust types of gas
// water heaters as labels print them, formal or common, and the banned
// direct-exhaust type.
var exhaustTypes = func() []string {
	out := make([]string, len(exhaustNames))
	for i, n := range exhaustNames {
		out[i] = n[0]
	}
	return out
}()

// CanonicalExhaust is an exhaust type by the name GB 6932 gives it, so
// that a label's 强排式 and a listing's 强制排气式 are one type; anything
// else is kept, upper-cased, without spaces.
func CanonicalExhaust(raw string) string {
	for _, n := range exhaustNames {
		if strings.Contains(raw, n[0]) {
			return n[1]
		}
	}
	return strings.ToUpper(strings.ReplaceAll(raw, " ", ""))
}

// containsAny reports whether s holds one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// batteryTypes are battery types as e-bike labels print them, one or
// more per kind of batteryKinds.
var batteryTypes = []string{"铅酸", "铅酸蓄电池", "石墨烯", "锂离子", "锂离子电池", "锂电池", "磷酸铁锂", "钠离子"}

// gasCodes are the gas type codes of GB/T 13611-2018 by family letter
// (DOMAIN.md 4.1), the common code first.
var gasCodes = map[string][]string{
	"T": {"12T", "10T", "3T", "4T", "6T"},
	"Y": {"20Y", "19Y", "22Y"},
	"R": {"3R", "4R", "5R", "6R", "7R"},
}

// quantityUnit is the unit each numeric field's label values are printed
// in (DOMAIN.md), as written.
var quantityUnit = map[string]string{
	"heat_input_kw":     "kW",
	"vehicle_mass_kg":   "kg",
	"battery_voltage_v": "V",
	"motor_power_w":     "W",
	"max_speed_kmh":     "km/h",
}

// plausible is, per numeric field, the range a product of labelcheck's
// categories can have at all, in the field's unit; far wider than any
// limit of the rules, which values over it are checked against. A gas
// appliance's heat input is kilowatts (a stove's burner 3-5 kW, a water
// heater 16-40 kW: DOMAIN.md 4.1, 4.2), not watts; an e-bike weighs tens of
// kilograms and runs on tens of volts.
var plausible = map[string][2]float64{
	"heat_input_kw":     {1, 100},
	"vehicle_mass_kg":   {10, 200},
	"battery_voltage_v": {12, 120},
	"motor_power_w":     {100, 5000},
	"max_speed_kmh":     {5, 99},
}

// Plausible reports whether raw, a label value of field, is one a product
// can have: of its field's form (FormatOK), and a quantity within
// plausible, an exhaust type one of exhaustTypes, a gas type with a code
// of GB/T 13611 when it gives one (127 is none). An exhaust type has no
// form for FormatOK: a value read after a misread key (特气方式 for
// 排气方式) is vouched for by its form, and a misread exhaust type is kept
// to be weighed.
func Plausible(field, raw string) bool {
	return FormatOK(field, raw) && plausibleOfForm(field, raw)
}

// plausibleOfForm is Plausible for raw of its field's form (FormatOK).
func plausibleOfForm(field, raw string) bool {
	if r, quantity := plausible[field]; quantity {
		v, _ := ParseQuantity(field, raw)
		return v >= r[0] && v <= r[1]
	}
	switch field {
	case "exhaust_type":
		return containsAny(raw, exhaustTypes)
	case "gas_type":
		s := strings.ToUpper(NormalizeText(raw))
		if gasCode.MatchString(s) {
			return true
		}
		// A family's name alone, with no code misread before it.
		for _, name := range gasNames {
			if i := strings.Index(s, name); i >= 0 {
				return !strings.ContainsAny(s[:i], "0123456789")
			}
		}
		return false
	}
	return true
}

// codeLike is what a gas type's code misread looks like before its
// family's name: digits and letters (121, 127, I2T).
var codeLike = regexp.MustCompile(`^[0-9A-Za-z]{1,4}(\s*)$`)

// FormReadings are the readings a label value of field, read as raw
// without being Plausible, may be of a value that is: each exhaust type
// or battery type; the gas codes of the family raw names (each, in place
// of what stands before the name) or of every family; for a quantity, the
// number as read with the field's unit, and without its last digit where
// the unit's first letters are lost (221 or 324W for 22kW or 32kW: k read
// as a digit), where that is plausible. None when raw is Plausible: it is
// taken as read.
func FormReadings(field, raw string) []string {
	if Plausible(field, raw) {
		return nil
	}
	if _, quantity := quantityUnit[field]; quantity {
		return quantityReadings(field, raw)
	}
	switch field {
	case "exhaust_type":
		return exhaustTypes
	case "battery_type":
		return batteryTypes
	case "gas_type":
		return gasReadings(raw)
	}
	return nil
}

// gasReadings are the gas types raw may be: see FormReadings.
func gasReadings(raw string) []string {
	var out []string
	for _, name := range gasNames {
		i := strings.Index(raw, name)
		if i < 0 {
			continue
		}
		m := codeLike.FindStringSubmatch(raw[:i])
		if m == nil {
			return nil // what stands before the name is no code misread
		}
		for _, code := range gasCodes[gasFamilies[name]] {
			out = append(out, code+m[1]+raw[i:])
		}
		return out
	}
	if !codeLike.MatchString(raw) {
		return nil
	}
	for _, family := range []string{"T", "Y", "R"} {
		out = append(out, gasCodes[family]...)
	}
	return out
}

// quantityReadings are the quantities raw may be: see FormReadings.
func quantityReadings(field, raw string) []string {
	s := NormalizeText(raw)
	at := quantityPattern.FindStringSubmatchIndex(s)
	if at == nil || !startsWithDigit(strings.TrimSpace(raw)) || strings.HasPrefix(s[at[3]:], ".") {
		return nil // no number, or its decimals misread (3.BkW): not guessed
	}
	n, read := s[at[2]:at[3]], s[at[4]:at[5]]
	numbers := []string{n}
	unit := quantityUnit[field]
	// The unit's first letters read as a digit: none read after it (221
	// for 22kW), or the rest of the unit only (324W for 32kW).
	lost := read == "" || len(read) < len(unit) && strings.HasSuffix(strings.ToUpper(unit), strings.ToUpper(read))
	if lost && len(n) >= 2 && !strings.Contains(n, ".") {
		numbers = append(numbers, n[:len(n)-1])
	}
	var out []string
	for _, n := range numbers {
		if r := n + unit; Plausible(field, r) {
			out = append(out, r)
		}
	}
	return out
}

// valueForms are, per field with a strict form, a regular expression (RE2)
// that a value of the field as labels print it matches whole: a national
// (GB, GB/T, GB/Z), recommended industry (QB/T, CJ/T, ...) or local
// (DB44/T) standard's designation with its year (DOMAIN.md 3.5; a fit is
// to the usual codes, not every code there is), a quantity in its field's
// unit. A misread value is fitted to its field's form (ocr.Fit) and the
// fit weighed against what was read. A certificate number or a date has
// no form here: it is digits in any order, and a fit of them to a scrap
// is a guess (a fit made 2025072829553233, no certificate, of a scrap on
// hard case 228, and 2005年09月08日 of 205年00月0日 on hard case 4).
var valueForms = map[string]string{
	"standard":          `(?:GB(?:/[TZ])?|[A-Z]{2}/T|DB\d{2}/T) ?\d{3,5}(?:\.\d{1,2})?-` + year,
	"heat_input_kw":     `\d{1,3}(?:\.\d{1,2})? ?kW`,
	"vehicle_mass_kg":   `\d{2,3}(?:\.\d)? ?kg`,
	"battery_voltage_v": `\d{2,3} ?V`,
	"motor_power_w":     `\d{3,4} ?W`,
	"max_speed_kmh":     `\d{1,2} ?km/h`,
}

// year is a standard's year, of this decade at the latest (a standard of
// 2084 is 2014 misread).
var year = fmt.Sprintf(`(?:19\d{2}|20[0-%d]\d)`, time.Now().Year()%100/10)

// ValueForm is the form of field's values a misread one is fitted to (see
// valueForms), or "" for a field without a strict form.
func ValueForm(field string) string { return valueForms[field] }

// OfValueForm reports whether raw, a value of field as read, is of the
// field's form (ValueForm), or the field has none: a standard as its
// canonical designation (GB6675.1-2014 is GB 6675.1-2014, CB6675.1-2014
// is of no usual code), a quantity as printed, in any case, its unit
// written (4.210 is no heat input of the form; a label that prints the
// unit in the key, 额定功率(W)：350, has its values fitted to one, which
// leaves them the same number).
func OfValueForm(field, raw string) bool {
	form := valueForms[field]
	if form == "" {
		return true
	}
	v := strings.TrimSpace(NormalizeText(raw))
	if field == "standard" {
		v = Canonical(field, raw)
	}
	return OfForm(`(?i)`+form, v)
}

// ModelForm is the form of the model designations of the category that
// lines name in their own words (a keyword of the pack's: 燃气快速热水器 on
// a water heater's 合格证), as a regular expression a canonical model
// matches whole: the category's designation scheme (GB 6932's JS, the
// exhaust type's letter and the heat input) and any tail. "" when the
// lines name no category, or one without a scheme.
func ModelForm(lines []inspection.Line) (string, error) {
	p, cat, err := linesCategory(lines)
	if err != nil || cat == "" {
		return "", err
	}
	mp, ok := p.ModelPatterns[cat]
	if !ok {
		return "", nil
	}
	return `(?:` + strings.TrimPrefix(mp.Pattern, "^") + `)[A-Z0-9\-/.]*`, nil
}

// CategoryStandards are the standards of the category lines name in
// their own words (the pack's Standards: GB 6932 and GB 20665 for a water
// heater), none when they name no category.
func CategoryStandards(lines []inspection.Line) ([]string, error) {
	p, cat, err := linesCategory(lines)
	if err != nil || cat == "" {
		return nil, err
	}
	return p.Standards[cat].Numbers, nil
}

// StandardReadings are the standards of standards (a category's,
// CategoryStandards) raw, a standard as read, may be: raw itself where it
// is one of them; else those one or two digits from it (near), with the
// year as read (GB6932-2015 for GB6982-2015 on a water heater's label,
// GB17761-2018 for GB1771-2018 on an e-bike's), written as raw is.
func StandardReadings(standards []string, raw string) (readings []string, near bool) {
	m := standardPattern.FindStringSubmatch(CanonicalStandard(raw))
	if m == nil {
		return nil, false
	}
	code, number := m[1], m[2]
	for _, s := range standards {
		c, n, _ := strings.Cut(s, " ")
		if c != code {
			continue
		}
		if n == number {
			return []string{raw}, false
		}
		if d := editDistance([]rune(number), []rune(n)); d <= 2 && 2*d <= len(n) {
			readings = append(readings, renumbered(raw, code, number, n, m[3]))
		}
	}
	return readings, len(readings) > 0
}

// renumbered is raw, a standard read as code, number and year, with the
// number n in place of the one read: in raw itself where raw holds the
// number as read, else as the canonical designation, without its space
// where raw has none.
func renumbered(raw, code, number, n, year string) string {
	if strings.Count(raw, number) == 1 {
		return strings.Replace(raw, number, n, 1)
	}
	out := code + " " + n
	if year != "" {
		out += "-" + year
	}
	if !strings.Contains(strings.TrimSpace(raw), " ") {
		out = strings.ReplaceAll(out, " ", "")
	}
	return out
}

// linesCategory is the category lines name in their own words (see
// namedCategory), "" for none, with the pack that names it.
func linesCategory(lines []inspection.Line) (*Pack, inspection.Category, error) {
	p, err := DefaultPack()
	if err != nil {
		return nil, "", err
	}
	var text strings.Builder
	for _, l := range lines {
		text.WriteString(l.Text)
		text.WriteByte('\n')
	}
	cat, _, _ := namedCategory(p, text.String())
	return p, cat, nil
}

// OfForm reports whether value matches form, a regular expression, whole.
func OfForm(form, value string) bool {
	re, err := regexp.Compile(`^(?:` + form + `)$`)
	return err == nil && re.MatchString(value)
}
