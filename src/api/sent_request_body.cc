#include "api/sent_request_body.h"

#include "api/respond.h"
#include "service/custom_fields.h"
#include "service/field_values.h"
#include "service/form_fields.h"
#include "wire/render.h"
#include "wire/signature_request_render.h"

namespace countersign::api {

using nlohmann::json;

json SentRequestBody(const SignatureRequest& r, const std::string& base_url,
                     const RequestFields& fields, const std::vector<std::string>& ignored) {
  // From what was stored: the fields sent and those the text tags made.
  const std::vector<FormField> stored_fields = FieldsOf(r);
  std::vector<std::string> field_warnings = FormFieldWarnings(stored_fields);
  for (std::string& warning : CustomFieldWarnings(StoredCustomFields(r), stored_fields)) {
    field_warnings.push_back(std::move(warning));
  }
  json body = json::object();
  body["signature_request"] = wire::RenderSignatureRequest(r, base_url, FieldDataOf(r));
  AddIgnoredWarnings(fields, body);
  for (const json& warning : wire::IgnoredParameterWarnings(ignored)) {
    body["warnings"].push_back(warning);
  }
  for (const std::string& message : field_warnings) {
    body["warnings"].push_back(wire::Warning(message, "parameter_ignored"));
  }
  return body;
}

}  // namespace countersign::api
