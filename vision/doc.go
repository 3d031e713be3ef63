// Package vision is labelcheck's OpenCV side: safe decoding (format by magic
// bytes, pixel limit before the decode, EXIF orientation), the preprocessing
// pipeline (grayscale, deskew) and text-line detection, which turns a photo
// into upright, padded line crops for the recogniser and keeps the transform
// that maps every crop back to a box on the image as stored.
//
// Ownership: whoever makes a gocv.Mat closes it. Functions that return a Mat
// hand it to the caller; Page.Close frees what a Page holds.
package vision
