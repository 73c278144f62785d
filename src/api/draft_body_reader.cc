#include "api/draft_body_reader.h"

#include "api/fields.h"
#include "api/send_request_parser.h"
#include "api/template_request_parser.h"

namespace countersign::api {

StatusOr<SendInput> ApiDraftBodyReader::ReadSend(const nlohmann::json& body) const {
  RequestFields fields = RequestFields::FromJson(body);
  return ParseSendRequest(fields);
}

StatusOr<TemplateSendInput> ApiDraftBodyReader::ReadTemplateSend(const nlohmann::json& body) const {
  RequestFields fields = RequestFields::FromJson(body);
  return ParseSendWithTemplate(fields);
}

}  // namespace countersign::api
