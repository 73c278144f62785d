#include "web/embedded_page.h"

#include "core/crypto.h"
#include "service/embedded_frame.h"
#include "web/ctemplate_headers.h"

namespace countersign::web {

std::vector<std::pair<std::string, std::string>> EmbeddedFrameParams::Hidden() const {
  return {{"client_id", client_id},
          {"parent_url", parent_url},
          {"skip_domain_verification", skip_domain_verification ? "1" : "0"}};
}

EmbeddedFrameParams FrameParamsOf(const PageContext& page) {
  const bool post = page.request().method == "POST";
  auto get = [&](std::string_view name) { return post ? page.Form(name) : page.Query(name); };
  return {get("client_id"), get("parent_url"), get("skip_domain_verification") == "1"};
}

http::Response EmbeddedStatusPage(PageContext& page, const std::string& parent_origin,
                                  const std::string& signature_id, const EmbeddedStatus& view,
                                  const std::string& css) {
  Page status("embedded_status.html", view.heading);
  status.SetBare();
  ctemplate::TemplateDictionary& data = status.data();
  data.SetValue("HEADING", view.heading);
  data.SetValue("MESSAGE", view.message);
  data.SetValue("ROLE", view.state == "error" ? "alert" : "status");
  data.SetValue("PARENT_ORIGIN", parent_origin);
  data.SetValue("SIGNATURE_ID", signature_id);
  data.SetValue("SIGNATURE_REQUEST_ID", view.signature_request_id);
  data.SetValue("STATE", view.state);
  data.SetValue("CODE", view.code);
  data.SetValue("REASON", view.reason);
  if (!css.empty()) {
    const std::string nonce = RandomHex(16);
    ctemplate::TemplateDictionary* style = data.AddSectionDictionary("STYLE");
    style->SetValue("NONCE", nonce);
    style->SetValue("CSS", css);
    page.AllowStyleNonce(nonce);
  }
  page.AllowFraming(parent_origin);
  return page.Render(view.http_status, status);
}

EmbeddedStatus EmbeddedErrorStatus(const Status& status) {
  const std::string& message = status.message();
  switch (status.code()) {
    case Code::kPermissionDenied:
      return {403, "error", "domain_not_allowed", "Not allowed here", message, "", ""};
    case Code::kInvalidArgument:
      return {400, "error", "invalid_parameters", "Cannot open this document", message, "", ""};
    case Code::kNotFound:
      return {404, "error", "sign_url_invalid", "Link not valid", message, "", ""};
    case Code::kGone:
      return {410, "error", "signature_request_closed", "This request is closed", message, "", ""};
    case Code::kConflict:
      return {409, "error", "already_signed", "Already signed", message, "", ""};
    default:
      return {500,
              "error",
              "unknown",
              "Something went wrong",
              "The server could not open this document. Please try again later.",
              "",
              ""};
  }
}

http::Response EmbeddedErrorPage(PageContext& page, const std::string& parent_url,
                                 const std::string& signature_id, const Status& status,
                                 const std::string& denied_code) {
  StatusOr<std::string> origin = WebOriginOf(parent_url);
  if (!origin.ok()) return page.ErrorPage(400, "Cannot open this document", status.message());
  EmbeddedStatus view = EmbeddedErrorStatus(status);
  if (status.code() == Code::kPermissionDenied) view.code = denied_code;
  return EmbeddedStatusPage(page, *origin, signature_id, view, "");
}

}  // namespace countersign::web
