// Status and StatusOr<T>: the error currency between layers (after LevelDB / Abseil).
//
// A Status carries a Code, a human message (shown to API callers as `error_msg`) and an
// optional `path` naming the offending request parameter (`error_path`). The http layer maps
// codes to HTTP statuses and Dropbox Sign `error_name`s; nothing below http knows about HTTP.
// Value types; thread-compatible.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace countersign {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // 400 bad_request
  kUnauthenticated,    // 401 unauthorized
  kPermissionDenied,   // 403 forbidden
  kNotFound,           // 404 not_found
  kConflict,           // 409 conflict
  kGone,               // 410 deleted
  kInvalidGrant,       // 400 invalid_grant (OAuth code/refresh token problems)
  kInvalidClient,      // 401 invalid_client (OAuth client authentication)
  kResourceExhausted,  // 429 exceeded_rate
  kPayloadTooLarge,    // 413 bad_request
  kUnsupportedMedia,   // 415 bad_request
  kInternal,           // 500 (never for bad input)
  kUnavailable,        // 503 (database busy, shutting down)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, std::string path = {})
      : code_(code), message_(std::move(message)), path_(std::move(path)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // The request parameter at fault ("email_address", "oauth[scopes][1]"), or empty.
  const std::string& path() const { return path_; }

  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string path_;
};

inline Status InvalidArgument(std::string msg, std::string path = {}) {
  return Status(Code::kInvalidArgument, std::move(msg), std::move(path));
}
inline Status NotFound(std::string msg = "Not found.") {
  return Status(Code::kNotFound, std::move(msg));
}
inline Status Unauthenticated(std::string msg) {
  return Status(Code::kUnauthenticated, std::move(msg));
}
inline Status PermissionDenied(std::string msg) {
  return Status(Code::kPermissionDenied, std::move(msg));
}
inline Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
inline Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

// Either a T or a non-OK Status. Accessing the value of an error aborts (a broken invariant).
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status) : v_(status) {  // NOLINT: implicit by design
    if (status.ok()) std::abort();               // an OK status carries no value
  }
  StatusOr(Status&& status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) std::abort();
  }
  StatusOr(const T& value) : v_(value) {}        // NOLINT
  StatusOr(T&& value) : v_(std::move(value)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  const T& value() const& { return Checked(); }
  T& value() & { return Checked(); }
  T&& value() && { return std::move(Checked()); }
  const T& operator*() const& { return Checked(); }
  T& operator*() & { return Checked(); }
  const T* operator->() const { return &Checked(); }
  T* operator->() { return &Checked(); }

 private:
  T& Checked() {
    if (!ok()) std::abort();
    return std::get<T>(v_);
  }
  const T& Checked() const {
    if (!ok()) std::abort();
    return std::get<T>(v_);
  }
  std::variant<Status, T> v_;
};

}  // namespace countersign

// Propagates a non-OK Status from an expression returning Status.
#define CS_RETURN_IF_ERROR(expr)           \
  do {                                     \
    ::countersign::Status cs_st_ = (expr); \
    if (!cs_st_.ok()) return cs_st_;       \
  } while (0)

#define CS_CONCAT_INNER_(a, b) a##b
#define CS_CONCAT_(a, b) CS_CONCAT_INNER_(a, b)
// `CS_ASSIGN_OR_RETURN(auto x, Expr())` binds the value or returns the error.
#define CS_ASSIGN_OR_RETURN(lhs, expr) \
  CS_ASSIGN_OR_RETURN_IMPL_(CS_CONCAT_(cs_sor_, __LINE__), lhs, expr)
#define CS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
