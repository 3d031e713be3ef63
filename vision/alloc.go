package vision

/*
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

// labelcheck_keep_buffers raises glibc's mmap and trim thresholds to
// mmapMax and trimMax; 1 when glibc took both, 0 otherwise (another libc).
static int labelcheck_keep_buffers(int mmapMax, int trimMax) {
#ifdef __GLIBC__
	return mallopt(M_MMAP_THRESHOLD, mmapMax) == 1 && mallopt(M_TRIM_THRESHOLD, trimMax) == 1;
#else
	return 0;
#endif
}
*/
import "C"

// OpenCV allocates a fresh buffer for nearly every step's output: a few
// megabytes each on a glance at an image, tens on a 12 MP page. glibc maps
// each buffer over 128 KB afresh and unmaps it on free, raising that
// threshold only as far as the largest buffer freed so far, and gives the
// heap's free top back beyond twice that; every step then page-faults its
// buffers in again, which on a virtual machine costs more than the step.
// Raising the thresholds at start-up to the maxima glibc itself would grow
// them to on 64-bit (32 MB mapped afresh, 64 MB kept free) keeps the
// buffers in the heap for reuse. Measured side by side on the 2-core VM of
// 2026-12-07 (BenchmarkTextGate12MP, two runs of 30 each way): a text-less
// 12 MP photo decided in 55 / 54 -> 28 / 28 ms, 57 / 57 -> 31 / 31 ms at
// JPEG quality 92; BenchmarkRecognize unchanged within its noise (the
// pipeline's time is compute); 29 hard cases through inspect, peak RSS
// 1505 -> 1566 MB (the same thresholds set by glibc's environment
// variables).
const (
	mmapThreshold = 32 << 20
	trimThreshold = 64 << 20
)

// keepsBuffers is whether the allocator took the thresholds (glibc).
var keepsBuffers = C.labelcheck_keep_buffers(mmapThreshold, trimThreshold) == 1
