package vision

/*
#cgo pkg-config: opencv4
#cgo CXXFLAGS: -std=c++11
void labelcheck_set_num_threads(int n);
int labelcheck_get_num_threads();
*/
import "C"

// SetThreads sizes OpenCV's own thread pool (used by the DNN module and
// some filters). labelcheck runs one worker per core, each calling OpenCV
// from its goroutine; a pool per call as large as the machine would make
// the workers fight over the cores. gocv v0.31.0 does not wrap
// cv::setNumThreads, hence this small shim.
func SetThreads(n int) { C.labelcheck_set_num_threads(C.int(n)) }

// Threads is the size of OpenCV's thread pool.
func Threads() int { return int(C.labelcheck_get_num_threads()) }
