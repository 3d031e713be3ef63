package labelgen

import "testing"

func TestAllFontsLoad(t *testing.T) {
	for _, f := range Fonts {
		w, err := measure("型号：ABC", f.Name, 30)
		if err != nil || w < 100 {
			t.Errorf("%s: width %d, %v", f.Name, w, err)
		}
	}
}
