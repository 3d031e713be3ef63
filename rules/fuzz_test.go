package rules

import (
	"strings"
	"testing"

	"github.com/labelcheck/labelcheck/inspection"
)

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"型 号 ： JZT－2E01B", "GB 16410一2020", "2O21 0124 O112 3456", "|[]", "\xff\xfe", "一一一1一"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeText(s)
		if NormalizeText(n) != n {
			t.Errorf("NormalizeText not idempotent: %q → %q → %q", s, n, NormalizeText(n))
		}
		CanonicalCCC(s)
		CanonicalModel(s)
		CanonicalStandard(s)
		CompanyCore(s)
		CanonicalDate(s)
		ParseSpeedKmh(s)
		for _, field := range []string{"heat_input_kw", "motor_power_w", "vehicle_mass_kg", "battery_voltage_v", "max_speed_kmh"} {
			if v, ok := ParseQuantity(field, s); ok && (v < 0 || v != v) {
				t.Errorf("ParseQuantity(%s, %q) = %v", field, s, v)
			}
		}
		CanonicalGasType(s)
		BatteryKind(s)
		CanonicalAge(s)
		CanonicalExhaust(s)
		for _, field := range []string{"heat_input_kw", "vehicle_mass_kg", "gas_type", "exhaust_type", "battery_type", "model"} {
			for _, r := range FormReadings(field, s) {
				if !Plausible(field, r) {
					t.Errorf("FormReadings(%s, %q) gives %q, which is not plausible", field, s, r)
				}
			}
		}
		if p := findPhrase(squeeze(s), []string{"1岁", "熄火保护:无"}, Negations{Words: []string{"严禁", "非"}, Not: []string{"非常"}}); p != "" && !strings.Contains(squeeze(s), p) {
			t.Errorf("findPhrase found %q, not in %q", p, s)
		}
	})
}

func FuzzExtractLabel(f *testing.F) {
	f.Add("型号：JZT-2E01B\n35证书编号\n2021012401123456\n地址:广东", 3)
	f.Add("型号\n\n::::\n制造商：制造商：", 0)
	f.Fuzz(func(t *testing.T, text string, shift int) {
		var lines []inspection.Line
		for i, s := range strings.Split(text, "\n") {
			lines = append(lines, inspection.Line{Text: s, Box: inspection.Box{i * shift % 700, i * 40, 300, 30}, Confidence: 0.9})
		}
		vs, err := ExtractLabel("x.jpg", lines)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.Field == "" || v.Evidence.Image != "x.jpg" {
				t.Fatalf("value without field or evidence: %+v", v)
			}
		}
		if _, err := ExtractListing(&inspection.Listing{Text: text, Attributes: map[string]string{text: text}}); err != nil {
			t.Fatal(err)
		}
	})
}
