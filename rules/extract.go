package rules

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/models"
)

// Value is one field value found in a label line or in the listing.
type Value struct {
	Field string
	// Raw is the value as written, after text normalisation.
	Raw string
	// Canonical is the value in the field's comparison form.
	Canonical  string
	Confidence float64
	Evidence   inspection.Evidence
	// Lines are the indexes, in the lines given to ExtractLabel, of the
	// lines the value was read from.
	Lines []int
	// Engine is the recogniser that read the line holding the value.
	Engine string
	// Unsure: a line of the value says its glyphs that differ from the
	// listing's were read unsure (inspection.Line.Unsure).
	Unsure bool
}

type keyEntry struct {
	key   string // normalised, lower case
	field string
	cjk   bool
}

var (
	keysOnce sync.Once
	keyTable []keyEntry
	keysErr  error
)

// keys returns the synonym keys, longest first so that 产品名称 wins over 名称.
func keys() ([]keyEntry, error) {
	keysOnce.Do(func() {
		fields, err := models.Fields()
		if err != nil {
			keysErr = err
			return
		}
		for _, f := range fields {
			for _, k := range f.Keys {
				nk := asciiLower(NormalizeText(k))
				keyTable = append(keyTable, keyEntry{key: nk, field: f.Field, cjk: hasHan(nk)})
			}
		}
		sort.SliceStable(keyTable, func(i, j int) bool { return len(keyTable[i].key) > len(keyTable[j].key) })
	})
	return keyTable, keysErr
}

// Keys are the keys a label writes field's value after, as the synonym
// table spells them.
func Keys(field string) ([]string, error) {
	fields, err := models.Fields()
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		if f.Field == field {
			return f.Keys, nil
		}
	}
	return nil, nil
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

// keyHit is a key found in a line at byte offset pos.
type keyHit struct {
	pos, end int
	field    string
	misread  bool // a key with one character misread (see misreadKey)
}

func isSep(b byte) bool { return b == ':' || b == ' ' || b == ';' }

// findKeys finds the keys in a normalised line. A key counts at the start of
// the line, or after a space or separator when a separator follows it (the
// second column of a two-column nameplate). Latin keys must end at a word
// boundary so that "model" does not match inside "models".
func findKeys(line string, table []keyEntry) []keyHit {
	lower := asciiLower(line) // same byte offsets as line
	var hits []keyHit
	for pos := 0; pos < len(lower); {
		if pos > 0 && !isSep(lower[pos-1]) && !startsWithHan(lower[pos:]) {
			pos++
			continue
		}
		matched := false
		for _, k := range table {
			if !strings.HasPrefix(lower[pos:], k.key) {
				continue
			}
			end := pos + len(k.key)
			atEnd := end == len(lower)
			sepAfter := !atEnd && (lower[end] == ':' || lower[end] == ' ')
			if pos == 0 || junkPrefix(lower[:pos]) {
				// At the start a Chinese key may run straight into its value.
				if !(atEnd || sepAfter || k.cjk) {
					continue
				}
			} else {
				// Mid-line only "key:" counts, so values that contain key words are not split.
				if atEnd || lower[end] != ':' {
					continue
				}
				if !isSep(lower[pos-1]) && !endsWithValueBreak(lower[:pos]) && !misreadHead(lower[:pos], lower[end:]) {
					continue
				}
			}
			hits = append(hits, keyHit{pos: pos, end: end, field: k.field})
			pos = end
			matched = true
			break
		}
		if !matched {
			pos++
		}
	}
	if len(hits) == 0 || hits[0].pos > 0 {
		if hit, ok := misreadKey(lower, table); ok && (len(hits) == 0 || hit.end <= hits[0].pos) {
			hits = append([]keyHit{hit}, hits...)
		}
	}
	return hits
}

// misreadKey finds a Chinese key of four characters or more with one of
// them misread (武行标准, 执行标票 for 执行标准) at the start of a line, ended
// by the line, a colon or a space, or run straight into a value of its
// field's form (电池美型铅酸: vouchesForKey); or with one of them lost
// (生日期 for 生产日期), ended by a colon. Keys that long are far apart: no two of
// different fields are that close, and Chinese words that start a value
// line are not that close to a key.
func misreadKey(lower string, table []keyEntry) (keyHit, bool) {
	head := []rune(lower)
	var found keyHit
	for _, k := range table {
		key := []rune(k.key)
		if !k.cjk || len(key) < 4 {
			continue
		}
		n, ok := 0, false
		switch {
		case len(head) >= len(key) && (len(head) == len(key) || head[len(key)] == ':' || head[len(key)] == ' ') &&
			substitutions(head[:len(key)], key) == 1:
			n, ok = len(key), true
		case len(head) > len(key)-1 && head[len(key)-1] == ':' && lacksOne(head[:len(key)-1], key):
			n, ok = len(key)-1, true
		case len(head) > len(key) && substitutions(head[:len(key)], key) == 1 && vouchesForKey(k.field, strings.TrimSpace(string(head[len(key):]))):
			// Run straight into a value of its field (电池美型铅酸).
			n, ok = len(key), true
		}
		if !ok {
			continue
		}
		if found.field != "" && found.field != k.field {
			return keyHit{}, false // close to two fields' keys: neither
		}
		found = keyHit{pos: 0, end: len(string(head[:n])), field: k.field, misread: true}
	}
	return found, found.field != ""
}

// KeysShown are the fields whose key starts a line of lines, whatever
// follows it: a key read whole, a long one with a character misread
// (misreadKey), or the first two characters of a key of four or more that
// no other field's key starts with (执行 of 执行标准: 执行##6#.1-2014, 执行桥线).
// A label that shows a key shows its field, where the value is too blurred
// to read.
// Only fields are looked for: a head shows a key, not a value that starts
// like one (电动 of 电动机额定功率 and of 电动自行车).
func KeysShown(lines []inspection.Line, fields ...string) ([]string, error) {
	return keysShown(lines, true, func(f string) bool { return slices.Contains(fields, f) })
}

// keysShown is KeysShown for the fields wanted says it wants, with the
// keys' first two characters counted only when heads is set.
func keysShown(lines []inspection.Line, heads bool, wanted func(field string) bool) ([]string, error) {
	table, err := keys()
	if err != nil {
		return nil, err
	}
	var out []string
	add := func(f string) {
		if wanted(f) && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, l := range lines {
		lower := asciiLower(NormalizeText(l.Text))
		if hits := findKeys(lower, table); len(hits) > 0 && hits[0].pos == 0 {
			add(hits[0].field)
			continue
		}
		if hit, ok := misreadKey(lower, table); ok {
			add(hit.field)
			continue
		}
		if !heads {
			continue
		}
		for head, f := range tableHeads() {
			if strings.HasPrefix(lower, head) {
				add(f)
			}
		}
	}
	return out, nil
}

// Unvalued are the fields whose key, read whole or with a character
// misread, starts a line of lines (KeysShown, without the keys' first two
// characters: 电动 starts 电动自行车 too) but that no line gives a value
// for: a value cell the line detector missed (grey print beside a black
// key), or a value read as nothing. Fields a key alone vouches for
// (presenceField) are never unvalued.
func Unvalued(lines []inspection.Line) ([]string, error) {
	valued := func(f string) bool { return !presenceField(f) }
	shown, err := keysShown(lines, false, valued)
	if err != nil || len(shown) == 0 {
		return nil, err
	}
	vs, err := ExtractLabel("", lines)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(shown, func(f string) bool { return hasField(vs, f) }), nil
}

// tableHeads is keyHeads of the synonym table, made on the first call
// (after keys has been read without error).
var tableHeads = sync.OnceValue(func() map[string]string {
	table, _ := keys()
	return keyHeads(table)
})

// keyHeads are the first two characters of the keys of four characters or
// more, both Chinese, that only one field's keys start with, by head.
func keyHeads(table []keyEntry) map[string]string {
	owner := map[string]string{}
	for _, k := range table {
		r := []rune(k.key)
		if len(r) < 2 || !hasHan(string(r[0])) || !hasHan(string(r[1])) {
			continue
		}
		head := string(r[:2])
		if f, seen := owner[head]; seen && f != k.field {
			owner[head] = "" // two fields' keys start so
		} else if !seen {
			owner[head] = k.field
		}
	}
	heads := map[string]string{}
	for _, k := range table {
		r := []rune(k.key)
		if len(r) >= 4 && owner[string(r[:2])] == k.field {
			heads[string(r[:2])] = k.field
		}
	}
	return heads
}

// lacksOne reports whether a is b with one character left out.
func lacksOne(a, b []rune) bool {
	for i := range b {
		if slices.Equal(a, slices.Concat(b[:i], b[i+1:])) {
			return true
		}
	}
	return false
}

// misreadHead reports whether before is the misread head of a longer key
// that ends in the key found: a key cell ("蕾电池标称电压:" for 蓄电池标称电压,
// its value in the next cell) holds nothing after the colon, and at most
// three characters before the key.
func misreadHead(before, after string) bool {
	return strings.TrimSpace(strings.TrimPrefix(after, ":")) == "" && len([]rune(strings.TrimSpace(before))) <= 3
}

// junkPrefix reports whether what stands before a key is too short and
// un-Chinese to be a value: a border read as "|", or "3C" of 3C证书编号 read
// as "35". The key then counts as the start of the line.
func junkPrefix(s string) bool {
	s = strings.TrimSpace(s)
	return len([]rune(s)) <= 2 && !hasHan(s)
}

// asciiLower lowers ASCII letters only, so byte offsets stay those of s
// (strings.ToLower may change the length of a string).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func startsWithHan(s string) bool {
	for _, r := range s {
		return r >= 0x4E00 && r <= 0x9FFF
	}
	return false
}

// endsWithValueBreak allows a mid-line key right after a Chinese value with no
// space between ("广东佛山型号:X" does not happen, but "…12T额定热负荷:4.2kW" does
// when OCR drops the gap between two cells).
func endsWithValueBreak(s string) bool {
	return len(s) > 0 && (s[len(s)-1] >= '0' && s[len(s)-1] <= '9' || s[len(s)-1] >= 'a' && s[len(s)-1] <= 'z')
}

// Canonical turns a raw value into the field's comparison form (CONTRACT.md
// section 3): what two values of a field are compared by.
func Canonical(field, raw string) string {
	switch field {
	case "model":
		return CanonicalModel(raw)
	case "ccc_number":
		return CanonicalCCC(raw)
	case "standard":
		return CanonicalStandard(raw)
	case "manufacturer":
		return CompanyCore(raw)
	case "production_date":
		return CanonicalDate(raw)
	case "energy_grade":
		return CanonicalGrade(raw)
	case "max_speed_kmh", "heat_input_kw", "motor_power_w", "vehicle_mass_kg", "battery_voltage_v":
		if v, ok := ParseQuantity(field, raw); ok {
			return formatNumber(math.Round(v*1000) / 1000)
		}
	case "gas_type":
		return CanonicalGasType(raw)
	case "battery_type":
		if k := BatteryKind(raw); k != "" {
			return k
		}
	case "age_range":
		return CanonicalAge(raw)
	case "exhaust_type":
		return CanonicalExhaust(raw)
	}
	return strings.ToUpper(strings.ReplaceAll(raw, " ", ""))
}

// CanonicalGrade is an energy grade as one digit: "3级", "三级", "3" → "3".
// Anything else is kept, upper-cased, to be compared as it is.
func CanonicalGrade(raw string) string {
	s := strings.TrimSuffix(strings.ReplaceAll(strings.TrimSpace(raw), " ", ""), "级")
	if i := strings.Index("一二三四五", s); i >= 0 && len(s) == 3 {
		return string(rune('1' + i/3))
	}
	if len(s) == 1 && s[0] >= '1' && s[0] <= '5' {
		return s
	}
	return strings.ToUpper(strings.ReplaceAll(raw, " ", ""))
}

var (
	ageWithoutKey  = regexp.MustCompile(`\d{1,2}\s*(?:岁|个月|月)\s*(?:以上|及以上|\+)|\d{1,2}\s*-\s*\d{1,2}\s*岁|\d{1,2}\+`)
	conformityWord = regexp.MustCompile(`(?i)产品合格证|合格证|检验合格|检验员|QC\s*PASS|检验:\s*合格`)
	cccWithoutKey  = regexp.MustCompile(`(?:^|[^\d])(20[0-4]\d{13})(?:[^\d]|$)`)
	standardInLine = regexp.MustCompile(`(?i)(?:GB(?:/[TZ])?|Q/[A-Z0-9]{2,})\s*\d{2,6}`)
	// A whole date alone on a line, its key lost: the production date, the
	// one date a label must show.
	dateAlone = regexp.MustCompile(`^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$`)
	// A standard number alone on a line, its key lost: the whole of a
	// national or trade standard's designation, year included.
	standardAlone = regexp.MustCompile(`^(?:GB|QB)(?:\s*/\s*T)?\s*\d{3,5}(?:\.\d{1,2})?\s*-\s*(?:19|20)\d{2}$`)
	// The China Energy Label shows its grade in the arrow beside the bars,
	// as a line of its own, without the 能效等级 key.
	energyLabelTitle = regexp.MustCompile(`能效标识|能源效率标识`)
	gradeAlone       = regexp.MustCompile(`^([1-5])\s*级$`)
	barNumber        = regexp.MustCompile(`^[1-5]$`)
	// A company name or an address standing alone on a line, its key lost
	// (朝造商 read for 制造商, 址 for 地址): a run of Chinese characters
	// ending in a legal form, or starting at a province (its first
	// character may be lost: 东省 for 广东省) or a city and reaching a
	// street, district or number.
	companyAlone = regexp.MustCompile(`^\p{Han}[\p{Han}()（）·]{3,38}(?:有限责任公司|股份有限公司|有限公司|公司|厂)$`)
	// A gas type standing alone, its key lost: a code, or what reads as one
	// (121 for 12T), run into or spaced from its family's name.
	gasAlone     = regexp.MustCompile(`^[0-9A-Z]{2,4}(?:天然气|液化石油气|液化气|人工煤气)$`)
	addressAlone = regexp.MustCompile(`^(?:\p{Han}{1,7}(?:省|自治区)|\p{Han}{2,5}市)[\p{Han}\d\-]*(?:区|县|镇|乡|路|街|道|号|园)[\p{Han}\d\-]*$`)
)

// ExtractLabel finds field values in the lines read from one image. A key
// whose value is not on its own line (a bordered table cell) takes the
// nearest line to its right on the same row.
func ExtractLabel(image string, lines []inspection.Line) ([]Value, error) {
	table, err := keys()
	if err != nil {
		return nil, err
	}
	norm := make([]string, len(lines))
	for i, l := range lines {
		norm[i] = NormalizeText(l.Text)
	}
	var out []Value
	used := make([]bool, len(lines))
	for i, l := range lines {
		text := norm[i]
		hits := findKeys(text, table)
		for h, hit := range hits {
			end := len(text)
			if h+1 < len(hits) {
				end = hits[h+1].pos
			}
			// as written, for a continuation to join: a value broken after
			// a dash (JZY- | 3D45E) joins without a space.
			written := strings.TrimSpace(text[hit.end:end])
			raw := cleanValue(written)
			ev := evidenceOf(image, l)
			conf := l.Confidence
			from, engine := []int{i}, l.Engine
			if h == len(hits)-1 {
				// The value is the next cell when the key stands alone; a value
				// that continues close by on the same row ("GB" | "17761-2018",
				// split at a wide space) takes the continuation too.
				for k, cur := 0, i; k < 3; k++ {
					j := rightNeighbour(lines, norm, cur, table)
					if j < 0 || used[j] || (raw != "" && !adjacent(lines[cur], lines[j])) || belongsElsewhere(hit.field, norm[j]) {
						break
					}
					sep := " "
					if strings.HasSuffix(written, "-") && raw != "" {
						sep = ""
					}
					written = strings.TrimSpace(written + sep + norm[j])
					raw = cleanValue(written)
					used[j] = true
					ev.Text += " " + lines[j].Text
					b := union(*ev.Box, lines[j].Box)
					ev.Box = &b
					conf = min(conf, lines[j].Confidence)
					ev.Confidence = conf
					from, engine = append(from, j), lines[j].Engine
					cur = j
				}
			}
			if hit.field == "address" {
				raw = addressOnly(raw)
			}
			raw, conf = corrected(hit.field, raw, conf)
			if raw == "" && !presenceField(hit.field) {
				continue
			}
			if hit.misread {
				// Only a value of its field's form vouches for a key read
				// wrong ("证街编号：21" is no certificate number); for a
				// quantity, its number does, whatever became of its unit
				// (服定功率：1000% for 额定功率：1000W).
				if !vouchesForKey(hit.field, raw) {
					continue
				}
				conf *= 0.9
				ev.Confidence = conf
			}
			out = append(out, Value{Field: hit.field, Raw: raw, Canonical: Canonical(hit.field, raw), Confidence: conf, Evidence: ev, Lines: from, Engine: engine})
		}
	}
	// Fields whose wording is recognisable without a key. A value standing
	// alone where its key was lost is trusted a little less (0.9).
	keyless := func(field, raw string, i int, trust float64) Value {
		l := lines[i]
		raw, conf := corrected(field, raw, l.Confidence*trust)
		return Value{Field: field, Raw: raw, Canonical: Canonical(field, raw), Confidence: conf, Evidence: evidenceOf(image, l), Lines: []int{i}, Engine: l.Engine}
	}
	energyLabel := energyLabelShown(norm)
	for i, l := range lines {
		if l.Says != "" && !used[i] && !hasField(out, l.Says) {
			// The value, after the line's key if it has one.
			value := norm[i]
			if _, after, found := strings.Cut(value, ":"); found {
				value = after
			}
			out = append(out, keyless(l.Says, strings.TrimSpace(value), i, 1))
			continue
		}
		if energyLabel && !used[i] && !hasField(out, "energy_grade") {
			if m := gradeAlone.FindStringSubmatch(strings.TrimSpace(norm[i])); m != nil {
				out = append(out, keyless("energy_grade", m[1]+"级", i, 1))
			}
		}
		text := norm[i]
		if conformityWord.MatchString(text) {
			out = append(out, keyless("certificate_of_conformity", "yes", i, 1))
		}
		if m := ageWithoutKey.FindString(text); m != "" && !used[i] {
			out = append(out, keyless("age_range", m, i, 1))
		}
		if m := cccWithoutKey.FindStringSubmatch(strings.ReplaceAll(text, " ", "")); m != nil && !hasField(out, "ccc_number") {
			out = append(out, keyless("ccc_number", m[1], i, 0.9))
		}
		if flat, ok := unkeyed(text, table); ok && !used[i] {
			flat = withoutMisreadKey(flat, table)
			if f := standingAlone(flat); f != "" && !hasField(out, f) {
				out = append(out, keyless(f, flat, i, 0.9))
			}
		}
		whole := strings.TrimSpace(text)
		if !used[i] && !hasField(out, "production_date") && dateAlone.MatchString(whole) {
			out = append(out, keyless("production_date", whole, i, 0.9))
		}
		if !used[i] && !hasField(out, "standard") && standardAlone.MatchString(whole) {
			out = append(out, keyless("standard", whole, i, 0.9))
		}
		if strings.Contains(text, "标准") && !hasField(out, "standard") {
			if m := standardInLine.FindStringIndex(text); m != nil {
				out = append(out, keyless("standard", text[m[0]:], i, 0.9))
			}
		}
	}
	for k := range out {
		for _, i := range out[k].Lines {
			out[k].Unsure = out[k].Unsure || lines[i].Unsure
		}
	}
	return out, nil
}

// GradeMissing reports whether lines read off one image are an energy
// label's (its title or its bars' numbers read: energyLabelShown) that
// give no energy grade, which every energy label shows.
func GradeMissing(lines []inspection.Line) bool {
	norm := make([]string, len(lines))
	for i, l := range lines {
		norm[i] = NormalizeText(l.Text)
	}
	if !energyLabelShown(norm) {
		return false
	}
	vs, err := ExtractLabel("", lines)
	return err == nil && !hasField(vs, "energy_grade")
}

// energyLabelShown reports whether lines (normalised) are an energy
// label's: its title read, or the numbers of two of its grade bars, each a
// line of its own (1 and 5 where 中国能效标识 was read as nothing).
func energyLabelShown(norm []string) bool {
	bars := map[string]bool{}
	for _, text := range norm {
		if energyLabelTitle.MatchString(text) {
			return true
		}
		if t := strings.TrimSpace(text); barNumber.MatchString(t) {
			bars[t] = true
		}
	}
	return len(bars) >= 2
}

// standingAlone is the field whose value flat (a line without its spaces)
// is by its form alone: "manufacturer" for a company name, "address" for an
// address, "gas_type" for a gas code and its family's name,
// "exhaust_type" for an exhaust type's name (烟道式), or "".
func standingAlone(flat string) string {
	switch {
	case gasAlone.MatchString(strings.ToUpper(flat)):
		return "gas_type"
	case slices.Contains(exhaustTypes, flat):
		return "exhaust_type"
	case companyAlone.MatchString(flat):
		return "manufacturer"
	case addressAlone.MatchString(flat) && !companyEnd.MatchString(flat):
		return "address"
	}
	return ""
}

// belongsElsewhere reports whether a cell's text is by its form another
// field's value standing alone, a company name or an address, and so no
// value of field: in a skewed table the address cell may sit on the row of
// the key below its own (检验员：).
func belongsElsewhere(field, text string) bool {
	f := standingAlone(strings.ReplaceAll(text, " ", ""))
	return f != "" && f != field
}

// lostKey is what may precede a value whose key was misread past
// recognition (动 read for 制造商, 造码 for 制造商) or cut off: a few
// Chinese characters, or none, that hold no key of the synonym table and
// name no party other than the maker and no other place (经销商, 进口商,
// 产地, 售后服务).
var (
	lostKey    = regexp.MustCompile(`^\p{Han}{0,5}$`)
	otherParty = regexp.MustCompile(`销|进口|代理|供应|出品|监制|产地|原产|售后|服务|维修|品牌|电话|网址`)
)

// unkeyed is the value of a line (normalised: its colons are ":") that has
// no key, or whose key was lost (lostKey), without its spaces; ok is false
// for other lines.
func unkeyed(text string, table []keyEntry) (value string, ok bool) {
	flat := strings.ReplaceAll(text, " ", "")
	key, value, found := strings.Cut(flat, ":")
	switch {
	case !found:
		return flat, true
	case strings.Contains(value, ":") || !lostKey.MatchString(key) || otherParty.MatchString(key) ||
		len(findKeys(asciiLower(key), table)) > 0:
		return "", false
	}
	return value, true
}

// withoutMisreadKey is flat (a line without its spaces, and without a
// key found) less the key of a company name or an address it starts with,
// run into its value and read with one character wrong (制道商中山市恒热电器
// 有限公司 for 制造商): a key of three characters or more, followed by a
// value of its field standing alone that starts with a division of the
// gazetteer, as company names and addresses do. Otherwise flat as it is.
func withoutMisreadKey(flat string, table []keyEntry) string {
	text := []rune(flat)
	for _, k := range table {
		key := []rune(k.key)
		if !k.cjk || len(key) < 3 || len(text) <= len(key) || substitutions(text[:len(key)], key) != 1 {
			continue
		}
		rest := text[len(key):]
		if standingAlone(string(rest)) == k.field && startsWithPlace(rest) {
			return string(rest)
		}
	}
	return flat
}

// corrected is an address read at conf with its place names corrected
// against the gazetteer (CorrectPlaces), trusted no more than a value read
// unsure (SlipConfidence) when corrected; other fields' values as read.
func corrected(field, raw string, conf float64) (string, float64) {
	if field != "address" {
		return raw, conf
	}
	if fixed, changed := CorrectPlaces(raw); changed {
		return fixed, min(conf, SlipConfidence)
	}
	return raw, conf
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// vouchesForKey reports whether raw, read after a key of field read wrong,
// is a value of field: of its form, and for a quantity a number at its
// start that the field reads as more than zero, whatever became of its
// unit.
func vouchesForKey(field, raw string) bool {
	if v, ok := ParseQuantity(field, raw); ok {
		return startsWithDigit(raw) && v > 0
	}
	return FormatOK(field, raw) && (!numericField(field) || startsWithDigit(raw))
}

// addressOnly drops what an address line picked up after the address's
// last number (号, 室, 座, 栋, 幢, 层, 楼): a stamp beside it (检验合格) or
// the edge of the label read as letters ("8号 Guts)"). A tail with a digit
// or a word of an address (省市区路 …) stays, unless it holds the stamp's
// 合格 (检验合格 read 格路合格).
func addressOnly(raw string) string {
	end := strings.LastIndexAny(raw, "号室座栋幢层楼")
	if end < 0 {
		return raw
	}
	_, size := utf8.DecodeRuneInString(raw[end:])
	tail := raw[end+size:]
	if !strings.Contains(tail, "合格") && (addressWord.MatchString(tail) || strings.ContainsAny(tail, "0123456789")) {
		return raw
	}
	return raw[:end+size]
}

// presenceField fields count even without a value: the key alone shows them.
func presenceField(field string) bool {
	return field == "warning" || field == "inspector"
}

func hasField(vs []Value, field string) bool {
	for _, v := range vs {
		if v.Field == field {
			return true
		}
	}
	return false
}

// rightNeighbour is the index of the nearest line to the right of line i on
// the same row that is not itself a key, or -1.
func rightNeighbour(lines []inspection.Line, norm []string, i int, table []keyEntry) int {
	b := lines[i].LayoutBox()
	cy := b[1] + b[3]/2
	best, bestDx := -1, 1<<30
	for j, o := range lines {
		if j == i {
			continue
		}
		ob := o.LayoutBox()
		ocy := ob[1] + ob[3]/2
		if ob[0] < b[0]+b[2]-b[3] || abs(ocy-cy) > max(b[3], ob[3])/2 {
			continue
		}
		if hits := findKeys(norm[j], table); len(hits) > 0 && hits[0].pos == 0 {
			continue // a key cell of its own, not a value
		}
		if dx := ob[0] - (b[0] + b[2]); dx < bestDx {
			best, bestDx = j, dx
		}
	}
	return best
}

// adjacent reports whether b starts within one and a half line heights of
// where a ends: the gap of a wide space, not of the next column.
func adjacent(a, b inspection.Line) bool {
	ab, bb := a.LayoutBox(), b.LayoutBox()
	return bb[0]-(ab[0]+ab[2]) < max(ab[3], bb[3])*3/2
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func union(a, b inspection.Box) inspection.Box {
	x0, y0 := min(a[0], b[0]), min(a[1], b[1])
	x1, y1 := max(a[0]+a[2], b[0]+b[2]), max(a[1]+a[3], b[1]+b[3])
	return inspection.Box{x0, y0, x1 - x0, y1 - y0}
}

func evidenceOf(image string, l inspection.Line) inspection.Evidence {
	b := l.Box
	return inspection.Evidence{Image: image, Box: &b, Text: l.Text, Confidence: l.Confidence}
}

// ExtractListing finds field values in a listing: its attributes first, then
// `key: value` lines of its text. Keys map through the same synonym table as
// labels.
func ExtractListing(l *inspection.Listing) ([]Value, error) {
	table, err := keys()
	if err != nil {
		return nil, err
	}
	var out []Value
	attrKeys := make([]string, 0, len(l.Attributes))
	for k := range l.Attributes {
		attrKeys = append(attrKeys, k)
	}
	sort.Strings(attrKeys)
	for _, k := range attrKeys {
		nk := asciiLower(NormalizeText(k))
		for _, e := range table {
			if nk == e.key {
				raw := cleanValue(NormalizeText(l.Attributes[k]))
				if raw != "" {
					out = append(out, listingValue(e.field, raw, k+": "+l.Attributes[k]))
				}
				break
			}
		}
	}
	for _, line := range strings.Split(l.Text, "\n") {
		text := NormalizeText(line)
		hits := findKeys(text, table)
		for h, hit := range hits {
			end := len(text)
			if h+1 < len(hits) {
				end = hits[h+1].pos
			}
			if hit.end >= len(text) || text[hit.end] != ':' || hasField(out, hit.field) {
				continue
			}
			if raw := cleanValue(text[hit.end:end]); raw != "" {
				out = append(out, listingValue(hit.field, raw, line))
			}
		}
	}
	return out, nil
}

func listingValue(field, raw, quote string) Value {
	return Value{Field: field, Raw: raw, Canonical: Canonical(field, raw), Confidence: 1,
		Evidence: inspection.Evidence{Source: "listing", Text: strings.TrimSpace(quote)}}
}
