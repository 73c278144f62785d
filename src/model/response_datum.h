// ResponseDatum: one filled form field of a signature request, as Dropbox Sign reports it in
// `response_data` (SignatureRequestResponseData* in openapi.yaml). A value type.
#pragma once

#include <optional>
#include <string>

namespace countersign {

struct ResponseDatum {
  std::string api_id;
  std::string signature_id;  // the signer who filled it
  std::string name;
  std::string type;  // signature, initials, date_signed, text, checkbox, ...
  bool required = false;
  std::optional<std::string> value;  // none for signature and initials
  std::optional<bool> is_signed;     // signature and initials only
};

}  // namespace countersign
