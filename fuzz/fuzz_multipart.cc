// libFuzzer target: http::ParseMultipart. Input: "CONTENT-TYPE\nBODY". Every part's data must
// lie inside the body it borrows from.
#include "fuzz_input.h"
#include "http/multipart.h"

using countersign::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [content_type, body] =
      countersign::fuzz::SplitFirstLine(countersign::fuzz::AsView(data, size));
  auto parts = countersign::http::ParseMultipart(content_type, body);
  if (!parts.ok()) return 0;
  for (const auto& part : *parts) {
    Check(part.data.empty() || (part.data.data() >= body.data() &&
                                part.data.data() + part.data.size() <= body.data() + body.size()),
          "a part's data lies inside the body");
  }
  return 0;
}
