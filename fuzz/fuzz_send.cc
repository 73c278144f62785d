// libFuzzer target: the POST /v3/signature_request/send parser (api::ParseSendRequest) on any
// body RequestFields accepts. Input: "CONTENT-TYPE\nBODY".
#include <string>

#include "api/send_request_parser.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [content_type, body] =
      countersign::fuzz::SplitFirstLine(countersign::fuzz::AsView(data, size));
  countersign::http::Request request;
  request.method = "POST";
  request.headers = {{"Content-Type", std::string(content_type)}};
  request.body = std::string(body);
  auto fields = countersign::api::RequestFields::FromBody(request);
  if (!fields.ok()) return 0;
  auto input = countersign::api::ParseSendRequest(*fields);
  if (input.ok()) {
    for (const auto& file : input->files) {
      countersign::fuzz::Check(file.data.size() <= request.body.size(), "files borrow the body");
    }
  }
  return 0;
}
