package registry

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const header = "certificate_no,status,holder,manufacturer,factory,product_name,models,issue_date,expiry_date\n"

func TestLoadReadsGoodRowsAndReportsBadOnes(t *testing.T) {
	csv := "\xef\xbb\xbf" + header +
		"2021012401123456,valid,美厨,佛山市美厨电器有限公司,佛山工厂,家用燃气灶,JZT-2E01B;JZT-2E02B,2021-03-01,2026-02-28\n" + // 2
		"2021012401123457,撤销,美厨,佛山市美厨电器有限公司,,家用燃气灶,JZY-2E01B、JZY-2E02B,,\n" + // 3: Chinese status, 、
		"2021 0124 0112 3458,有效,,,,,,,\n" + // 4: spaced number
		"20210124011234,valid,,,,,,,\n" + // 5: 14 digits
		"2021012401123459,maybe,,,,,,,\n" + // 6: unknown status
		"2021012401123460,valid,,,,,,2021/03/01,\n" + // 7: bad date
		"2021012401123461,valid,too,few\n" + // 8: short row
		"2021012401123456,expired,,,,,,,\n" + // 9: duplicate of line 2
		"2021012401123462,valid,\"broken \"quote,,,,,,\n" + // 10: bare quote
		"２０２１０１２４０１１２３４６３,注销,,,,,,,\n" // 11: full-width digits
	reg, err := Load(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if reg.Len() != 4 {
		t.Errorf("%d certificates loaded, want 4", reg.Len())
	}
	rec, ok := reg.Lookup("2021012401123456")
	if !ok || rec.Status != Valid || rec.Line != 2 || len(rec.Models) != 2 || rec.Models[1] != "JZT-2E02B" ||
		rec.Manufacturer != "佛山市美厨电器有限公司" || !rec.ExpiryDate.Equal(time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("line 2: %+v", rec)
	}
	if rec, ok := reg.Lookup("2021012401123457"); !ok || rec.Status != Revoked || len(rec.Models) != 2 {
		t.Errorf("line 3: %+v", rec)
	}
	if _, ok := reg.Lookup("2021-0124-0112-3458"); !ok {
		t.Error("line 4: a spaced number is not found written with dashes")
	}
	if rec, ok := reg.Lookup("2021012401123463"); !ok || rec.Status != Cancelled {
		t.Errorf("line 11: %+v", rec)
	}
	want := map[int]string{5: "not 16 digits", 6: "status \"maybe\"", 7: "not a YYYY-MM-DD", 8: "4 fields", 9: "already on line 2", 10: "quote"}
	if len(reg.Problems) != len(want) {
		t.Errorf("problems %v, want lines %v", reg.Problems, want)
	}
	for _, p := range reg.Problems {
		if w, ok := want[p.Line]; !ok || !strings.Contains(p.Reason, w) {
			t.Errorf("problem %v, want %q on that line", p, w)
		}
	}
}

func TestLoadRefusesAnUnusableFile(t *testing.T) {
	for name, csv := range map[string]string{
		"empty":       "",
		"no status":   "certificate_no,holder\n2021012401123456,美厨\n",
		"not a table": "\"unclosed",
	} {
		if _, err := Load(strings.NewReader(csv)); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
}

// An unclosed quote takes the lines after it into one field: the problem
// says which lines went.
func TestLoadSaysWhatAnUnclosedQuoteSwallowed(t *testing.T) {
	csv := header + "2021012401123456,valid,,,,,,,\n" + "2021012401123457,valid,\"open,,,,,,\n" + "2021012401123458,valid,,,,,,,\n"
	reg, err := Load(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if reg.Len() != 1 || len(reg.Problems) != 1 || reg.Problems[0].Line != 3 || !strings.Contains(reg.Problems[0].Reason, "lines 3-") {
		t.Errorf("%d loaded, problems %v", reg.Len(), reg.Problems)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(header + "2021012401123456,valid,,,,,a;b,2021-01-01,\n")
	f.Add(header + "\"x\n,\"\"\n")
	f.Add("certificate_no,status\n1,有效\n2021012401123456,\n")
	f.Fuzz(func(t *testing.T, csv string) {
		reg, err := Load(strings.NewReader(csv))
		if err != nil {
			return
		}
		lines := strings.Count(csv, "\n") + 1
		for _, p := range reg.Problems {
			if p.Line < 1 || p.Line > lines || p.Reason == "" {
				t.Errorf("problem %v in a file of %d lines", p, lines)
			}
		}
		for no, rec := range reg.byNo {
			if len(no) != 16 || rec.Status == "" || rec.Line < 2 || rec.Line > lines {
				t.Errorf("record %s: %+v", no, rec)
			}
		}
	})
}

// writeRows writes a registry of n certificates.
func writeRows(tb testing.TB, n int) string {
	var b bytes.Buffer
	b.WriteString(header)
	for i := range n {
		fmt.Fprintf(&b, "2021%012d,valid,持证人%d,制造商%d有限公司,工厂%d,家用燃气灶,JZT-%dA;JZT-%dB,2021-03-01,2026-02-28\n", i, i, i, i, i, i)
	}
	path := filepath.Join(tb.TempDir(), "registry.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkLoad100k loads a registry of 100,000 certificates.
func BenchmarkLoad100k(b *testing.B) {
	path := writeRows(b, 100_000)
	for b.Loop() {
		reg, err := LoadFile(path)
		if err != nil || reg.Len() != 100_000 {
			b.Fatalf("%v, %d loaded", err, reg.Len())
		}
	}
}

// BenchmarkLookup looks a number up in a registry of 100,000.
func BenchmarkLookup(b *testing.B) {
	reg, err := LoadFile(writeRows(b, 100_000))
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if _, ok := reg.Lookup(fmt.Sprintf("2021%012d", i%100_000)); !ok {
			b.Fatal("not found")
		}
		i++
	}
}
