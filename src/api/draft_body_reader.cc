#include "api/draft_body_reader.h"

#include <string>
#include <vector>

#include "api/fields.h"
#include "api/send_request_parser.h"
#include "api/template_request_parser.h"
#include "service/draft_body.h"

namespace countersign::api {
namespace {

// A stored body as the API's parser takes it, and its signers' sealed PINs (by signer, "" where
// there is none), which that parser does not know.
struct Unsealed {
  explicit Unsealed(const nlohmann::json& body) : json(body), pin_hashes(TakeSealedPins(json)) {}
  RequestFields Fields() const { return RequestFields::FromJson(json); }
  const std::string& PinHash(size_t signer) const {
    static const std::string kNone;
    return signer < pin_hashes.size() ? pin_hashes[signer] : kNone;
  }

  nlohmann::json json;
  std::vector<std::string> pin_hashes;
};

}  // namespace

StatusOr<SendInput> ApiDraftBodyReader::ReadSend(const nlohmann::json& body) const {
  const Unsealed stored(body);
  RequestFields fields = stored.Fields();
  CS_ASSIGN_OR_RETURN(SendInput in, ParseSendRequest(fields));
  for (size_t i = 0; i < in.signers.size(); ++i) in.signers[i].pin_hash = stored.PinHash(i);
  return in;
}

StatusOr<TemplateSendInput> ApiDraftBodyReader::ReadTemplateSend(const nlohmann::json& body) const {
  const Unsealed stored(body);
  RequestFields fields = stored.Fields();
  CS_ASSIGN_OR_RETURN(TemplateSendInput in, ParseSendWithTemplate(fields));
  for (size_t i = 0; i < in.signers.size(); ++i) in.signers[i].signer.pin_hash = stored.PinHash(i);
  return in;
}

}  // namespace countersign::api
