package labelgen

import (
	"fmt"
	"os"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// FontSpec names a CJK font from a Debian package: the file and the family
// inside a collection.
type FontSpec struct {
	Name    string // short name used in truth files
	Path    string
	Family  string // family name inside a .ttc; empty for the first font
	Package string // the Debian package that installs it
}

// Fonts are the CJK fonts the generator renders with; scripts/deps installs
// their packages.
var Fonts = []FontSpec{
	{Name: "noto-sans", Path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", Family: "Noto Sans CJK SC", Package: "fonts-noto-cjk"},
	{Name: "noto-sans-bold", Path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", Family: "Noto Sans CJK SC", Package: "fonts-noto-cjk"},
	{Name: "noto-serif", Path: "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", Family: "Noto Serif CJK SC", Package: "fonts-noto-cjk"},
	{Name: "wqy-zenhei", Path: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", Family: "WenQuanYi Zen Hei", Package: "fonts-wqy-zenhei"},
	{Name: "ar-pl-uming", Path: "/usr/share/fonts/truetype/arphic/uming.ttc", Family: "AR PL UMing CN", Package: "fonts-arphic-uming"},
}

var (
	fontMu    sync.Mutex
	fontCache = map[string]*opentype.Font{}
)

// loadFont parses a font once per process.
func loadFont(spec FontSpec) (*opentype.Font, error) {
	fontMu.Lock()
	defer fontMu.Unlock()
	if f, ok := fontCache[spec.Name]; ok {
		return f, nil
	}
	data, err := os.ReadFile(spec.Path)
	if err != nil {
		return nil, fmt.Errorf("font %s (Debian package %s): %w", spec.Name, spec.Package, err)
	}
	var fonts []*opentype.Font
	if coll, err := opentype.ParseCollection(data); err == nil {
		for i := range coll.NumFonts() {
			f, err := coll.Font(i)
			if err != nil {
				// Unaligned tables: re-pack this font of the collection.
				aligned, aerr := extractAligned(data, i)
				if aerr != nil {
					return nil, fmt.Errorf("font %s: %v; %v", spec.Path, err, aerr)
				}
				if f, err = opentype.Parse(aligned); err != nil {
					return nil, fmt.Errorf("font %s: %w", spec.Path, err)
				}
			}
			fonts = append(fonts, f)
		}
	} else {
		return nil, fmt.Errorf("font %s: %w", spec.Path, err)
	}
	var buf sfnt.Buffer
	for _, f := range fonts {
		fam, err := f.Name(&buf, sfnt.NameIDFamily)
		if err == nil && (spec.Family == "" || fam == spec.Family) {
			fontCache[spec.Name] = f
			return f, nil
		}
	}
	return nil, fmt.Errorf("font %s: family %q not in %s", spec.Name, spec.Family, spec.Path)
}

func fontByName(name string) FontSpec {
	for _, f := range Fonts {
		if f.Name == name {
			return f
		}
	}
	panic("labelgen: unknown font " + name) // programming error: names are constants
}

// face returns a face of the named font at size pixels.
func face(name string, size float64) (font.Face, error) {
	f, err := loadFont(fontByName(name))
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
}
