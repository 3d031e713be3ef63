package rules

import "testing"

func TestFormatOK(t *testing.T) {
	for _, c := range []struct {
		field, raw string
		want       bool
	}{
		{"ccc_number", "2021010305123456", true},
		{"ccc_number", "2021 0103 0512 3456", true},
		{"ccc_number", "202101030512345", false}, // a digit dropped
		{"ccc_number", "2021O1O3O5123456", true}, // O for 0 is fixed before the check
		{"ccc_number", "20210103051234567", false},
		{"standard", "GB 16410-2020", true},
		{"standard", "GB/T 13611-2018", true},
		{"standard", "Q/FSMC 001-2021", true},
		{"standard", "GB 16410-202", false},
		{"standard", "GB 16410", false},
		{"standard", "执行标准", false},
		{"model", "JZT-2E01B", true},
		{"model", "TDT-1203Z", true},
		{"model", "JZT-2E01B型", false},
		{"model", "JZT", false},
		{"production_date", "2023年05月", true},
		{"production_date", "2023.13", false},
		{"production_date", "2O23年", false},
		{"heat_input_kw", "4.2kW", true},
		{"heat_input_kw", "kW", false},
		{"max_speed_kmh", "25km/h", true},
		{"max_speed_kmh", "25 公里/小时", true},
		{"max_speed_kmh", "2mh", false}, // 25km/h half read: no unit a speed takes
		{"vehicle_mass_kg", "46kg", true},
		{"vehicle_mass_kg", "46ks", false},
		{"motor_power_w", "400W", true},
		{"motor_power_w", "400W 检验合格", false},
		{"manufacturer", "佛山市美厨电器有限公司", true},
		{"battery_type", "锂离子电池", true},
		{"battery_type", "钱商子", false},
		{"manufacturer", "佛山市美厨电器有限公", false},
		{"manufacturer", "Foshan Meichu Co., Ltd.", true},
		{"address", "广东省佛山市顺德区容桂街道", true},
		{"address", "佛山", false},
		{"brand", "美厨", true},
	} {
		if got := FormatOK(c.field, c.raw); got != c.want {
			t.Errorf("FormatOK(%s, %q) = %v, want %v (canonical %q)", c.field, c.raw, got, c.want, Canonical(c.field, c.raw))
		}
	}
}
