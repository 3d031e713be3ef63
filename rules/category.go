package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/registry"
)

// limits raises the numeric-limit codes of the category's pack (CONTRACT.md
// 4.5): each field is held to the limit of the edition in force when the
// product was made (GB 17761-2024 lets a lead-acid e-bike made from
// 2025-09-01 weigh 63 kg, where GB 17761-2018 allows 55 kg).
func (c *checker) limits() {
	made, battery := c.madeOn(), c.batteryKind()
	var fields []string
	chosen := map[string]Limit{}
	for _, lim := range c.pack.Limits {
		if lim.Category != c.r.Category || lim.effective.After(made) ||
			(lim.BatteryType != "" && lim.BatteryType != battery) {
			continue
		}
		cur, ok := chosen[lim.Field]
		switch {
		case !ok:
			fields = append(fields, lim.Field)
		case cur.BatteryType != "" && lim.BatteryType == "":
			continue // the limit for this battery type stands
		case cur.BatteryType == lim.BatteryType && cur.effective.After(lim.effective):
			continue // a later edition's limit stands
		}
		chosen[lim.Field] = lim
	}
	for _, field := range fields {
		lim := chosen[field]
		var over *inspection.Finding
		for _, v := range append(c.valuesOf(c.label, lim.Field), c.valuesOf(c.listing, lim.Field)...) {
			n, err := strconv.ParseFloat(v.Canonical, 64)
			if err != nil || n <= lim.Max {
				continue
			}
			where := "label"
			if v.Evidence.Source == "listing" {
				where = "listing"
			}
			f := inspection.Finding{Code: lim.Code, Field: lim.Field, Severity: inspection.High,
				Message: fmt.Sprintf("%s %s %s on the %s exceeds the limit of %s %s (%s)",
					lim.Name, formatNumber(n), lim.Unit, where, formatNumber(lim.Max), lim.Unit, lim.Basis),
				LabelValue: labelSide(v), ListingValue: listingSide(v), Evidence: []inspection.Evidence{v.Evidence}}
			if where == "label" && v.Confidence < SlipConfidence {
				// One digit misread (8 for 3) crosses a limit: unless the
				// listing or a sure reading says so too, a person looks
				// before the listing fails.
				mayBeMisread(&f, v.Confidence)
			}
			if over == nil || (over.Severity != inspection.High && f.Severity == inspection.High) {
				over = &f
			}
		}
		if over != nil {
			c.add(*over)
		}
	}
}

// OverLimit reports whether a canonical value of a field is over the
// lowest limit the rule pack sets for that field, in any category or
// edition: a value the inspector reads twice before the rules judge it.
func OverLimit(field, canonical string) bool {
	p, err := DefaultPack()
	if err != nil {
		return false
	}
	n, err := strconv.ParseFloat(canonical, 64)
	if err != nil {
		return false
	}
	for _, lim := range p.Limits {
		if lim.Field == field && n > lim.Max {
			return true
		}
	}
	return false
}

// WithinLimitReadings are the readings of a value of field one glyph from
// raw whose value is within every limit the rule pack sets for the field: a
// digit read for another (850W for 350W), a digit read where there is none
// (3501W for 350W), or the unit read as a digit (4008 for 400W). A number
// does not start with a 0.
func WithinLimitReadings(field, raw string) []string {
	p, err := DefaultPack()
	if err != nil {
		return nil
	}
	lim := slices.IndexFunc(p.Limits, func(l Limit) bool { return l.Field == field })
	if lim < 0 {
		return nil
	}
	unit := p.Limits[lim].Unit
	rs := []rune(raw)
	var out []string
	add := func(s string) {
		if s == "" || s[0] == '0' && len(s) > 1 && unicode.IsDigit(rune(s[1])) || slices.Contains(out, s) {
			return
		}
		canon := Canonical(field, s)
		if n, err := strconv.ParseFloat(canon, 64); err == nil && n > 0 && !OverLimit(field, canon) {
			out = append(out, s)
		}
	}
	for i, r := range rs {
		if !unicode.IsDigit(r) {
			continue
		}
		for d := '0'; d <= '9'; d++ {
			if d != r {
				add(string(rs[:i]) + string(d) + string(rs[i+1:]))
			}
		}
		add(string(rs[:i]) + string(rs[i+1:]))
		if i == len(rs)-1 {
			add(string(rs[:i]) + unit)
		}
	}
	return out
}

// madeOn is the product's production date as the labels give it, or the
// day of the inspection when they do not.
func (c *checker) madeOn() time.Time {
	if v := c.best(c.label, "production_date"); v != nil {
		for _, layout := range []string{"2006-01-02", "2006-01"} {
			if t, err := time.Parse(layout, v.Canonical); err == nil {
				return t
			}
		}
	}
	return c.now
}

// batteryKind is the battery type (BatteryKind) the labels give, else the
// listing's, else "".
func (c *checker) batteryKind() string {
	for _, vs := range [][]Value{c.label, c.listing} {
		if v := c.best(vs, "battery_type"); v != nil && BatteryKind(v.Raw) != "" {
			return BatteryKind(v.Raw)
		}
	}
	return ""
}

// phrases raises the codes of the category's phrase rules (CONTRACT.md 4.4
// and 4.5): what the label or the listing says of the product.
func (c *checker) phrases() {
	for _, pr := range c.pack.Phrases {
		if pr.Category != c.r.Category {
			continue
		}
		var ev []inspection.Evidence
		var said []string
		if slices.Contains(pr.Sources, "label") {
			e, s := c.labelSays(pr)
			ev, said = append(ev, e...), append(said, s...)
		}
		if slices.Contains(pr.Sources, "listing") && c.in.Listing != nil {
			e, s := c.listingSays(pr)
			ev, said = append(ev, e...), append(said, s...)
		}
		if len(ev) == 0 {
			continue
		}
		c.add(inspection.Finding{Code: pr.Code, Severity: inspection.High,
			Message:  fmt.Sprintf("%s: %s (%s)", pr.What, strings.Join(said, "; "), pr.Basis),
			Evidence: ev})
	}
}

// labelSays is the evidence, on the label images, of what pr looks for.
func (c *checker) labelSays(pr PhraseRule) (ev []inspection.Evidence, said []string) {
	for _, im := range c.in.Images {
		if im.Kind != inspection.KindLabel {
			continue
		}
		for _, l := range im.Lines {
			if p := findPhrase(squeeze(l.Text), pr.Phrases, c.pack.Negations); p != "" {
				ev = append(ev, evidenceOf(im.Name, l))
				said = append(said, fmt.Sprintf("the label says %q", l.Text))
			}
		}
	}
	for _, v := range c.label {
		if v.Field == pr.Field && valueIs(v.Canonical, pr.Values) && !slices.Contains(ev, v.Evidence) {
			ev = append(ev, v.Evidence)
			said = append(said, fmt.Sprintf("the label gives %s %q", v.Field, v.Raw))
		}
		if v.Field == "model" && hasPrefix(v.Canonical, pr.ModelPrefixes) && !slices.Contains(ev, v.Evidence) {
			ev = append(ev, v.Evidence)
			said = append(said, fmt.Sprintf("the label's model %s is of that type", v.Raw))
		}
	}
	return ev, said
}

// listingSays is the evidence, in the listing, of what pr looks for.
func (c *checker) listingSays(pr PhraseRule) (ev []inspection.Evidence, said []string) {
	for _, part := range listingParts(c.in.Listing) {
		if p := findPhrase(squeeze(part), pr.Phrases, c.pack.Negations); p != "" {
			ev = append(ev, inspection.Evidence{Source: "listing", Text: part})
			said = append(said, fmt.Sprintf("the listing says %q", p))
		}
	}
	for _, v := range c.listing {
		if (v.Field == pr.Field && valueIs(v.Canonical, pr.Values)) || (v.Field == "model" && hasPrefix(v.Canonical, pr.ModelPrefixes)) {
			if len(ev) == 0 {
				ev = append(ev, v.Evidence)
				said = append(said, fmt.Sprintf("the listing gives %s %q", v.Field, v.Raw))
			}
		}
	}
	return ev, said
}

// ebikeBattery raises EBIKE_BATTERY_TYPE_MISMATCH (CONTRACT.md 4.5): the
// battery type is a CCC unit boundary, so the label's must be the
// listing's, and one listing must not offer both.
func (c *checker) ebikeBattery() {
	if c.r.Category != inspection.EBike {
		return
	}
	lab, lst := c.best(c.label, "battery_type"), c.best(c.listing, "battery_type")
	if lab != nil && lst != nil && BatteryKind(lab.Raw) != "" && BatteryKind(lst.Raw) != "" && BatteryKind(lab.Raw) != BatteryKind(lst.Raw) {
		c.add(inspection.Finding{Code: "EBIKE_BATTERY_TYPE_MISMATCH", Severity: inspection.High,
			Message: fmt.Sprintf("the label's battery type %s differs from the listing's %s: lead-acid and lithium e-bikes are different CCC units (CNCA-C11-16)",
				lab.Raw, lst.Raw),
			LabelValue: lab.Raw, ListingValue: lst.Raw, Evidence: []inspection.Evidence{lab.Evidence, lst.Evidence}})
		return
	}
	if c.in.Listing == nil {
		return
	}
	kinds := map[string]string{}
	var ev []inspection.Evidence
	for _, part := range listingParts(c.in.Listing) {
		s := strings.ToUpper(squeeze(part))
		found := false
		for _, k := range batteryKinds {
			if strings.Contains(s, strings.ReplaceAll(k.word, " ", "")) && kinds[k.kind] == "" {
				kinds[k.kind], found = k.word, true
			}
		}
		if found {
			ev = append(ev, inspection.Evidence{Source: "listing", Text: part})
		}
	}
	if len(kinds) == 2 {
		c.add(inspection.Finding{Code: "EBIKE_BATTERY_TYPE_MISMATCH", Severity: inspection.High,
			Message: fmt.Sprintf("the listing offers both lead-acid (%s) and lithium (%s) batteries under one model: they are different CCC units (CNCA-C11-16)",
				kinds["lead_acid"], kinds["lithium"]),
			Evidence: ev})
	}
}

// toy raises the toy codes of CONTRACT.md 4.6 that read the label's
// warning.
func (c *checker) toy(haveLabels bool) {
	if c.r.Category != inspection.Toy || !haveLabels {
		return
	}
	// A key shown whose value could not be read (适用年款, its 3岁以上 lost
	// in blur) shows the age grading is on the label.
	if c.best(c.label, "age_range") == nil && !c.keyed["age_range"] {
		c.absent(inspection.Finding{Code: "TOY_NO_AGE_GRADING", Severity: inspection.Medium,
			Message: "no 适用年龄 (age grading) on any label image", Evidence: c.labelImagesEvidence()})
	}
	if c.best(c.label, "warning") == nil {
		// The words of a warning show one whose key was misread.
		if words, _ := c.labelSays(PhraseRule{Phrases: c.pack.Toy.WarningWords}); len(words) == 0 && !c.labelNear(c.pack.Toy.WarningWords) {
			c.absent(inspection.Finding{Code: "TOY_NO_WARNING", Severity: inspection.Medium,
				Message: "no warning (警告/注意) on any label image", Evidence: c.labelImagesEvidence()})
		}
	}
	if c.in.Listing == nil {
		return
	}
	var restrict *inspection.Evidence
	var restriction string
	for _, im := range c.in.Images {
		for _, l := range im.Lines {
			if p := findPhrase(squeeze(l.Text), c.pack.Toy.Under3Label, c.pack.Negations); p != "" && restrict == nil && im.Kind == inspection.KindLabel {
				e := evidenceOf(im.Name, l)
				restrict, restriction = &e, p
			}
		}
	}
	if restrict == nil {
		return
	}
	for _, part := range listingParts(c.in.Listing) {
		if p := findPhrase(squeeze(part), c.pack.Toy.Under3Listing, c.pack.Negations); p != "" {
			c.add(inspection.Finding{Code: "TOY_AGE_CONFLICT", Severity: inspection.High,
				Message: fmt.Sprintf("the label says %s, and the listing targets children under 3 (%q) (%s)",
					restriction, p, c.pack.Toy.Basis),
				Evidence: []inspection.Evidence{*restrict, {Source: "listing", Text: part}}})
			return
		}
	}
}

// listingParts are the pieces of a listing a phrase is looked for in, as
// shown: the title, each attribute as "key: value", and the text.
func listingParts(l *inspection.Listing) []string {
	parts := []string{l.Title}
	keys := make([]string, 0, len(l.Attributes))
	for k := range l.Attributes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, k+": "+l.Attributes[k])
	}
	return append(parts, l.Text)
}

// squeeze is text normalised for phrase search: NFKC (full-width colons
// become ":") and without spaces, which OCR puts between Chinese
// characters and sellers between words.
func squeeze(s string) string {
	return strings.Join(strings.Fields(NormalizeText(s)), "")
}

// labelNear reports whether a line of a label image holds one of words of
// four characters or more with one character misread (内含小零作 for
// 内含小零件) or lost (适合3岁 for 不适合3岁): in a shorter word, one
// character is too much of it (小零售 is no 小零件).
func (c *checker) labelNear(words []string) bool {
	for _, im := range c.in.Images {
		if im.Kind != inspection.KindLabel {
			continue
		}
		for _, l := range im.Lines {
			text := []rune(squeeze(l.Text))
			for _, w := range words {
				if nearIn(text, []rune(squeeze(w))) {
					return true
				}
			}
		}
	}
	return false
}

// nearIn reports whether text holds word, of four characters or more,
// with one character misread or lost.
func nearIn(text, word []rune) bool {
	if len(word) < 4 {
		return false
	}
	for i := 0; i+len(word) <= len(text); i++ {
		if substitutions(text[i:i+len(word)], word) <= 1 {
			return true
		}
	}
	for i := 0; i+len(word)-1 <= len(text); i++ {
		if lacksOne(text[i:i+len(word)-1], word) {
			return true
		}
	}
	return false
}

// findPhrase returns the first of phrases that s contains, or "". A
// phrase starting with a digit must not continue a number ("1岁" is not in
// "11岁"), and one after a word of negations in its clause is denied, not
// said (严禁改装 offers no modification, 非裸车 is no bare frame).
func findPhrase(s string, phrases []string, negations Negations) string {
	for _, p := range phrases {
		p = squeeze(p)
		for from := 0; ; {
			i := strings.Index(s[from:], p)
			if i < 0 {
				break
			}
			at := from + i
			first, _ := utf8.DecodeRuneInString(p)
			before, _ := utf8.DecodeLastRuneInString(s[:at])
			if (!unicode.IsDigit(first) || at == 0 || !unicode.IsDigit(before)) && !negated(s[:at], negations) {
				return p
			}
			from = at + len(p)
		}
	}
	return ""
}

// negated reports whether the clause that before ends (what follows its
// last clause mark) holds one of the pack's negations, outside the words
// that hold one without denying (非常).
func negated(before string, negations Negations) bool {
	clause := before[strings.LastIndexAny(before, "，。；！？,;!?：:\n")+1:]
	for _, w := range negations.Not {
		clause = strings.ReplaceAll(clause, w, "")
	}
	for _, n := range negations.Words {
		if strings.Contains(clause, n) {
			return true
		}
	}
	return false
}

// valueIs reports whether a canonical field value is one of values: the
// same, or holding it when it is a word of two characters or more.
func valueIs(canonical string, values []string) bool {
	for _, v := range values {
		v = strings.ToUpper(squeeze(v))
		if canonical == v || (utf8.RuneCountInString(v) >= 2 && strings.Contains(canonical, v)) {
			return true
		}
	}
	return false
}

func hasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, strings.ToUpper(p)) {
			return true
		}
	}
	return false
}

// registryChecks raises the registry codes of CONTRACT.md 4.2 for the
// well-formed certificate numbers the labels show (the listing's when they
// show none): is it in the registry, valid, and of this manufacturer and
// model?
func (c *checker) registryChecks() {
	reg := c.in.Registry
	if reg == nil {
		c.r.Registry = inspection.RegistryResult{Reason: "no certificate registry given"}
		return
	}
	// The label's numbers are the product's own claim; the listing's is
	// looked up only when no label shows one (a listing that shows another
	// number is a LISTING_MISMATCH already).
	var numbers []Value
	for _, vs := range [][]Value{c.valuesOf(c.label, "ccc_number"), c.valuesOf(c.listing, "ccc_number")} {
		for _, v := range vs {
			if c.cccProblem(v.Canonical, c.r.Category) == "" {
				numbers = append(numbers, v)
			}
		}
		if len(numbers) > 0 {
			break
		}
	}
	if len(numbers) == 0 {
		c.r.Registry = inspection.RegistryResult{Reason: "no well-formed certificate number to look up"}
		return
	}
	for i, v := range numbers {
		if c.misreadNumber(v) {
			continue
		}
		rec, ok := c.lookup(v.Canonical)
		if c.err != nil {
			return
		}
		if i == 0 {
			c.r.Registry = inspection.RegistryResult{Checked: true, CertificateNo: v.Canonical, Status: "not_found"}
			if ok {
				c.r.Registry.Status = rec.Status
			}
		}
		// A number read unsure off a photo may be misread: a person looks
		// before the listing fails.
		unsure := v.Evidence.Source != "listing" && v.Confidence < SlipConfidence && !slices.ContainsFunc(c.listing, func(l Value) bool {
			return l.Field == "ccc_number" && l.Canonical == v.Canonical
		})
		if !ok {
			f := inspection.Finding{Code: "CCC_CERT_NOT_FOUND", Severity: inspection.High,
				Message:    fmt.Sprintf("certificate %s is not in the registry (%d certificates)", v.Raw, reg.Len()),
				LabelValue: labelSide(v), ListingValue: listingSide(v), Evidence: []inspection.Evidence{v.Evidence}}
			if unsure {
				mayBeMisread(&f, v.Confidence)
			}
			c.add(f)
			continue
		}
		where := fmt.Sprintf("registry line %d", rec.Line)
		switch {
		case rec.Status != registry.Valid:
			c.add(inspection.Finding{Code: "CCC_CERT_NOT_VALID", Severity: inspection.High,
				Message:    fmt.Sprintf("certificate %s is %s in the registry (%s)", v.Raw, rec.Status, where),
				LabelValue: labelSide(v), ListingValue: listingSide(v), Evidence: []inspection.Evidence{v.Evidence}})
		case !rec.ExpiryDate.IsZero() && rec.ExpiryDate.Before(c.now):
			c.add(inspection.Finding{Code: "CCC_CERT_NOT_VALID", Severity: inspection.High,
				Message: fmt.Sprintf("certificate %s is valid in the registry but expired on %s (%s)", v.Raw,
					rec.ExpiryDate.Format("2006-01-02"), where),
				LabelValue: labelSide(v), ListingValue: listingSide(v), Evidence: []inspection.Evidence{v.Evidence}})
		}
		c.registryHolds(v, "manufacturer", "CCC_CERT_MANUFACTURER_MISMATCH", []string{rec.Manufacturer}, where)
		c.registryHolds(v, "model", "CCC_CERT_MODEL_MISMATCH", rec.Models, where)
	}
}

// misreadDigits is how many digits of a certificate number read unsure may
// differ from a registered number another label shows for it to be taken as
// a misreading of that number.
const misreadDigits = 2

// misreadNumber reports whether v, a label's certificate number read unsure
// that the registry does not hold, is a misreading of a number the registry
// does hold that the listing or another label, read surer, shows: one
// product does not carry two certificates a digit or two apart, one of them
// never issued. (A listing's number the label does not show is still a
// LISTING_MISMATCH, for review.)
func (c *checker) misreadNumber(v Value) bool {
	if v.Evidence.Source == "listing" || v.Confidence >= SlipConfidence || c.registered(v.Canonical) {
		return false
	}
	near := func(w Value) bool {
		a, b := []rune(w.Canonical), []rune(v.Canonical)
		return w.Confidence > v.Confidence && len(a) == len(b) && w.Canonical != v.Canonical &&
			substitutions(a, b) <= misreadDigits && c.registered(w.Canonical)
	}
	return slices.ContainsFunc(c.valuesOf(c.label, "ccc_number"), near) || slices.ContainsFunc(c.valuesOf(c.listing, "ccc_number"), near)
}

// registryHolds raises code when none of the label's values of field is
// among the registry's (those empty: the registry does not say) and the
// label gives a reading of it, or, without one, the listing gives another.
// A label value that differs from one only where OCR slips goes to review;
// when the listing gives the registry's value, that doubt waits for
// oneDoubt.
func (c *checker) registryHolds(num Value, field, code string, want []string, where string) {
	want = slices.DeleteFunc(slices.Clone(want), func(s string) bool { return s == "" })
	if len(want) == 0 {
		return
	}
	canon := make([]string, len(want))
	for i, w := range want {
		canon[i] = Canonical(field, w)
	}
	// registered: v is one of the registry's values.
	registered := func(v Value) bool {
		return slices.ContainsFunc(canon, func(w string) bool { return SameValue(field, v.Canonical, w) })
	}
	if slices.ContainsFunc(c.valuesOf(c.label, field), registered) {
		return
	}
	// The label's value, of those that are readings (misread): a model
	// read JS30-12# on one photo and JSD31-12A8 on another is JSD31-12A8.
	// Without one, the product's value is the listing's, as the listing's
	// certificate number is looked up without the label's.
	whose := "label's"
	lab := bestWhere(c.label, func(v Value) bool { return v.Field == field && !c.misread(field, v, canon...) })
	if lab == nil {
		whose, lab = "listing's", c.best(c.listing, field)
		if lab == nil || registered(*lab) {
			return
		}
	}
	f := inspection.Finding{Code: code, Severity: inspection.High,
		Message: fmt.Sprintf("the %s %s %s is not the registry's for certificate %s (%s: %s)",
			whose, field, lab.Raw, num.Raw, where, strings.Join(want, "; ")),
		LabelValue: labelSide(*lab), ListingValue: listingSide(*lab), Evidence: []inspection.Evidence{lab.Evidence, num.Evidence}}
	if lab.Unsure {
		// The glyphs that differ from the listing's value were read unsure;
		// the registry's is the listing's, or near it.
		f.Severity = inspection.Medium
		f.Message += fmt.Sprintf("; it was read at confidence %.2f, every character where it differs from the listing's read unsure: check the photo", lab.Confidence)
	}
	if f.Severity != inspection.Medium && slices.ContainsFunc(canon, func(w string) bool { return MaybeSlip(lab.Canonical, w, lab.Confidence) }) {
		f.Severity = inspection.Medium
		f.Message += fmt.Sprintf("; it was read at confidence %.2f and differs only where OCR slips: check the photo", lab.Confidence)
	}
	if f.Severity == inspection.Medium && slices.ContainsFunc(c.valuesOf(c.listing, field), registered) {
		c.doubts = append(c.doubts, doubt{field: field, finding: f,
			registry: fmt.Sprintf("certificate %s (%s: %s)", num.Raw, where, strings.Join(want, "; "))})
		return
	}
	c.add(f)
}
