package inspection

import (
	"encoding/json"
	"fmt"
	"image"
	"maps"
	"slices"
)

// Category is the product category a case is judged under.
type Category string

// The categories of CONTRACT.md 1.2.
const (
	GasStove       Category = "gas_stove"
	GasWaterHeater Category = "gas_water_heater"
	EBike          Category = "ebike"
	Toy            Category = "toy"
	Generic        Category = "generic"
)

// Categories lists every category in a stable order.
var Categories = []Category{GasStove, GasWaterHeater, EBike, Toy, Generic}

// ParseCategory returns the category named s, or an error naming the valid ones.
func ParseCategory(s string) (Category, error) {
	for _, c := range Categories {
		if string(c) == s {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown category %q (want one of gas_stove, gas_water_heater, ebike, toy, generic)", s)
}

// NeedsCCC reports whether products of the category need CCC certification.
func (c Category) NeedsCCC() bool {
	switch c {
	case GasStove, GasWaterHeater, EBike, Toy:
		return true
	}
	return false
}

// Seller is the shop that sells a listing.
type Seller struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// Listing is the product page as the platform shows it (CONTRACT.md 1.2).
type Listing struct {
	ID         string            `json:"id,omitempty"`
	URL        string            `json:"url,omitempty"`
	Seller     *Seller           `json:"seller,omitempty"`
	Category   string            `json:"category,omitempty"`
	Title      string            `json:"title,omitempty"`
	Attributes map[string]string `json:"attributes,omitempty"`
	Text       string            `json:"text,omitempty"`
	Images     []string          `json:"images,omitempty"`
}

// ParseListingJSON reads a listing.json document. Unknown fields are ignored;
// attribute values that are numbers or booleans are kept as their text.
func ParseListingJSON(data []byte) (*Listing, error) {
	var raw struct {
		ID         json.RawMessage            `json:"id"`
		URL        string                     `json:"url"`
		Seller     *Seller                    `json:"seller"`
		Category   string                     `json:"category"`
		Title      string                     `json:"title"`
		Attributes map[string]json.RawMessage `json:"attributes"`
		Text       string                     `json:"text"`
		Images     []string                   `json:"images"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("listing.json: %w", err)
	}
	l := &Listing{URL: raw.URL, Seller: raw.Seller, Category: raw.Category, Title: raw.Title, Text: raw.Text, Images: raw.Images}
	l.ID = scalarText(raw.ID)
	if len(raw.Attributes) > 0 {
		l.Attributes = make(map[string]string, len(raw.Attributes))
		for k, v := range raw.Attributes {
			l.Attributes[k] = scalarText(v)
		}
	}
	return l, nil
}

// scalarText renders a JSON scalar as text: strings unquoted, numbers and
// booleans as written, null and composite values as empty or compact JSON.
func scalarText(v json.RawMessage) string {
	if len(v) == 0 || string(v) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}

// Box is an axis-aligned region [x, y, width, height] in pixels of the image
// as stored, after EXIF orientation.
type Box [4]int

// Rect is the box as a rectangle.
func (b Box) Rect() image.Rectangle { return image.Rect(b[0], b[1], b[0]+b[2], b[1]+b[3]) }

// Line is one line of text read from an image.
type Line struct {
	Text       string  `json:"text"`
	Box        Box     `json:"box"`
	Confidence float64 `json:"confidence"`
	Engine     string  `json:"engine,omitempty"`
	// Upright is the line's box on the straightened page, where the rows of
	// a table are level: layout reasoning (which cell is right of which) uses
	// it. Zero when the page was not straightened; Box is then upright.
	Upright Box `json:"-"`
	// Unsure says the glyphs where the line's value differs from the
	// listing's were all read unsure: the difference is in dispute.
	Unsure bool `json:"-"`
	// Says names the field whose value the line, a value cell with its key
	// out of reach, was found to state (the listing's value, weighed
	// against the line's pixels): Text is then that value alone.
	Says string `json:"-"`
}

// LayoutBox is the box to reason about rows and columns with.
func (l Line) LayoutBox() Box {
	if l.Upright != (Box{}) {
		return l.Upright
	}
	return l.Box
}

// ImageKind says what an image turned out to be.
type ImageKind string

// The image kinds of CONTRACT.md section 2.
const (
	KindLabel      ImageKind = "label"
	KindPhoto      ImageKind = "photo"
	KindUnreadable ImageKind = "unreadable"
)

// ImageResult is what the pipeline made of one image.
type ImageResult struct {
	Name           string    `json:"name"`
	Width          int       `json:"width"`
	Height         int       `json:"height"`
	Kind           ImageKind `json:"kind"`
	Text           string    `json:"text"`
	MeanConfidence float64   `json:"mean_confidence"`
	Ms             int64     `json:"ms"`
	// StagesMs splits Ms by stage: decode, detect (preprocessing, text-line
	// detection, marks, codes) and the time each recogniser spent reading
	// (tesseract, paddle).
	StagesMs map[string]int64 `json:"stages_ms,omitempty"`
	// Reason says why an image is unreadable; empty otherwise.
	Reason string `json:"reason,omitempty"`
	// Lines are the recognised lines; they are kept for the rules and for
	// evidence, and not written into the report.
	Lines []Line `json:"-"`
}

// Evidence points at where a value was read: a region of an image, or the
// listing text.
type Evidence struct {
	Image      string  `json:"image,omitempty"`
	Box        *Box    `json:"box,omitempty"`
	Source     string  `json:"source,omitempty"`
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence,omitempty"`
}

// Severity orders findings; the verdict follows from the highest.
type Severity string

// The severities of CONTRACT.md section 2.
const (
	High   Severity = "high"
	Medium Severity = "medium"
	Low    Severity = "low"
	Info   Severity = "info"
)

// Finding is one problem found in a case.
type Finding struct {
	Code         string     `json:"code"`
	Field        string     `json:"field,omitempty"`
	Severity     Severity   `json:"severity"`
	Message      string     `json:"message"`
	LabelValue   string     `json:"label_value,omitempty"`
	ListingValue string     `json:"listing_value,omitempty"`
	Evidence     []Evidence `json:"evidence"`
}

// FieldStatus compares a field's label value with its listing value.
type FieldStatus string

// The field statuses of CONTRACT.md section 2.
const (
	StatusMatch       FieldStatus = "match"
	StatusMismatch    FieldStatus = "mismatch"
	StatusLabelOnly   FieldStatus = "label_only"
	StatusListingOnly FieldStatus = "listing_only"
	StatusUnread      FieldStatus = "unread"
)

// FieldReport is one canonical field as read from the labels and the listing.
type FieldReport struct {
	Label      string      `json:"label,omitempty"`
	Listing    string      `json:"listing,omitempty"`
	Status     FieldStatus `json:"status"`
	Confidence float64     `json:"confidence,omitempty"`
	Engine     string      `json:"engine,omitempty"`
	Evidence   []Evidence  `json:"evidence,omitempty"`
}

// Mark is a certification mark seen on an image.
type Mark struct {
	Kind  string  `json:"kind"`
	Image string  `json:"image"`
	Box   Box     `json:"box"`
	Score float64 `json:"score"`
}

// Code is a machine-readable code (QR, barcode) decoded from an image.
type Code struct {
	Kind  string `json:"kind"`
	Image string `json:"image"`
	Data  string `json:"data"`
	Box   *Box   `json:"box,omitempty"`
}

// RegistryResult says whether and how the certificate registry was consulted.
type RegistryResult struct {
	Checked       bool   `json:"checked"`
	CertificateNo string `json:"certificate_no,omitempty"`
	Status        string `json:"status,omitempty"`
	Reason        string `json:"reason,omitempty"`
}

// Verdict is the outcome of a case.
type Verdict string

// The verdicts of CONTRACT.md section 2.
const (
	Fail   Verdict = "fail"
	Review Verdict = "review"
	Pass   Verdict = "pass"
	Error  Verdict = "error"
)

// Rank orders verdicts by how bad they are, for --fail-on.
func (v Verdict) Rank() int {
	switch v {
	case Fail, Error:
		return 2
	case Review:
		return 1
	}
	return 0
}

// VerdictOf is the verdict rule: fail on any high finding, review on any
// medium one, pass otherwise.
func VerdictOf(findings []Finding) Verdict {
	v := Pass
	for _, f := range findings {
		switch f.Severity {
		case High:
			return Fail
		case Medium:
			v = Review
		}
	}
	return v
}

// Report is the result of inspecting one case (CONTRACT.md section 2).
type Report struct {
	Case           string                  `json:"case"`
	ListingID      string                  `json:"listing_id,omitempty"`
	Seller         *Seller                 `json:"seller,omitempty"`
	Category       Category                `json:"category"`
	CategorySource string                  `json:"category_source"`
	Verdict        Verdict                 `json:"verdict"`
	Error          string                  `json:"error,omitempty"`
	Findings       []Finding               `json:"findings"`
	Fields         map[string]*FieldReport `json:"fields"`
	Marks          []Mark                  `json:"marks"`
	Codes          []Code                  `json:"codes"`
	Images         []ImageResult           `json:"images"`
	Registry       RegistryResult          `json:"registry"`
	Notes          []string                `json:"notes,omitempty"`
	ElapsedMs      int64                   `json:"elapsed_ms"`
}

// The kinds of Drawn boxes.
const (
	DrawnField   = "field"
	DrawnFinding = "finding"
	DrawnMark    = "mark"
	DrawnCode    = "code"
)

// Drawn is a box a report's evidence puts on one of its images, with the
// tag it is shown with: the field, the finding's code (and field), the
// mark and its score, or the code's kind.
type Drawn struct {
	Box       Box
	Kind, Tag string
}

// Drawn is what r puts on its image named image: each field's evidence
// (fields in name order), each finding's, the CCC marks and the QR codes.
// The annotated images and the HTML report draw these.
func (r *Report) Drawn(image string) []Drawn {
	var out []Drawn
	for _, name := range slices.Sorted(maps.Keys(r.Fields)) {
		for _, e := range r.Fields[name].Evidence {
			if e.Image == image && e.Box != nil {
				out = append(out, Drawn{*e.Box, DrawnField, name})
			}
		}
	}
	for _, f := range r.Findings {
		tag := f.Code
		if f.Field != "" {
			tag += "(" + f.Field + ")"
		}
		for _, e := range f.Evidence {
			if e.Image == image && e.Box != nil {
				out = append(out, Drawn{*e.Box, DrawnFinding, tag})
			}
		}
	}
	for _, m := range r.Marks {
		if m.Image == image {
			out = append(out, Drawn{m.Box, DrawnMark, fmt.Sprintf("%s %.2f", m.Kind, m.Score)})
		}
	}
	for _, c := range r.Codes {
		if c.Image == image && c.Box != nil {
			out = append(out, Drawn{*c.Box, DrawnCode, c.Kind})
		}
	}
	return out
}
