//go:build matprofile

package leakcheck

import (
	"bytes"

	"gocv.io/x/gocv"
)

func count() int { return gocv.MatProfile.Count() }

func traces() string {
	var b bytes.Buffer
	gocv.MatProfile.WriteTo(&b, 1)
	return b.String()
}
