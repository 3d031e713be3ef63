package vision

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig for the formats Decode accepts
	_ "image/png"

	"gocv.io/x/gocv"
	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Format is an image format recognised by its magic bytes.
type Format string

// The formats labelcheck reads (CONTRACT.md 1.1).
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	WebP Format = "webp"
	BMP  Format = "bmp"
	TIFF Format = "tiff"
)

// Sniff returns the format of data by its magic bytes, or "" when data is
// none of the accepted formats.
func Sniff(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case len(data) >= 12 && bytes.HasPrefix(data, []byte("RIFF")) && bytes.Equal(data[8:12], []byte("WEBP")):
		return WebP
	case bytes.HasPrefix(data, []byte("BM")) && len(data) >= 26:
		return BMP
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return TIFF
	}
	return ""
}

// Limits bound the work an image may cause before it is decoded.
type Limits struct {
	// MaxBytes is the largest file accepted.
	MaxBytes int64
	// MaxPixels is the largest width×height accepted, read from the header
	// before decoding.
	MaxPixels int
	// ReducePixels: a JPEG above this many pixels is decoded at half size,
	// which libjpeg does at a fraction of the cost of a full decode.
	ReducePixels int
	// MinSide is the smallest width or height that can hold readable text.
	MinSide int
}

// DefaultLimits returns the limits used unless configured otherwise.
func DefaultLimits() Limits {
	return Limits{
		// 50 MB holds any phone JPEG; a larger "photo" is a mistake or an attack.
		MaxBytes: 50 << 20,
		// 50 MP admits 48 MP phone sensors and rejects decompression bombs:
		// a 50 MP BGR frame is 150 MB, and two workers may hold one each.
		MaxPixels: 50_000_000,
		// Above 24 MP the label text is large enough at half resolution.
		ReducePixels: 24_000_000,
		// Below 64 px no label line is legible.
		MinSide: 64,
	}
}

// Validate reports a limit that cannot work.
func (l Limits) Validate() error {
	if l.MaxBytes <= 0 || l.MaxPixels <= 0 || l.MinSide <= 0 {
		return errors.New("vision limits must be positive")
	}
	return nil
}

// UnreadableError says why an image cannot be inspected; Reason is shown to
// users as is.
type UnreadableError struct {
	Reason string
}

func (e *UnreadableError) Error() string { return "unreadable image: " + e.Reason }

func unreadable(format string, args ...any) error {
	return &UnreadableError{Reason: fmt.Sprintf(format, args...)}
}

// Decode decodes data into a BGR Mat that the caller must Close. EXIF
// orientation is applied, so the Mat is the image as it is meant to be seen.
// Every refusal is an *UnreadableError.
func Decode(data []byte, lim Limits) (gocv.Mat, error) {
	h, err := check(data, lim)
	if err != nil {
		return gocv.NewMat(), err
	}
	flags := gocv.IMReadColor
	if h.reduce(lim) {
		flags = gocv.IMReadReducedColor2
	}
	return h.decode(data, flags, lim)
}

// DecodeGray is Decode to one grey channel, which is all line detection and
// recognition look at: the JPEG decoder then skips the colour conversion,
// which costs twice the decoding itself (41 against 14 ms for a 12 MP
// phone photo). size is the image's size as stored, with its EXIF
// orientation applied (the Mat is half of it over Limits.ReducePixels).
func DecodeGray(data []byte, lim Limits) (m gocv.Mat, size image.Point, err error) {
	h, err := check(data, lim)
	if err != nil {
		return gocv.NewMat(), size, err
	}
	flags := gocv.IMReadGrayScale
	if h.reduce(lim) {
		flags = gocv.IMReadReducedGrayscale2
	}
	m, err = h.decode(data, flags, lim)
	return m, h.size(m), err
}

// Glance decodes data in grey for a first look, with its longer side
// reduced toward side where the JPEG decoder can do that at a fraction of a
// full decode's cost (it scales by 1/2, 1/4 or 1/8 as it decodes: 8 against
// 14 ms for a 12 MP phone photo at a quarter). full reports that the Mat is
// what DecodeGray would return, so it need not be decoded again; size is
// the image's size as stored (with its EXIF orientation applied). Refusals
// are those of Decode.
func Glance(data []byte, lim Limits, side int) (m gocv.Mat, size image.Point, full bool, err error) {
	h, err := check(data, lim)
	if err != nil {
		return gocv.NewMat(), size, false, err
	}
	flags, full := gocv.IMReadGrayScale, true
	if h.reduce(lim) {
		flags = gocv.IMReadReducedGrayscale2
	}
	if h.format == JPEG {
		longer := max(h.width, h.height)
		for _, r := range []struct {
			by   int
			flag gocv.IMReadFlag
		}{{8, gocv.IMReadReducedGrayscale8}, {4, gocv.IMReadReducedGrayscale4}, {2, gocv.IMReadReducedGrayscale2}} {
			if longer/r.by >= side {
				flags, full = r.flag, r.flag == gocv.IMReadReducedGrayscale2 && h.reduce(lim)
				break
			}
		}
	}
	m, err = h.decode(data, flags, lim)
	return m, h.size(m), full, err
}

// size is the size of the image as stored, oriented as decoded into m.
func (h header) size(m gocv.Mat) image.Point {
	if !m.Empty() && (m.Cols() > m.Rows()) != (h.width > h.height) {
		return image.Pt(h.height, h.width) // turned a quarter by its EXIF orientation
	}
	return image.Pt(h.width, h.height)
}

// header is what check read of an image before decoding it.
type header struct {
	format        Format
	width, height int
}

// reduce reports whether the image is decoded at half size (Limits.ReducePixels).
func (h header) reduce(lim Limits) bool {
	return h.format == JPEG && lim.ReducePixels > 0 && h.width*h.height > lim.ReducePixels
}

// check refuses, before any decoding, what Decode does not decode: an
// empty, oversized, unknown, corrupt-headed, too large or truncated image.
func check(data []byte, lim Limits) (header, error) {
	if len(data) == 0 {
		return header{}, unreadable("empty file")
	}
	if int64(len(data)) > lim.MaxBytes {
		return header{}, unreadable("file of %d MB exceeds the %d MB limit", len(data)>>20, lim.MaxBytes>>20)
	}
	format := Sniff(data)
	if format == "" {
		return header{}, unreadable("not an image: content is not JPEG, PNG, WebP, BMP or TIFF")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return header{}, unreadable("corrupt %s header: %v", format, err)
	}
	pixels := cfg.Width * cfg.Height
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return header{}, unreadable("corrupt %s header: size %dx%d", format, cfg.Width, cfg.Height)
	}
	if pixels > lim.MaxPixels {
		return header{}, unreadable("too large: %dx%d is %.1f megapixels, over the %.0f megapixel limit",
			cfg.Width, cfg.Height, float64(pixels)/1e6, float64(lim.MaxPixels)/1e6)
	}
	if format == JPEG && truncatedJPEG(data) {
		return header{}, unreadable("truncated JPEG: the file ends before the image data does")
	}
	return header{format: format, width: cfg.Width, height: cfg.Height}, nil
}

// decode decodes checked data with flags; a result under lim.MinSide (of a
// full decode: a reduced one is smaller by design) is refused.
func (h header) decode(data []byte, flags gocv.IMReadFlag, lim Limits) (gocv.Mat, error) {
	m, err := gocv.IMDecode(data, flags)
	if err != nil || m.Empty() {
		m.Close()
		return gocv.NewMat(), unreadable("corrupt %s data: the decoder could not read it", h.format)
	}
	if min(h.width, h.height) < lim.MinSide {
		w, hh := m.Cols(), m.Rows()
		m.Close()
		return gocv.NewMat(), unreadable("too small: %dx%d, under %d px on a side", w, hh, lim.MinSide)
	}
	return m, nil
}

// truncatedJPEG reports whether the main image's entropy-coded data is not
// followed by an EOI marker. Inside scan data 0xFF is always stuffed, so an
// EOI after the last SOS belongs to the main image, not to an EXIF thumbnail.
func truncatedJPEG(data []byte) bool {
	sos := bytes.LastIndex(data, []byte{0xFF, 0xDA})
	eoi := bytes.LastIndex(data, []byte{0xFF, 0xD9})
	return sos < 0 || eoi < sos
}
