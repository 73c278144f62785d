#include "service/draft_pin_sealing.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/json_dump.h"
#include "service/draft_body.h"

namespace countersign {

StatusOr<int> SealStoredDraftPins(DraftStore& drafts, int batch) {
  int sealed = 0;
  std::string after;
  while (true) {
    CS_ASSIGN_OR_RETURN(std::vector<Draft> page,
                        drafts.FindBodiesContaining("\"pin\":", after, batch));
    for (const Draft& d : page) {
      const nlohmann::json stored = nlohmann::json::parse(d.body_json, nullptr, false);
      if (!stored.is_object()) continue;
      nlohmann::json body = stored;
      CS_RETURN_IF_ERROR(SealSignerPins(body));
      if (body == stored) continue;  // "pin": was not a signer's PIN
      CS_ASSIGN_OR_RETURN(bool replaced, drafts.ReplaceBody(d.id, d.body_json, DumpJson(body)));
      if (replaced) ++sealed;
    }
    if (static_cast<int>(page.size()) < batch) return sealed;
    after = page.back().id;
  }
}

}  // namespace countersign
