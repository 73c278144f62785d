// CustomField: one entry of a request's `custom_fields` (SubCustomField in openapi.yaml): the
// sender's value for the merge fields (text-merge, checkbox-merge) of the same name. A value
// type; service/custom_fields.h parses it and renders what the request echoes.
#pragma once

#include <optional>
#include <string>

namespace countersign {

struct CustomField {
  std::string name;
  std::string value;
  bool required = false;
  std::string editor;  // a signer role allowed to edit it (not supported: warned)
};

// A custom field as the request reports it (SignatureRequestResponseCustomField*): typed by
// the merge field it fills.
struct CustomFieldDatum {
  std::string name;
  std::string type;  // "text" or "checkbox"
  std::string api_id;
  bool required = false;
  std::optional<std::string> editor;
  std::optional<std::string> value;  // text
  std::optional<bool> checked;       // checkbox
};

}  // namespace countersign
