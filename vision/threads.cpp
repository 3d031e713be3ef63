#include <opencv2/core.hpp>

extern "C" void labelcheck_set_num_threads(int n) { cv::setNumThreads(n); }
extern "C" int labelcheck_get_num_threads() { return cv::getNumThreads(); }
