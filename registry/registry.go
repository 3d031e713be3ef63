// Package registry reads the certificate registry of CONTRACT.md 1.3: the
// CCC certificate records a platform or regulator holds, as CSV. Rows that
// cannot be read are reported with their line numbers and skipped, never
// half-read; the rest are indexed by certificate number.
package registry

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The certificate statuses of CONTRACT.md 1.3.
const (
	Valid     = "valid"
	Suspended = "suspended"
	Revoked   = "revoked"
	Cancelled = "cancelled"
	Expired   = "expired"
)

// statusWords maps the status words a registry may use, English or
// Chinese, to the statuses.
var statusWords = map[string]string{
	"valid": Valid, "有效": Valid,
	"suspended": Suspended, "暂停": Suspended,
	"revoked": Revoked, "撤销": Revoked, "撤消": Revoked,
	"cancelled": Cancelled, "canceled": Cancelled, "注销": Cancelled,
	"expired": Expired, "过期": Expired,
}

// Record is one certificate.
type Record struct {
	// Line is the line of the CSV file the record was read from.
	Line          int
	CertificateNo string
	Status        string
	Holder        string
	Manufacturer  string
	Factory       string
	ProductName   string
	Models        []string
	// IssueDate and ExpiryDate are zero when the registry leaves them out.
	IssueDate, ExpiryDate time.Time
}

// Problem is a row that was skipped, or a doubt about one kept.
type Problem struct {
	Line   int
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Reason) }

// Registry is a loaded registry.
type Registry struct {
	// Source names where the registry came from (a file path).
	Source string
	// Problems are the rows skipped, with why, in file order.
	Problems []Problem
	byNo     map[string]*Record
}

// Certificates is a registry to look certificates up in: a Registry read
// from CSV here, or one held in labelcheck's store (package store).
type Certificates interface {
	// Certificate returns the record of a certificate number (any spacing,
	// full- or half-width digits); ok is false when the registry has none.
	Certificate(no string) (rec *Record, ok bool, err error)
	// Len is the number of certificates held.
	Len() int
}

// Len is the number of certificates loaded.
func (r *Registry) Len() int { return len(r.byNo) }

// Certificate is Lookup as Certificates asks it: a map look-up cannot fail.
func (r *Registry) Certificate(no string) (*Record, bool, error) {
	rec, ok := r.Lookup(no)
	return rec, ok, nil
}

// All is every certificate loaded, in no particular order.
func (r *Registry) All() iter.Seq[*Record] { return maps.Values(r.byNo) }

// Lookup returns the record of a certificate number (any spacing, full- or
// half-width digits).
func (r *Registry) Lookup(no string) (*Record, bool) {
	rec, ok := r.byNo[Number(no)]
	return rec, ok
}

// Number is a certificate number in the form the registry is indexed by:
// its digits, NFKC-folded, with spaces and dashes dropped.
func Number(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s)
}

// columns of CONTRACT.md 1.3; certificate_no and status are required.
var columns = []string{"certificate_no", "status", "holder", "manufacturer", "factory", "product_name", "models", "issue_date", "expiry_date"}

// LoadFile loads the registry in the CSV file at path.
func LoadFile(path string) (*Registry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	defer f.Close()
	r, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("registry %s: %w", path, err)
	}
	r.Source = path
	return r, nil
}

// Load reads a registry. It fails only when the whole file is unusable (no
// header, or no certificate_no or status column); a bad row is a Problem.
func Load(src io.Reader) (*Registry, error) {
	br := bufio.NewReader(src)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3) // a spreadsheet's UTF-8 byte order mark
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // a row of the wrong width is a Problem, not the end
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file: want a header row naming certificate_no and status")
		}
		return nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		if _, dup := col[name]; !dup {
			col[name] = i
		}
	}
	for _, need := range []string{"certificate_no", "status"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("no %s column in the header (columns: %s)", need, strings.Join(columns, ", "))
		}
	}
	reg := &Registry{byNo: map[string]*Record{}}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				reason := perr.Err.Error()
				if perr.Line > perr.StartLine {
					// An unclosed quote runs on: say which lines went with it.
					reason += fmt.Sprintf(" (lines %d-%d read as one broken row)", perr.StartLine, perr.Line)
				}
				reg.Problems = append(reg.Problems, Problem{Line: perr.StartLine, Reason: reason})
				continue
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(row) != len(header) {
			reg.Problems = append(reg.Problems, Problem{Line: line, Reason: fmt.Sprintf("%d fields, the header has %d", len(row), len(header))})
			continue
		}
		rec, reason := parseRow(row, col)
		if reason != "" {
			reg.Problems = append(reg.Problems, Problem{Line: line, Reason: reason})
			continue
		}
		rec.Line = line
		if first, dup := reg.byNo[rec.CertificateNo]; dup {
			reg.Problems = append(reg.Problems, Problem{Line: line,
				Reason: fmt.Sprintf("certificate %s is already on line %d; the row of line %d is kept", rec.CertificateNo, first.Line, first.Line)})
			continue
		}
		reg.byNo[rec.CertificateNo] = rec
	}
	return reg, nil
}

// parseRow reads one row, or says why it cannot.
func parseRow(row []string, col map[string]int) (*Record, string) {
	get := func(name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(norm.NFKC.String(row[i]))
		}
		return ""
	}
	rec := &Record{CertificateNo: Number(get("certificate_no")), Holder: get("holder"), Manufacturer: get("manufacturer"),
		Factory: get("factory"), ProductName: get("product_name")}
	if len(rec.CertificateNo) != 16 || strings.Trim(rec.CertificateNo, "0123456789") != "" {
		return nil, fmt.Sprintf("certificate_no %q is not 16 digits", get("certificate_no"))
	}
	status, ok := statusWords[strings.ToLower(get("status"))]
	if !ok {
		return nil, fmt.Sprintf("status %q is none of valid, suspended, revoked, cancelled, expired (有效, 暂停, 撤销, 注销, 过期)", get("status"))
	}
	rec.Status = status
	for _, m := range strings.FieldsFunc(get("models"), func(r rune) bool { return r == ';' || r == '、' || r == '；' }) {
		if m = strings.TrimSpace(m); m != "" {
			rec.Models = append(rec.Models, m)
		}
	}
	for _, d := range []struct {
		name string
		to   *time.Time
	}{{"issue_date", &rec.IssueDate}, {"expiry_date", &rec.ExpiryDate}} {
		if s := get(d.name); s != "" {
			t, err := time.Parse("2006-01-02", s)
			if err != nil {
				return nil, fmt.Sprintf("%s %q is not a YYYY-MM-DD date", d.name, s)
			}
			*d.to = t
		}
	}
	return rec, ""
}
