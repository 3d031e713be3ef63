package labelgen

import (
	"image"
	"image/color"
	"math/rand/v2"
	"strings"

	"rsc.io/qr"
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
	EnergyGrade    string `json:"energy_grade,omitempty"`
	FlameFailure   string `json:"flame_failure_device,omitempty"`
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

// kv is one printed line: the key as printed, the value, and the canonical
// field it shows (CONTRACT.md section 3).
type kv struct{ key, value, field string }

// rows are the key-value pairs a nameplate or certificate prints, in print order.
func (l Label) rows() []kv {
	return present([]kv{
		{"型号", l.Model, "model"}, {"燃气类别", l.GasType, "gas_type"}, {"额定热负荷", l.HeatInput, "heat_input_kw"},
		{"熄火保护", l.FlameFailure, "flame_failure_device"}, {"排气方式", l.ExhaustType, "exhaust_type"},
		{"最高车速", l.MaxSpeed, "max_speed_kmh"}, {"整车质量", l.Mass, "vehicle_mass_kg"},
		{"蓄电池标称电压", l.Voltage, "battery_voltage_v"}, {"电池类型", l.BatteryType, "battery_type"},
		{"额定功率", l.MotorPower, "motor_power_w"}, {"执行标准", l.Standard, "standard"},
		{"3C证书编号", l.CCCNumber, "ccc_number"}, {"生产日期", l.ProductionDate, "production_date"},
		{"制造商", l.Manufacturer, "manufacturer"}, {"地址", l.Address, "address"},
	})
}

func present(all []kv) []kv {
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
	Nameplate       Layout = "nameplate"       // bordered key-value table, the product name above
	NameplateTwoCol Layout = "nameplate_2col"  // two key: value pairs per row, no table rules
	Certificate     Layout = "certificate"     // 合格证 card
	Panel           Layout = "panel"           // free-text packaging panel
	CCCMark         Layout = "ccc_mark"        // CCC logo, the certificate number below
	CCCMarkBeside   Layout = "ccc_mark_beside" // CCC logo, the certificate number beside it
	EnergyLabel     Layout = "energy_label"    // China Energy Label with grade bars and a QR code
	Photo           Layout = "photo"           // product photo without text
)

// Style varies how a label is drawn.
type Style struct {
	// Dark draws light text on a dark plate.
	Dark bool `json:"dark,omitempty"`
	// Metal draws on brushed metal.
	Metal bool `json:"metal,omitempty"`
	// Scale multiplies the text size (1 when zero).
	Scale float64 `json:"scale,omitempty"`
}

func (s Style) scale() float64 {
	if s.Scale == 0 {
		return 1
	}
	return s.Scale
}

// printed is what an image of the layout shows as fields: the oracle reads
// it, the renderer draws it, so the two cannot disagree.
func printed(layout Layout, l Label) []kv {
	switch layout {
	case Nameplate, NameplateTwoCol:
		return l.rows()
	case Certificate:
		rows := append([]kv{{"产品名称", l.ProductName, "product_name"}}, l.rows()...)
		return present(append(rows, kv{"检验员", l.Inspector, "inspector"}))
	case Panel:
		rows := present([]kv{{"品名", l.ProductName, "product_name"}, {"品牌", l.Brand, "brand"}, {"型号", l.Model, "model"},
			{"适用年龄", l.Age, "age_range"}, {"执行标准", l.Standard, "standard"}, {"3C证书编号", l.CCCNumber, "ccc_number"},
			{"生产日期", l.ProductionDate, "production_date"}, {"制造商", l.Manufacturer, "manufacturer"}, {"地址", l.Address, "address"}})
		if l.Warning != "" {
			rows = append(rows, kv{"", l.Warning, "warning"})
		}
		return rows
	case CCCMark, CCCMarkBeside:
		return present([]kv{{"证书编号", l.CCCNumber, "ccc_number"}})
	case EnergyLabel:
		return present([]kv{{"生产者名称", l.Manufacturer, "manufacturer"}, {"规格型号", l.Model, "model"},
			{"能效等级", l.EnergyGrade, "energy_grade"}})
	}
	return nil
}

// render draws a layout of l in the given font and style.
func render(layout Layout, l Label, fontName string, st Style, rng *rand.Rand) (*image.RGBA, error) {
	switch layout {
	case Nameplate:
		return renderNameplate(l, fontName, st)
	case NameplateTwoCol:
		return renderTwoColumn(l, fontName, st)
	case Certificate:
		return renderCertificate(l, fontName, st)
	case Panel:
		return renderPanel(l, fontName, st)
	case CCCMark, CCCMarkBeside:
		return renderCCC(l, fontName, layout == CCCMarkBeside, st.scale())
	case EnergyLabel:
		return renderEnergyLabel(l, fontName)
	default:
		return renderPhoto(rng), nil
	}
}

const labelWidth = 1200

// plate is the background a nameplate is printed on, and its ink.
func plate(w, h int, st Style, light color.RGBA) (*canvas, color.RGBA) {
	switch {
	case st.Dark:
		c := newCanvas(w, h, color.RGBA{38, 42, 48, 255})
		if st.Metal {
			c.brush(0.5)
		}
		return c, color.RGBA{232, 232, 226, 255}
	case st.Metal:
		c := newCanvas(w, h, color.RGBA{196, 198, 200, 255})
		c.brush(1)
		return c, ink
	}
	return newCanvas(w, h, light), ink
}

func renderNameplate(l Label, fontName string, st Style) (*image.RGBA, error) {
	k := st.scale()
	size, rowH, keyW, margin := 30*k, int(58*k), int(300*k), 50
	rows := printed(Nameplate, l)
	w := max(labelWidth, int(float64(labelWidth)*k))
	h := margin*2 + int(90*k) + rowH*len(rows)
	c, fg := plate(w, h, st, color.RGBA{232, 234, 236, 255})
	c.strokeRect(image.Rect(8, 8, w-8, h-8), 4, fg)
	if _, err := c.text(margin, margin-10, l.ProductName, fontName, 46*k, fg); err != nil {
		return nil, err
	}
	top := margin + int(80*k)
	table := image.Rect(margin, top, w-margin, top+rowH*len(rows))
	c.strokeRect(table, 3, fg)
	c.fillRect(image.Rect(margin+keyW, top, margin+keyW+2, table.Max.Y), fg)
	for i, r := range rows {
		y := top + i*rowH
		if i > 0 {
			c.fillRect(image.Rect(margin, y, w-margin, y+2), fg)
		}
		ty := y + (rowH-int(size*1.3))/2
		if _, err := c.text(margin+18, ty, r.key, fontName, size, fg); err != nil {
			return nil, err
		}
		if _, err := c.text(margin+keyW+22, ty, r.value, fontName, size, fg); err != nil {
			return nil, err
		}
	}
	return c.img, nil
}

// renderTwoColumn prints two "key：value" pairs per row, as compact rating
// plates do; long values take a row of their own.
func renderTwoColumn(l Label, fontName string, st Style) (*image.RGBA, error) {
	k := st.scale()
	size, lineH, margin := 28*k, int(50*k), 50
	w := max(1400, int(1400*k))
	var lines [][]kv
	for _, r := range printed(NameplateTwoCol, l) {
		long := len([]rune(r.value)) > 12
		if n := len(lines); n > 0 && len(lines[n-1]) == 1 && !long && len([]rune(lines[n-1][0].value)) <= 12 {
			lines[n-1] = append(lines[n-1], r)
			continue
		}
		lines = append(lines, []kv{r})
	}
	h := margin*2 + int(80*k) + lineH*len(lines)
	c, fg := plate(w, h, st, color.RGBA{240, 240, 236, 255})
	c.strokeRect(image.Rect(6, 6, w-6, h-6), 3, fg)
	if _, err := c.text(margin, margin-12, l.ProductName, fontName, 40*k, fg); err != nil {
		return nil, err
	}
	for i, pair := range lines {
		y := margin + int(70*k) + i*lineH
		for j, r := range pair {
			if _, err := c.text(margin+j*w/2, y, r.key+"："+r.value, fontName, size, fg); err != nil {
				return nil, err
			}
		}
	}
	return c.img, nil
}

func renderCertificate(l Label, fontName string, st Style) (*image.RGBA, error) {
	k := st.scale()
	size, lineH, margin := 30*k, int(54*k), 60
	var lines []string
	for _, r := range printed(Certificate, l) {
		lines = append(lines, r.key+"："+r.value)
	}
	w := max(labelWidth, int(float64(labelWidth)*k))
	h := margin*2 + int(110*k) + lineH*len(lines) + 40
	c := newCanvas(w, h, paper)
	c.strokeRect(image.Rect(14, 14, w-14, h-14), 3, stampRed)
	title := "产品合格证"
	tw, err := measure(title, fontName, 54*k)
	if err != nil {
		return nil, err
	}
	if _, err := c.text((w-tw)/2, margin-10, title, fontName, 54*k, ink); err != nil {
		return nil, err
	}
	for i, s := range lines {
		if _, err := c.text(margin+20, margin+int(110*k)+i*lineH, s, fontName, size, ink); err != nil {
			return nil, err
		}
	}
	// A red 检验合格 stamp in the lower right, as factories print it.
	cx, cy := float64(w-200), float64(h-120)
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

func renderPanel(l Label, fontName string, st Style) (*image.RGBA, error) {
	k := st.scale()
	size, lineH, margin := 30*k, int(52*k), 56
	var lines []string
	for _, r := range printed(Panel, l) {
		if r.key == "" {
			lines = append(lines, wrap(r.value, 30)...)
			continue
		}
		lines = append(lines, r.key+"："+r.value)
	}
	w := max(labelWidth, int(float64(labelWidth)*k))
	h := margin*2 + lineH*len(lines)
	c, fg := plate(w, h, st, color.RGBA{255, 244, 214, 255})
	c.fillRect(image.Rect(0, 0, w, 18), color.RGBA{230, 120, 40, 255})
	for i, s := range lines {
		if _, err := c.text(margin, margin+i*lineH, s, fontName, size, fg); err != nil {
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

// renderCCC draws the CCC logo k times its base size, the certificate
// number below it or beside it; the number keeps a readable size.
func renderCCC(l Label, fontName string, beside bool, k float64) (*image.RGBA, error) {
	rx, ry := 260*k, 170*k
	w, h := max(900, int(2*rx)+200), int(2*ry)+280
	cx, cy := float64(w/2), ry+60
	if beside {
		w, h = int(2*rx)+900, max(460, int(2*ry)+120)
		cx, cy = rx+60, float64(h/2)
	}
	c := newCanvas(w, h, color.RGBA{255, 255, 255, 255})
	c.ellipse(cx, cy, rx, ry, 26*k, ink)
	size := 190 * k
	cw, err := measure("CCC", "noto-sans-bold", size)
	if err != nil {
		return nil, err
	}
	if _, err := c.text(int(cx)-cw/2, int(cy-135*k), "CCC", "noto-sans-bold", size, ink); err != nil {
		return nil, err
	}
	if l.CCCNumber != "" {
		s := "证书编号：" + l.CCCNumber
		sw, err := measure(s, fontName, 36)
		if err != nil {
			return nil, err
		}
		x, y := (w-sw)/2, int(2*ry)+120
		if beside {
			x, y = int(2*rx)+140, h/2-26
		}
		if _, err := c.text(x, y, s, fontName, 36, ink); err != nil {
			return nil, err
		}
	}
	return c.img, nil
}

// gradeColours are the bar colours of the China Energy Label, grade 1 to 5.
var gradeColours = []color.RGBA{{0, 150, 64, 255}, {140, 198, 63, 255}, {255, 222, 0, 255}, {247, 148, 29, 255}, {237, 28, 36, 255}}

func renderEnergyLabel(l Label, fontName string) (*image.RGBA, error) {
	const w, h, margin = 900, 1300, 50
	c := newCanvas(w, h, color.RGBA{255, 255, 255, 255})
	c.fillRect(image.Rect(0, 0, w, 150), color.RGBA{0, 92, 169, 255})
	if _, err := c.text(margin, 40, "中国能效标识", fontName, 60, color.RGBA{255, 255, 255, 255}); err != nil {
		return nil, err
	}
	y := 190
	for _, r := range printed(EnergyLabel, l) {
		if r.field == "energy_grade" {
			continue
		}
		if _, err := c.text(margin, y, r.key+"："+r.value, fontName, 30, ink); err != nil {
			return nil, err
		}
		y += 56
	}
	grade := 0
	if g := strings.TrimSuffix(l.EnergyGrade, "级"); len(g) == 1 && g[0] >= '1' && g[0] <= '5' {
		grade = int(g[0] - '0')
	}
	y += 20
	for i, col := range gradeColours {
		bw := 260 + i*90
		c.fillRect(image.Rect(margin, y, margin+bw, y+70), col)
		if _, err := c.text(margin+16, y+12, string(rune('1'+i)), "noto-sans-bold", 40, color.RGBA{255, 255, 255, 255}); err != nil {
			return nil, err
		}
		if i+1 == grade {
			c.fillRect(image.Rect(w-250, y, w-margin, y+70), ink)
			if _, err := c.text(w-230, y+10, l.EnergyGrade, fontName, 44, color.RGBA{255, 255, 255, 255}); err != nil {
				return nil, err
			}
		}
		y += 90
	}
	code, err := qr.Encode("https://www.energylabel.com.cn/label?model="+l.Model, qr.M)
	if err != nil {
		return nil, err
	}
	const cell = 8
	qx, qy := margin, y+30
	for yy := range code.Size {
		for xx := range code.Size {
			if code.Black(xx, yy) {
				c.fillRect(image.Rect(qx+xx*cell, qy+yy*cell, qx+(xx+1)*cell, qy+(yy+1)*cell), ink)
			}
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
