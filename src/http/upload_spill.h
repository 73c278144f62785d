// Upload spilling: large multipart/form-data bodies go to a file as they arrive instead of
// into memory. Included by http/server.cc's units only (it needs RESTinio's internals).
//
// Why this way: RESTinio 0.6.16 (Debian 12) has no public hook for the incoming body — its
// http_parser callbacks append every byte to `http_parser_ctx_t::m_body` (a std::string
// reserved to the Content-Length) and hand the whole string to the handler. The server's parser
// settings (http/parser_settings.h) call these instead for three of RESTinio's callbacks:
// - headers complete: a multipart/form-data body of at least `min_bytes` by its Content-Length,
//   or sent in chunks (its size unknown), is spilled: an empty file `<dir>/upload-<random>` is
//   created and m_body holds a marker (kMarker, the process's random token, the path) instead
//   of a reservation of the whole body;
// - body: in spill mode the bytes are appended to m_body after the marker and written out
//   (open, append, close: no descriptor outlives a callback, so an aborted upload leaks none)
//   whenever more than kFlushBytes wait, so a connection holds at most ~1 MB of its body; a
//   file grown over the body limit (a chunked body) is removed and the request marked as over
//   it (http/request_limits.h);
// - message complete: the rest is written, then RESTinio's own callback runs.
// The handler (ToRequest) recognises the marker — the token is unguessable, so a client body
// can never pass for one — and hands the file to the request (http::SpilledBody).
// Files of uploads that never completed are removed when older than kStaleSeconds (checked at
// most once a minute, at the next spill, and when the server starts).
//
// The settings are process-wide because RESTinio's callbacks are plain function pointers whose
// only state is the parser: RunHttpServer installs them (Install) for its lifetime.
// Thread-safe: the settings are immutable while installed; each callback works on its own
// connection's parser.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstring>
#include <ctime>
#include <optional>
#include <restinio/all.hpp>
#include <string>
#include <string_view>

#include "core/crypto.h"
#include "http/request_limits.h"

namespace countersign::http {

class UploadSpill {
 public:
  struct Settings {
    std::string dir;         // where spilled bodies go; created 0700
    std::string token;       // random, per process
    uint64_t min_bytes = 0;  // smallest body spilled
  };
  static constexpr std::string_view kMarker{"\0cs-spill:", 10};
  static constexpr size_t kFlushBytes = 1u << 20;
  static constexpr int64_t kStaleSeconds = 600;

  // Spills from now on into settings.dir (must outlive the server); nullptr stops spilling.
  static void Install(const Settings* settings) {
    if (settings != nullptr) {
      mkdir(settings->dir.c_str(), 0700);
      RemoveStale(*settings, time(nullptr));
    }
    current_.store(settings);
  }

  // When `body` is a marker of the installed settings: the spilled file's path.
  static std::optional<std::string> SpilledPath(std::string_view body) {
    const Settings* s = current_.load();
    if (s == nullptr || !body.starts_with(kMarker)) return std::nullopt;
    body.remove_prefix(kMarker.size());
    if (!body.starts_with(s->token) || body.size() <= s->token.size() + 1 ||
        body[s->token.size()] != '\n') {
      return std::nullopt;
    }
    body.remove_prefix(s->token.size() + 1);
    const size_t end = body.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    return std::string(body.substr(0, end));
  }

  static int OnHeadersComplete(http_parser* parser) {
    auto* ctx = static_cast<restinio::impl::http_parser_ctx_t*>(parser->data);
    const Settings* s = current_.load();
    const bool chunked = (parser->flags & F_CHUNKED) != 0;
    const bool sized = !chunked && parser->content_length != ULLONG_MAX;
    if (s == nullptr ||
        !(chunked || (sized && parser->content_length >= s->min_bytes &&
                      parser->content_length <= ctx->m_limits.max_body_size())) ||
        !RequestLimits::IsMultipart(*ctx)) {
      return restinio::impl::restinio_headers_complete_cb(parser);
    }
    ctx->m_leading_headers_completed = true;
    const time_t now = time(nullptr);
    time_t last = last_sweep_.load();
    if (now - last >= 60 && last_sweep_.compare_exchange_strong(last, now)) {
      RemoveStale(*s, now);
    }
    const std::string path = s->dir + "/upload-" + RandomHex(16);
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    close(fd);
    try {
      ctx->m_body.assign(kMarker);
      ctx->m_body.append(s->token).append("\n").append(path).append("\n");
      ctx->m_body.reserve(ctx->m_body.size() + kFlushBytes + 64 * 1024);
    } catch (...) {
      unlink(path.c_str());
      throw;
    }
    return 0;
  }

  static int OnBody(http_parser* parser, const char* at, size_t length) {
    auto* ctx = static_cast<restinio::impl::http_parser_ctx_t*>(parser->data);
    std::optional<std::string> path = SpilledPath(ctx->m_body);
    if (!path) return restinio::impl::restinio_body_cb(parser, at, length);
    ctx->m_body.append(at, length);
    if (Pending(ctx->m_body, *path) < kFlushBytes) return 0;
    return FlushWithinLimit(parser, *path) ? 0 : -1;
  }

  static int OnMessageComplete(http_parser* parser) {
    auto* ctx = static_cast<restinio::impl::http_parser_ctx_t*>(parser->data);
    if (std::optional<std::string> path = SpilledPath(ctx->m_body)) {
      if (!FlushWithinLimit(parser, *path)) return -1;
    }
    return restinio::impl::restinio_message_complete_cb<restinio::default_http_methods_t>(parser);
  }

 private:
  // The size of the marker of `body` (whose file is `path`).
  static size_t MarkerSize(const std::string& path) {
    return kMarker.size() + current_.load()->token.size() + 1 + path.size() + 1;
  }
  static size_t Pending(const std::string& body, const std::string& path) {
    return body.size() - MarkerSize(path);
  }

  // Flush, then, when the file has grown over the body limit (a body in chunks: its size was not
  // known at its headers), removes it and marks the request as over the limit
  // (http/request_limits.h), so the rest of its body is dropped and it is answered 413.
  static bool FlushWithinLimit(http_parser* parser, const std::string& path) {
    auto* ctx = static_cast<restinio::impl::http_parser_ctx_t*>(parser->data);
    const std::optional<uint64_t> size = Flush(ctx->m_body, path);
    if (!size) return false;
    if (*size > ctx->m_limits.max_body_size()) {
      unlink(path.c_str());
      RequestLimits::MarkBodyOver(parser);
    }
    return true;
  }

  // Appends what waits after the marker to the file and keeps only the marker; the file's size
  // then. nullopt (and the file removed) on any error: the request fails as a parse error.
  static std::optional<uint64_t> Flush(std::string& body, const std::string& path) {
    const size_t head = MarkerSize(path);
    const int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    bool ok = fd >= 0;
    const char* data = body.data() + head;
    size_t left = body.size() - head;
    while (ok && left > 0) {
      const ssize_t n = write(fd, data, left);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) {
        data += n;
        left -= static_cast<size_t>(n);
      }
    }
    struct stat st;
    if (ok && fstat(fd, &st) != 0) ok = false;
    if (fd >= 0 && close(fd) != 0) ok = false;
    if (!ok) unlink(path.c_str());
    body.resize(head);
    if (!ok) return std::nullopt;
    return static_cast<uint64_t>(st.st_size);
  }

  // Removes upload-* files not written to for kStaleSeconds (uploads that never completed;
  // a live upload writes at least every read timeout).
  static void RemoveStale(const Settings& s, time_t now) {
    DIR* dir = opendir(s.dir.c_str());
    if (dir == nullptr) return;
    while (dirent* entry = readdir(dir)) {
      if (std::strncmp(entry->d_name, "upload-", 7) != 0) continue;
      const std::string path = s.dir + "/" + entry->d_name;
      struct stat st;
      if (stat(path.c_str(), &st) == 0 && now - st.st_mtime > kStaleSeconds) unlink(path.c_str());
    }
    closedir(dir);
  }

  static inline std::atomic<const Settings*> current_{nullptr};
  static inline std::atomic<time_t> last_sweep_{0};
};

}  // namespace countersign::http
