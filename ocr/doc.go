// Package ocr reads line crops with Tesseract and with PaddleOCR's PP-OCRv4
// recogniser. A Pool holds one warm Reader per worker (a chi_sim engine, an
// eng engine for Latin-only lines, and a single-threaded ONNX Runtime
// session for PP-OCR, as the engine chosen needs them); a Reader is never
// used by two goroutines at once.
//
// Each crop is recognised once per engine, giving its text and confidence
// together. Tesseract is called through a small bridge (tess.cpp) that
// frees everything Tesseract returns and can stop a recognition when its
// context ends; ONNX Runtime runs are stopped the same way.
//
// Tesseract must run with OMP_THREAD_LIMIT=1: several single-threaded
// engines side by side beat one OpenMP engine by a wide margin.
package ocr
