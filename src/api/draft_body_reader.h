// ApiDraftBodyReader: DraftService's DraftBodyReader over the API's own parsers
// (ParseSendRequest, ParseSendWithTemplate), so a draft's stored body is read exactly as a
// signature_request/send (send_with_template) call with that JSON body would be. Stateless;
// thread-safe.
#pragma once

#include "service/draft_service.h"

namespace countersign::api {

class ApiDraftBodyReader : public DraftBodyReader {
 public:
  StatusOr<SendInput> ReadSend(const nlohmann::json& body) const override;
  StatusOr<TemplateSendInput> ReadTemplateSend(const nlohmann::json& body) const override;
};

}  // namespace countersign::api
