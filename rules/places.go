package rules

import (
	"slices"
	"strings"
	"sync"

	"github.com/labelcheck/labelcheck/models"
)

// place is one administrative division of the gazetteer with the ones
// under it.
type place struct {
	name []rune
	kids []*place
}

var (
	placesOnce sync.Once
	placeRoot  *place
)

// places parses the embedded gazetteer (models.Places) once.
func places() *place {
	placesOnce.Do(func() {
		placeRoot = &place{}
		path := []*place{placeRoot}
		for line := range strings.Lines(models.Places()) {
			name := strings.TrimLeft(strings.TrimRight(line, "\r\n"), "\t")
			depth := len(line) - len(strings.TrimLeft(line, "\t"))
			if name == "" || depth >= len(path) {
				continue // a malformed line: the tree stays whole without it
			}
			p := &place{name: []rune(name)}
			parent := path[depth]
			parent.kids = append(parent.kids, p)
			path = append(path[:depth+1], p)
		}
	})
	return placeRoot
}

// unwritten reports whether a division's name is a placeholder that
// addresses do not write: the 市辖区 (districts under the city) of the
// municipalities, or a county level named as its city (中山市 has no
// counties).
func (p *place) unwritten(parent *place) bool {
	n := string(p.name)
	return n == "市辖区" || n == "县" || n == "省直辖县级行政区划" || n == "自治区直辖县级行政区划" || (parent != nil && n == string(parent.name))
}

// CorrectPlaces corrects the place names of an address read by OCR against
// the gazetteer: walking down from the province (or from a city when the
// address starts there), each division name must be one under the
// last; a name of three characters or more with one character misread
// (天津市北展区 for 北辰区, 宁波市禁溪市 for 慈溪市), with the same last
// character (区, 市, 镇 …), or with its first lost (东省中山市), is taken to
// be the only division under the last one it can be (see matchPlace). The
// walk stops at the first name it cannot place; what
// follows (a road, a number) is left as read. changed reports a
// correction.
func CorrectPlaces(addr string) (fixed string, changed bool) {
	text := []rune(addr)
	var out []rune
	done := 0
	walkPlaces(text, func(p *place, pos, n int, exact bool) bool {
		out = append(out, p.name...)
		done = pos + n
		changed = changed || !exact
		return true
	})
	if !changed {
		return addr, false
	}
	return string(append(out, text[done:]...)), true
}

// matchPlace finds the division under node (see nearPlaces for which)
// that text starts with: exactly, or else misread where the gazetteer
// leaves one division it can be. n is the number of runes matched.
//
// A name with one character misread (北展区) is the division a glyph away
// when only one is; when several are (西山区: 锡山区 and 惠山区 under 无锡市),
// the one the next name read is a division of (东港镇 is a town of 锡山区
// only). A name whose first glyph was lost (东省 for 广东省, lost at the
// crop's edge where no pixels can tell it) is the division it is the rest
// of only when the next name is one of its divisions, read exactly, and
// no other fits so.
func matchPlace(node *place, text []rune, top bool) (p *place, n int, exact bool) {
	var misread, lost []*place
	for _, m := range nearPlaces(node, text, top) {
		switch {
		case m.n < len(m.place.name):
			if continuesExactly(m.place, text[m.n:]) {
				lost = appendPlace(lost, m.place)
			}
		case substitutions(text[:m.n], m.place.name) == 0:
			return m.place, m.n, true
		case substitutions(text[:m.n], m.place.name) == 1:
			misread = appendPlace(misread, m.place)
		}
	}
	if len(misread) > 1 {
		misread = slices.DeleteFunc(misread, func(p *place) bool { return !continuesExactly(p, text[len(p.name):]) })
	}
	switch {
	case len(misread) == 1 && len(lost) == 0:
		return misread[0], len(misread[0].name), false
	case len(lost) == 1 && len(misread) == 0:
		return lost[0], len(lost[0].name) - 1, false
	}
	return nil, 0, false
}

// appendPlace appends p to ps unless a division of the same name is there
// (a county-level city is a candidate twice: under its city and its
// province).
func appendPlace(ps []*place, p *place) []*place {
	if slices.ContainsFunc(ps, func(q *place) bool { return string(q.name) == string(p.name) }) {
		return ps
	}
	return append(ps, p)
}

// continuesExactly reports whether rest, the text after a division's name,
// starts with the name of a division under it, read exactly.
func continuesExactly(p *place, rest []rune) bool {
	return readExactly(nearPlaces(p, rest, false), rest)
}

// readExactly reports whether ms, the divisions text starts with
// (nearPlaces), are one division whose whole name text starts with.
func readExactly(ms []placeMatch, text []rune) bool {
	return len(ms) == 1 && ms[0].n == len(ms[0].place.name) && string(text[:ms[0].n]) == string(ms[0].place.name)
}

// NamesPlaces reports whether a value of field names places the gazetteer
// knows, so that of two readings of one value the one that places more of
// itself (PlacedLength) is the likelier: an address, and a company's name,
// mostly after its city (永康市金达日用品有限公司 read 金达日用品有限公司 on
// one photo of hard case 115).
func NamesPlaces(field string) bool { return field == "address" || field == "manufacturer" }

// PlacedLength is how many characters at the start of addr, an address as
// read, are names of divisions of the gazetteer, each under the one
// before: how much of it the gazetteer vouches for. 广东省佛山市顺德区容桂街道
// 华口工业区8号 has 13, 广东省佛山市德汉客街道… (顺德区 misread) 6.
func PlacedLength(addr string) int {
	placed := 0
	walkPlaces([]rune(addr), func(p *place, pos, n int, exact bool) bool {
		if exact {
			placed = pos + n
		}
		return exact
	})
	return placed
}

// walkPlaces walks down the gazetteer along text, an address as read, from
// the province (or a city where the address starts there): visit is given
// each division matched (matchPlace), where its name starts in text, how
// many runes of text it spans and whether it was read exactly, and says
// whether to go on. The walk stops at
// the first name it cannot place.
func walkPlaces(text []rune, visit func(p *place, pos, n int, exact bool) bool) {
	node, pos := places(), 0
	for pos < len(text) {
		next, n, exact := matchPlace(node, text[pos:], node == places())
		if next == nil || !visit(next, pos, n, exact) {
			return
		}
		node, pos = next, pos+n
	}
}

// startsWithPlace reports whether text starts with the name of a province
// or a city of the gazetteer, as read.
func startsWithPlace(text []rune) bool {
	p, _, exact := matchPlace(places(), text, true)
	return p != nil && exact
}

// candidatesUnder are the divisions an address may name after node: its
// kids, the kids of its unwritten kids, at the top the cities too, and
// after a province the county-level cities of its cities (浙江省永康市,
// 浙江省义乌市: the city above them, 金华市, left out).
func candidatesUnder(node *place, top bool) []*place {
	var cands []*place
	var collect func(parent *place, depth int)
	collect = func(parent *place, depth int) {
		for _, k := range parent.kids {
			if !k.unwritten(parent) {
				cands = append(cands, k)
			}
			if k.unwritten(parent) || (top && depth == 0) {
				collect(k, depth+1)
			}
		}
	}
	collect(node, 0)
	if slices.Contains(places().kids, node) {
		for _, city := range node.kids {
			for _, k := range city.kids {
				if n := k.name; !k.unwritten(city) && n[len(n)-1] == '市' {
					cands = append(cands, k)
				}
			}
		}
	}
	return cands
}

// substitutions counts the positions where two rune strings of the same
// length differ.
func substitutions(a, b []rune) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// maxPlaceVariants bounds the readings PlaceVariants gives.
const maxPlaceVariants = 24

// PlaceVariants are the readings an address read by OCR may be, place by
// place against the gazetteer, for the pixels to choose from: where a name
// matches no division exactly, every division under the last one placed
// that it could be with up to two characters misread (a third of a
// name's characters at most), or with its first character lost (东省 for
// 广东省, 山区 for 锡山区 or 惠山区) where the next name is one of its
// divisions; after those, where no division is near, a town of three
// characters with both before its kind misread (farTowns), and a division
// whose name, read exactly, is one character from the name read
// (misledBy); and after the last division placed, where a word addresses
// use (经济开发区, 工业园) is read with one character wrong, the word
// (wordVariants). The address as read is not among them, nor a reading
// that places less of the address than another (中山市德德区 where
// 佛山市顺德区 places the district too). placed reports whether addr starts
// with a division at all (exactly or near).
func PlaceVariants(addr string) (variants []string, placed bool) {
	var out []string
	// guessed: node is a division guessed from its last characters, which
	// needs a division of its own after it. far: the second walk, which
	// offers farTowns and misledBy.
	var far bool
	var walk func(node *place, done, rest []rune, guessed bool)
	walk = func(node *place, done, rest []rune, guessed bool) {
		if len(out) >= maxPlaceVariants {
			return
		}
		top := node == places()
		next := nearPlaces(node, rest, top)
		if guessed && !readExactly(next, rest) {
			return
		}
		switch {
		case top:
		case len(next) == 0:
			// A town's name that is no town's: the towns it may be, and
			// not the name as read, once every nearer reading is made.
			if towns := farTowns(node, rest); len(towns) > 0 {
				if !far {
					return
				}
				next = towns
			}
		case far && readExactly(next, rest):
			next = append(next, misledBy(node, next[0].place, rest)...)
		}
		if len(next) == 0 {
			for _, r := range append([]string{string(rest)}, wordVariants(rest)...) {
				if v := string(done) + r; v != addr && !slices.Contains(out, v) {
					out = append(out, v)
				}
			}
			return
		}
		for _, m := range next {
			lost := m.n < len(m.place.name)
			walk(m.place, append(slices.Clone(done), m.place.name...), rest[m.n:], lost)
		}
	}
	text := []rune(addr)
	if len(nearPlaces(places(), text, true)) == 0 {
		return nil, false
	}
	// Far towns and misleading names after every nearer reading, which the
	// bound on the variants must not leave out.
	for _, far = range []bool{false, true} {
		walk(places(), nil, text, false)
	}
	// A reading that leaves a name unplaced that another places prints a
	// place that does not exist (中山市德德区, where 佛山市顺德区 is near).
	placedLen := make([]int, len(out))
	for i, v := range out {
		placedLen[i] = PlacedLength(v)
	}
	most := slices.Max(append(placedLen, 0))
	for i, v := range out {
		if placedLen[i] == most {
			variants = append(variants, v)
		}
	}
	return variants, true
}

// addressWords are words of three characters or more that addresses use
// after their divisions: a word read with one character wrong (经济所发区,
// 工业国) is that word misread, as no place is named so near one.
var addressWords = [][]rune{[]rune("经济开发区"), []rune("经济技术开发区"), []rune("高新技术产业开发区"), []rune("开发区"),
	[]rune("工业园区"), []rune("工业园"), []rune("工业区"), []rune("产业园"), []rune("科技园"), []rune("工业大道")}

// MisreadWord reports whether addr holds a word one character from an
// address word (工益园 for 工业园, 经济所发区) where no address word is
// read right: a word no place is named, misread, as a reading that puts
// it right says (PlaceVariants).
func MisreadWord(addr string) bool { return len(wordVariants([]rune(addr))) > 0 }

// otherKinds are the last characters of names of places of other kinds
// than the address words': roads, streets, lanes, villages, towns.
const otherKinds = "路街巷弄村镇乡城"

// wordVariants are rest with one address word read with one character
// wrong put right, each word where it first is so. Where a word is read
// right (工业园), no other (工业区) is made of it; nor where its last
// character is read as another kind of place's (工业路, 科技城: a road, a
// town named so).
func wordVariants(rest []rune) []string {
	read := make([]bool, len(rest))
	for _, w := range addressWords {
		for i := 0; i+len(w) <= len(rest); i++ {
			if string(rest[i:i+len(w)]) == string(w) {
				for k := i; k < i+len(w); k++ {
					read[k] = true
				}
			}
		}
	}
	var out []string
	for _, w := range addressWords {
		for i := 0; i+len(w) <= len(rest); i++ {
			at := rest[i : i+len(w)]
			if !slices.Contains(read[i:i+len(w)], true) && substitutions(at, w) == 1 && !strings.ContainsRune(otherKinds, at[len(w)-1]) {
				out = append(out, string(rest[:i])+string(w)+string(rest[i+len(w):]))
				break
			}
		}
	}
	return out
}

// placeMatch is a division text may start with, spanning n of its runes.
type placeMatch struct {
	place *place
	n     int
}

// nearPlaces are the divisions under node (see matchPlace for which) that
// text starts with: the exact one, else the near ones (see PlaceVariants).
func nearPlaces(node *place, text []rune, top bool) []placeMatch {
	var near []placeMatch
	for _, k := range candidatesUnder(node, top) {
		name := k.name
		if len(name) <= len(text) && string(text[:len(name)]) == string(name) {
			return []placeMatch{{k, len(name)}}
		}
		if len(name) < 3 {
			continue
		}
		last := name[len(name)-1] // 省, 市, 区, 镇 …: the kind of division
		if len(name) <= len(text) && text[len(name)-1] == last && substitutions(text[:len(name)], name) <= max(1, len(name)/3) {
			near = append(near, placeMatch{k, len(name)})
		} else if len(name)-1 <= len(text) && string(text[:len(name)-1]) == string(name[1:]) {
			near = append(near, placeMatch{k, len(name) - 1})
		}
	}
	return near
}

// misledBy are the divisions under node with one character of p's name
// wrong, read as p, that the rest of text places where p's divisions do
// not (中山市德德区容桂街道 is 佛山市顺德区容桂街道: 中山市 has no 德德区 or
// one near it, and 佛山市 has 顺德区): a name read exactly may be another's
// misread.
func misledBy(node, p *place, text []rune) []placeMatch {
	n := len(p.name)
	if len(nearPlaces(p, text[n:], false)) > 0 {
		return nil
	}
	var out []placeMatch
	for _, k := range candidatesUnder(node, false) {
		if len(k.name) == n && k.name[n-1] == p.name[n-1] && substitutions(k.name, p.name) == 1 && len(nearPlaces(k, text[n:], false)) > 0 {
			out = append(out, placeMatch{k, n})
		}
	}
	return out
}

// farTowns are the towns (镇, 乡) of three characters under node that
// text may start with, both characters before the kind misread (商都镇
// for 周巷镇 under 慈溪市): a county holds a score of towns at most, for
// the pixels to choose from. PlaceVariants offers them where no division
// is nearer.
func farTowns(node *place, text []rune) []placeMatch {
	if len(text) < 3 || (text[2] != '镇' && text[2] != '乡') {
		return nil
	}
	var far []placeMatch
	for _, k := range candidatesUnder(node, false) {
		if len(k.name) == 3 && k.name[2] == text[2] {
			far = append(far, placeMatch{k, 3})
		}
	}
	return far
}
