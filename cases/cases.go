// Package cases finds inspection cases on disk (CONTRACT.md 1.1): a folder
// that is one case, a folder of case folders, or a .zip of either. Image
// files are recognised by their content; a listing is read from
// listing.json, listing.html (a saved product page) or listing.txt.
package cases

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/labelcheck/labelcheck/inspection"
	"github.com/labelcheck/labelcheck/vision"
)

// Case is one listing and its images, not yet inspected.
type Case struct {
	// Name is the folder name; the report's case id unless the listing has an id.
	Name string
	// Listing is nil when the case has no listing file.
	Listing *inspection.Listing
	// ListingErr is set when a listing file exists but cannot be read; the
	// case is then reported with verdict error.
	ListingErr error
	Images     []Image
	// Notes say what was skipped and why.
	Notes []string
}

// Image is an image file of a case; its bytes are read when needed.
type Image struct {
	Name string
	Size int64
	fsys fs.FS
	path string
}

// Read returns the file's bytes, refusing files over limit bytes.
func (im Image) Read(limit int64) ([]byte, error) {
	if im.Size > limit {
		return nil, &vision.UnreadableError{Reason: fmt.Sprintf("file of %d MB exceeds the %d MB limit", im.Size>>20, limit>>20)}
	}
	f, err := im.fsys.Open(im.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// imageExts are the extensions a user means as images; such a file that is
// not an image by content is reported unreadable rather than skipped.
var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".webp": true, ".bmp": true, ".tif": true, ".tiff": true}

// listingFiles are read in this order of preference.
var listingFiles = []string{"listing.json", "listing.html", "listing.txt"}

// Source is an opened batch: a folder or a zip. Close it after the cases
// have been inspected.
type Source struct {
	Cases  []Case
	closer io.Closer
}

// Close releases the zip file, if any.
func (s *Source) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

// Open finds the cases at p, a folder or a .zip.
func Open(p string) (*Source, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		if !strings.EqualFold(filepath.Ext(p), ".zip") {
			return nil, fmt.Errorf("%s: not a folder or a .zip", p)
		}
		zr, err := zip.OpenReader(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		cs, err := Discover(zr, strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)))
		if err != nil {
			zr.Close()
			return nil, err
		}
		return &Source{Cases: cs, closer: zr}, nil
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, err
	}
	cs, err := Discover(os.DirFS(p), filepath.Base(abs))
	return &Source{Cases: cs}, err
}

// Discover finds the cases in fsys: the root itself when it holds a listing
// or images, otherwise every direct sub-folder that does, sorted by name. A
// root holding only one folder (a zipped batch folder) is looked into.
func Discover(fsys fs.FS, rootName string) ([]Case, error) {
	for range 2 {
		c, isCase, err := readCase(fsys, ".", rootName)
		if err != nil {
			return nil, err
		}
		if isCase {
			return []Case{c}, nil
		}
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			return nil, err
		}
		var out []Case
		var dirs []string
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "__MACOSX") {
				continue
			}
			if info, err := entryInfo(fsys, ".", e); err != nil || !info.IsDir() {
				continue
			}
			dirs = append(dirs, e.Name())
			sub, err := fs.Sub(fsys, e.Name())
			if err != nil {
				return nil, err
			}
			c, isCase, err := readCase(sub, ".", e.Name())
			if err != nil {
				return nil, err
			}
			if isCase {
				out = append(out, c)
			}
		}
		if len(out) > 0 || len(dirs) != 1 {
			sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
			return out, nil
		}
		fsys, err = fs.Sub(fsys, dirs[0])
		if err != nil {
			return nil, err
		}
		rootName = dirs[0]
	}
	return nil, nil
}

// readCase reads the folder dir of fsys as a case; isCase is false when it
// holds neither a listing nor an image.
func readCase(fsys fs.FS, dir, name string) (Case, bool, error) {
	c := Case{Name: name}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return c, false, err
	}
	hasListing := false
	for _, lf := range listingFiles {
		data, err := fs.ReadFile(fsys, path.Join(dir, lf))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		hasListing = true
		if err != nil {
			c.ListingErr = fmt.Errorf("%s: %w", lf, err)
			break
		}
		c.Listing, c.ListingErr = parseListing(lf, data)
		break
	}
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") || isListingFile(n) {
			continue
		}
		info, err := entryInfo(fsys, dir, e)
		switch {
		case err != nil:
			c.Notes = append(c.Notes, fmt.Sprintf("%s: skipped, %v", n, err))
			continue
		case info.IsDir():
			continue
		case !info.Mode().IsRegular():
			c.Notes = append(c.Notes, n+": skipped, not a regular file")
			continue
		}
		p := path.Join(dir, n)
		head := make([]byte, 16)
		if f, err := fsys.Open(p); err == nil {
			k, _ := io.ReadFull(f, head)
			head = head[:k]
			f.Close()
		}
		if vision.Sniff(head) != "" || imageExts[strings.ToLower(path.Ext(n))] {
			c.Images = append(c.Images, Image{Name: n, Size: info.Size(), fsys: fsys, path: p})
			continue
		}
		c.Notes = append(c.Notes, n+": ignored, not an image")
	}
	sort.Slice(c.Images, func(i, j int) bool { return naturalLess(c.Images[i].Name, c.Images[j].Name) })
	return c, hasListing || len(c.Images) > 0, nil
}

// entryInfo describes a folder's entry, a symbolic link followed: a batch
// may be put together from links to case folders or photos kept elsewhere.
// (A zip's links are not followed: its file system does not.)
func entryInfo(fsys fs.FS, dir string, e fs.DirEntry) (fs.FileInfo, error) {
	if e.Type()&fs.ModeSymlink != 0 {
		return fs.Stat(fsys, path.Join(dir, e.Name()))
	}
	return e.Info()
}

func isListingFile(n string) bool {
	return slices.Contains(listingFiles, n)
}

func parseListing(name string, data []byte) (*inspection.Listing, error) {
	switch name {
	case "listing.json":
		return inspection.ParseListingJSON(data)
	case "listing.html":
		return inspection.ParseListingHTML(data)
	default: // listing.txt: the page's text; key: value lines count as attributes
		return &inspection.Listing{Text: string(data)}, nil
	}
}

// naturalLess orders "2.jpg" before "10.jpg".
func naturalLess(a, b string) bool {
	na, ra := leadingNumber(a)
	nb, rb := leadingNumber(b)
	if na >= 0 && nb >= 0 && na != nb {
		return na < nb
	}
	if na >= 0 && nb >= 0 {
		return ra < rb
	}
	return a < b
}

func leadingNumber(s string) (int, string) {
	n, i := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && i < 9 {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 {
		return -1, s
	}
	return n, s[i:]
}
