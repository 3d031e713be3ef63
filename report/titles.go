package report

import (
	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/models"
)

// Title is how a finding code reads to an inspector, in Chinese and in
// English.
type Title struct{ ZH, EN string }

// Titles name the finding codes of CONTRACT.md section 4.
var Titles = map[string]Title{
	"LABEL_NO_MANUFACTURER":              {"标签无生产者名称", "no manufacturer on the label"},
	"LABEL_NO_ADDRESS":                   {"标签无生产者地址", "no manufacturer address on the label"},
	"LABEL_NO_STANDARD":                  {"标签无执行标准", "no executive standard on the label"},
	"LABEL_NO_CERTIFICATE_OF_CONFORMITY": {"无产品合格证", "no certificate of conformity"},
	"NO_LABEL_IMAGES":                    {"无可读的标签图片", "no readable label image"},
	"IMAGE_UNREADABLE":                   {"图片无法识读", "image could not be read"},
	"CCC_MARK_MISSING":                   {"缺少CCC认证标志", "CCC mark missing"},
	"CCC_NUMBER_MISSING":                 {"缺少CCC证书编号", "CCC certificate number missing"},
	"CCC_NUMBER_INVALID":                 {"CCC证书编号无效", "CCC certificate number invalid"},
	"CCC_CERT_NOT_FOUND":                 {"证书库中查无此证书", "certificate not in the registry"},
	"CCC_CERT_NOT_VALID":                 {"CCC证书不在有效状态", "certificate not valid"},
	"CCC_CERT_MANUFACTURER_MISMATCH":     {"证书生产者与标签不符", "certificate's manufacturer differs"},
	"CCC_CERT_MODEL_MISMATCH":            {"标签型号不在证书范围内", "model not covered by the certificate"},
	"LISTING_MISMATCH":                   {"标签与商品页面不一致", "label and listing differ"},
	"LISTING_MISSING":                    {"商品页面缺少标签所示信息", "listing lacks what the label shows"},
	"GAS_NO_FLAME_FAILURE_DEVICE":        {"燃气灶无熄火保护装置", "gas stove without flame-failure device"},
	"GAS_FLUE_TYPE_WATER_HEATER":         {"烟道式燃气热水器", "flue-type gas water heater"},
	"GAS_DIRECT_EXHAUST_WATER_HEATER":    {"直排式燃气热水器", "direct-exhaust gas water heater"},
	"EBIKE_SPEED_OVER_LIMIT":             {"最高车速超标", "top speed over the limit"},
	"EBIKE_MASS_OVER_LIMIT":              {"整车质量超标", "vehicle mass over the limit"},
	"EBIKE_VOLTAGE_OVER_LIMIT":           {"蓄电池标称电压超标", "battery voltage over the limit"},
	"EBIKE_POWER_OVER_LIMIT":             {"电动机功率超标", "motor power over the limit"},
	"EBIKE_NOT_COMPLETE_VEHICLE":         {"不含电池或充电器销售", "sold without battery or charger"},
	"EBIKE_BATTERY_TYPE_MISMATCH":        {"蓄电池类型不一致", "battery type differs"},
	"EBIKE_MODIFICATION":                 {"提供改装或解码", "modification offered"},
	"TOY_NO_AGE_GRADING":                 {"玩具无适用年龄", "toy without age grading"},
	"TOY_NO_WARNING":                     {"玩具无警示说明", "toy without warning"},
	"TOY_AGE_CONFLICT":                   {"适用年龄与商品页面冲突", "age grading conflicts with the listing"},
}

// verdictZH, severityZH and statusZH are the Chinese words the HTML report
// shows beside the English ones.
var (
	verdictZH = map[inspection.Verdict]string{inspection.Fail: "不合格", inspection.Review: "待复核",
		inspection.Pass: "通过", inspection.Error: "出错"}
	severityZH = map[inspection.Severity]string{inspection.High: "高", inspection.Medium: "中",
		inspection.Low: "低", inspection.Info: "提示"}
	statusZH = map[inspection.FieldStatus]string{inspection.StatusMatch: "一致", inspection.StatusMismatch: "不一致",
		inspection.StatusLabelOnly: "仅标签", inspection.StatusListingOnly: "仅页面", inspection.StatusUnread: "未读出"}
)

// MessageZH is a finding said in Chinese: its code's title, the field by
// its Chinese name (the first key of models/fields.json), and the two
// values it compares (标签「JZT-2E01B」，页面「JZT-2E02B」). The English
// message says more (limits, registry lines); this is what an inspector
// who reads Chinese sees at a glance.
func MessageZH(f inspection.Finding) string {
	msg := Titles[f.Code].ZH
	if msg == "" {
		msg = f.Code
	}
	if name := fieldZH(f.Field); name != "" {
		msg += "（" + name + "）"
	}
	switch {
	case f.LabelValue != "" && f.ListingValue != "":
		msg += "：标签「" + f.LabelValue + "」，页面「" + f.ListingValue + "」"
	case f.LabelValue != "":
		msg += "：标签「" + f.LabelValue + "」"
	case f.ListingValue != "":
		msg += "：页面「" + f.ListingValue + "」"
	}
	return msg
}

// fieldZH is a field's Chinese name, or "" for none.
func fieldZH(field string) string {
	if field == "" {
		return ""
	}
	fields, err := models.Fields()
	if err != nil {
		return ""
	}
	for _, f := range fields {
		if f.Field == field && len(f.Keys) > 0 {
			return f.Keys[0]
		}
	}
	return ""
}
