// What the pages inside hellosign-embedded's frame share (issues 14 and 15), written once for the
// embedded signing page and the embedded draft page: the frame parameters the library appends
// to the URL it opens, and the short status page a frame ends on — framable by the parent's
// origin only, its /static/embedded.js tells the parent what happened (signed, declined, sent,
// or an error with its code).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "web/page_context.h"

namespace countersign::web {

// The frame parameters, from the query (GET) or the form (POST, where the page carried them).
struct EmbeddedFrameParams {
  std::string client_id;
  std::string parent_url;
  bool skip_domain_verification = false;

  // As hidden inputs for the page's form.
  std::vector<std::pair<std::string, std::string>> Hidden() const;
};
EmbeddedFrameParams FrameParamsOf(const PageContext& page);

struct EmbeddedStatus {
  int http_status = 200;
  std::string state;  // "signed", "declined", "sent" or "error"
  std::string code;   // the hellosign:error code
  std::string heading;
  std::string message;
  std::string reason;                // "declined": the signer's reason
  std::string signature_request_id;  // "sent": the new request
};

// The status page in the frame of `parent_origin`; `css` (may be empty) colours it.
http::Response EmbeddedStatusPage(PageContext& page, const std::string& parent_origin,
                                  const std::string& signature_id, const EmbeddedStatus& status,
                                  const std::string& css);

// The hellosign:error code, HTTP status and text for a failed step.
EmbeddedStatus EmbeddedErrorStatus(const Status& status);

// `status` as a framed page posting hellosign:error when `parent_url` names an origin, else as
// the ordinary (unframeable) error page. `denied_code` is the code of a kPermissionDenied.
http::Response EmbeddedErrorPage(PageContext& page, const std::string& parent_url,
                                 const std::string& signature_id, const Status& status,
                                 const std::string& denied_code = "domain_not_allowed");

}  // namespace countersign::web
