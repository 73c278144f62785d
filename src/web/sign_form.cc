#include "web/sign_form.h"

#include "core/crypto.h"
#include "web/ctemplate_headers.h"
#include "web/field_overlay.h"

namespace countersign::web {
namespace {

// The form field values the page posted (keys "field[...]" and "radio[...]"; the first of a
// repeated key).
SubmittedFields PostedFields(const PageContext& page) {
  SubmittedFields out;
  if (page.request().method != "POST") return out;
  for (const auto& [key, value] : page.form()) {
    if (key.rfind("field[", 0) == 0 || key.rfind("radio[", 0) == 0) out.emplace(key, value);
  }
  return out;
}

}  // namespace

http::Response SignForm(PageContext& page, const SignerSession& session, const std::string& token,
                        int http_status, const std::string& error, const FormTarget& target) {
  const SignatureRequest& request = session.request;
  const Signature& signer = session.signer();
  std::string title = request.title.empty() ? "Signature request" : request.title;
  Page form("sign.html", title);
  ctemplate::TemplateDictionary& data = form.data();
  data.SetValue("TITLE", title);
  data.SetValue("SENDER_EMAIL", request.requester_email);
  if (!request.message.empty()) {
    data.AddSectionDictionary("MESSAGE")->SetValue("TEXT", request.message);
  }
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  data.SetValue("SIGNER_NAME", signer.name);
  data.SetValue("SIGNER_EMAIL", signer.email);
  data.SetValue("TOKEN", token);
  if (ctemplate::TemplateDictionary* embedded = ShowFormTarget(page, form, target)) {
    embedded->SetValue("SIGNATURE_ID", signer.signature_id);
  }
  const SubmittedFields posted = PostedFields(page);
  FieldOverlay overlay(session, posted, page.request().method == "POST");
  for (size_t f = 0; f < request.files.size(); ++f) {
    const RequestFile& file = request.files[f];
    ctemplate::TemplateDictionary* doc = data.AddSectionDictionary("DOCUMENT");
    doc->SetValue("NAME", file.name);
    for (int p = 0; p < file.page_count; ++p) {
      ctemplate::TemplateDictionary* img = doc->AddSectionDictionary("PAGE");
      img->SetValue("SRC", "/sign/" + signer.signature_id + "/page/" + std::to_string(f) + "/" +
                               std::to_string(p) + ".png?t=" + http::UrlEncode(token));
      img->SetValue("ALT", "Page " + std::to_string(p + 1) + " of " + file.name);
      overlay.AddPage(f, p, *img);
    }
  }
  const std::string nonce = RandomHex(16);
  ctemplate::TemplateDictionary* style = data.AddSectionDictionary("FIELD_STYLE");
  style->SetValue("NONCE", nonce);
  style->SetValue("CSS", overlay.css() + target.extra_css);
  page.AllowStyleNonce(nonce);
  if (std::string rules = overlay.RulesJson(); !rules.empty()) {
    data.AddSectionDictionary("FIELD_RULES")->SetValue("RULES", rules);
  }
  if (overlay.fillable() > 0) {
    data.AddSectionDictionary("FIELD_GUIDE")
        ->SetValue("SUMMARY", "You have " + std::to_string(overlay.fillable()) +
                                  (overlay.fillable() == 1 ? " field" : " fields") +
                                  " to fill on the pages, " + std::to_string(overlay.required()) +
                                  " of them required.");
  }
  bool typed = SigningService::KindAllowed(request, "typed");
  bool drawn = SigningService::KindAllowed(request, "drawn");
  std::string chosen = page.Form("kind");
  if (chosen != "typed" && chosen != "drawn") chosen = typed ? "typed" : "drawn";
  if (typed) {
    ctemplate::TemplateDictionary* t = data.AddSectionDictionary("TYPED");
    std::string name = page.request().method == "POST" ? page.Form("typed_name") : signer.name;
    t->SetValue("NAME", name);
    if (chosen == "typed") t->ShowSection("CHECKED");
  }
  if (drawn) {
    ctemplate::TemplateDictionary* d = data.AddSectionDictionary("DRAWN");
    if (chosen == "drawn" || !typed) d->ShowSection("CHECKED");
  }
  if (request.allow_decline) data.ShowSection("DECLINE");
  return page.Render(http_status, form);
}

StatusOr<std::string> ActOnForm(PageContext& page, const SignerSession& session,
                                const std::string& pin_pass) {
  SigningService& signing = *page.web().signing;
  const std::string ip = page.request().remote_ip;
  const std::string agent = UserAgent(page.request());
  const std::string action = page.Form("action");
  if (action == "sign") {
    SignatureInput input;
    input.kind = page.Form("kind");
    input.typed_name = page.Form("typed_name");
    input.strokes_json = page.Form("strokes");
    input.pin_pass = pin_pass;
    input.esign_consent = page.Form("esign_consent") == "1";
    input.fields = PostedFields(page);
    if (input.kind == "drawn" && input.strokes_json.empty()) {
      return InvalidArgument("Draw your signature before signing.");
    }
    CS_RETURN_IF_ERROR(signing.Sign(session, input, ip, agent));
    return action;
  }
  if (action == "decline") {
    CS_RETURN_IF_ERROR(signing.Decline(session, page.Form("reason"), ip, agent, pin_pass));
    return action;
  }
  return InvalidArgument("Choose Sign or Decline.");
}

}  // namespace countersign::web
