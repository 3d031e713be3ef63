// Package rules is the judgement side of labelcheck. It works on text and
// boxes only: it extracts canonical fields from recognised label lines and
// from the listing, normalises and compares them, applies the category rules
// and returns the findings with their evidence. It never imports vision or
// ocr, so every rule can be tested and fuzzed without OpenCV or Tesseract.
package rules
