package rules

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var (
	// Tesseract's chi_sim model separates Chinese characters with spaces.
	spaceBetweenHan  = regexp.MustCompile(`([\p{Han}（）：，、。；])[ \t]+([\p{Han}（）：，、。；(:])`)
	spaceAfterHanKey = regexp.MustCompile(`([\p{Han}])[ \t]+([:])`)
	// Dash variants that OCR and typists put between digits.
	dashBetweenDigits = regexp.MustCompile(`(\d)\s*[—–－一‐‑‒―-]\s*(\d)`)
	// Table borders read as characters.
	tableRules = regexp.MustCompile(`[|¦｜[\]]+`)
	multiSpace = regexp.MustCompile(`[ \t]+`)
)

// NormalizeText is the normalisation every piece of text gets before fields
// are extracted from it: NFKC (full-width to half-width), spaces that OCR puts
// between Chinese characters removed, dash variants between digits unified
// and table borders read as characters dropped.
func NormalizeText(s string) string {
	s = norm.NFKC.String(strings.ToValidUTF8(s, ""))
	s = tableRules.ReplaceAllString(s, " ")
	for range 3 { // overlapping matches need more than one pass
		s = spaceBetweenHan.ReplaceAllString(s, "$1$2")
	}
	s = spaceAfterHanKey.ReplaceAllString(s, "$1$2")
	for range 2 {
		s = dashBetweenDigits.ReplaceAllString(s, "$1-$2")
	}
	s = multiSpace.ReplaceAllString(s, " ")
	return strings.TrimSpace(s)
}

// fixDigitConfusions maps O→0 and I/l→1 inside a token that is otherwise
// numeric (a certificate number, a date), as CONTRACT.md section 3 asks.
func fixDigitConfusions(tok string) string {
	digits, confusable := 0, 0
	for _, r := range tok {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == 'O' || r == 'o' || r == 'I' || r == 'l' || r == '|':
			confusable++
		}
	}
	if digits == 0 || digits+confusable != len([]rune(tok)) {
		return tok
	}
	return strings.NewReplacer("O", "0", "o", "0", "I", "1", "l", "1", "|", "1").Replace(tok)
}

// CanonicalCCC returns the digits of a certificate number as written: spaces
// and dashes inside the digit run removed, O/I/l confusions fixed, and a
// stray mark of up to three characters read before a long run of digits
// dropped ("大 2020012401775365": a speck of the frame read as a glyph).
func CanonicalCCC(s string) string {
	s = NormalizeText(s)
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '.' {
			return -1
		}
		return r
	}, s)
	if i := strings.IndexAny(s, "0123456789"); i > 0 && utf8.RuneCountInString(s[:i]) <= 3 && leadingDigits(s[i:]) >= 10 {
		s = s[i:]
	}
	s = fixDigitConfusions(s)
	// Keep the leading run of digits; trailing words ("有效期至…") are not the number.
	end := leadingDigits(s)
	if end == 0 {
		return s
	}
	return s[:end]
}

// leadingDigits is the length of the run of ASCII digits s starts with.
func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// CanonicalModel is a model number for exact comparison: upper case, no
// spaces, dash variants unified.
func CanonicalModel(s string) string {
	s = NormalizeText(s)
	s = strings.NewReplacer("—", "-", "–", "-", "_", "-", " ", "").Replace(s)
	s = strings.TrimRight(s, ".,;:")
	return strings.ToUpper(s)
}

var standardPattern = regexp.MustCompile(`(?i)(GB(?:/[TZ])?|DB\d{2}(?:/[TZ])?|T/[A-Z0-9]{2,}|Q/[A-Z0-9]{2,}|[A-Z]{2,3}(?:/[TZ])?)\s*[.,]?\s*(\d{1,9}(?:\.\d{1,7})*S?)\s*(?:-\s*((?:19|20)\d{2}|\d{2}))?`)

// CanonicalStandard writes a standard number as `CODE NUMBER-YEAR`
// (`GB/T 13611-2018`), whatever spacing and dash the source used. Text that
// holds no standard number comes back normalised but otherwise unchanged.
func CanonicalStandard(s string) string {
	s = NormalizeText(s)
	s = strings.ReplaceAll(s, "G8", "GB") // a common OCR confusion
	s = misreadGB.ReplaceAllString(s, "${1}GB$2")
	s = slashLost.ReplaceAllString(s, "${1}GB/$2$3")
	m := standardPattern.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	number, year := m[2], m[3]
	if y := yearRunIn.FindStringSubmatch(number); year == "" && y != nil {
		number, year = y[1], y[2] // GB69322015: the dash before the year lost
	}
	out := strings.ToUpper(m[1]) + " " + strings.ToUpper(number)
	if year != "" {
		out += "-" + year
	}
	return out
}

// misreadGB is GB read 6B or G6 at the head of a standard number (6 for G
// or for B; no standards body's code holds a digit), or GR (R for B; no
// body's code is GR). slashLost is GB/T or GB/Z written or read without
// its slash (GBT 29606-2013, as in file names). yearRunIn is a standard's number
// of three to five digits, and a part, run into its year where the dash
// was lost: no standard's number is seven digits or more.
var (
	misreadGB = regexp.MustCompile(`(^|[^A-Za-z0-9])(?:6B|G6|GR)(\s*\d)`)
	slashLost = regexp.MustCompile(`(^|[^A-Za-z0-9])GB\s?([TZ])(\s*\d)`)
	yearRunIn = regexp.MustCompile(`^(\d{3,5}(?:\.\d{1,2})?)((?:19|20)\d{2})$`)
)

// legalSuffixes are stripped from company names so that the core name is
// compared (CONTRACT.md section 3).
var legalSuffixes = []string{"股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "制造厂", "工厂", "厂"}

var bracketed = regexp.MustCompile(`\([^)]*\)`)

// CompanyCore is the core of a company name: legal-form suffixes, bracketed
// parts and 中国 removed, for comparing manufacturer names.
func CompanyCore(s string) string {
	s = NormalizeText(s)
	s = bracketed.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, " ", "")
	s = strings.ReplaceAll(s, "中国", "")
	for changed := true; changed; {
		changed = false
		for _, suf := range legalSuffixes {
			if strings.HasSuffix(s, suf) && len(s) > len(suf) {
				s = strings.TrimSuffix(s, suf)
				changed = true
			}
		}
	}
	return strings.ToUpper(s)
}

// regionHead is the administrative region a Chinese company name starts
// with (行政区划 + 字号 + 行业 + 组织形式): a province, a city, a county or
// district, any of them.
var regionHead = regexp.MustCompile(`^(?:\p{Han}{2,3}(?:省|自治区))?(?:\p{Han}{2,3}市)?(?:\p{Han}{1,3}[县区])?`)

// sameCompany reports whether two company cores name one company: equal,
// or one is the other without its region ("美厨电器" and "佛山市美厨电器":
// names are often written without it). Two regions that differ are two
// companies.
func sameCompany(a, b string) bool {
	if a == b {
		return true
	}
	strip := func(s string) string {
		if rest := regionHead.ReplaceAllString(s, ""); utf8.RuneCountInString(rest) >= 2 {
			return rest
		}
		return s
	}
	return strip(a) == b || strip(b) == a
}

// speedForm is a speed and its unit, if any.
const speedForm = `(\d{1,3}(?:\.\d+)?)\s*(km/h|kmh|公里/小时|公里每小时|千米/小时|码|km)?`

var (
	speedPattern  = regexp.MustCompile(`(?i)` + speedForm)
	speedWhole    = regexp.MustCompile(`(?i)^` + speedForm + `$`)
	quantityWhole = regexp.MustCompile(`^` + quantityForm + `$`)
)

// wholeQuantity reports whether raw is a number and a unit the numeric
// field takes (see ParseQuantity) and nothing else.
func wholeQuantity(field, raw string) bool {
	s := strings.TrimSpace(NormalizeText(raw))
	if field == "max_speed_kmh" {
		return speedWhole.MatchString(s)
	}
	return quantityWhole.MatchString(s)
}

// ParseSpeedKmh reads a speed in km/h ("25km/h", "40码", "25 公里/小时").
// 码 is the colloquial word for km/h in e-bike listings.
func ParseSpeedKmh(s string) (float64, bool) {
	m := speedPattern.FindStringSubmatch(NormalizeText(s))
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(m[1], 64)
	return v, err == nil
}

var datePattern = regexp.MustCompile(`(20\d{2}|19\d{2})\s*[年./-]\s*(\d{1,2})(?:\s*[月./-]\s*(\d{1,2}))?`)

// CanonicalDate writes a production date as YYYY-MM or YYYY-MM-DD.
func CanonicalDate(s string) string {
	s = NormalizeText(s)
	m := datePattern.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	mo, _ := strconv.Atoi(m[2])
	out := m[1] + "-" + twoDigits(mo)
	if m[3] != "" {
		d, _ := strconv.Atoi(m[3])
		out += "-" + twoDigits(d)
	}
	return out
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// cleanValue trims separators and stray punctuation around a field value.
func cleanValue(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(":;,.、|_-—", r)
	})
}

// ocrFold maps the characters OCR reads for one another onto one: letters
// taken for digits and back (CONTRACT.md's 0/O, 1/I/l, 5/S, 8/B, 2/Z).
var ocrFold = map[rune]rune{
	'O': '0', 'o': '0', 'D': '0', 'Q': '0',
	'I': '1', 'l': '1', 'i': '1', '|': '1', '!': '1',
	'S': '5', 's': '5', 'B': '8', 'Z': '2', 'z': '2',
}

// skeleton is a canonical value with separators removed and confusable
// characters folded: what an OCR slip or a writer's habit cannot change.
func skeleton(s string) []rune {
	var out []rune
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '_' || r == '·' || r == ',':
			continue
		case ocrFold[r] != 0:
			r = ocrFold[r]
		}
		out = append(out, r)
	}
	return out
}

// SlipConfidence: a label value read below this confidence may hold an OCR
// slip; above it, a difference is taken as real (a knock-off's name may
// differ from the original's by one character).
const SlipConfidence = 0.9

// MaybeSlip reports whether a label value read at conf could be an OCR slip
// of the listing's value: the two differ only in separators and confusable
// characters, or, read unsure, by one or two characters (at most a third).
// (The 300 bench cases' mismatches, replayed: up to a third of the
// characters sent a certificate number six digits off to review; two at
// most sends the same 147 misreadings and no true mismatch at clean.)
func MaybeSlip(label, listing string, conf float64) bool {
	a, b := skeleton(label), skeleton(listing)
	if slices.Equal(a, b) {
		return true
	}
	return conf < SlipConfidence && editDistance(a, b) <= min(2, max(1, len(b)/3))
}

// EditDistance is the Levenshtein distance of a and b in characters.
func EditDistance(a, b string) int { return editDistance([]rune(a), []rune(b)) }

// editDistance is the Levenshtein distance of two rune strings.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// quantityForm is a number with the unit after it, if any.
const quantityForm = `(\d{1,6}(?:\.\d+)?)\s*([a-zA-Z/]*)`

var quantityPattern = regexp.MustCompile(quantityForm)

// quantityUnits are, per numeric field, the factor each unit written on
// labels and listings takes to the field's unit (CONTRACT.md section 3:
// kW, kg, V, W). The empty unit is the field's own.
var quantityUnits = map[string]map[string]float64{
	"heat_input_kw":     {"": 1, "KW": 1, "W": 0.001, "MJ/H": 1 / 3.6},
	"motor_power_w":     {"": 1, "W": 1, "KW": 1000},
	"vehicle_mass_kg":   {"": 1, "KG": 1, "G": 0.001, "T": 1000},
	"battery_voltage_v": {"": 1, "V": 1, "KV": 1000, "MV": 0.001},
}

// ParseQuantity reads a value of a numeric field in the field's unit
// ("4.2kW", "4200 W" and "4.2" are all 4.2 for heat_input_kw). Units it does
// not know for the field make it fail: a value in another quantity is not
// comparable.
func ParseQuantity(field, s string) (float64, bool) {
	if field == "max_speed_kmh" {
		return ParseSpeedKmh(s)
	}
	units, ok := quantityUnits[field]
	if !ok {
		return 0, false
	}
	m := quantityPattern.FindStringSubmatch(NormalizeText(s))
	if m == nil {
		return 0, false
	}
	k, ok := units[strings.ToUpper(m[2])]
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(m[1], 64)
	return v * k, err == nil
}

// gasCode is a gas type code of GB/T 13611 (DOMAIN.md 4.1).
var gasCode = regexp.MustCompile(`(?:^|[^A-Za-z0-9])((?:1[02]|[346])T|(?:19|20|22)Y|[3-7]R)(?:[^A-Za-z0-9]|$)`)

// gasNames are the families' names as labels print them, longest first:
// 人工煤气 before the 煤气 it holds.
var gasNames = []string{"液化石油气", "天然气", "人工煤气", "液化气", "煤气"}

// gasFamilies name the families the code's letter stands for.
var gasFamilies = map[string]string{"天然气": "T", "液化石油气": "Y", "液化气": "Y", "人工煤气": "R", "煤气": "R"}

// CanonicalGasType is a gas type as its code ("12T"), or as its family's
// letter ("T") when only the name is given.
func CanonicalGasType(s string) string {
	s = strings.ToUpper(NormalizeText(s))
	if m := gasCode.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	for _, name := range gasNames {
		if strings.Contains(s, name) {
			return gasFamilies[name]
		}
	}
	return strings.ReplaceAll(s, " ", "")
}

// sameGasType: a code and a family name agree when the code is of the
// family ("12T" and 天然气's "T").
func sameGasType(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) == 1 && strings.HasSuffix(b, a)
}

// batteryKinds are the words for the battery types whose mix-up matters:
// a CCC unit covers one (DOMAIN.md 5.3). A graphene battery is a lead-acid
// one (DOMAIN.md 7.4). Sodium-ion batteries, newer than DOMAIN.md's sources,
// are told by their whole words only (exact): 钠离子 is one glyph from
// 锂离子 misread as 钱离子.
var batteryKinds = []struct {
	kind, word string
	exact      bool
}{
	{"lead_acid", "铅酸", false}, {"lead_acid", "铅蓄", false}, {"lead_acid", "LEAD-ACID", false}, {"lead_acid", "LEAD ACID", false},
	{"lead_acid", "石墨烯", false},
	{"lithium", "锂", false}, {"lithium", "LITHIUM", false}, {"lithium", "LI-ION", false},
	{"sodium", "钠离子", true}, {"sodium", "钠电", true}, {"sodium", "SODIUM", true}, {"sodium", "NA-ION", true},
}

// BatteryKind is "lead_acid", "lithium" or "sodium" for a battery type
// written in Chinese or English ("铅酸蓄电池", "磷酸铁锂", "Li-ion"), ""
// otherwise. Failing every word, a word of two characters or more with one
// of them misread counts (铝酸 for 铅酸): the kinds share no such word.
func BatteryKind(s string) string {
	s = strings.ToUpper(NormalizeText(s))
	for _, k := range batteryKinds {
		if strings.Contains(s, k.word) {
			return k.kind
		}
	}
	text := []rune(s)
	for _, k := range batteryKinds {
		word := []rune(k.word)
		if len(word) < 2 || k.exact {
			continue
		}
		for i := 0; i+len(word) <= len(text); i++ {
			if editDistance(text[i:i+len(word)], word) == 1 {
				return k.kind
			}
		}
	}
	return ""
}

var (
	ageFrom     = regexp.MustCompile(`(\d{1,2})\s*(岁|个月|月)?\s*(?:及以上|以上|\+|或以上)`)
	ageBetween  = regexp.MustCompile(`(\d{1,2})\s*(?:岁|个月|月)?\s*[-~至到]\s*(\d{1,2})\s*(岁|个月|月)`)
	monthsUnits = map[string]bool{"个月": true, "月": true}
)

// CanonicalAge is an age grading as "3+" or "3-6" in years, or in months
// with an "m" ("36m+"); anything else is kept, without spaces.
func CanonicalAge(s string) string {
	s = NormalizeText(s)
	unit := func(u string) string {
		if monthsUnits[u] {
			return "m"
		}
		return ""
	}
	if m := ageBetween.FindStringSubmatch(s); m != nil {
		return m[1] + "-" + m[2] + unit(m[3])
	}
	if m := ageFrom.FindStringSubmatch(s); m != nil {
		return m[1] + unit(m[2]) + "+"
	}
	return strings.ReplaceAll(s, " ", "")
}
