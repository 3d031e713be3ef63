package vision

import (
	"image"
	"image/color"
	"testing"

	"gocv.io/x/gocv"
)

// A disc looks the same at every angle: its profiles must be as peaked at
// 45° as at 40°. Pixels counted whole in one bin each fall, on a grid
// projected at 45°, in every other bin, a comb that made a quarter-turned
// energy label look straighter at -45° than at its true angle.
func TestProfileScoresDoNotPeakOnTheGrid(t *testing.T) {
	mask := gocv.Zeros(400, 400, gocv.MatTypeCV8U)
	defer mask.Close()
	gocv.Circle(&mask, image.Pt(200, 200), 150, color.RGBA{255, 255, 255, 255}, -1)
	pts := strokePoints(mask)
	r0, c0 := pts.profileScores(0)
	for _, deg := range []float64{-45, -40, -22.5, 22.5, 40, 45} {
		r, c := pts.profileScores(deg)
		for _, v := range [][2]float64{{r, r0}, {c, c0}} {
			if v[0] > v[1]*1.01 || v[0] < v[1]*0.99 {
				t.Errorf("at %.1f°: peakedness %.4f, %.4f at 0°", deg, v[0], v[1])
			}
		}
	}
}
