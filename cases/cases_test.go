package cases

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var jpegMagic = "\xFF\xD8\xFF\xE0 rest of a jpeg"

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func names(cs []Case) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestOpenFolderOfCases(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"case-b/listing.json": `{"id": "JD-1", "attributes": {"型号": "A1", "weight": 3}}`,
		"case-b/10.jpg":       jpegMagic,
		"case-b/2.jpg":        jpegMagic,
		"case-b/notes.txt":    "inspector's notes",
		"case-b/photo.dat":    "\x89PNG\r\n\x1a\nnamed oddly but a PNG",
		"case-a/1.jpg":        jpegMagic,
		"case-a/fake.jpg":     "just text",
		"empty-folder/.keep":  "",
		"case-c/listing.json": `{"id": `,
		"case-d/listing.txt":  "型号: A2\n品牌：美厨\n",
		"case-e/listing.html": "<title>美厨 燃气灶</title><table><tr><td>型号</td><td>A3</td></tr></table><script>型号:X</script>",
		"case-e/listing.txt":  "型号: not this one",
		"case-e/1.jpg":        jpegMagic,
	})
	src, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if got := strings.Join(names(src.Cases), " "); got != "case-a case-b case-c case-d case-e" {
		t.Fatalf("cases %q", got)
	}
	a, b, c, d, e := src.Cases[0], src.Cases[1], src.Cases[2], src.Cases[3], src.Cases[4]
	if e.Listing == nil || e.Listing.Title != "美厨 燃气灶" || e.Listing.Attributes["型号"] != "A3" || len(e.Images) != 1 || len(e.Notes) != 0 {
		t.Errorf("case-e: listing.html read as %+v, images %v, notes %q", e.Listing, e.Images, e.Notes)
	}
	if a.Listing != nil || len(a.Images) != 2 {
		t.Errorf("case-a: listing %v, %d images; want none and 2 (fake.jpg is reported unreadable later)", a.Listing, len(a.Images))
	}
	var imgs []string
	for _, im := range b.Images {
		imgs = append(imgs, im.Name)
	}
	if got := strings.Join(imgs, " "); got != "2.jpg 10.jpg photo.dat" {
		t.Errorf("case-b images %q, want natural order and content sniffing", got)
	}
	if b.Listing == nil || b.Listing.ID != "JD-1" || b.Listing.Attributes["weight"] != "3" {
		t.Errorf("case-b listing %+v", b.Listing)
	}
	if len(b.Notes) != 1 || !strings.Contains(b.Notes[0], "notes.txt: ignored") {
		t.Errorf("case-b notes %q", b.Notes)
	}
	if c.ListingErr == nil || !strings.Contains(c.ListingErr.Error(), "listing.json") {
		t.Errorf("case-c: broken listing gave %v", c.ListingErr)
	}
	if d.Listing == nil || !strings.Contains(d.Listing.Text, "型号: A2") {
		t.Errorf("case-d listing.txt read as %+v", d.Listing)
	}
	data, err := b.Images[0].Read(1 << 20)
	if err != nil || string(data) != jpegMagic {
		t.Errorf("Read = %q, %v", data, err)
	}
	if _, err := b.Images[0].Read(3); err == nil {
		t.Error("Read over the limit succeeded")
	}
}

func TestOpenSingleCaseFolder(t *testing.T) {
	root := filepath.Join(t.TempDir(), "case-0001")
	write(t, root, map[string]string{"1.jpg": jpegMagic, "sub/2.jpg": jpegMagic})
	src, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Cases) != 1 || src.Cases[0].Name != "case-0001" || len(src.Cases[0].Images) != 1 {
		t.Fatalf("cases %+v", src.Cases)
	}
}

// TestOpenFollowsLinks: a batch put together with links to case folders
// and photos kept elsewhere is read as if they were there; a broken link
// is noted and skipped.
func TestOpenFollowsLinks(t *testing.T) {
	store, root := t.TempDir(), t.TempDir()
	write(t, store, map[string]string{"case-0001/1.jpg": jpegMagic, "case-0001/listing.txt": "型号: A1", "2.jpg": jpegMagic})
	write(t, root, map[string]string{"case-0002/1.jpg": jpegMagic})
	for _, l := range []struct{ target, name string }{
		{filepath.Join(store, "case-0001"), filepath.Join(root, "case-0001")},
		{filepath.Join(store, "2.jpg"), filepath.Join(root, "case-0002", "2.jpg")},
		{filepath.Join(store, "gone.jpg"), filepath.Join(root, "case-0002", "3.jpg")},
	} {
		if err := os.Symlink(l.target, l.name); err != nil {
			t.Fatal(err)
		}
	}
	src, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if got := strings.Join(names(src.Cases), " "); got != "case-0001 case-0002" {
		t.Fatalf("cases %q", got)
	}
	one, two := src.Cases[0], src.Cases[1]
	if len(one.Images) != 1 || one.Listing == nil {
		t.Errorf("linked case folder: %d images, listing %+v", len(one.Images), one.Listing)
	}
	if len(two.Images) != 2 || len(two.Notes) != 1 || !strings.HasPrefix(two.Notes[0], "3.jpg: skipped") {
		t.Errorf("linked photo: %d images, notes %q", len(two.Images), two.Notes)
	}
}

func TestOpenZip(t *testing.T) {
	for _, prefix := range []string{"", "batch/"} {
		p := filepath.Join(t.TempDir(), "upload.zip")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		for name, data := range map[string]string{prefix + "case-1/1.jpg": jpegMagic, prefix + "case-2/listing.json": `{"title": "x"}`} {
			w, _ := zw.Create(name)
			w.Write([]byte(data))
		}
		zw.Close()
		f.Close()
		src, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(names(src.Cases), " "); got != "case-1 case-2" {
			t.Errorf("zip with prefix %q: cases %q", prefix, got)
		}
		if data, err := src.Cases[0].Images[0].Read(100); err != nil || string(data) != jpegMagic {
			t.Errorf("reading from the zip: %q, %v", data, err)
		}
		src.Close()
	}
}

func TestOpenRefusesWhatIsNoBatch(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"x.txt": "x", "broken.zip": "not a zip"})
	for _, p := range []string{filepath.Join(dir, "x.txt"), filepath.Join(dir, "missing"), filepath.Join(dir, "broken.zip")} {
		if _, err := Open(p); err == nil {
			t.Errorf("Open(%s) succeeded", p)
		}
	}
}
