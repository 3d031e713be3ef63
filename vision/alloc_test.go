package vision

import "testing"

// TestAllocatorKeepsBuffers: on glibc (Debian, the platform labelcheck is
// built for) the allocator takes the thresholds that keep OpenCV's buffers
// for reuse.
func TestAllocatorKeepsBuffers(t *testing.T) {
	if !keepsBuffers {
		t.Error("glibc did not take the mmap and trim thresholds")
	}
}
