// libFuzzer target: what the signing page parses from its POST — the urlencoded form
// (kind, typed_name, strokes) and the drawn signature's strokes (ValidStrokes). The input is
// tried both as the raw strokes JSON and as the whole form body.
#include <string>

#include "fuzz_input.h"
#include "http/message.h"
#include "service/signature_strokes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = countersign::fuzz::AsView(data, size);
  (void)countersign::ValidStrokes(input);
  for (const auto& [key, value] : countersign::http::ParseUrlEncoded(input)) {
    if (key == "strokes") (void)countersign::ValidStrokes(value);
  }
  return 0;
}
