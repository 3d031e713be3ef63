package labelgen

import (
	"image"
	"image/color"
	"math/rand/v2"
)

// Label holds the values printed on a case's labels; an empty value is not
// printed at all.
type Label struct {
	ProductName    string `json:"product_name,omitempty"`
	Brand          string `json:"brand,omitempty"`
	Model          string `json:"model,omitempty"`
	Manufacturer   string `json:"manufacturer,omitempty"`
	Address        string `json:"address,omitempty"`
	Standard       string `json:"standard,omitempty"`
	CCCNumber      string `json:"ccc_number,omitempty"`
	ProductionDate string `json:"production_date,omitempty"`
	GasType        string `json:"gas_type,omitempty"`
	HeatInput      string `json:"heat_input_kw,omitempty"`
	ExhaustType    string `json:"exhaust_type,omitempty"`
	MaxSpeed       string `json:"max_speed_kmh,omitempty"`
	Mass           string `json:"vehicle_mass_kg,omitempty"`
	Voltage        string `json:"battery_voltage_v,omitempty"`
	BatteryType    string `json:"battery_type,omitempty"`
	MotorPower     string `json:"motor_power_w,omitempty"`
	Age            string `json:"age_range,omitempty"`
	Warning        string `json:"warning,omitempty"`
	// Inspector is the 检验员 code printed on the certificate of conformity.
	Inspector string `json:"inspector,omitempty"`
}

type kv struct{ key, value string }

// rows are the key-value pairs a nameplate or certificate prints, in print order.
func (l Label) rows() []kv {
	all := []kv{
		{"型号", l.Model}, {"燃气类别", l.GasType}, {"额定热负荷", l.HeatInput}, {"排气方式", l.ExhaustType},
		{"最高车速", l.MaxSpeed}, {"整车质量", l.Mass}, {"蓄电池标称电压", l.Voltage}, {"电池类型", l.BatteryType},
		{"额定功率", l.MotorPower}, {"执行标准", l.Standard}, {"3C证书编号", l.CCCNumber},
		{"生产日期", l.ProductionDate}, {"制造商", l.Manufacturer}, {"地址", l.Address},
	}
	var out []kv
	for _, r := range all {
		if r.value != "" {
			out = append(out, r)
		}
	}
	return out
}

var (
	ink      = color.RGBA{20, 20, 24, 255}
	paper    = color.RGBA{250, 249, 244, 255}
	stampRed = color.RGBA{200, 30, 30, 255}
)

// Layout names a kind of label picture.
type Layout string

// The layouts the generator draws.
const (
	Nameplate   Layout = "nameplate"   // bordered key-value table, the product name above
	Certificate Layout = "certificate" // 合格证 card
	Panel       Layout = "panel"       // free-text packaging panel
	CCCMark     Layout = "ccc_mark"    // CCC logo with the certificate number below
	Photo       Layout = "photo"       // product photo without text
)

// render draws a layout of l in the given font.
func render(layout Layout, l Label, fontName string, rng *rand.Rand) (*image.RGBA, error) {
	switch layout {
	case Nameplate:
		return renderNameplate(l, fontName)
	case Certificate:
		return renderCertificate(l, fontName)
	case Panel:
		return renderPanel(l, fontName)
	case CCCMark:
		return renderCCC(l, fontName)
	default:
		return renderPhoto(rng), nil
	}
}

const labelWidth = 1200

func renderNameplate(l Label, fontName string) (*image.RGBA, error) {
	const size, rowH, keyW, margin = 30.0, 58, 300, 50
	rows := l.rows()
	h := margin*2 + 90 + rowH*len(rows)
	c := newCanvas(labelWidth, h, color.RGBA{232, 234, 236, 255})
	c.strokeRect(image.Rect(8, 8, labelWidth-8, h-8), 4, ink)
	if _, err := c.text(margin, margin-10, l.ProductName, fontName, 46, ink); err != nil {
		return nil, err
	}
	top := margin + 80
	table := image.Rect(margin, top, labelWidth-margin, top+rowH*len(rows))
	c.strokeRect(table, 3, ink)
	c.fillRect(image.Rect(margin+keyW, top, margin+keyW+2, table.Max.Y), ink)
	for i, r := range rows {
		y := top + i*rowH
		if i > 0 {
			c.fillRect(image.Rect(margin, y, labelWidth-margin, y+2), ink)
		}
		if _, err := c.text(margin+18, y+(rowH-int(size*1.3))/2, r.key, fontName, size, ink); err != nil {
			return nil, err
		}
		if _, err := c.text(margin+keyW+22, y+(rowH-int(size*1.3))/2, r.value, fontName, size, ink); err != nil {
			return nil, err
		}
	}
	return c.img, nil
}

func renderCertificate(l Label, fontName string) (*image.RGBA, error) {
	const size, lineH, margin = 30.0, 54, 60
	var lines []string
	if l.ProductName != "" {
		lines = append(lines, "产品名称："+l.ProductName)
	}
	for _, r := range l.rows() {
		lines = append(lines, r.key+"："+r.value)
	}
	if l.Inspector != "" {
		lines = append(lines, "检验员："+l.Inspector)
	}
	h := margin*2 + 110 + lineH*len(lines) + 40
	c := newCanvas(labelWidth, h, paper)
	c.strokeRect(image.Rect(14, 14, labelWidth-14, h-14), 3, stampRed)
	title := "产品合格证"
	tw, err := measure(title, fontName, 54)
	if err != nil {
		return nil, err
	}
	if _, err := c.text((labelWidth-tw)/2, margin-10, title, fontName, 54, ink); err != nil {
		return nil, err
	}
	for i, s := range lines {
		if _, err := c.text(margin+20, margin+110+i*lineH, s, fontName, size, ink); err != nil {
			return nil, err
		}
	}
	// A red 检验合格 stamp in the lower right, as factories print it.
	cx, cy := float64(labelWidth-200), float64(h-120)
	c.ellipse(cx, cy, 120, 62, 6, stampRed)
	sw, err := measure("检验合格", fontName, 38)
	if err != nil {
		return nil, err
	}
	if _, err := c.text(int(cx)-sw/2, int(cy)-26, "检验合格", fontName, 38, stampRed); err != nil {
		return nil, err
	}
	return c.img, nil
}

func renderPanel(l Label, fontName string) (*image.RGBA, error) {
	const size, lineH, margin = 30.0, 52, 56
	var lines []string
	for _, r := range []kv{{"品名", l.ProductName}, {"品牌", l.Brand}, {"型号", l.Model}, {"适用年龄", l.Age},
		{"执行标准", l.Standard}, {"3C证书编号", l.CCCNumber}, {"生产日期", l.ProductionDate},
		{"制造商", l.Manufacturer}, {"地址", l.Address}} {
		if r.value != "" {
			lines = append(lines, r.key+"："+r.value)
		}
	}
	if l.Warning != "" {
		lines = append(lines, wrap(l.Warning, 30)...)
	}
	h := margin*2 + lineH*len(lines)
	c := newCanvas(labelWidth, h, color.RGBA{255, 244, 214, 255})
	c.fillRect(image.Rect(0, 0, labelWidth, 18), color.RGBA{230, 120, 40, 255})
	for i, s := range lines {
		if _, err := c.text(margin, margin+i*lineH, s, fontName, size, ink); err != nil {
			return nil, err
		}
	}
	return c.img, nil
}

// wrap breaks s into lines of at most n runes.
func wrap(s string, n int) []string {
	r := []rune(s)
	var out []string
	for len(r) > n {
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	return append(out, string(r))
}

func renderCCC(l Label, fontName string) (*image.RGBA, error) {
	const w, h = 900, 620
	c := newCanvas(w, h, color.RGBA{255, 255, 255, 255})
	cx, cy := float64(w/2), 230.0
	c.ellipse(cx, cy, 260, 170, 26, ink)
	cw, err := measure("CCC", "noto-sans-bold", 190)
	if err != nil {
		return nil, err
	}
	if _, err := c.text(int(cx)-cw/2, int(cy)-135, "CCC", "noto-sans-bold", 190, ink); err != nil {
		return nil, err
	}
	if l.CCCNumber != "" {
		s := "证书编号：" + l.CCCNumber
		sw, err := measure(s, fontName, 36)
		if err != nil {
			return nil, err
		}
		if _, err := c.text((w-sw)/2, 470, s, fontName, 36, ink); err != nil {
			return nil, err
		}
	}
	return c.img, nil
}

// renderPhoto draws a product shot with no text: a backdrop and a few shapes.
func renderPhoto(rng *rand.Rand) *image.RGBA {
	const w, h = 1200, 900
	c := newCanvas(w, h, paper)
	base := uint8(150 + rng.IntN(80))
	c.gradient(color.RGBA{base, base, base + 10, 255}, color.RGBA{base - 60, base - 50, base - 40, 255})
	body := image.Rect(180+rng.IntN(60), 300+rng.IntN(60), 1020-rng.IntN(60), 700+rng.IntN(40))
	c.fillRect(body, color.RGBA{uint8(30 + rng.IntN(60)), uint8(30 + rng.IntN(60)), uint8(40 + rng.IntN(60)), 255})
	for i := range 2 + rng.IntN(2) {
		x := float64(body.Min.X) + float64(body.Dx())*(float64(i)+0.5)/3
		y := float64(body.Min.Y) + float64(body.Dy())*0.45
		r := 70 + float64(rng.IntN(40))
		c.ellipse(x, y, r, r*0.55, 14, color.RGBA{180, 180, 185, 255})
		c.ellipse(x, y, r*0.35, r*0.2, 0, color.RGBA{90, 90, 95, 255})
	}
	return c.img
}
