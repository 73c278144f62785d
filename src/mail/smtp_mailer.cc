#include "mail/smtp_mailer.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>

#include "mail/mime.h"

namespace countersign {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// The message being uploaded by CURLOPT_READFUNCTION.
struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  Upload& upload = *static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload.data.size() - upload.offset);
  std::memcpy(buffer, upload.data.data() + upload.offset, n);
  upload.offset += n;
  return n;
}

std::string ServerUrl(const SmtpOptions& options) {
  std::string host = options.host;
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  const char* scheme = options.security == SmtpSecurity::kTls ? "smtps://" : "smtp://";
  return scheme + host + ":" + std::to_string(options.port);
}

// Maps a finished transfer to a Status (see SmtpMailer::Send).
Status MapResult(CURLcode rc, long reply, const char* error_buffer) {
  if (rc == CURLE_OK) return Status::Ok();
  std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
  std::string message = "SMTP: " + SanitizeHeaderValue(detail);
  if (reply != 0) message += " (reply " + std::to_string(reply) + ")";
  // curl reports "MAIL failed: <code>" for a refused sender and "RCPT failed: <code>" for a
  // refused recipient (both CURLE_SEND_ERROR); a refusal after DATA is CURLE_WEIRD_SERVER_REPLY.
  bool refused_sender = detail.rfind("MAIL", 0) == 0;
  bool message_refused = rc == CURLE_SEND_ERROR || rc == CURLE_WEIRD_SERVER_REPLY;
  if (message_refused && !refused_sender && reply >= 500 && reply < 600) {
    return InvalidArgument(message);
  }
  return Status(Code::kUnavailable, message);
}

}  // namespace

StatusOr<SmtpSecurity> ParseSmtpSecurity(std::string_view text) {
  if (text == "none") return SmtpSecurity::kNone;
  if (text == "starttls") return SmtpSecurity::kStartTls;
  if (text == "tls") return SmtpSecurity::kTls;
  return InvalidArgument("SMTP security must be none, starttls or tls.");
}

SmtpMailer::SmtpMailer(SmtpOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  static std::once_flag curl_initialised;  // libcurl requires one global init per process
  std::call_once(curl_initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Status SmtpMailer::Send(const MailMessage& message, const std::string& message_id) {
  if (!IsPlainMailAddress(message.to_email)) {
    return InvalidArgument("The recipient address is not valid.");
  }
  if (!IsPlainMailAddress(options_.from_address)) {
    return Status(Code::kUnavailable, "SMTP: the configured from address is not valid.");
  }
  std::string mime = BuildMimeMessage(message, options_.from_address, options_.from_name,
                                      message_id, clock_.NowSeconds());
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Status(Code::kUnavailable, "SMTP: cannot create a curl handle.");
  std::unique_ptr<curl_slist, CurlDeleter> recipients(
      curl_slist_append(nullptr, ("<" + message.to_email + ">").c_str()));
  if (!recipients) return Status(Code::kUnavailable, "SMTP: out of memory.");

  Upload upload{mime, 0};
  char error_buffer[CURL_ERROR_SIZE] = {0};
  std::string url = ServerUrl(options_);
  std::string from = "<" + options_.from_address + ">";
  long timeout = static_cast<long>(options_.timeout.count());
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
  if (options_.security == SmtpSecurity::kStartTls) {
    curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!options_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mime.size()));
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);

  CURLcode rc = curl_easy_perform(h);
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  return MapResult(rc, reply, error_buffer);
}

}  // namespace countersign
