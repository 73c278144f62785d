// PdftoppmPageRenderer: pdftoppm in a child process with resource limits and a deadline.
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "pdf/page_renderer.h"

namespace countersign {

namespace {

// Removes a directory tree when it goes out of scope.
class TempDir {
 public:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// In the child: limits, stdin/stdout/stderr to /dev/null, then exec. Only async-signal-safe
// calls between fork and exec.
[[noreturn]] void ExecChild(const std::vector<char*>& argv, int dev_null,
                            const RenderLimits& limits) {
  struct rlimit memory = {static_cast<rlim_t>(limits.max_memory),
                          static_cast<rlim_t>(limits.max_memory)};
  setrlimit(RLIMIT_AS, &memory);
  rlim_t cpu = static_cast<rlim_t>(limits.timeout_ms / 1000 + 1);
  struct rlimit cpu_limit = {cpu, cpu + 1};
  setrlimit(RLIMIT_CPU, &cpu_limit);
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  dup2(dev_null, 0);
  dup2(dev_null, 1);
  dup2(dev_null, 2);
  for (int fd = 3; fd < 1024; ++fd) close(fd);  // sockets and databases stay with the server
  execv(argv[0], argv.data());
  _exit(127);
}

}  // namespace

StatusOr<std::string> PdftoppmPageRenderer::RenderPng(const std::string& pdf_path, int page_index,
                                                      const RenderLimits& limits) const {
  CS_ASSIGN_OR_RETURN(PageSize size, ReadPageSize(pdf_path, page_index));
  const double dpi = BudgetDpi(size.width_pt, size.height_pt, limits);

  std::string dir_template = temp_dir_ + "/countersign-render-XXXXXX";
  if (mkdtemp(dir_template.data()) == nullptr) {
    return Internal("Cannot create a temporary folder for a page image.");
  }
  TempDir dir(dir_template);
  const std::string root = dir.path() + "/page";
  char dpi_text[32];
  std::snprintf(dpi_text, sizeof dpi_text, "%.4f", dpi);
  const std::string page_number = std::to_string(page_index + 1);
  // -cropbox: the page as displayed, where form fields are measured from (not the media box).
  std::vector<std::string> args = {pdftoppm_, "-q",        "-png", "-singlefile", "-cropbox",
                                   "-f",      page_number, "-l",   page_number,   "-r",
                                   dpi_text,  pdf_path,    root};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int dev_null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (dev_null < 0) return Internal("Cannot open /dev/null.");
  pid_t pid = fork();
  if (pid == 0) ExecChild(argv, dev_null, limits);
  close(dev_null);
  if (pid < 0) return Internal("Cannot start the page renderer.");

  // Wait for the child until the deadline (a timeout, not a time of day: steady clock).
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.timeout_ms);
  int status = 0;
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return Internal("Lost the page renderer.");
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return Internal("The page is too complex to preview.");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
  if (WIFSIGNALED(status)) return Internal("The page is too complex to preview.");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Internal("The page could not be rendered.");
  }
  std::ifstream in(root + ".png", std::ios::binary);
  std::string png((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (png.empty()) return Internal("The page image could not be read.");
  return png;
}

}  // namespace countersign
