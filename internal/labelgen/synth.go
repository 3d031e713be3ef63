package labelgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/labelcheck/labelcheck/inspection"
)

type company struct{ name, brand, address string }

// companies are invented; their characters are everyday ones, as on real labels.
var companies = []company{
	{"佛山市美厨电器有限公司", "美厨", "广东省佛山市顺德区容桂街道华口工业区8号"},
	{"中山市恒热电器有限公司", "恒热", "广东省中山市小榄镇工业大道南28号"},
	{"宁波市华光厨具有限公司", "华光", "浙江省宁波市慈溪市周巷镇环城北路66号"},
	{"天津飞驰车业有限公司", "飞驰", "天津市北辰区宜兴埠工业园12号"},
	{"无锡新日动力科技有限公司", "新日", "江苏省无锡市锡山区东港镇工业园区"},
	{"汕头市乐童玩具有限公司", "乐童", "广东省汕头市澄海区莲下镇工业路6号"},
	{"义乌市小星星玩具厂", "小星星", "浙江省义乌市北苑街道春华路158号"},
	{"永康市金达日用品有限公司", "金达", "浙江省永康市经济开发区金山西路9号"},
	{"上海东方家居用品有限公司", "东方", "上海市嘉定区马陆镇宝安公路2999号"},
}

var sellers = []inspection.Seller{{ID: "S-10001", Name: "美厨官方旗舰店"}, {ID: "S-10002", Name: "家电优选专营店"},
	{ID: "S-10003", Name: "飞驰电动车专营店"}, {ID: "S-10004", Name: "乐童玩具旗舰店"}, {ID: "S-10005", Name: "家居好物店"},
	{ID: "S-10006", Name: "百货折扣店"}}

// product is what a generated case is about, before any rule is broken.
type product struct {
	label   Label
	listing *inspection.Listing
	images  []ImageSpec
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func cccNumber(rng *rand.Rand, code string) string {
	return fmt.Sprintf("%d01%s%06d", 2019+rng.IntN(7), code, rng.IntN(1000000))
}

func date(rng *rand.Rand) string {
	return fmt.Sprintf("%d年%02d月%02d日", 2024+rng.IntN(2), 1+rng.IntN(12), 1+rng.IntN(28))
}

func letter(rng *rand.Rand) string { return string(rune('A' + rng.IntN(6))) }

// base draws a consistent product of the category: labels complete, listing
// in agreement, within every limit.
func base(cat inspection.Category, rng *rand.Rand) product {
	var co company
	var l Label
	attrs := map[string]string{}
	st := func() Style {
		s := Style{Scale: pick(rng, []float64{0.8, 1, 1, 1.2})}
		switch rng.IntN(6) {
		case 0:
			s.Dark = true
		case 1:
			s.Metal = true
		}
		return s
	}
	mark := ImageSpec{Layout: pick(rng, []Layout{CCCMark, CCCMarkBeside}), Format: "jpg",
		Style: Style{Scale: pick(rng, []float64{0.5, 0.75, 1, 1.5})}}
	plateLayout := pick(rng, []Layout{Nameplate, NameplateTwoCol})
	var images []ImageSpec
	switch cat {
	case inspection.GasStove:
		co = pick(rng, companies[:3])
		gas := pick(rng, []string{"12T 天然气", "20Y 液化石油气"})
		prefix := map[bool]string{true: "JZT", false: "JZY"}[strings.HasPrefix(gas, "12T")]
		l = Label{ProductName: pick(rng, []string{"家用燃气灶", "嵌入式燃气灶", "台式燃气灶"}),
			Model:   fmt.Sprintf("%s-%d%s%02d%s", prefix, 2+rng.IntN(2), letter(rng), rng.IntN(100), letter(rng)),
			GasType: gas, HeatInput: fmt.Sprintf("%.1fkW", 3.8+float64(rng.IntN(12))/10), FlameFailure: "有",
			EnergyGrade: fmt.Sprintf("%d级", 1+rng.IntN(3)), Standard: "GB 16410-2020", CCCNumber: cccNumber(rng, "2401")}
		attrs["燃气类别"] = l.GasType
		images = []ImageSpec{{Layout: plateLayout, Format: "jpg", Style: st()}, {Layout: Certificate, Format: "jpg"}, mark}
		if rng.IntN(2) == 0 {
			images = append(images, ImageSpec{Layout: EnergyLabel, Format: "jpg"})
			attrs["能效等级"] = l.EnergyGrade
		}
	case inspection.GasWaterHeater:
		co = pick(rng, companies[:3])
		l = Label{ProductName: "家用燃气快速热水器", Model: fmt.Sprintf("JSQ%d-%d%s%d", 20+rng.IntN(13), pick(rng, []int{10, 12, 13, 16}), letter(rng), 1+rng.IntN(9)),
			GasType: "12T 天然气", HeatInput: fmt.Sprintf("%dkW", 20+rng.IntN(13)), ExhaustType: pick(rng, []string{"强制排气式", "强制给排气式"}),
			EnergyGrade: fmt.Sprintf("%d级", 1+rng.IntN(3)), Standard: "GB 6932-2015", CCCNumber: cccNumber(rng, pick(rng, []string{"2402", "2403"}))}
		images = []ImageSpec{{Layout: plateLayout, Format: "jpg", Style: st()}, {Layout: Certificate, Format: "jpg"}, mark}
		if rng.IntN(2) == 0 {
			images = append(images, ImageSpec{Layout: EnergyLabel, Format: "jpg"})
		}
	case inspection.EBike:
		co = pick(rng, companies[3:5])
		l = Label{ProductName: "电动自行车", Model: fmt.Sprintf("TDT%04d%s", rng.IntN(10000), pick(rng, []string{"Z", "Q", "T"})),
			MaxSpeed: "25km/h", Mass: fmt.Sprintf("%dkg", 40+rng.IntN(16)), Voltage: "48V", BatteryType: pick(rng, []string{"锂离子", "铅酸"}),
			MotorPower: fmt.Sprintf("%dW", pick(rng, []int{240, 300, 350, 400})), Standard: "GB 17761-2018", CCCNumber: cccNumber(rng, "1119")}
		attrs["电池类型"], attrs["最高车速"] = l.BatteryType, l.MaxSpeed
		images = []ImageSpec{{Layout: Certificate, Format: "jpg"}, mark}
		if rng.IntN(2) == 0 {
			images = append(images, ImageSpec{Layout: NameplateTwoCol, Format: "jpg", Style: st()})
		}
	case inspection.Toy:
		co = pick(rng, companies[5:7])
		l = Label{ProductName: pick(rng, []string{"益智拼装积木", "电动遥控汽车", "儿童磁力片", "毛绒玩具熊"}),
			Model: fmt.Sprintf("LT-%04d", rng.IntN(10000)), Age: pick(rng, []string{"3岁以上", "6岁以上", "14岁以上"}),
			Warning: "警告：内含小零件，不适合3岁以下儿童使用。", Standard: "GB 6675.1-2014", CCCNumber: cccNumber(rng, pick(rng, []string{"2202", "2203"}))}
		attrs["适用年龄"] = l.Age
		images = []ImageSpec{{Layout: Panel, Format: "jpg", Style: st()}, mark, {Layout: Certificate, Format: "jpg"}}
	default:
		co = pick(rng, companies[7:])
		l = Label{ProductName: pick(rng, []string{"不锈钢保温杯", "塑料收纳盒", "陶瓷餐具套装", "棉质毛巾"}),
			Model:    fmt.Sprintf("%s-%d%s", pick(rng, []string{"BW", "SN", "TC", "MJ"}), 100+rng.IntN(900), letter(rng)),
			Standard: pick(rng, []string{"GB/T 29606-2013", "GB 4806.9-2023", "QB/T 1230-2018"})}
		images = []ImageSpec{{Layout: pick(rng, []Layout{Panel, Nameplate}), Format: "jpg", Style: st()}, {Layout: Certificate, Format: "jpg"}}
	}
	l.Brand, l.Manufacturer, l.Address = co.brand, co.name, co.address
	l.ProductionDate, l.Inspector = date(rng), fmt.Sprintf("%02d", 1+rng.IntN(20))
	if rng.IntN(3) > 0 {
		images = append(images, ImageSpec{Layout: Photo, Format: "jpg"})
	}
	attrs["品牌"], attrs["型号"], attrs["制造商"] = l.Brand, l.Model, l.Manufacturer
	if l.CCCNumber != "" {
		attrs["3C证书编号"] = l.CCCNumber
	}
	if rng.IntN(2) == 0 {
		attrs["执行标准"] = l.Standard
	}
	seller := pick(rng, sellers)
	listing := &inspection.Listing{ID: fmt.Sprintf("JD-%09d", rng.IntN(1_000_000_000)), Seller: &seller,
		Title: strings.Join([]string{l.Brand, l.ProductName, l.Model}, " "), Attributes: attrs}
	if rng.IntN(10) < 7 {
		listing.Category = string(cat)
	}
	return product{label: l, listing: listing, images: images}
}

// A breaker breaks one rule of a case; it reports false when it does not
// apply to the case as it stands.
type breaker struct {
	name string
	cats []inspection.Category // nil: every category
	do   func(c *CaseSpec, reg Registry, rng *rand.Rand) bool
}

var cccCats = []inspection.Category{inspection.GasStove, inspection.GasWaterHeater, inspection.EBike, inspection.Toy}

func otherCompany(rng *rand.Rand, not string) company {
	for {
		if c := pick(rng, companies); c.name != not {
			return c
		}
	}
}

// tweak changes one digit or letter of a model or number.
func tweak(s string, rng *rand.Rand) string {
	r := []rune(s)
	for range 20 {
		i := rng.IntN(len(r))
		if r[i] >= '0' && r[i] <= '9' {
			r[i] = '0' + (r[i]-'0'+1+rune(rng.IntN(8)))%10
			return string(r)
		}
	}
	return s + "A"
}

func dropImages(c *CaseSpec, layouts ...Layout) bool {
	n := len(c.Images)
	c.Images = slices.DeleteFunc(c.Images, func(im ImageSpec) bool { return slices.Contains(layouts, im.Layout) })
	return len(c.Images) < n
}

func hasLayout(c *CaseSpec, layouts ...Layout) bool {
	return slices.ContainsFunc(c.Images, func(im ImageSpec) bool { return slices.Contains(layouts, im.Layout) })
}

// editRow changes the registry row of the case's certificate number; it
// reports false when there is no such row or edit says the change did not
// take.
func editRow(c *CaseSpec, reg Registry, edit func(*RegistryRow) bool) bool {
	row, ok := reg[c.Label.CCCNumber]
	if !ok || !edit(&row) {
		return false
	}
	reg[c.Label.CCCNumber] = row
	return true
}

var breakers = []breaker{
	{"no_manufacturer", nil, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool { c.Label.Manufacturer = ""; return true }},
	{"no_address", nil, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool { c.Label.Address = ""; return true }},
	{"no_standard", nil, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool { c.Label.Standard = ""; return true }},
	{"no_certificate", nil, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool { return dropImages(c, Certificate) }},
	{"photos_only", nil, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		c.Images = []ImageSpec{{Layout: Photo, Format: "jpg"}}
		if rng.IntN(2) == 0 {
			c.Images = append(c.Images, ImageSpec{Layout: Photo, Format: "jpg"})
		}
		return true
	}},
	{"broken_upload", nil, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		im := pick(rng, c.Images)
		im.Truncate = true
		c.Images = append(c.Images, im)
		return true
	}},
	{"listing_model_differs", nil, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		c.Listing.Attributes["型号"] = tweak(c.Label.Model, rng)
		c.Listing.Title = strings.ReplaceAll(c.Listing.Title, c.Label.Model, c.Listing.Attributes["型号"])
		return true
	}},
	{"listing_manufacturer_differs", nil, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		c.Listing.Attributes["制造商"] = otherCompany(rng, c.Label.Manufacturer).name
		return true
	}},
	{"listing_standard_differs", nil, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		if c.Label.Standard == "" {
			return false
		}
		c.Listing.Attributes["执行标准"] = strings.Replace(c.Label.Standard, "20", "19", 1)
		return c.Listing.Attributes["执行标准"] != c.Label.Standard
	}},
	{"listing_brand_differs", nil, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		if !hasLayout(c, Panel) {
			return false // only the packaging panel prints the brand
		}
		c.Listing.Attributes["品牌"] = otherCompany(rng, c.Label.Manufacturer).brand
		return c.Listing.Attributes["品牌"] != c.Label.Brand
	}},
	{"listing_lacks_model", nil, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		delete(c.Listing.Attributes, "型号")
		c.Listing.Title = strings.TrimSpace(strings.ReplaceAll(c.Listing.Title, c.Label.Model, ""))
		return true
	}},
	{"listing_lacks_manufacturer", nil, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		delete(c.Listing.Attributes, "制造商")
		return true
	}},
	{"no_ccc_mark", cccCats, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		dropImages(c, CCCMark, CCCMarkBeside)
		c.Label.CCCNumber = "" // nor any 3C wording; the listing keeps its number
		return true
	}},
	{"no_ccc_number", cccCats, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Label.CCCNumber = ""
		delete(c.Listing.Attributes, "3C证书编号")
		return true
	}},
	{"ccc_wrong_product_code", []inspection.Category{inspection.GasStove, inspection.GasWaterHeater}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		if len(c.Label.CCCNumber) != 16 {
			return false
		}
		n := c.Label.CCCNumber[:6] + "0901" + c.Label.CCCNumber[10:]
		c.Label.CCCNumber, c.Listing.Attributes["3C证书编号"] = n, n
		return true
	}},
	{"ccc_wrong_length", cccCats, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		if len(c.Label.CCCNumber) != 16 {
			return false
		}
		c.Label.CCCNumber = c.Label.CCCNumber[:15]
		c.Listing.Attributes["3C证书编号"] = c.Label.CCCNumber
		return true
	}},
	{"listing_ccc_differs", cccCats, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		if len(c.Label.CCCNumber) != 16 {
			return false
		}
		c.Listing.Attributes["3C证书编号"] = c.Label.CCCNumber[:10] + fmt.Sprintf("%06d", rng.IntN(1000000))
		return c.Listing.Attributes["3C证书编号"] != c.Label.CCCNumber
	}},
	{"registry_missing", cccCats, func(c *CaseSpec, reg Registry, _ *rand.Rand) bool {
		delete(reg, c.Label.CCCNumber)
		return true
	}},
	{"registry_revoked", cccCats, func(c *CaseSpec, reg Registry, rng *rand.Rand) bool {
		return editRow(c, reg, func(r *RegistryRow) bool {
			r.Status = pick(rng, []string{"revoked", "suspended", "撤销", "注销"})
			return true
		})
	}},
	{"registry_other_manufacturer", cccCats, func(c *CaseSpec, reg Registry, rng *rand.Rand) bool {
		return editRow(c, reg, func(r *RegistryRow) bool {
			r.Manufacturer = otherCompany(rng, c.Label.Manufacturer).name
			return true
		})
	}},
	{"registry_other_model", cccCats, func(c *CaseSpec, reg Registry, rng *rand.Rand) bool {
		return editRow(c, reg, func(r *RegistryRow) bool {
			r.Models = []string{tweak(c.Label.Model, rng), tweak(tweak(c.Label.Model, rng), rng)}
			return !containsModel(r.Models, c.Label.Model)
		})
	}},
	{"no_flame_failure", []inspection.Category{inspection.GasStove}, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		if rng.IntN(2) == 0 {
			c.Label.FlameFailure = "无"
		} else {
			c.Listing.Text = "经济款，不带熄火保护，价格实惠。"
		}
		return true
	}},
	{"listing_gas_type_differs", []inspection.Category{inspection.GasStove}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Listing.Attributes["燃气类别"] = map[bool]string{true: "20Y 液化石油气", false: "12T 天然气"}[strings.HasPrefix(c.Label.GasType, "12T")]
		return true
	}},
	{"listing_heat_input_differs", []inspection.Category{inspection.GasStove, inspection.GasWaterHeater}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		n, _ := firstNumber(c.Label.HeatInput)
		c.Listing.Attributes["额定热负荷"] = fmt.Sprintf("%.1fkW", n+1)
		return true
	}},
	{"listing_energy_grade_differs", []inspection.Category{inspection.GasStove}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		if !hasLayout(c, EnergyLabel) {
			return false
		}
		c.Listing.Attributes["能效等级"] = map[string]string{"1级": "2级", "2级": "1级", "3级": "1级"}[c.Label.EnergyGrade]
		return true
	}},
	{"flue_type", []inspection.Category{inspection.GasWaterHeater}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Label.ExhaustType = "烟道式"
		c.Label.Model = "JSD" + strings.TrimPrefix(c.Label.Model, "JSQ")
		c.Listing.Attributes["型号"] = c.Label.Model
		c.Listing.Title = strings.Join([]string{c.Label.Brand, c.Label.ProductName, c.Label.Model}, " ")
		return true
	}},
	{"direct_exhaust", []inspection.Category{inspection.GasWaterHeater}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Label.ExhaustType = "直排式"
		return true
	}},
	{"speed_over", []inspection.Category{inspection.EBike}, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		c.Label.MaxSpeed = fmt.Sprintf("%dkm/h", 30+rng.IntN(20))
		c.Listing.Attributes["最高车速"] = c.Label.MaxSpeed
		return true
	}},
	{"mass_over", []inspection.Category{inspection.EBike}, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		c.Label.Mass = fmt.Sprintf("%dkg", 66+rng.IntN(20)) // above the 63 kg lead-acid allowance too
		return true
	}},
	{"voltage_over", []inspection.Category{inspection.EBike}, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		c.Label.Voltage = pick(rng, []string{"60V", "72V"})
		return true
	}},
	{"power_over", []inspection.Category{inspection.EBike}, func(c *CaseSpec, _ Registry, rng *rand.Rand) bool {
		c.Label.MotorPower = fmt.Sprintf("%dW", pick(rng, []int{500, 600, 800, 1000}))
		return true
	}},
	{"not_complete", []inspection.Category{inspection.EBike}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Listing.Text = "裸车价，不含电池和充电器，需另购。"
		return true
	}},
	{"battery_mismatch", []inspection.Category{inspection.EBike}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Listing.Attributes["电池类型"] = map[string]string{"锂离子": "铅酸", "铅酸": "锂离子"}[c.Label.BatteryType]
		return true
	}},
	{"modification", []inspection.Category{inspection.EBike}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Listing.Text = "支持解码提速，售后无忧。"
		return true
	}},
	{"listing_speed_differs", []inspection.Category{inspection.EBike}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Listing.Attributes["最高车速"] = "20km/h"
		return true
	}},
	{"no_age", []inspection.Category{inspection.Toy}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Label.Age = ""
		delete(c.Listing.Attributes, "适用年龄")
		return true
	}},
	{"no_warning", []inspection.Category{inspection.Toy}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Label.Warning = ""
		return true
	}},
	{"age_conflict", []inspection.Category{inspection.Toy}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Listing.Title += " 0-3岁宝宝早教"
		return true
	}},
	{"listing_age_differs", []inspection.Category{inspection.Toy}, func(c *CaseSpec, _ Registry, _ *rand.Rand) bool {
		c.Listing.Attributes["适用年龄"] = map[string]string{"3岁以上": "6岁以上", "6岁以上": "14岁以上", "14岁以上": "3岁以上"}[c.Label.Age]
		return true
	}},
}

// Set is a generated benchmark set: its cases and the certificate registry
// that goes with them.
type Set struct {
	Cases    []CaseSpec
	Registry Registry
}

// Synthesize draws n cases from seed: the five categories in turn; every
// other case is consistent, the rest break one or two rules each (breakers
// are dealt in turn per category, so every finding code is covered). The
// truth of each case comes from Expect.
func Synthesize(n int, seed uint64) Set {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	set := Set{Registry: Registry{}}
	next := map[string]int{}
	for i := range n {
		cat := inspection.Categories[i%len(inspection.Categories)]
		p := base(cat, rng)
		c := CaseSpec{Name: fmt.Sprintf("case-%04d-%s", i+1, strings.ReplaceAll(string(cat), "_", "-")), Category: cat,
			Label: p.label, Listing: p.listing, Images: p.images, Font: pick(rng, SetFonts)}
		if c.Label.CCCNumber != "" {
			set.Registry[c.Label.CCCNumber] = RegistryRow{CertificateNo: c.Label.CCCNumber, Status: "valid", Holder: c.Label.Manufacturer,
				Manufacturer: c.Label.Manufacturer, Factory: c.Label.Manufacturer, ProductName: c.Label.ProductName,
				Models: []string{c.Label.Model, tweak(c.Label.Model, rng)}, IssueDate: "2023-05-10", ExpiryDate: "2028-05-09"}
		}
		if i/len(inspection.Categories)%2 == 1 {
			// The first break comes from the category's own rules when it has
			// any, the second from the CCC or the common ones in turn, so that
			// each rule is met about as often as the others.
			own, shared, common := applicable(cat)
			for k, tries := 0, 0; k < 1+rng.IntN(2) && tries < 50; tries++ {
				pool, key := common, "common"
				switch {
				case k == 0 && len(own) > 0:
					pool, key = own, "own"
				case len(shared) > 0 && next[string(cat)+"turn"]%2 == 0:
					pool, key = shared, "shared"
				}
				if k > 0 || len(own) == 0 {
					next[string(cat)+"turn"]++
				}
				key = string(cat) + key
				b := pool[next[key]%len(pool)]
				next[key]++
				if b.do(&c, set.Registry, rng) {
					c.Breaks = append(c.Breaks, b.name)
					k++
				}
			}
		}
		c.Findings = Expect(c, set.Registry)
		set.Cases = append(set.Cases, c)
	}
	return set
}

// applicable splits the breakers that apply to cat into its own, those it
// shares with other categories (the CCC rules) and the common ones.
func applicable(cat inspection.Category) (own, shared, common []breaker) {
	for _, b := range breakers {
		switch {
		case b.cats == nil:
			common = append(common, b)
		case len(b.cats) == 1 && b.cats[0] == cat:
			own = append(own, b)
		case slices.Contains(b.cats, cat):
			shared = append(shared, b)
		}
	}
	return own, shared, common
}
