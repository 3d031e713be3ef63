// A small Tesseract bridge for reading one line crop. gosseract v2.4.1's
// GetBoundingBoxes leaks every string Tesseract returns (GetUTF8Text's
// new[]) and the result iterator, once per call; and it takes the image as
// encoded bytes, which costs an encode and a decode per line. This bridge
// hands Tesseract the crop's pixels and frees what Tesseract allocates.
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tess.h"

// engine is one Tesseract and the flag that stops its recognition.
struct engine {
  tesseract::TessBaseAPI api;
  std::atomic<int> stop{0};
};

// stopped is Tesseract's cancel callback: it asks it now and then while it
// recognises.
static bool stopped(void* e, int) { return static_cast<engine*>(e)->stop.load() != 0; }

extern "C" {

void* lc_tess_new(const char* datapath, const char* languages) {
  auto* e = new engine();
  if (e->api.Init(datapath, languages) != 0) {
    delete e;
    return nullptr;
  }
  return e;
}

void lc_tess_free(void* handle) {
  auto* e = static_cast<engine*>(handle);
  e->api.End();
  delete e;
}

int lc_tess_set_variable(void* handle, const char* name, const char* value) {
  return static_cast<engine*>(handle)->api.SetVariable(name, value) ? 0 : -1;
}

void lc_tess_set_single_line(void* handle) {
  static_cast<engine*>(handle)->api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
}

void lc_tess_stop(void* handle) { static_cast<engine*>(handle)->stop.store(1); }

void lc_tess_reset(void* handle) { static_cast<engine*>(handle)->stop.store(0); }

// utf8_runes counts the code points of a UTF-8 string.
static int utf8_runes(const std::string& s) {
  int n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) n++;
  }
  return n;
}

static std::string trim(const char* s) {
  std::string t(s);
  const char* space = " \t\r\n\f\v";
  size_t a = t.find_first_not_of(space);
  if (a == std::string::npos) return "";
  size_t b = t.find_last_not_of(space);
  return t.substr(a, b - a + 1);
}

char* lc_tess_read(void* handle, const unsigned char* pixels, int width, int height, int stride, int deadline_ms,
                   float* confidence, int* status, int* progress) {
  auto* e = static_cast<engine*>(handle);
  auto* api = &e->api;
  *confidence = 0;
  *status = 0;
  api->SetImage(pixels, width, height, 1, stride);
  tesseract::ETEXT_DESC monitor;
  monitor.cancel = stopped;
  monitor.cancel_this = e;
  monitor.set_deadline_msecs(deadline_ms);
  int failed = api->Recognize(&monitor);
  *progress = monitor.progress;
  if (e->stop.load() != 0 || monitor.deadline_exceeded()) {
    *status = 1;
    api->Clear();
    return nullptr;
  }
  if (failed != 0) {
    *status = 2;
    api->Clear();
    return nullptr;
  }
  std::string out;
  double sum = 0, weight = 0;
  tesseract::ResultIterator* it = api->GetIterator();
  if (it != nullptr) {
    do {
      char* raw = it->GetUTF8Text(tesseract::RIL_TEXTLINE);
      if (raw == nullptr) continue;
      std::string text = trim(raw);
      delete[] raw;
      if (text.empty()) continue;
      if (!out.empty()) out += ' ';
      out += text;
      double w = utf8_runes(text);
      sum += it->Confidence(tesseract::RIL_TEXTLINE) * w;
      weight += w;
    } while (it->Next(tesseract::RIL_TEXTLINE));
    delete it;
  }
  api->Clear();
  if (weight > 0) *confidence = static_cast<float>(sum / weight / 100);
  char* result = static_cast<char*>(std::malloc(out.size() + 1));
  std::memcpy(result, out.c_str(), out.size() + 1);
  return result;
}

}  // extern "C"
