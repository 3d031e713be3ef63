package vision

import (
	"image"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/labelcheck/labelcheck/inspection"
)

// qrMaxSide is the longer side QR detection runs at: an energy label that
// fills a phone frame keeps modules of five pixels there.
const qrMaxSide = 1200

// QRCodes finds and decodes a QR code on the page (energy labels and
// packaging carry one) and returns it with its box on the stored image.
//
// The decoder is gozxing (pure Go): Debian's OpenCV 4.6 is built without
// quirc, so its QRCodeDetector finds codes but cannot decode them, and it
// says so on standard output, where only reports may go.
func (p *Page) QRCodes() []inspection.Code {
	small, scale := p.shrunk(qrMaxSide)
	defer small.Close()
	img, err := small.ToImage()
	if err != nil {
		return nil
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return nil
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return nil // no code, or none that decodes
	}
	r := image.Rectangle{}
	for _, pt := range res.GetResultPoints() {
		q := image.Pt(int(pt.GetX()/scale), int(pt.GetY()/scale))
		r = r.Union(image.Rectangle{Min: q, Max: q.Add(image.Pt(1, 1))})
	}
	// The result points are the finder patterns' centres: widen by the
	// half-pattern they leave out on each side.
	r = r.Inset(-r.Dx() / 10)
	b := p.ImageBox(r)
	return []inspection.Code{{Kind: "qr", Data: res.GetText(), Box: &b}}
}
