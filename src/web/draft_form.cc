#include "web/draft_form.h"

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "web/ctemplate_headers.h"
#include "web/field_editor.h"
#include "web/pages.h"
#include "web/send_form.h"
#include "web/text_lists.h"

namespace countersign::web {
namespace {

// The editor's starting list: the body's form_fields_per_document when it is a flat array.
std::string StoredFields(const DraftView& view) {
  nlohmann::json fields = nlohmann::json::parse(view.send.form_fields_json, nullptr, false);
  return fields.is_array() ? view.send.form_fields_json : "[]";
}

}  // namespace

http::Response DraftForm(PageContext& page, const DraftView& view, const DraftFormTarget& target,
                         int http_status, const std::string& notice, const std::string& error,
                         bool posted) {
  const SendFormValues values = posted ? PostedSendForm(page) : SendFormOfDraft(view);
  Page out("draft.html", "Prepare to send");
  ctemplate::TemplateDictionary& data = out.data();
  data.SetValue("HEADING", values.title.empty() ? "Prepare to send" : "Prepare: " + values.title);
  if (!notice.empty()) data.AddSectionDictionary("NOTICE")->SetValue("TEXT", notice);
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  ShowFormTarget(page, out, target);
  ShowSendFields(data, values, view.send.signers.empty() ? 2 : 1);

  std::string css = target.extra_css;
  if (view.template_send) {
    ctemplate::TemplateDictionary* t = data.AddSectionDictionary("TEMPLATE_FIELDS");
    t->SetValue("TEMPLATES", JoinedList(view.template_send->template_ids));
    t->SetValue("PLURAL", view.template_send->template_ids.size() > 1 ? "s" : "");
  } else if (view.send.signers.empty()) {
    data.ShowSection("NO_SIGNERS");
  } else {
    FieldEditorInput editor;
    for (size_t i = 0; i < view.send.signers.size(); ++i) {
      const SignerInput& s = view.send.signers[i];
      editor.roles.push_back({std::to_string(i), "Signer " + std::to_string(i + 1) + ": " +
                                                     (s.name.empty() ? s.email : s.name)});
    }
    editor.files = &view.draft.files;
    editor.image_prefix = target.image_prefix;
    editor.image_suffix = target.image_suffix;
    const std::string posted_fields = page.Form("fields");
    editor.fields_json = posted && !posted_fields.empty() ? posted_fields : StoredFields(view);
    css += ShowFieldEditor(data, editor);
  }
  const std::string nonce = RandomHex(16);
  data.SetValue("NONCE", nonce);
  data.SetValue("CSS", css);
  page.AllowStyleNonce(nonce);
  return page.Render(http_status, out);
}

StatusOr<std::string> ActOnDraftForm(PageContext& page, const RequestViewer& viewer,
                                     const std::string& draft_id, SignatureRequest* sent) {
  DraftService& drafts = *page.web().drafts;
  CS_ASSIGN_OR_RETURN(DraftEdit edit, EditOf(PostedSendForm(page)));
  if (!page.FormAll("fields").empty()) {
    nlohmann::json fields = nlohmann::json::parse(page.Form("fields"), nullptr, false);
    if (!fields.is_array()) {
      return InvalidArgument("The field list could not be read.", "form_fields_per_document");
    }
    edit.form_fields = std::move(fields);
  }
  CS_RETURN_IF_ERROR(drafts.Edit(viewer, draft_id, edit).status());
  if (page.Form("action") != "send") return std::string("save");
  CS_ASSIGN_OR_RETURN(*sent, drafts.Send(viewer, draft_id));
  return std::string("send");
}

}  // namespace countersign::web
