package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/labelcheck/labelcheck/inspection"
)

// textWriter writes a case per paragraph: the verdict, the case and its
// listing, then each finding with its severity, message and the photo
// evidence; Close adds the batch's total.
type textWriter struct {
	w       io.Writer
	summary *Summary
	color   bool
}

// ANSI styles: what an inspector should look at first stands out.
const (
	ansiReset   = "\x1b[0m"
	ansiBoldRed = "\x1b[1;31m"
	ansiRed     = "\x1b[31m"
	ansiYellow  = "\x1b[33m"
	ansiGreen   = "\x1b[32m"
	ansiMagenta = "\x1b[35m"
	ansiCyan    = "\x1b[36m"
	ansiDim     = "\x1b[2m"
)

var verdictStyle = map[inspection.Verdict]string{inspection.Fail: ansiBoldRed, inspection.Review: ansiYellow,
	inspection.Pass: ansiGreen, inspection.Error: ansiMagenta}

var severityStyle = map[inspection.Severity]string{inspection.High: ansiRed, inspection.Medium: ansiYellow,
	inspection.Low: ansiCyan, inspection.Info: ansiDim}

// paint wraps s, padded to width first, in style when colour is on: the
// padding stays outside the escape codes' count.
func (t *textWriter) paint(style, s string, width int) string {
	pad := ""
	if n := width - len([]rune(s)); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	if !t.color || style == "" {
		return s + pad
	}
	return style + s + ansiReset + pad
}

func (t *textWriter) Write(r *inspection.Report) error {
	t.summary.Add(r)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s  [%s", t.paint(verdictStyle[r.Verdict], strings.ToUpper(string(r.Verdict)), 6), r.Case, r.Category)
	if r.ListingID != "" {
		fmt.Fprintf(&b, ", listing %s", r.ListingID)
	}
	if r.Seller != nil && r.Seller.Name != "" {
		fmt.Fprintf(&b, ", seller %s", r.Seller.Name)
	}
	fmt.Fprintf(&b, "]  %d image(s), %d ms\n", len(r.Images), r.ElapsedMs)
	if r.Error != "" {
		fmt.Fprintf(&b, "       %s %s\n", t.paint(ansiMagenta, "error:", 0), r.Error)
	}
	for _, f := range r.Findings {
		code := f.Code
		if f.Field != "" {
			code += "(" + f.Field + ")"
		}
		msg := strings.Join(strings.Fields(f.Message), " ") // one line, whatever the message holds
		fmt.Fprintf(&b, "       %s %s: %s\n", t.paint(severityStyle[f.Severity], string(f.Severity), 6), code, msg)
		if f.LabelValue != "" && f.ListingValue != "" && !(strings.Contains(msg, f.LabelValue) && strings.Contains(msg, f.ListingValue)) {
			fmt.Fprintf(&b, "              label %q · listing %q\n", f.LabelValue, f.ListingValue)
		}
		for _, e := range f.Evidence {
			if e.Image != "" && e.Box != nil {
				fmt.Fprintf(&b, "              %s\n", t.paint(ansiDim, fmt.Sprintf("%s %v %q", e.Image, *e.Box, e.Text), 0))
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
			parts = append(parts, t.paint(verdictStyle[v], fmt.Sprintf("%d %s", n, v), 0))
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
