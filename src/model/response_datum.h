// ResponseDatum: one filled form field of a signature request, as Dropbox Sign reports it in
// `response_data` (SignatureRequestResponseData* in openapi.yaml), and with the custom fields all a
// request reports about its fields. Value types.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/custom_field.h"

namespace countersign {

struct ResponseDatum {
  std::string api_id;
  std::string signature_id;  // the signer who filled it
  std::string name;
  std::string type;  // signature, initials, date_signed, text, checkbox, ...
  bool required = false;
  std::optional<std::string> value;  // none for signature and initials
  std::optional<bool> checked;       // checkbox and radio: their value is a boolean
  std::optional<bool> is_signed;     // signature and initials only
};

// What a request reports about its fields: `response_data` and `custom_fields`.
struct RequestFieldData {
  std::vector<ResponseDatum> response_data;
  std::vector<CustomFieldDatum> custom_fields;
};

}  // namespace countersign
