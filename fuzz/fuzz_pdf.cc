// libFuzzer target: QpdfInspector (qpdf with recovery) on uploaded bytes: Inspect, and Merge of
// what Inspect accepts. The input is written to a private temporary file, as uploads are.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "fuzz_input.h"
#include "pdf/qpdf_inspector.h"

namespace {

// A private temporary folder for the process, created on first use (removed at exit).
const std::string& TempDir() {
  static const std::string dir = [] {
    char pattern[] = "/tmp/countersign-fuzz-pdf-XXXXXX";
    const char* made = mkdtemp(pattern);
    countersign::fuzz::Check(made != nullptr, "mkdtemp");
    return std::string(made);
  }();
  return dir;
}

// Removes the folder and what the target writes in it (at exit: libFuzzer ends by exit()).
void RemoveTempDir() {
  const std::string& dir = TempDir();
  unlink((dir + "/input.pdf").c_str());
  unlink((dir + "/merged.pdf").c_str());
  rmdir(dir.c_str());
}

void WriteFile(const std::string& path, const uint8_t* data, size_t size) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  countersign::fuzz::Check(fd >= 0, "open the temporary file");
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(fd, data + done, size - done);
    countersign::fuzz::Check(n > 0, "write the temporary file");
    done += static_cast<size_t>(n);
  }
  close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Registered once the folder's name is built, so it runs before that string is destroyed.
  static const bool cleaned_at_exit = (TempDir(), std::atexit(RemoveTempDir) == 0);
  (void)cleaned_at_exit;
  const std::string input = TempDir() + "/input.pdf";
  const std::string merged = TempDir() + "/merged.pdf";
  WriteFile(input, data, size);
  countersign::QpdfInspector inspector;
  auto info = inspector.Inspect(input);
  if (info.ok()) {
    countersign::fuzz::Check(info->page_count > 0, "an accepted PDF has pages");
    (void)inspector.Merge({input, input}, merged);
  } else {
    countersign::fuzz::Check(info.status().code() == countersign::Code::kInvalidArgument,
                             "a rejected PDF is kInvalidArgument");
  }
  return 0;
}
