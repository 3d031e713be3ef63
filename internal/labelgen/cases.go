package labelgen

import "github.com/labelcheck/labelcheck/inspection"

// ImageSpec is one picture of a case.
type ImageSpec struct {
	Layout Layout
	Style  Style
	// Format is "jpg" or "png".
	Format string
	// Truncate, when set, cuts the encoded file to half its length: a broken
	// upload the pipeline must survive.
	Truncate bool
}

// TruthFinding is a finding a case must raise: code and, for field-bearing
// codes, the field.
type TruthFinding struct {
	Code  string `json:"code"`
	Field string `json:"field,omitempty"`
}

// CaseSpec describes one generated case completely: what its labels say,
// what its listing says and which findings follow from the two.
type CaseSpec struct {
	Name     string
	Category inspection.Category
	Label    Label
	// Listing is nil for a case of photos only.
	Listing  *inspection.Listing
	Images   []ImageSpec
	Findings []TruthFinding
	// Breaks names the rules a generated case was made to break.
	Breaks []string
	// Font is the body font; empty draws one from the example fonts.
	Font string
}

const (
	meichu        = "佛山市美厨电器有限公司"
	meichuAddress = "广东省佛山市顺德区容桂街道华口工业区8号"
)

func stoveLabel() Label {
	return Label{ProductName: "家用燃气灶", Brand: "美厨", Model: "JZT-2E01B", Manufacturer: meichu, Address: meichuAddress,
		Standard: "GB 16410-2020", CCCNumber: "2021012401123456", ProductionDate: "2025年03月12日",
		GasType: "12T 天然气", HeatInput: "4.2kW", Inspector: "07"}
}

func stoveListing(model, ccc string) *inspection.Listing {
	return &inspection.Listing{ID: "JD-100012345", Seller: &inspection.Seller{ID: "S-88231", Name: "美厨官方旗舰店"},
		Category: "gas_stove", Title: "美厨 家用燃气灶 " + model + " 天然气 双灶 熄火保护",
		Attributes: map[string]string{"品牌": "美厨", "型号": model, "3C证书编号": ccc, "生产厂家": meichu, "执行标准": "GB 16410-2020"},
		Text:       "双灶台式燃气灶，熄火保护，适用天然气。"}
}

var stoveImages = []ImageSpec{{Layout: Nameplate, Format: "jpg"}, {Layout: Certificate, Format: "jpg"},
	{Layout: CCCMark, Format: "jpg"}, {Layout: Photo, Format: "jpg"}}

// Examples are the cases of the bundled example batch: each of the first
// slice's rules is raised by at least one case and a clean case raises none.
func Examples() []CaseSpec {
	mismatch := stoveLabel()

	noMaker := Label{ProductName: "不锈钢保温杯", Model: "BW-500A", Standard: "GB/T 29606-2013",
		ProductionDate: "2025年01月08日", Inspector: "03"}

	ebike := Label{ProductName: "电动自行车", Brand: "飞驰", Model: "TDT-1203Z", MaxSpeed: "32km/h", Mass: "52kg",
		Voltage: "48V", BatteryType: "锂离子", MotorPower: "350W", Standard: "GB 17761-2018",
		CCCNumber: "2023011119012345", ProductionDate: "2025年05月20日", Manufacturer: "天津飞驰车业有限公司",
		Address: "天津市北辰区宜兴埠工业园12号", Inspector: "12"}

	toyNoAge := Label{ProductName: "益智拼装积木", Brand: "乐童", Model: "LT-3306", Standard: "GB 6675.1-2014",
		CCCNumber: "2022012202345678", Manufacturer: "汕头市乐童玩具有限公司", Address: "广东省汕头市澄海区莲下镇工业路6号",
		Warning: "注意：内含小零件，请在成人监护下使用。", Inspector: "05"}

	toyBare := Label{ProductName: "电动遥控汽车", Brand: "乐童", Model: "LT-8801", Age: "6岁以上",
		Manufacturer: "汕头市乐童玩具有限公司", Address: "广东省汕头市澄海区莲下镇工业路6号",
		Warning: "警告：不适合3岁以下儿童使用，内含小零件。"}

	heater := Label{ProductName: "家用燃气快速热水器", Model: "JSQ25-13A1", Manufacturer: "中山市恒热电器有限公司",
		Address: "广东省中山市小榄镇工业大道南28号", Standard: "GB 6932-2015", CCCNumber: "2022010901234567",
		ProductionDate: "2025年02月16日", GasType: "12T 天然气", ExhaustType: "强制排气式", Inspector: "09"}

	return []CaseSpec{
		{Name: "case-01-gas-stove-clean", Category: inspection.GasStove, Label: stoveLabel(),
			Listing: stoveListing("JZT-2E01B", "2021012401123456"), Images: stoveImages},
		{Name: "case-02-gas-stove-listing-mismatch", Category: inspection.GasStove, Label: mismatch,
			Listing: stoveListing("JZT-2E02B", "2021012401123457"), Images: stoveImages,
			Findings: []TruthFinding{{"LISTING_MISMATCH", "model"}, {"LISTING_MISMATCH", "ccc_number"}}},
		{Name: "case-03-no-manufacturer-no-address", Category: inspection.Generic, Label: noMaker,
			Listing: &inspection.Listing{ID: "TB-66120031", Seller: &inspection.Seller{ID: "S-10442", Name: "家居好物店"},
				Title: "不锈钢保温杯 BW-500A 500ml 大容量", Attributes: map[string]string{"型号": "BW-500A", "容量": "500ml"}},
			Images:   []ImageSpec{{Layout: Panel, Format: "jpg"}, {Layout: Certificate, Format: "jpg"}},
			Findings: []TruthFinding{{"LABEL_NO_MANUFACTURER", ""}, {"LABEL_NO_ADDRESS", ""}}},
		{Name: "case-04-ebike-over-speed", Category: inspection.EBike, Label: ebike,
			Listing: &inspection.Listing{ID: "PDD-8812034", Seller: &inspection.Seller{ID: "S-77100", Name: "飞驰电动车专营店"},
				Category: "ebike", Title: "飞驰 新国标电动自行车 TDT-1203Z 48V锂电",
				Attributes: map[string]string{"型号": "TDT-1203Z", "3C证书编号": "2023011119012345", "制造商": "天津飞驰车业有限公司"}},
			Images:   []ImageSpec{{Layout: Certificate, Format: "jpg"}, {Layout: CCCMark, Format: "jpg"}, {Layout: Photo, Format: "jpg"}},
			Findings: []TruthFinding{{"EBIKE_SPEED_OVER_LIMIT", "max_speed_kmh"}}},
		{Name: "case-05-toy-no-age-grading", Category: inspection.Toy, Label: toyNoAge,
			Listing: &inspection.Listing{ID: "JD-200044211", Seller: &inspection.Seller{ID: "S-30018", Name: "乐童玩具旗舰店"},
				Category: "toy", Title: "乐童 益智拼装积木 LT-3306 儿童玩具",
				Attributes: map[string]string{"型号": "LT-3306", "3C证书编号": "2022012202345678", "制造商": "汕头市乐童玩具有限公司"}},
			Images:   []ImageSpec{{Layout: Panel, Format: "jpg"}, {Layout: CCCMark, Format: "png"}, {Layout: Certificate, Format: "jpg"}},
			Findings: []TruthFinding{{"TOY_NO_AGE_GRADING", ""}}},
		{Name: "case-06-photos-only", Category: inspection.Generic,
			Images:   []ImageSpec{{Layout: Photo, Format: "jpg"}, {Layout: Photo, Format: "jpg"}},
			Findings: []TruthFinding{{"NO_LABEL_IMAGES", ""}}},
		{Name: "case-07-water-heater-invalid-ccc", Category: inspection.GasWaterHeater, Label: heater,
			Listing: &inspection.Listing{ID: "JD-300077812", Seller: &inspection.Seller{ID: "S-55021", Name: "恒热热水器专卖店"},
				Title:      "恒热 燃气热水器 JSQ25-13A1 13升 强排式 天然气",
				Attributes: map[string]string{"型号": "JSQ25-13A1", "3C证书编号": "2022010901234567", "制造商": "中山市恒热电器有限公司"}},
			Images:   []ImageSpec{{Layout: Nameplate, Format: "jpg"}, {Layout: Certificate, Format: "jpg"}, {Layout: CCCMark, Format: "jpg"}},
			Findings: []TruthFinding{{"CCC_NUMBER_INVALID", "ccc_number"}}},
		{Name: "case-08-toy-bare-label", Category: inspection.Toy, Label: toyBare,
			Listing: &inspection.Listing{ID: "TB-40012877", Seller: &inspection.Seller{ID: "S-30018", Name: "乐童玩具旗舰店"},
				Category: "toy", Title: "乐童 电动遥控汽车 儿童玩具车",
				Attributes: map[string]string{"品牌": "乐童", "制造商": "汕头市乐童玩具有限公司"}},
			Images: []ImageSpec{{Layout: Panel, Format: "jpg"}, {Layout: CCCMark, Format: "jpg"}},
			Findings: []TruthFinding{{"LABEL_NO_STANDARD", ""}, {"LABEL_NO_CERTIFICATE_OF_CONFORMITY", ""},
				{"CCC_NUMBER_MISSING", "ccc_number"}, {"LISTING_MISSING", "model"}}},
		{Name: "case-09-gas-stove-broken-upload", Category: inspection.GasStove, Label: stoveLabel(),
			Listing:  stoveListing("JZT-2E01B", "2021012401123456"),
			Images:   append(append([]ImageSpec{}, stoveImages...), ImageSpec{Layout: Photo, Format: "jpg", Truncate: true}),
			Findings: []TruthFinding{{"IMAGE_UNREADABLE", ""}}},
	}
}
