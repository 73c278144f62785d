// libFuzzer target: the request header parsers — the /v3 Authorization header
// (api::ParseAuthorizationHeader, Basic and Bearer) and http::Request::Cookie. Input: the
// header value; it is given to both parsers.
#include <string>

#include "api/authorization_header.h"
#include "fuzz_input.h"
#include "http/message.h"

using countersign::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = countersign::fuzz::AsView(data, size);
  auto credentials = countersign::api::ParseAuthorizationHeader(input);
  if (credentials.ok()) {
    Check(credentials->secret.size() <= input.size(), "credentials come from the header");
  } else {
    Check(credentials.status().code() == countersign::Code::kUnauthenticated,
          "a bad Authorization header is kUnauthenticated");
  }
  countersign::http::Request request;
  request.headers = {{"Cookie", std::string(input)}, {"cookie", "cs_session=second"}};
  for (const char* name : {"cs_session", "cs_csrf", "", "a"}) {
    auto value = request.Cookie(name);
    if (value) Check(value->size() <= input.size() || *value == "second", "cookie from header");
  }
  return 0;
}
