// Package bench scores labelcheck's reports against generated truth and
// renders the scoreboard: finding precision, recall and F1 (a finding counts
// when code and field match), verdict accuracy, the false-fail rate on
// consistent cases, per-field exact match, and speed — beside the plain
// tesseract CLI's field recall and speed on the same images.
package bench

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/internal/labelgen"
	"github.com/labelcheck/labelcheck/rules"
)

// Counts are true positives, false positives and false negatives.
type Counts struct {
	TP int `json:"tp"`
	FP int `json:"fp"`
	FN int `json:"fn"`
}

// Precision is TP/(TP+FP), 1 when nothing was reported.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), 1 when nothing was to be found.
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (c *Counts) add(o Counts) { c.TP += o.TP; c.FP += o.FP; c.FN += o.FN }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Group is the score of a set of cases.
type Group struct {
	Cases          int            `json:"cases"`
	Findings       Counts         `json:"findings"`
	VerdictCorrect int            `json:"verdict_correct"`
	Consistent     int            `json:"consistent_cases"`
	FalseFail      int            `json:"false_fail"`
	FieldTotal     map[string]int `json:"field_total"`
	FieldExact     map[string]int `json:"field_exact"`
}

func newGroup() *Group { return &Group{FieldTotal: map[string]int{}, FieldExact: map[string]int{}} }

// VerdictAccuracy is the share of cases with the truth's verdict.
func (g *Group) VerdictAccuracy() float64 { return ratio(g.VerdictCorrect, g.Cases) }

// FalseFailRate is the share of consistent cases labelcheck failed.
func (g *Group) FalseFailRate() float64 {
	if g.Consistent == 0 {
		return 0
	}
	return float64(g.FalseFail) / float64(g.Consistent)
}

// FieldExactRate is the share of printed values of field read exactly.
func (g *Group) FieldExactRate(field string) float64 {
	return ratio(g.FieldExact[field], g.FieldTotal[field])
}

// Speed is how fast an engine went over a level's images.
type Speed struct {
	Images       int     `json:"images"`
	WallSeconds  float64 `json:"wall_seconds"`
	ImagesPerSec float64 `json:"images_per_second"`
	MedianMs     float64 `json:"median_ms"`
	P95Ms        float64 `json:"p95_ms"`
	PeakRSSMB    float64 `json:"peak_rss_mb"`
}

// NewSpeed summarises per-image times.
func NewSpeed(ms []float64, wall float64, rssMB float64) Speed {
	s := Speed{Images: len(ms), WallSeconds: wall, PeakRSSMB: rssMB}
	if wall > 0 {
		s.ImagesPerSec = float64(len(ms)) / wall
	}
	if len(ms) > 0 {
		sorted := append([]float64(nil), ms...)
		sort.Float64s(sorted)
		s.MedianMs = sorted[len(sorted)/2]
		s.P95Ms = sorted[int(math.Ceil(0.95*float64(len(sorted))))-1]
	}
	return s
}

// Level is the scoreboard of one difficulty level.
type Level struct {
	Level      string             `json:"level"`
	All        *Group             `json:"all"`
	ByCategory map[string]*Group  `json:"by_category"`
	ByCode     map[string]*Counts `json:"by_code"`
	// FieldRecall is the share of printed field values found, normalised,
	// in the text an engine read from the case's images.
	FieldRecall         float64 `json:"field_recall"`
	BaselineFieldRecall float64 `json:"baseline_field_recall"`
	// CCC marks: images showing one (truth) with a mark reported, and
	// product photos with a mark reported.
	MarkImages int    `json:"mark_images"`
	MarksFound int    `json:"marks_found"`
	Photos     int    `json:"photos"`
	PhotoMarks int    `json:"photo_marks"`
	Speed      Speed  `json:"speed"`
	Baseline   *Speed `json:"baseline,omitempty"`
	// StageMs is the mean time per image of each stage of the pipeline
	// (stages_ms of the reports), with "rules" for the rest of each case's
	// time, spread over its images.
	StageMs map[string]float64 `json:"stage_ms"`
	// Misses lists the field values read wrongly most often, with the breaks
	// of the cases they were in.
	Misses []Miss `json:"misses"`
}

// Miss is a printed field value labelcheck did not read exactly.
type Miss struct {
	Case  string `json:"case"`
	Field string `json:"field"`
	Want  string `json:"want"`
	Got   string `json:"got"`
}

// RecallFields are the fields whose printed values count for field recall
// and exact match: what inspectors compare. Free text (warnings) and yes/no
// marks are left out.
var RecallFields = []string{"model", "manufacturer", "address", "standard", "ccc_number", "production_date", "brand",
	"gas_type", "heat_input_kw", "energy_grade", "exhaust_type", "max_speed_kmh", "vehicle_mass_kg", "battery_voltage_v",
	"battery_type", "motor_power_w", "age_range"}

// Case is one scored case: its truth, labelcheck's report and, when the
// baseline ran, the CLI's text of each image.
type Case struct {
	Truth        *labelgen.Truth
	Report       *inspection.Report
	BaselineText string
}

type key struct{ code, field string }

// Score scores one level.
func Score(level string, cs []Case) *Level {
	l := &Level{Level: level, All: newGroup(), ByCategory: map[string]*Group{}, ByCode: map[string]*Counts{}}
	var recall, baseRecall, recallTotal, images int
	stageMs := map[string]int64{}
	for _, c := range cs {
		imagesMs := int64(0)
		for _, im := range c.Report.Images {
			images++
			imagesMs += im.Ms
			for stage, ms := range im.StagesMs {
				stageMs[stage] += ms
			}
		}
		stageMs["rules"] += max(0, c.Report.ElapsedMs-imagesMs)
		cat := string(c.Truth.Category)
		if l.ByCategory[cat] == nil {
			l.ByCategory[cat] = newGroup()
		}
		groups := []*Group{l.All, l.ByCategory[cat]}
		want, got := map[key]bool{}, map[key]bool{}
		for _, f := range c.Truth.Findings {
			want[key{f.Code, f.Field}] = true
		}
		for _, f := range c.Report.Findings {
			got[key{f.Code, f.Field}] = true
		}
		per := map[string]*Counts{}
		count := func(code string) *Counts {
			if per[code] == nil {
				per[code] = &Counts{}
			}
			return per[code]
		}
		for k := range want {
			if got[k] {
				count(k.code).TP++
			} else {
				count(k.code).FN++
			}
		}
		for k := range got {
			if !want[k] {
				count(k.code).FP++
			}
		}
		var caseCounts Counts
		for code, n := range per {
			if l.ByCode[code] == nil {
				l.ByCode[code] = &Counts{}
			}
			l.ByCode[code].add(*n)
			caseCounts.add(*n)
		}
		marked := map[string]bool{}
		for _, m := range c.Report.Marks {
			marked[m.Image] = true
		}
		for _, im := range c.Truth.Marks {
			l.MarkImages++
			if marked[im] {
				l.MarksFound++
			}
		}
		for _, im := range c.Truth.Photos {
			l.Photos++
			if marked[im] {
				l.PhotoMarks++
			}
		}
		text := squash(imagesText(c.Report))
		base := squash(c.BaselineText)
		for _, g := range groups {
			g.Cases++
			g.Findings.add(caseCounts)
			if c.Report.Verdict == c.Truth.Verdict {
				g.VerdictCorrect++
			}
			if len(c.Truth.Findings) == 0 {
				g.Consistent++
				if c.Report.Verdict == inspection.Fail || c.Report.Verdict == inspection.Error {
					g.FalseFail++
				}
			}
		}
		for _, f := range RecallFields {
			v, ok := c.Truth.Printed[f]
			if !ok || v == "" {
				continue
			}
			recallTotal++
			if strings.Contains(text, squash(v)) {
				recall++
			}
			if strings.Contains(base, squash(v)) {
				baseRecall++
			}
			read := ""
			if fr := c.Report.Fields[f]; fr != nil {
				read = fr.Label
			}
			exact := read != "" && rules.Canonical(f, read) == rules.Canonical(f, v)
			for _, g := range groups {
				g.FieldTotal[f]++
				if exact {
					g.FieldExact[f]++
				}
			}
			if !exact {
				l.Misses = append(l.Misses, Miss{Case: c.Truth.Case, Field: f, Want: v, Got: read})
			}
		}
	}
	l.StageMs = map[string]float64{}
	for stage, ms := range stageMs {
		l.StageMs[stage] = float64(ms) / float64(max(1, images))
	}
	l.FieldRecall = ratio(recall, recallTotal)
	l.BaselineFieldRecall = ratio(baseRecall, recallTotal)
	return l
}

func imagesText(r *inspection.Report) string {
	var b strings.Builder
	for _, im := range r.Images {
		b.WriteString(im.Text + "\n")
	}
	return b.String()
}

// squash normalises text for "is this value in there": NFKC, no white space,
// upper case, dash variants unified.
func squash(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r == '—' || r == '–' || r == '－':
			return '-'
		}
		return unicode.ToUpper(r)
	}, s)
}
