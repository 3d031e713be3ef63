// Package report writes case reports in the formats of CONTRACT.md section 2:
// json (all cases and a summary), jsonl (one case per line) and text (a
// summary for people at a terminal).
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/labelcheck/labelcheck/inspection"
)

// Writer receives reports one by one and finishes the document on Close.
type Writer interface {
	Write(r *inspection.Report) error
	Close() error
}

// Formats lists the formats New accepts.
var Formats = []string{"text", "json", "jsonl"}

// New returns a writer of the named format on w.
func New(format string, w io.Writer) (Writer, error) {
	switch format {
	case "json":
		return &jsonWriter{w: w, summary: NewSummary()}, nil
	case "jsonl":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return &jsonlWriter{enc: enc}, nil
	case "text":
		return &textWriter{w: w, summary: NewSummary()}, nil
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

type textWriter struct {
	w       io.Writer
	summary *Summary
}

func (t *textWriter) Write(r *inspection.Report) error {
	t.summary.Add(r)
	var b strings.Builder
	fmt.Fprintf(&b, "%-6s %s  [%s", strings.ToUpper(string(r.Verdict)), r.Case, r.Category)
	if r.ListingID != "" {
		fmt.Fprintf(&b, ", listing %s", r.ListingID)
	}
	if r.Seller != nil && r.Seller.Name != "" {
		fmt.Fprintf(&b, ", seller %s", r.Seller.Name)
	}
	fmt.Fprintf(&b, "]  %d image(s), %d ms\n", len(r.Images), r.ElapsedMs)
	if r.Error != "" {
		fmt.Fprintf(&b, "       error: %s\n", r.Error)
	}
	for _, f := range r.Findings {
		code := f.Code
		if f.Field != "" {
			code += "(" + f.Field + ")"
		}
		fmt.Fprintf(&b, "       %-6s %s: %s\n", f.Severity, code, f.Message)
		for _, e := range f.Evidence {
			if e.Image != "" && e.Box != nil {
				fmt.Fprintf(&b, "              %s %v %q\n", e.Image, *e.Box, e.Text)
			}
		}
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *textWriter) Close() error {
	s := t.summary
	var parts []string
	for _, v := range []inspection.Verdict{inspection.Fail, inspection.Review, inspection.Pass, inspection.Error} {
		if n := s.Verdicts[string(v)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	codes := make([]string, 0, len(s.Findings))
	for c := range s.Findings {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var fs []string
	for _, c := range codes {
		fs = append(fs, fmt.Sprintf("%s %d", c, s.Findings[c]))
	}
	_, err := fmt.Fprintf(t.w, "\n%d case(s): %s\n", s.Cases, strings.Join(parts, ", "))
	if err == nil && len(fs) > 0 {
		_, err = fmt.Fprintf(t.w, "findings: %s\n", strings.Join(fs, ", "))
	}
	return err
}
