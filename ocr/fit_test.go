package ocr

import (
	"regexp"
	"slices"
	"testing"

	"gocv.io/x/gocv"

	"github.com/labelcheck/labelcheck/internal/labelgen"
)

// fitPaddle is a recogniser of six characters, without a network: fit
// works on the output alone.
func fitPaddle() *Paddle {
	keys := []string{"G", "6", "B", "8", "1", "-"}
	p := &Paddle{keys: keys, class: map[rune]int{}, classes: len(keys) + 1}
	for i, k := range keys {
		p.class[[]rune(k)[0]] = i + 1
	}
	return p
}

// TestFitFollowsTheForm: fit is the likeliest path whose text is of the
// form, over the same steps as the greedy reading, with CTC's rule that a
// character read twice needs a blank between.
func TestFitFollowsTheForm(t *testing.T) {
	p := fitPaddle()
	// Six steps over blank, G, 6, B, 8, 1, -: 6 likelier than G, 8 than B.
	probs := []float32{
		0, 0.4, 0.6, 0, 0, 0, 0,
		0.9, 0.1, 0, 0, 0, 0, 0,
		0, 0, 0, 0.45, 0.55, 0, 0,
		0.9, 0, 0, 0, 0, 0.1, 0,
		0, 0, 0, 0, 0, 1, 0,
		1, 0, 0, 0, 0, 0, 0,
	}
	if read, _ := p.decode(probs, 6); read != "681" {
		t.Fatalf("greedy reading %q, want 681", read)
	}
	for _, c := range []struct {
		pattern, want string
		ok            bool
	}{
		{`.*`, "681", true},           // any text: the greedy reading
		{`GB1`, "GB1", true},          // forced where the pixels allow it
		{`[G6]B1`, "6B1", true},       // the likelier where the form allows either
		{`G(?:B|8)-?1`, "G81", true},  // an optional character not taken
		{`GB-1`, "GB-1", true},        // a character where a blank was likelier
		{`G{4}`, "", false},           // G four times needs blanks between: 7 steps
		{`[0-9G6B8]{7}`, "", false},   // more characters than steps
		{`(?:GB|6B)18?`, "6B1", true}, // alternatives of a form
	} {
		f, err := p.compileForm(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := p.fit(probs, 6, f)
		if got != c.want || ok != c.ok {
			t.Errorf("fit to %s: %q %v, want %q %v", c.pattern, got, ok, c.want, c.ok)
		}
		if ok && !regexp.MustCompile(`^(?:`+c.pattern+`)$`).MatchString(got) {
			t.Errorf("fit to %s: %q is not of the form", c.pattern, got)
		}
		if ok && p.ctcLikelihood(probs, 6, got) == p.ctcLikelihood(probs, 6, "") {
			t.Errorf("fit to %s: %q has no likelihood of its own", c.pattern, got)
		}
	}
	// Each instruction reads the classes of the characters it matches,
	// however it holds them.
	for _, pattern := range []string{`G`, `[G6]`, `[0-9]`, `(?i)g`, `.`, `[^G]`, `\pL`} {
		f, err := p.compileForm(pattern)
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile(`^(?:` + pattern + `)$`)
		var want []int
		for i, k := range p.keys {
			if re.MatchString(k) {
				want = append(want, i+1)
			}
		}
		var got []int
		for _, pc := range f.next[start] {
			got = append(got, f.classes[pc]...)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s reads classes %v, want %v", pattern, got, want)
		}
	}
	if _, err := p.compileForm(`GB(`); err == nil {
		t.Error("a form that does not parse was compiled")
	}
}

// TestFitReadsAFormOffALine: on a real line, a fit to the form it shows
// is what PP-OCR reads, and a fit to another form is much less likely.
func TestFitReadsAFormOffALine(t *testing.T) {
	p := newPaddle(t)
	m := textOf(t, "执行标准：GB6675.1-2014", "noto-sans")
	defer m.Close()
	var fitted, forced string
	var ok1, ok2 bool
	read, _, readLL, lls, err := p.Likelihoods(t.Context(), m, func(read string, fit Fit) []string {
		fitted, ok1 = fit(`执行标准：(?:GB|QB/T) ?\d{3,5}(?:\.\d)?-\d{4}`)
		forced, ok2 = fit(`执行标准：\d{4}`)
		return []string{fitted, forced}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("read %q (%.2f): fitted %q (%.2f), forced %q (%.2f)", read, readLL, fitted, lls[0], forced, lls[1])
	if read != "执行标准：GB6675.1-2014" {
		t.Fatalf("read %q; the case does not test what it says", read)
	}
	if !ok1 || fitted != read {
		t.Errorf("fit to the standard's form: %q %v, want %q", fitted, ok1, read)
	}
	if !ok2 || lls[1] > readLL-10 {
		t.Errorf("fit to four digits: %q %v at %.2f, want far below %.2f", forced, ok2, lls[1], readLL)
	}
	if _, _, _, _, err := p.Likelihoods(t.Context(), m, func(_ string, fit Fit) []string { fit(`(`); return nil }); err == nil {
		t.Error("a form that does not compile is no error")
	}
}

// BenchmarkFit fits a line of a standard's designation, its code lost, to
// the standard's form after its key: the cost of one fit, over the
// network's output (the network's own run is not counted).
func BenchmarkFit(b *testing.B) {
	p := newPaddle(b)
	img, err := labelgen.RenderText("执行标准17761-2018", "noto-sans", 40)
	if err != nil {
		b.Fatal(err)
	}
	m, err := gocv.ImageGrayToMatGray(labelgen.Gray(img))
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	const pattern = `执行标准 ?(?:(?:GB(?:/[TZ])?|[A-Z]{2}/T|DB\d{2}/T) ?\d{3,5}(?:\.\d{1,2})?-(?:19\d{2}|20[0-2]\d))`
	err = p.run(b.Context(), m, func(probs []float32, steps int) {
		f, err := p.compileForm(pattern)
		if err != nil {
			b.Fatal(err)
		}
		text, _ := p.fit(probs, steps, f)
		b.Logf("%d steps: fitted %q", steps, text)
		b.Run("compile", func(b *testing.B) {
			for b.Loop() {
				p.compileForm(pattern)
			}
		})
		b.Run("decode", func(b *testing.B) {
			for b.Loop() {
				p.fit(probs, steps, f)
			}
		})
	})
	if err != nil {
		b.Fatal(err)
	}
}
