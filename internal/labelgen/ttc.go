package labelgen

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// extractAligned copies font index of a TrueType collection into a
// standalone font file whose tables start on four-byte boundaries.
// golang.org/x/image/font/sfnt insists on that alignment ("invalid table
// offset"), which the collections of fonts-wqy-zenhei and fonts-arphic-uming
// do not keep; the font data itself is unchanged.
func extractAligned(ttc []byte, index int) ([]byte, error) {
	be := binary.BigEndian
	if len(ttc) < 12 || string(ttc[:4]) != "ttcf" {
		return nil, errors.New("not a TrueType collection")
	}
	n := int(be.Uint32(ttc[8:12]))
	if index < 0 || index >= n || len(ttc) < 12+4*n {
		return nil, fmt.Errorf("font %d not in a collection of %d", index, n)
	}
	dir := int(be.Uint32(ttc[12+4*index:]))
	if dir+12 > len(ttc) {
		return nil, errors.New("table directory out of range")
	}
	numTables := int(be.Uint16(ttc[dir+4:]))
	recs := dir + 12
	if recs+16*numTables > len(ttc) {
		return nil, errors.New("table records out of range")
	}
	headerLen := 12 + 16*numTables
	out := make([]byte, headerLen, len(ttc)/n+headerLen)
	copy(out, ttc[dir:dir+12])
	for i := range numTables {
		r := ttc[recs+16*i : recs+16*i+16]
		off, length := int(be.Uint32(r[8:])), int(be.Uint32(r[12:]))
		if off < 0 || length < 0 || off+length > len(ttc) {
			return nil, fmt.Errorf("table %q out of range", r[:4])
		}
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		nr := out[12+16*i : 12+16*i+16]
		copy(nr, r[:8]) // tag and checksum
		be.PutUint32(nr[8:], uint32(len(out)))
		be.PutUint32(nr[12:], uint32(length))
		out = append(out, ttc[off:off+length]...)
	}
	return out, nil
}
