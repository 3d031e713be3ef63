package inspection

import (
	"strings"
	"testing"
)

func TestVerdictOf(t *testing.T) {
	for _, tc := range []struct {
		sev  []Severity
		want Verdict
	}{
		{nil, Pass},
		{[]Severity{Info, Low}, Pass},
		{[]Severity{Low, Medium}, Review},
		{[]Severity{Medium, High, Info}, Fail},
	} {
		var fs []Finding
		for _, s := range tc.sev {
			fs = append(fs, Finding{Severity: s})
		}
		if got := VerdictOf(fs); got != tc.want {
			t.Errorf("VerdictOf(%v) = %s, want %s", tc.sev, got, tc.want)
		}
	}
	if !(Error.Rank() == Fail.Rank() && Fail.Rank() > Review.Rank() && Review.Rank() > Pass.Rank()) {
		t.Error("verdict ranks out of order")
	}
}

func TestParseListingJSON(t *testing.T) {
	l, err := ParseListingJSON([]byte(`{"id": 100012345, "seller": {"id": "S-1", "name": "店"}, "category": "toy",
		"attributes": {"型号": "A1", "重量": 3.5, "在售": true, "空": null}, "unknown": [1, 2]}`))
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != "100012345" || l.Seller.Name != "店" || l.Category != "toy" {
		t.Errorf("listing %+v", l)
	}
	if l.Attributes["重量"] != "3.5" || l.Attributes["在售"] != "true" || l.Attributes["空"] != "" || l.Attributes["型号"] != "A1" {
		t.Errorf("attributes %v", l.Attributes)
	}
	for _, bad := range []string{``, `{`, `[]`, `{"attributes": "x"}`, `{"seller": 5}`} {
		if _, err := ParseListingJSON([]byte(bad)); err == nil {
			t.Errorf("ParseListingJSON(%q) succeeded", bad)
		} else if !strings.Contains(err.Error(), "listing.json") {
			t.Errorf("error %q does not name the file", err)
		}
	}
}

func TestParseCategory(t *testing.T) {
	for _, c := range Categories {
		if got, err := ParseCategory(string(c)); err != nil || got != c {
			t.Errorf("ParseCategory(%s) = %s, %v", c, got, err)
		}
	}
	if _, err := ParseCategory("sofa"); err == nil {
		t.Error("ParseCategory(sofa) succeeded")
	}
	if Generic.NeedsCCC() || !GasStove.NeedsCCC() || !Toy.NeedsCCC() {
		t.Error("NeedsCCC wrong")
	}
}

func FuzzParseListingJSON(f *testing.F) {
	f.Add([]byte(`{"id": "JD-1", "attributes": {"型号": "A1"}, "text": "型号: A1"}`))
	f.Add([]byte(`{"id": 1e400}`))
	f.Add([]byte(`{"attributes": {"k": {"nested": [1]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseListingJSON(data)
		if err == nil && l == nil {
			t.Fatal("nil listing without error")
		}
	})
}
