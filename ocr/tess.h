#ifdef __cplusplus
extern "C" {
#endif

// lc_tess_new starts Tesseract with languages ("chi_sim", "eng") from
// datapath (NULL: TESSDATA_PREFIX or the built-in path); NULL on failure.
void* lc_tess_new(const char* datapath, const char* languages);
void lc_tess_free(void* handle);
int lc_tess_set_variable(void* handle, const char* name, const char* value);
void lc_tess_set_single_line(void* handle);
// lc_tess_stop stops a recognition under way (from another thread); the
// read returns NULL with status 1.
void lc_tess_stop(void* handle);
// lc_tess_reset clears the stop flag before a read.
void lc_tess_reset(void* handle);
// lc_tess_read recognises an 8-bit grey image once and returns the text of
// its lines joined by spaces (malloc'd; the caller frees it) and their
// mean confidence in [0, 1], weighted by characters. deadline_ms > 0 stops
// the recognition after that long. NULL on failure, with status 1 when
// the recognition was stopped or ran out of time, 2 when it failed.
// progress is how far recognition got, in percent.
char* lc_tess_read(void* handle, const unsigned char* pixels, int width, int height, int stride, int deadline_ms,
                   float* confidence, int* status, int* progress);

#ifdef __cplusplus
}
#endif
