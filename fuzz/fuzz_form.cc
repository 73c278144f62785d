// libFuzzer target: the form and query parsers (http::ParseUrlEncoded, UrlDecode, UrlEncode).
// UrlDecode must undo UrlEncode, and decoding never makes a string longer.
#include <string>

#include "fuzz_input.h"
#include "http/message.h"

using countersign::fuzz::Check;
namespace http = countersign::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = countersign::fuzz::AsView(data, size);
  http::Params params = http::ParseUrlEncoded(input);
  size_t total = 0;
  for (const auto& [k, v] : params) total += k.size() + v.size();
  Check(total <= input.size(), "decoded pairs are no longer than the input");
  Check(http::UrlDecode(input, true).size() <= input.size(), "UrlDecode does not grow");
  Check(http::UrlDecode(input, false).size() <= input.size(), "UrlDecode does not grow");
  Check(http::UrlDecode(http::UrlEncode(input), false) == input, "UrlDecode undoes UrlEncode");
  Check(http::UrlDecode(http::UrlEncode(input), true) == input, "UrlDecode undoes UrlEncode (+)");
  return 0;
}
