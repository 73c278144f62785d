// Helpers for the mail tests: temporary directories, running the system Python (which has the
// email package and, when installed, aiosmtpd) and reading files. Not thread-safe.
#pragma once

#include <string>
#include <vector>

namespace countersign::testing_mail {

// A fresh temporary directory; removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The system interpreter, not a pyenv/virtualenv shim: python3-aiosmtpd is a Debian package.
inline constexpr char kPython[] = "/usr/bin/python3";

// True when `kPython -c "import <module>"` succeeds.
bool PythonHasModule(const std::string& module);

// Runs `kPython -c <code> <args...>` and returns its stdout ("" and a test failure when it
// exits non-zero).
std::string RunPython(const std::string& code, const std::vector<std::string>& args);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& data);
// Names (not paths) of the entries of `dir`, sorted.
std::vector<std::string> ListDir(const std::string& dir);

}  // namespace countersign::testing_mail
