package rules

import (
	"regexp"
	"strings"
)

var (
	cccFormat      = regexp.MustCompile(`^20\d{14}$`)
	standardFormat = regexp.MustCompile(`^[A-Z][A-Z0-9/]* \d+(?:\.\d+)*S?-(?:19|20)\d{2}$`)
	modelFormat    = regexp.MustCompile(`^[A-Z0-9][A-Z0-9\-/.()+#*]{1,29}$`)
	dateFormat     = regexp.MustCompile(`^(?:19|20)\d{2}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?$`)
	companyEnd     = regexp.MustCompile(`(?i)(?:公司|厂|集团|商行|工作室|研究所|合作社|co\.?,?\s*ltd\.?|inc\.?|corp\.?|limited|gmbh)$`)
	addressWord    = regexp.MustCompile(`[省市区县镇乡村路街道号巷弄楼园室]`)
)

// FormatOK reports whether a label value read by OCR has the form its field
// takes: a certificate number is 16 digits, a standard carries its year, a
// date is a real month, a company name ends in its legal form, a battery
// type is one the rules know, a gas type is one of GB/T 13611. A value that
// fails is likely misread, and the line it came from is read again by the
// second engine. Fields without a form pass.
func FormatOK(field, raw string) bool {
	canon := Canonical(field, raw)
	switch field {
	case "ccc_number":
		return cccFormat.MatchString(canon)
	case "standard":
		return standardFormat.MatchString(canon)
	case "model":
		return modelFormat.MatchString(canon) && strings.ContainsAny(canon, "0123456789")
	case "production_date":
		return dateFormat.MatchString(canon)
	case "heat_input_kw", "max_speed_kmh", "vehicle_mass_kg", "battery_voltage_v", "motor_power_w":
		// A number and a unit the field takes, nothing else: 2mh is no
		// speed, 46ks no mass.
		v, ok := ParseQuantity(field, raw)
		return ok && v > 0 && wholeQuantity(field, raw)
	case "manufacturer":
		return companyEnd.MatchString(strings.TrimSpace(NormalizeText(raw)))
	case "address":
		return addressWord.MatchString(raw)
	case "battery_type":
		return BatteryKind(raw) != ""
	case "gas_type":
		// A code of GB/T 13611 or the name of its family.
		return canon == "T" || canon == "Y" || canon == "R" || gasCode.MatchString(canon)
	}
	return true
}
