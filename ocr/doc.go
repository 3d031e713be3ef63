// Package ocr runs Tesseract on line crops. A Pool holds one warm Reader per
// worker (a chi_sim engine and an eng engine for Latin-only lines); a Reader
// is never used by two goroutines at once.
// Each crop is recognised once, giving its text and confidence together.
//
// Tesseract must run with OMP_THREAD_LIMIT=1: several single-threaded
// engines side by side beat one OpenMP engine by a wide margin.
package ocr
