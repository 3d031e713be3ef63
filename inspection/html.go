package inspection

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ParseListingHTML reads a saved product page (listing.html, CONTRACT.md
// 1.2): the <title> (or the first <h1>) is the title; the key-value pairs
// of attribute tables (<table> rows, <dl> terms, <li> items written
// "key：value") are the attributes; the visible text is the text, a line
// per block. Scripts, styles, templates and hidden elements (the hidden
// attribute, aria-hidden, display:none, visibility:hidden, hidden inputs)
// are ignored. The canonical link or og:url, if any, is the URL.
func ParseListingHTML(data []byte) (*Listing, error) {
	if !utf8.Valid(data) {
		data = bytes.ToValidUTF8(data, nil)
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("listing.html: %w", err)
	}
	p := &pageReader{attrs: map[string]string{}}
	p.walk(doc)
	l := &Listing{Title: clean(p.title), URL: p.url, Text: strings.TrimSpace(p.text.String())}
	if l.Title == "" {
		l.Title = clean(p.h1)
	}
	if len(p.attrs) > 0 {
		l.Attributes = p.attrs
	}
	return l, nil
}

type pageReader struct {
	title, h1, url string
	text           strings.Builder
	attrs          map[string]string
}

// skipped elements hold no visible text.
var skipped = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Template: true, atom.Noscript: true,
	atom.Iframe: true, atom.Svg: true, atom.Object: true}

// block elements start a new line of text.
var block = map[atom.Atom]bool{atom.P: true, atom.Div: true, atom.Li: true, atom.Tr: true, atom.Br: true, atom.H1: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Dt: true, atom.Dd: true,
	atom.Section: true, atom.Article: true, atom.Table: true, atom.Ul: true, atom.Ol: true, atom.Dl: true,
	atom.Header: true, atom.Footer: true, atom.Blockquote: true, atom.Pre: true, atom.Title: true}

func (p *pageReader) walk(n *html.Node) {
	if n.Type == html.ElementNode {
		if skipped[n.DataAtom] || hidden(n) {
			return
		}
		switch n.DataAtom {
		case atom.Title:
			if p.title == "" {
				p.title = textOf(n)
			}
			return // the title is not page text
		case atom.Link:
			if strings.EqualFold(attr(n, "rel"), "canonical") && p.url == "" {
				p.url = attr(n, "href")
			}
		case atom.Meta:
			if attr(n, "property") == "og:url" && p.url == "" {
				p.url = attr(n, "content")
			}
		case atom.H1:
			if p.h1 == "" {
				p.h1 = textOf(n)
			}
		case atom.Tr:
			p.row(n)
		case atom.Dl:
			p.terms(n)
		case atom.Li:
			p.pair(textOf(n))
		}
		if block[n.DataAtom] {
			p.newline()
		}
	}
	if n.Type == html.TextNode {
		if s := strings.Join(strings.Fields(n.Data), " "); s != "" {
			if p.text.Len() > 0 && !strings.HasSuffix(p.text.String(), "\n") {
				p.text.WriteByte(' ')
			}
			p.text.WriteString(s)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		p.walk(c)
	}
	if n.Type == html.ElementNode && block[n.DataAtom] {
		p.newline()
	}
}

func (p *pageReader) newline() {
	if p.text.Len() > 0 && !strings.HasSuffix(p.text.String(), "\n") {
		p.text.WriteByte('\n')
	}
}

// row reads a table row as key-value pairs: cells taken two by two (a
// header cell and its value, or several pairs side by side).
func (p *pageReader) row(tr *html.Node) {
	var cells []string
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) && !hidden(c) {
			cells = append(cells, clean(textOf(c)))
		}
	}
	if len(cells) == 1 {
		p.pair(cells[0])
		return
	}
	for i := 0; i+1 < len(cells); i += 2 {
		p.set(cells[i], cells[i+1])
	}
}

// terms reads a definition list: each <dt> with the <dd> after it.
func (p *pageReader) terms(dl *html.Node) {
	var key string
	for c := dl.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || hidden(c) {
			continue
		}
		switch c.DataAtom {
		case atom.Dt:
			key = clean(textOf(c))
		case atom.Dd:
			if key != "" {
				p.set(key, clean(textOf(c)))
				key = ""
			}
		}
	}
}

// pair reads "key：value" (or "key: value") as an attribute.
func (p *pageReader) pair(s string) {
	s = clean(s)
	for _, sep := range []string{"：", ":"} {
		if k, v, ok := strings.Cut(s, sep); ok {
			p.set(k, v)
			return
		}
	}
}

// set keeps the first value of a key; keys and values must be short
// enough to be a spec table's, not a paragraph that holds a colon.
func (p *pageReader) set(k, v string) {
	k, v = strings.TrimRight(clean(k), ":："), clean(v)
	if k == "" || v == "" || utf8.RuneCountInString(k) > 20 || utf8.RuneCountInString(v) > 200 {
		return
	}
	if _, dup := p.attrs[k]; !dup {
		p.attrs[k] = v
	}
}

// hidden reports whether an element is not shown.
func hidden(n *html.Node) bool {
	if _, ok := attrOK(n, "hidden"); ok {
		return true
	}
	if strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	if n.DataAtom == atom.Input && strings.EqualFold(attr(n, "type"), "hidden") {
		return true
	}
	style := strings.ToLower(strings.Join(strings.Fields(attr(n, "style")), ""))
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

// textOf is the visible text inside n, spaces collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (skipped[n.DataAtom] || hidden(n)) {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return clean(b.String())
}

// clean collapses runs of space to one and trims the ends.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}
