// Requests over the server's limits are answered, not dropped. RESTinio 0.6.16's parser callbacks
// fail the parse when a request's URL, header fields or body exceed the connection's
// `incoming_http_msg_limits`, and the connection then closes with no answer: an SDK sees a reset
// socket ("socket hang up") instead of an error it can show. These callbacks replace RESTinio's
// for the URL and the header fields, and are asked at the end of the headers and for each piece
// of body (http/parser_settings.h):
// - a URL, a header field name or value, or a field count over the limits marks the request
//   (what was over is kept in the body, RequestLimits::Exceeded) and the rest of its URL and
//   fields is not stored;
// - a Content-Length over the body limit, or a body in chunks that grows over it, marks it too
//   (the limit is kMaxPlainBodyBytes unless the body is multipart/form-data);
// - a marked request's body is read and dropped as it arrives, and once it ends the handler
//   answers (RequestLimits::Answer: 414, 431 or 413 in the API's error format). Answering
//   before the end would mean closing a connection the client is still writing to, and clients
//   then see EPIPE or a reset instead of the answer (node's http and fetch both do). Reading is
//   bounded by the read time limit, and what is read is not kept.
// Malformed HTTP (http_parser's own errors, such as two Content-Lengths or more than 80 KB of
// headers) fails the parse as before; http/answering_socket.h answers it.
//
// The mark is a body that is exactly kMarker plus one letter. A client that sends such a body
// itself only gets its own request refused. Included by http/server.cc's units only
// (RESTinio's internals). Thread-safe: every callback works on its own connection's parser.
#pragma once

#include <http_parser.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <restinio/all.hpp>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/status_mapping.h"

namespace countersign::http {

class RequestLimits {
 public:
  enum class Exceeded : char { kUrl = 'u', kHeaders = 'h', kBody = 'b' };
  static constexpr std::string_view kMarker{"\0cs-over-limit:", 15};
  // The limit of a body that is not multipart/form-data. Only multipart bodies carry files
  // (JSON and form bodies are a few KB to a few hundred), and without this limit one
  // connection could make the server hold a whole body limit (176 MB by default) in memory;
  // large multipart bodies are spilled to disk instead (http/upload_spill.h).
  static constexpr uint64_t kMaxPlainBodyBytes = 8u << 20;

  // Whether the request's Content-Type is multipart/form-data.
  static bool IsMultipart(const restinio::impl::http_parser_ctx_t& ctx) {
    auto type = ctx.m_header.opt_value_of(restinio::http_field::content_type);
    if (!type) return false;
    constexpr std::string_view kType = "multipart/form-data";
    return type->size() >= kType.size() && IEquals(type->substr(0, kType.size()), kType);
  }

  // What a marked request exceeded; nullopt for any other body.
  static std::optional<Exceeded> Of(std::string_view body) {
    if (body.size() != kMarker.size() + 1 || !body.starts_with(kMarker)) return std::nullopt;
    const char c = body.back();
    if (c == static_cast<char>(Exceeded::kUrl) || c == static_cast<char>(Exceeded::kHeaders) ||
        c == static_cast<char>(Exceeded::kBody)) {
      return static_cast<Exceeded>(c);
    }
    return std::nullopt;
  }

  // The answer to a request that exceeded `what` (error_name bad_request, like every refused
  // input).
  static Response Answer(Exceeded what) {
    switch (what) {
      case Exceeded::kUrl:
        return ErrorResponse(InvalidArgument("The request URL is too long."), 414);
      case Exceeded::kHeaders:
        return ErrorResponse(
            InvalidArgument("The request has too many header fields, or one that is too long."),
            431);
      case Exceeded::kBody:
        break;
    }
    return ErrorResponse(Status(Code::kPayloadTooLarge, "The request body is too large."));
  }

  static int OnUrl(http_parser* parser, const char* at, size_t length) {
    Ctx& ctx = CtxOf(parser);
    if (Marked(ctx)) return 0;
    if (ctx.m_header.request_target().size() + length > ctx.m_limits.max_url_size()) {
      Mark(ctx, Exceeded::kUrl);
      return 0;
    }
    return restinio::impl::restinio_url_cb(parser, at, length);
  }

  static int OnHeaderField(http_parser* parser, const char* at, size_t length) {
    Ctx& ctx = CtxOf(parser);
    if (Marked(ctx)) return 0;
    const size_t name_size =
        ctx.m_last_was_value ? length : ctx.m_current_field_name.size() + length;
    if ((ctx.m_last_was_value && ctx.m_total_field_count >= ctx.m_limits.max_field_count()) ||
        name_size > ctx.m_limits.max_field_name_size()) {
      Mark(ctx, Exceeded::kHeaders);
      return 0;
    }
    return restinio::impl::restinio_header_field_cb(parser, at, length);
  }

  static int OnHeaderValue(http_parser* parser, const char* at, size_t length) {
    Ctx& ctx = CtxOf(parser);
    if (Marked(ctx)) return 0;
    const size_t value_size = ctx.m_last_was_value ? ctx.m_last_value_total_size + length : length;
    if (value_size >= ctx.m_limits.max_field_value_size()) {
      Mark(ctx, Exceeded::kHeaders);
      return 0;
    }
    return restinio::impl::restinio_header_value_cb(parser, at, length);
  }

  // At the end of the headers: true when the request is marked (now, if its Content-Length is
  // over the body limit), so its body is to be dropped rather than stored or spilled.
  static bool MarkedAtHeaders(http_parser* parser) {
    Ctx& ctx = CtxOf(parser);
    const bool sized = (parser->flags & F_CHUNKED) == 0 && parser->content_length != ULLONG_MAX;
    if (!Marked(ctx) && sized && parser->content_length > BodyLimit(ctx)) {
      Mark(ctx, Exceeded::kBody);
    }
    if (!Marked(ctx)) return false;
    ctx.m_leading_headers_completed = true;
    return true;
  }

  // Marks the request as over the body limit: the rest of its body is dropped (the upload spill
  // calls it for a spilled body that grew over the limit).
  static void MarkBodyOver(http_parser* parser) { Mark(CtxOf(parser), Exceeded::kBody); }

  // For `length` more bytes of body: true when they are to be dropped (the request is marked,
  // or they take its body over the limit, which marks it).
  static bool DropBody(http_parser* parser, size_t length) {
    Ctx& ctx = CtxOf(parser);
    if (Marked(ctx)) return true;
    if (ctx.m_body.size() + length <= BodyLimit(ctx)) return false;
    Mark(ctx, Exceeded::kBody);
    return true;
  }

 private:
  using Ctx = restinio::impl::http_parser_ctx_t;

  static Ctx& CtxOf(http_parser* parser) { return *static_cast<Ctx*>(parser->data); }

  static bool Marked(const Ctx& ctx) { return Of(ctx.m_body).has_value(); }

  static uint64_t BodyLimit(const Ctx& ctx) {
    const uint64_t limit = ctx.m_limits.max_body_size();
    return IsMultipart(ctx) ? limit : std::min<uint64_t>(limit, kMaxPlainBodyBytes);
  }

  static void Mark(Ctx& ctx, Exceeded what) {
    ctx.m_body.assign(kMarker);
    ctx.m_body += static_cast<char>(what);
    ctx.m_body.shrink_to_fit();
    ctx.m_current_field_name.clear();
  }
};

}  // namespace countersign::http
