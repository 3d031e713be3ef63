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
	if len(data) == 0 {
		return gocv.NewMat(), unreadable("empty file")
	}
	if int64(len(data)) > lim.MaxBytes {
		return gocv.NewMat(), unreadable("file of %d MB exceeds the %d MB limit", len(data)>>20, lim.MaxBytes>>20)
	}
	format := Sniff(data)
	if format == "" {
		return gocv.NewMat(), unreadable("not an image: content is not JPEG, PNG, WebP, BMP or TIFF")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return gocv.NewMat(), unreadable("corrupt %s header: %v", format, err)
	}
	pixels := cfg.Width * cfg.Height
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return gocv.NewMat(), unreadable("corrupt %s header: size %dx%d", format, cfg.Width, cfg.Height)
	}
	if pixels > lim.MaxPixels {
		return gocv.NewMat(), unreadable("too large: %dx%d is %.1f megapixels, over the %.0f megapixel limit",
			cfg.Width, cfg.Height, float64(pixels)/1e6, float64(lim.MaxPixels)/1e6)
	}
	if format == JPEG && truncatedJPEG(data) {
		return gocv.NewMat(), unreadable("truncated JPEG: the file ends before the image data does")
	}
	flags := gocv.IMReadColor
	if format == JPEG && lim.ReducePixels > 0 && pixels > lim.ReducePixels {
		flags = gocv.IMReadReducedColor2
	}
	m, err := gocv.IMDecode(data, flags)
	if err != nil || m.Empty() {
		m.Close()
		return gocv.NewMat(), unreadable("corrupt %s data: the decoder could not read it", format)
	}
	if m.Cols() < lim.MinSide || m.Rows() < lim.MinSide {
		w, h := m.Cols(), m.Rows()
		m.Close()
		return gocv.NewMat(), unreadable("too small: %dx%d, under %d px on a side", w, h, lim.MinSide)
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
