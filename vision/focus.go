package vision

import (
	"image"
	"math"
)

// Focus crops the page to where its text is when the text covers a small
// part of a large frame: a label photographed from afar in a 12 MP phone
// picture has 8-point text of 2-3 px at the size line detection works at,
// and of 1-2 px at the orientation step's size. Cropped, the label is looked
// at in full resolution.
//
// The text is located by the DB detector over the whole frame (it tells
// text from the edges of shapes, grain and glare, which the stroke mask
// cannot at this size); Focus does nothing on a page without a detector.
func Focus(p *Page) error {
	side := max(p.Gray.Cols(), p.Gray.Rows())
	// A crop can bring the text closer than line detection sees it by at
	// most side/DetectMaxSide.
	if p.det == nil || float64(side) < focusGain*float64(p.cfg.DetectMaxSide) {
		return nil // no locator, or no crop could gain enough
	}
	bounds := image.Rect(0, 0, p.Gray.Cols(), p.Gray.Rows())
	regs, err := p.det.Detect(p.Gray)
	if err != nil {
		return err
	}
	block, lines := textArea(regs, side)
	// The lines' own direction orients the page (see Orient), whichever
	// look found them.
	defer func() { p.saw(lines) }()
	// Seen from afar, the detector finds some of a label's lines, not all.
	// When it finds a few, a closer look at a window around them finds
	// more (see lookCloser). Text a few pixels high at the detector's size
	// is seen as blobs, or not at all: then the closer look starts where
	// the glance saw the most text. When there are both, each start is
	// looked from and the look that finds more lines is kept: the glance's
	// most text may be an energy label's QR code and bars beside its lines
	// (hard case 146 of seed 1), or the lines seen from afar a shape's
	// edges while the text is where the glance saw it. (Looking from the
	// lines only when the glance's look finds fewer than four: hard 1.66 →
	// 1.90 images/s on 300 cases, but three more false findings.)
	if len(lines) < focusSure {
		var starts []image.Rectangle
		if !p.hint.Empty() && gains(grow(p.hint, focusWindow).Intersect(bounds), side) {
			starts = append(starts, p.hint)
		}
		// Beside the glance's start, one region alone is as likely a
		// shape's edges as a line (hard case 196: a label's blurred block).
		if len(lines) > 0 && (len(starts) == 0 || len(lines) >= 2) {
			starts = append(starts, block)
		}
		found, seen := false, lines
		for _, start := range starts {
			near, more, ok, err := p.lookCloser(start, side)
			if err != nil {
				return err
			}
			if ok && (!found || len(more) > len(lines)) {
				block, lines, found = near, more, true
			}
			if len(more) > len(seen) {
				seen = more
			}
		}
		if !found {
			// No crop; the most lines any look saw still give the
			// page's direction.
			lines = seen
			return nil
		}
	}
	area := grow(block, focusMargin).Intersect(bounds)
	if !gains(area, side) {
		return nil
	}
	crop(p, area)
	p.focus, p.block = area, block.Sub(area.Min).Intersect(image.Rect(0, 0, area.Dx(), area.Dy()))
	return nil
}

// lookCloser looks for a block of lines through windows around block, the
// window moving out while what it finds reaches its edge, at most
// focusLooks times, and gives the last block found and its lines. ok is
// false when a window would not bring the text closer or finds no line
// (the lines are then those the looks before found, if any).
func (p *Page) lookCloser(block image.Rectangle, side int) (near image.Rectangle, lines []Region, ok bool, err error) {
	bounds := image.Rect(0, 0, p.Gray.Cols(), p.Gray.Rows())
	for range focusLooks {
		window := grow(block, focusWindow).Intersect(bounds)
		if !gains(window, side) {
			return near, lines, false, nil // the text is spread over the frame: nothing to gain
		}
		sub := p.Gray.Region(window)
		regs, err := p.det.Detect(sub)
		sub.Close()
		if err != nil {
			return near, lines, false, err
		}
		for i := range regs {
			regs[i].Rect = regs[i].Rect.Add(window.Min)
		}
		area, found := textArea(regs, side)
		if len(found) == 0 {
			return near, lines, false, nil
		}
		block, near, lines = area, area, found
		edge := max(window.Dx(), window.Dy()) / 50
		if area.Inset(-edge).In(window) || window == bounds {
			break
		}
	}
	return near, lines, true, nil
}

// gains reports whether cropping a frame of the given side to r brings its
// text at least focusGain closer.
func gains(r image.Rectangle, side int) bool {
	return !r.Empty() && float64(max(r.Dx(), r.Dy()))*focusGain <= float64(side)
}

// FocusAs crops p as Focus cropped q, a page made from the same image: the
// crop, and the direction of the lines, without a second look for the text.
func (p *Page) FocusAs(q *Page) {
	if !q.focus.Empty() {
		crop(p, q.focus)
		p.focus, p.block = q.focus, q.block
	}
	p.textDir, p.hasDir = q.textDir, q.hasDir
	p.seen = q.seen
}

// saw records the lines the DB detector's last look found: their
// direction, which orients the page, and their number (LinesSeen).
func (p *Page) saw(lines []Region) {
	p.textDir, p.hasDir = textDirection(lines)
	p.seen = len(lines)
}

// LinesSeen is the number of text lines the DB detector saw in Focus's
// last look (0 when Focus did not look): more than the lines read says
// the lines were not all found.
func (p *Page) LinesSeen() int { return p.seen }

// textDirection is the direction the lines run in, in degrees in
// [-90, 90]: the mean of their long sides' directions (as axes, so 89° and
// -89° agree), weighted by length. ok is false with fewer than focusSure
// lines or when they do not agree (a mean resultant under dirAgreement).
func textDirection(lines []Region) (dir float64, ok bool) {
	if len(lines) < focusSure {
		return 0, false
	}
	var x, y, total float64
	for _, l := range lines {
		rad := 2 * l.Dir * math.Pi / 180
		x += l.Width * math.Cos(rad)
		y += l.Width * math.Sin(rad)
		total += l.Width
	}
	if math.Hypot(x, y) < dirAgreement*total {
		return 0, false
	}
	return math.Atan2(y, x) * 90 / math.Pi, true
}

// grow widens r on every side by share of its longer side.
func grow(r image.Rectangle, share float64) image.Rectangle {
	return r.Inset(-int(float64(max(r.Dx(), r.Dy())) * share))
}

const (
	// focusGain is how much closer a crop must bring the text to be made.
	focusGain = 1.5
	// focusMaxLine: a region thicker than this share of the frame's side
	// is not a line of label text but a shape the detector took for one.
	// An energy label's title, a sixth of the frame's side long, is a
	// fortieth of it thick (108 px of 4000 on hard case 52 of seed 1).
	focusMaxLine = 1.0 / 25
	// focusReach: lines closer than this many line heights are one block.
	focusReach = 3
	// focusWindow grows the block of lines found at frame scale, on every
	// side, by this share of its size for the second, closer look.
	focusWindow = 0.8
	// focusLooks bounds the closer looks.
	focusLooks = 3
	// focusSure: a block of this many lines seen from afar is taken as it
	// is; with fewer, the detector is looked through again closer.
	focusSure = 4
	// focusMargin grows the block found, on every side, by this share of its
	// size: room for marks and seals beside the text, and for lines still
	// missed. (100 hard cases: 0.4 gives field recall 0.38, 0.8 gives 0.46;
	// always looking closer with 0.15 gives 0.40, with 0.5 gives 0.44.)
	focusMargin = 0.8
	// dirAgreement: lines whose directions have a mean resultant this long
	// (1: all parallel) give the page's direction.
	dirAgreement = 0.9
)

// textArea is the block of text lines to look at closer: the regions shaped
// like lines are grouped by distance, and the group with the most lines is
// kept with every group at least half as large; block holds its lines
// (none: no text).
func textArea(regs []Region, side int) (area image.Rectangle, block []Region) {
	var lines []Region
	for _, r := range regs {
		if r.Height > 0 && r.Height <= float64(side)*focusMaxLine && r.Width >= 2*r.Height {
			lines = append(lines, r)
		}
	}
	if len(lines) == 0 {
		return image.Rectangle{}, nil
	}
	// Union-find over lines whose reach-grown boxes touch.
	parent := make([]int, len(lines))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	grown := make([]image.Rectangle, len(lines))
	for i, l := range lines {
		grown[i] = l.Rect.Inset(-int(l.Height * focusReach))
	}
	for i := range lines {
		for j := i + 1; j < len(lines); j++ {
			if grown[i].Overlaps(grown[j]) {
				parent[find(i)] = find(j)
			}
		}
	}
	count := map[int]int{}
	best := 0
	for i := range lines {
		root := find(i)
		count[root]++
		best = max(best, count[root])
	}
	for i, l := range lines {
		if root := find(i); 2*count[root] >= best {
			area = area.Union(l.Rect)
			block = append(block, l)
		}
	}
	return area, block
}

// crop cuts the page down to r (in Gray's coordinates), keeping the whole
// frame at mark-search size.
func crop(p *Page, r image.Rectangle) {
	if p.frame.Empty() {
		p.frame.Close()
		p.frame, p.frameScale = p.shrunk(markSide)
		p.frameToImage = p.toImage
	}
	region := p.Gray.Region(r)
	out := region.Clone()
	region.Close()
	p.Gray.Close()
	p.Gray = out
	p.toImage = compose(p.toImage, [6]float64{1, 0, float64(r.Min.X), 0, 1, float64(r.Min.Y)})
}
