package ocr

import (
	"cmp"
	"fmt"
	"math"
	"regexp/syntax"
	"slices"
)

// Fit is the likeliest text of a form that the recogniser's output for
// one line gives: pattern is a regular expression (RE2 syntax) the whole
// text must match. ok is false when no text of the form fits the line's
// steps.
type Fit func(pattern string) (text string, ok bool)

// form is a pattern compiled for fitting: the consuming instructions of
// its program, what each may read, and which each may be followed by.
type form struct {
	prog *syntax.Prog
	// classes[pc] are the recogniser's classes instruction pc reads.
	classes map[int][]int
	// next[pc] are the consuming instructions that may follow pc (start:
	// the program's first), and ends[pc] whether the text may end there.
	next map[int][]int
	ends map[int]bool
}

// start stands for the position before the first character.
const start = -1

// compileForm compiles pattern against the recogniser's characters.
// A form is compiled for each fit, not kept: the patterns hold the line's
// own text, and fits are few (values of no form).
func (p *Paddle) compileForm(pattern string) (*form, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("form %q: %w", pattern, err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil, fmt.Errorf("form %q: %w", pattern, err)
	}
	f := &form{prog: prog, classes: map[int][]int{}, next: map[int][]int{}, ends: map[int]bool{}}
	f.next[start], f.ends[start] = f.closure(prog.Start)
	for pc := range prog.Inst {
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
		default:
			continue
		}
		f.classes[pc] = p.classesOf(in)
		f.next[pc], f.ends[pc] = f.closure(int(in.Out))
	}
	return f, nil
}

// classesOf are the recogniser's classes instruction in reads: those of
// its runes when they are few (a literal, a digit), else those of every
// character the recogniser knows that it matches.
func (p *Paddle) classesOf(in *syntax.Inst) []int {
	var ranges []rune // lowest and highest of each range, when few
	switch {
	case in.Op == syntax.InstRune1, in.Op == syntax.InstRune && len(in.Rune) == 1 && in.Arg&uint32(syntax.FoldCase) == 0:
		ranges = []rune{in.Rune[0], in.Rune[0]}
	case in.Op == syntax.InstRune && len(in.Rune)%2 == 0 && in.Arg&uint32(syntax.FoldCase) == 0 && runesIn(in.Rune) <= 256:
		ranges = in.Rune
	}
	var out []int
	if ranges != nil {
		for i := 0; i+1 < len(ranges); i += 2 {
			for r := ranges[i]; r <= ranges[i+1]; r++ {
				if c, ok := p.class[r]; ok {
					out = append(out, c)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	for i, k := range p.keys {
		if r := []rune(k); len(r) == 1 && in.MatchRune(r[0]) && p.class[r[0]] == i+1 {
			out = append(out, i+1)
		}
	}
	return out
}

// runesIn is how many runes ranges, pairs of lowest and highest, hold.
func runesIn(ranges []rune) int {
	n := 0
	for i := 0; i+1 < len(ranges); i += 2 {
		n += int(ranges[i+1]-ranges[i]) + 1
	}
	return n
}

// closure is the consuming instructions reachable from pc without reading,
// and whether a match is.
func (f *form) closure(pc int) (consumers []int, match bool) {
	seen := map[int]bool{}
	var walk func(pc int)
	walk = func(pc int) {
		if seen[pc] {
			return
		}
		seen[pc] = true
		in := f.prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			walk(int(in.Out))
			walk(int(in.Arg))
		case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
			// The text is matched whole: ^ and $ hold at its ends, and
			// the forms have no other empty-width assertion.
			walk(int(in.Out))
		case syntax.InstMatch:
			match = true
		case syntax.InstFail:
		default:
			consumers = append(consumers, pc)
		}
	}
	walk(pc)
	slices.Sort(consumers)
	return consumers, match
}

// fitBeam bounds the paths fit keeps at each step.
const fitBeam = 256

// fitState is where a path fit follows stands: the instruction that read
// its last character, that character's class, and whether a blank was
// read since.
type fitState struct {
	pc, class int
	blank     bool
}

// fitPath is a path's log-probability and text.
type fitPath struct {
	score float64
	text  []rune
}

// fit is the likeliest CTC path through probs, steps × classes, whose text
// is of form f (Viterbi over the product of the steps and f's program): at
// each step a path reads a blank, the character it read last once more, or
// a new character an instruction it may go on to reads.
func (p *Paddle) fit(probs []float32, steps int, f *form) (string, bool) {
	logp := func(t, c int) float64 { return math.Log(math.Max(float64(probs[t*p.classes+c]), 1e-30)) }
	paths := map[fitState]fitPath{{pc: start, blank: true}: {}}
	for t := range steps {
		next := make(map[fitState]fitPath, len(paths)*2)
		keep := func(s fitState, score float64, text []rune) {
			if old, ok := next[s]; !ok || score > old.score {
				next[s] = fitPath{score, text}
			}
		}
		for s, pa := range paths {
			keep(fitState{s.pc, s.class, true}, pa.score+logp(t, 0), pa.text)
			if s.class != 0 && !s.blank {
				keep(s, pa.score+logp(t, s.class), pa.text)
			}
			for _, pc := range f.next[s.pc] {
				for _, c := range f.classes[pc] {
					if c == s.class && !s.blank {
						continue // read as the same character once more
					}
					text := append(slices.Clip(pa.text), []rune(p.keys[c-1])[0])
					keep(fitState{pc, c, false}, pa.score+logp(t, c), text)
				}
			}
		}
		paths = prune(next, fitBeam)
	}
	best, found := math.Inf(-1), false
	var text []rune
	for s, pa := range paths {
		if f.ends[s.pc] && (pa.score > best || pa.score == best && string(pa.text) < string(text)) {
			best, text, found = pa.score, pa.text, true
		}
	}
	return string(text), found
}

// prune keeps the n best of paths, ties broken by state so that the
// same output always fits the same text.
func prune(paths map[fitState]fitPath, n int) map[fitState]fitPath {
	if len(paths) <= n {
		return paths
	}
	states := make([]fitState, 0, len(paths))
	for s := range paths {
		states = append(states, s)
	}
	slices.SortFunc(states, func(a, b fitState) int {
		if d := cmp.Compare(paths[b].score, paths[a].score); d != 0 {
			return d
		}
		if d := cmp.Compare(a.pc, b.pc); d != 0 {
			return d
		}
		if d := cmp.Compare(a.class, b.class); d != 0 {
			return d
		}
		return cmp.Compare(b2i(a.blank), b2i(b.blank))
	})
	out := make(map[fitState]fitPath, n)
	for _, s := range states[:n] {
		out[s] = paths[s]
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
