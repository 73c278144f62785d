// libFuzzer target: the server's HTTP parser callbacks (http/parser_settings.h: RESTinio's, with
// http/request_limits.h and the upload spill, which is not installed here) over http_parser, as
// a connection runs them: messages one after another on one parser, reset after each. Input: one
// byte for the URL limit, one for the field count limit, one for the body limit (small, so the
// limits are reached), one for the size of the reads, then the bytes of the connection.
// Properties: a message that completes has its URL and fields within their limits, and its body
// too unless it is marked as over a limit (RequestLimits::Of).
#include <restinio/all.hpp>

#include "fuzz_input.h"
#include "http/parser_settings.h"

using countersign::fuzz::Check;
using countersign::http::RequestLimits;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const size_t max_url = data[0];
  const size_t max_fields = data[1] % 16;
  const size_t max_body = static_cast<size_t>(data[2]) * 4;
  const size_t read_size = 1 + data[3] % 64;
  std::string_view input = countersign::fuzz::AsView(data + 4, size - 4);

  static const http_parser_settings settings =
      restinio::impl::create_parser_settings<countersign::http::HookedHttpMethods>();
  restinio::impl::http_parser_ctx_t ctx(restinio::incoming_http_msg_limits_t{}
                                            .max_url_size(max_url)
                                            .max_field_count(max_fields)
                                            .max_body_size(max_body));
  http_parser parser;
  http_parser_init(&parser, HTTP_REQUEST);
  parser.data = &ctx;
  while (!input.empty()) {
    const size_t n = std::min(read_size, input.size());
    const size_t parsed = http_parser_execute(&parser, &settings, input.data(), n);
    Check(parsed <= n, "the parser consumes at most what it was given");
    input.remove_prefix(parsed);
    if (HTTP_PARSER_ERRNO(&parser) == HPE_PAUSED) {
      Check(ctx.m_message_complete, "paused only at the end of a message");
      Check(ctx.m_header.request_target().size() <= max_url, "the URL is within its limit");
      Check(ctx.m_total_field_count <= max_fields, "the fields are within their limit");
      if (!RequestLimits::Of(ctx.m_body)) {
        Check(ctx.m_body.size() <= max_body, "an unmarked body is within its limit");
      }
      // As the connection does for its next message.
      http_parser_init(&parser, HTTP_REQUEST);
      ctx.reset();
      parser.data = &ctx;
      continue;
    }
    if (HTTP_PARSER_ERRNO(&parser) != HPE_OK) break;  // malformed: the connection closes
    if (parsed < n) break;
  }
  return 0;
}
