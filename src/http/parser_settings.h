// The server's HTTP parser callbacks: RESTinio's, except where Countersign answers requests over
// its limits (http/request_limits.h) and spills large uploads to disk (http/upload_spill.h).
// Chunk boundaries are not recorded. RESTinio builds its callbacks with the function template
// `impl::create_parser_settings<Http_Methods>()`, chosen by `Traits::http_methods_mapper_t`; the
// server's Traits name HookedHttpMethods (RESTinio's methods, a type of its own) and this file
// specializes the template for it. Included by http/server.cc only.
#pragma once

#include <restinio/all.hpp>

#include "http/request_limits.h"
#include "http/upload_spill.h"

namespace countersign::http {

struct HookedHttpMethods : restinio::default_http_methods_t {};

}  // namespace countersign::http

template <>
inline http_parser_settings
restinio::impl::create_parser_settings<countersign::http::HookedHttpMethods>() noexcept {
  using countersign::http::RequestLimits;
  using countersign::http::UploadSpill;
  http_parser_settings settings = create_parser_settings<restinio::default_http_methods_t>();
  settings.on_url = [](http_parser* p, const char* at, size_t n) {
    return RequestLimits::OnUrl(p, at, n);
  };
  settings.on_header_field = [](http_parser* p, const char* at, size_t n) {
    return RequestLimits::OnHeaderField(p, at, n);
  };
  settings.on_header_value = [](http_parser* p, const char* at, size_t n) {
    return RequestLimits::OnHeaderValue(p, at, n);
  };
  settings.on_headers_complete = [](http_parser* p) {
    return RequestLimits::MarkedAtHeaders(p) ? 0 : UploadSpill::OnHeadersComplete(p);
  };
  settings.on_body = [](http_parser* p, const char* at, size_t n) {
    return RequestLimits::DropBody(p, n) ? 0 : UploadSpill::OnBody(p, at, n);
  };
  // RESTinio lists where each chunk of a chunked body lies (an entry of 16 bytes per chunk),
  // which nothing here reads: a body sent in 1-byte chunks (6 bytes each on the wire) cost
  // several times its size in memory, ~70 MB for 30 MB of them.
  settings.on_chunk_header = [](http_parser*) { return 0; };
  settings.on_message_complete = [](http_parser* p) { return UploadSpill::OnMessageComplete(p); };
  return settings;
}
