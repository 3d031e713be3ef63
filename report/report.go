// Package report writes case reports in the formats of CONTRACT.md section 2:
// json (all cases and a summary), jsonl (one case per line), text (a
// summary for people at a terminal), csv (a row per finding, for
// spreadsheets) and html (one self-contained page with the photos and the
// evidence drawn on them).
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/labelcheck/labelcheck/inspection"
)

// Writer receives reports one by one and finishes the document on Close.
type Writer interface {
	Write(r *inspection.Report) error
	Close() error
}

// Formats lists the formats New accepts.
var Formats = []string{"text", "json", "jsonl", "csv", "html"}

// Options are what some formats need beyond the reports.
type Options struct {
	// Color marks verdicts and severities with ANSI colours in the text
	// report.
	Color bool
	// Picture gives the HTML report an image of a case to embed (Picture);
	// nil embeds none.
	Picture func(r *inspection.Report, image string) (*Picture, error)
}

// New returns a writer of the named format on w.
func New(format string, w io.Writer, opts Options) (Writer, error) {
	switch format {
	case "csv":
		return newCSVWriter(w), nil
	case "html":
		return newHTMLWriter(w, opts), nil
	case "json":
		return &jsonWriter{w: w, summary: NewSummary()}, nil
	case "jsonl":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return &jsonlWriter{enc: enc}, nil
	case "text":
		return &textWriter{w: w, summary: NewSummary(), color: opts.Color}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

type jsonlWriter struct{ enc *json.Encoder }

func (j *jsonlWriter) Write(r *inspection.Report) error { return j.enc.Encode(r) }
func (j *jsonlWriter) Close() error                     { return nil }

type jsonWriter struct {
	w       io.Writer
	cases   []*inspection.Report
	summary *Summary
}

func (j *jsonWriter) Write(r *inspection.Report) error {
	j.cases = append(j.cases, r)
	j.summary.Add(r)
	return nil
}

func (j *jsonWriter) Close() error {
	if j.cases == nil {
		j.cases = []*inspection.Report{}
	}
	enc := json.NewEncoder(j.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Cases   []*inspection.Report `json:"cases"`
		Summary *Summary             `json:"summary"`
	}{j.cases, j.summary})
}

// Counts is a tally of verdicts and finding codes.
type Counts struct {
	Cases    int            `json:"cases"`
	Verdicts map[string]int `json:"verdicts"`
	Findings map[string]int `json:"findings"`
}

func newCounts() *Counts {
	return &Counts{Verdicts: map[string]int{}, Findings: map[string]int{}}
}

func (c *Counts) add(r *inspection.Report) {
	c.Cases++
	c.Verdicts[string(r.Verdict)]++
	for _, f := range r.Findings {
		c.Findings[f.Code]++
	}
}

// SellerCounts is a Counts for one seller, with the seller's name.
type SellerCounts struct {
	Name string `json:"name,omitempty"`
	Counts
}

// Summary is the batch total of CONTRACT.md section 2: cases by verdict,
// findings by code, and both by category and by seller.
type Summary struct {
	Counts
	ByCategory map[string]*Counts       `json:"by_category"`
	BySeller   map[string]*SellerCounts `json:"by_seller"`
}

// NewSummary returns an empty summary.
func NewSummary() *Summary {
	return &Summary{Counts: *newCounts(), ByCategory: map[string]*Counts{}, BySeller: map[string]*SellerCounts{}}
}

// Add counts one report.
func (s *Summary) Add(r *inspection.Report) {
	s.Counts.add(r)
	cat := string(r.Category)
	if s.ByCategory[cat] == nil {
		s.ByCategory[cat] = newCounts()
	}
	s.ByCategory[cat].add(r)
	seller := "(unknown)"
	name := ""
	if r.Seller != nil && (r.Seller.ID != "" || r.Seller.Name != "") {
		seller, name = r.Seller.ID, r.Seller.Name
		if seller == "" {
			seller = r.Seller.Name
		}
	}
	if s.BySeller[seller] == nil {
		s.BySeller[seller] = &SellerCounts{Name: name, Counts: *newCounts()}
	}
	s.BySeller[seller].add(r)
}
