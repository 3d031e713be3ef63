package vision

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

func testPicture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withEXIFOrientation inserts an APP1 EXIF segment holding only the
// orientation tag right after the JPEG's SOI marker.
func withEXIFOrientation(jpg []byte, orientation uint16) []byte {
	var tiffData bytes.Buffer
	tiffData.WriteString("MM\x00\x2a")
	binary.Write(&tiffData, binary.BigEndian, uint32(8)) // first IFD
	binary.Write(&tiffData, binary.BigEndian, uint16(1)) // one entry
	binary.Write(&tiffData, binary.BigEndian, []uint16{0x0112, 3})
	binary.Write(&tiffData, binary.BigEndian, uint32(1))
	binary.Write(&tiffData, binary.BigEndian, []uint16{orientation, 0})
	binary.Write(&tiffData, binary.BigEndian, uint32(0)) // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiffData.Bytes()...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

func TestDecodeAcceptedFormats(t *testing.T) {
	img := testPicture(160, 90)
	var pngBuf, bmpBuf, tiffBuf bytes.Buffer
	png.Encode(&pngBuf, img)
	bmp.Encode(&bmpBuf, img)
	tiff.Encode(&tiffBuf, img, nil)
	for name, data := range map[string][]byte{"jpeg": encodeJPEG(t, img), "png": pngBuf.Bytes(), "bmp": bmpBuf.Bytes(), "tiff": tiffBuf.Bytes()} {
		t.Run(name, func(t *testing.T) {
			if got := Sniff(data); string(got) != name {
				t.Errorf("Sniff = %q", got)
			}
			m, err := Decode(data, DefaultLimits())
			defer m.Close()
			if err != nil {
				t.Fatal(err)
			}
			if m.Cols() != 160 || m.Rows() != 90 || m.Channels() != 3 {
				t.Errorf("decoded %dx%d with %d channels", m.Cols(), m.Rows(), m.Channels())
			}
		})
	}
}

func TestDecodeAppliesEXIFOrientation(t *testing.T) {
	data := withEXIFOrientation(encodeJPEG(t, testPicture(200, 100)), 6) // 6: rotate 90° clockwise to view
	m, err := Decode(data, DefaultLimits())
	defer m.Close()
	if err != nil {
		t.Fatal(err)
	}
	if m.Cols() != 100 || m.Rows() != 200 {
		t.Errorf("decoded %dx%d, want 100x200 after EXIF orientation 6", m.Cols(), m.Rows())
	}
}

func TestDecodeRefusesBadInput(t *testing.T) {
	good := encodeJPEG(t, testPicture(160, 90))
	corrupt := append([]byte{}, good...)
	for i := len(corrupt) / 3; i < len(corrupt)-2; i++ {
		corrupt[i] = 0x5A // keep header and EOI, destroy the entropy-coded data
	}
	var big bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&big, image.NewGray(image.Rect(0, 0, 10000, 6000))); err != nil {
		t.Fatal(err)
	}
	var tiny bytes.Buffer
	png.Encode(&tiny, testPicture(20, 20))
	for _, tc := range []struct {
		name, data, reason string
	}{
		{"zero bytes", "", "empty file"},
		{"text named .jpg", "型号：JZT-2E01B\nthis is not a picture\n", "not an image"},
		{"truncated JPEG", string(good[:len(good)/2]), "truncated JPEG"},
		{"JPEG header only", string(good[:20]), "corrupt jpeg header"},
		{"60 megapixels", big.String(), "too large: 10000x6000 is 60.0 megapixels"},
		{"too small", tiny.String(), "too small: 20x20"},
		{"PNG signature, garbage after", "\x89PNG\r\n\x1a\n" + strings.Repeat("x", 100), "corrupt png header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode([]byte(tc.data), DefaultLimits())
			defer m.Close()
			var ue *UnreadableError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want *UnreadableError", err)
			}
			if !strings.Contains(ue.Reason, tc.reason) {
				t.Errorf("reason %q, want it to contain %q", ue.Reason, tc.reason)
			}
		})
	}
	t.Run("destroyed scan data decodes or is refused, never crashes", func(t *testing.T) {
		m, err := Decode(corrupt, DefaultLimits())
		defer m.Close()
		var ue *UnreadableError
		if err != nil && !errors.As(err, &ue) {
			t.Fatalf("err = %v, want nil or *UnreadableError", err)
		}
	})
	t.Run("byte limit", func(t *testing.T) {
		lim := DefaultLimits()
		lim.MaxBytes = 100
		m, err := Decode(good, lim)
		defer m.Close()
		if err == nil || !strings.Contains(err.Error(), "exceeds") {
			t.Fatalf("err = %v, want byte limit", err)
		}
	})
}

func TestDecodeReducesHugeJPEG(t *testing.T) {
	lim := DefaultLimits()
	lim.ReducePixels = 100 * 100
	m, err := Decode(encodeJPEG(t, testPicture(400, 300)), lim)
	defer m.Close()
	if err != nil {
		t.Fatal(err)
	}
	if m.Cols() != 200 || m.Rows() != 150 {
		t.Errorf("decoded %dx%d, want half size 200x150", m.Cols(), m.Rows())
	}
}
