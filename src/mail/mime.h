// MIME building for outgoing mail: turns a MailMessage into an RFC 5322 message with a
// multipart/alternative body (text/plain and text/html, UTF-8, quoted-printable), RFC 2047
// encoded display names and subject, and CRLF line endings. Header values are stripped of
// control characters (CR, LF, ...), so a value can never start a new header.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/mail_message.h"

namespace countersign {

// The complete message: Date (RFC 5322, UTC, from `date_unix`), From (`from_name` may be
// empty), To, Subject, Message-ID `<message_id@domain of from_address>`, MIME-Version and the
// two parts. No line exceeds 998 octets (encoded lines stay within 76).
std::string BuildMimeMessage(const MailMessage& message, const std::string& from_address,
                             const std::string& from_name, const std::string& message_id,
                             int64_t date_unix);

// `value` without ASCII control characters (CR and LF included): they are replaced by spaces,
// so a header value cannot be split into two headers.
std::string SanitizeHeaderValue(std::string_view value);

// An address usable as an SMTP envelope/header mailbox: non-empty local part and domain around
// one '@', no whitespace, control characters or any of `<>()[],;:"\`.
bool IsPlainMailAddress(std::string_view address);

// RFC 5322 date-time for `unix_seconds` in UTC, e.g. "Tue, 14 Nov 2023 22:13:20 +0000".
std::string Rfc5322Date(int64_t unix_seconds);

// `text` as one or more RFC 2047 "B" encoded-words (=?UTF-8?B?...?=), each at most 75 chars,
// never splitting a UTF-8 sequence, joined by CRLF SP (folded header continuation).
std::string EncodeRfc2047(std::string_view text);

// RFC 2045 quoted-printable of `text` with line breaks (LF, CRLF or CR) turned into CRLF and
// encoded lines of at most 76 characters.
std::string EncodeQuotedPrintable(std::string_view text);

}  // namespace countersign
