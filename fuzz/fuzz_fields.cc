// libFuzzer target: api::RequestFields (JSON, urlencoded and multipart bodies, bracket
// notation) and its typed accessors on every key. Input: "CONTENT-TYPE\nBODY".
#include <string>
#include <vector>

#include "api/fields.h"
#include "fuzz_input.h"

namespace api = countersign::api;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [content_type, body] =
      countersign::fuzz::SplitFirstLine(countersign::fuzz::AsView(data, size));
  countersign::http::Request request;
  request.method = "POST";
  request.headers = {{"Content-Type", std::string(content_type)}};
  request.body = std::string(body);
  auto fields = api::RequestFields::FromBody(request);
  if (!fields.ok()) return 0;
  std::vector<std::string> keys = fields->IgnoredKeys();
  for (const std::string& key : keys) {
    (void)fields->Has(key);
    (void)fields->String(key);
    (void)fields->Bool(key);
    (void)fields->Int(key);
    (void)fields->StringArray(key);
    (void)fields->Object(key);
    if (const nlohmann::json* raw = fields->Raw(key)) {
      (void)api::AsObjectArray(*raw, key);
      (void)api::AsArray(*raw, key);
    }
  }
  countersign::fuzz::Check(fields->IgnoredKeys().empty(), "every key was read");
  return 0;
}
