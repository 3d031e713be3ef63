package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/labelcheck/labelcheck/inspection"
)

// CSVColumns are the columns of the CSV report, in order. A row is a
// finding of a case, or a case without findings (a pass, or an error with
// its reason in message).
var CSVColumns = []string{"case", "listing_id", "seller_id", "seller_name", "category", "verdict",
	"severity", "code", "field", "label_value", "listing_value", "message", "evidence"}

// csvWriter writes CONTRACT.md section 2's CSV: UTF-8 with a byte order mark
// and CRLF line ends, as spreadsheet programs expect; fields with commas,
// quotes or line breaks quoted.
type csvWriter struct {
	out    io.Writer
	w      *csv.Writer
	header bool
}

func newCSVWriter(w io.Writer) *csvWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &csvWriter{out: w, w: cw}
}

func (c *csvWriter) Write(r *inspection.Report) error {
	if err := c.start(); err != nil {
		return err
	}
	var seller inspection.Seller
	if r.Seller != nil {
		seller = *r.Seller
	}
	head := []string{r.Case, r.ListingID, seller.ID, seller.Name, string(r.Category), string(r.Verdict)}
	if len(r.Findings) == 0 {
		if err := c.row(append(head, "", "", "", "", "", r.Error, "")); err != nil {
			return err
		}
	}
	for _, f := range r.Findings {
		ev := make([]string, len(f.Evidence))
		for i, e := range f.Evidence {
			ev[i] = evidenceText(e)
		}
		if err := c.row(append(head, string(f.Severity), f.Code, f.Field, f.LabelValue, f.ListingValue, f.Message,
			strings.Join(ev, "\n"))); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}

// start writes the byte order mark and the header, once.
func (c *csvWriter) start() error {
	if c.header {
		return nil
	}
	c.header = true
	if _, err := io.WriteString(c.out, "\ufeff"); err != nil {
		return err
	}
	return c.w.Write(CSVColumns)
}

// row writes one row, each cell made safe to open (spreadsheetSafe).
func (c *csvWriter) row(cells []string) error {
	for i, s := range cells {
		cells[i] = spreadsheetSafe(s)
	}
	return c.w.Write(cells)
}

// spreadsheetSafe keeps a cell from being taken for a formula: a listing's
// text is the seller's, and =HYPERLINK(...) or +cmd|... in a cell runs in a
// spreadsheet program that opens the file. Such a cell starts with a ' then,
// which the program shows as text.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// evidenceText is one evidence entry on one line: the image, the box and
// what was read there, or the listing's text.
func evidenceText(e inspection.Evidence) string {
	var b strings.Builder
	switch {
	case e.Image != "":
		b.WriteString(e.Image)
		if e.Box != nil {
			fmt.Fprintf(&b, " [%d %d %d %d]", e.Box[0], e.Box[1], e.Box[2], e.Box[3])
		}
	case e.Source != "":
		b.WriteString(e.Source)
	}
	if e.Text != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(strings.ReplaceAll(e.Text, "\n", " "))
	}
	if e.Confidence > 0 {
		fmt.Fprintf(&b, " (%.2f)", e.Confidence)
	}
	return b.String()
}

func (c *csvWriter) Close() error {
	if err := c.start(); err != nil { // an empty batch still has its header
		return err
	}
	c.w.Flush()
	return c.w.Error()
}
