// The template field editor (issue 13): GET /templates/{id} shows the template, its documents'
// page images (GET /templates/{id}/page/{file_index}/{page}.png, for whoever may see the
// template) and, for its owner, a form changing its title, subject, message and CC roles
// (POST /templates/{id}/details, TemplateService::Update) and the editor of
// /static/template-editor.js: fields placed by clicking on a page, dragged, or typed in as
// numbers. POST /templates/{id}/fields takes the
// whole list as form_fields_per_document JSON (`fields`) and replaces the template's fields
// through TemplateService::ReplaceFields, which checks them as /template/create does; a refused
// list is shown again, unsaved, with the reason.
#include <nlohmann/json.hpp>
#include <string>

#include "core/crypto.h"
#include "core/json_dump.h"
#include "service/template_rules.h"
#include "web/ctemplate_headers.h"
#include "web/field_editor.h"
#include "web/page_context.h"
#include "web/pages.h"
#include "web/send_form.h"
#include "web/signing_pages.h"
#include "web/text_lists.h"

namespace countersign::web {
namespace {

std::string Names(const std::vector<std::string>& names) {
  return names.empty() ? "None" : JoinedList(names);
}

// The editor page for `view`; `fields_json` is the list the editor starts from (the stored
// fields, or a refused POST's), `notice` / `error` may be empty.
http::Response EditorPage(PageContext& page, const TemplateView& view, int http_status,
                          const std::string& fields_json, const std::string& notice,
                          const std::string& error) {
  const Template& t = view.tmpl;
  Page out("template_edit.html", t.title);
  ctemplate::TemplateDictionary& data = out.data();
  data.SetValue("ID", t.id);
  data.SetValue("TITLE", t.title);
  if (!notice.empty()) data.AddSectionDictionary("NOTICE")->SetValue("TEXT", notice);
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  std::vector<std::string> roles, merge;
  FieldEditorInput editor;
  for (size_t i = 0; i < t.signer_roles.size(); ++i) {
    roles.push_back(t.signer_roles[i].name);
    editor.roles.push_back({std::to_string(i), t.signer_roles[i].name});
  }
  if (!t.merge_fields.empty()) editor.roles.push_back({"sender", "Sender (merge field)"});
  for (const TemplateMergeField& m : t.merge_fields) merge.push_back(m.name + " (" + m.type + ")");
  data.SetValue("SIGNER_ROLES", Names(roles));
  data.SetValue("CC_ROLES", Names(t.cc_roles));
  data.SetValue("MERGE_FIELDS", Names(merge));
  const bool posted_details = page.request().method == "POST" && page.Form("form") == "details";
  std::string cc_text;
  for (const std::string& cc : t.cc_roles) cc_text += cc + "\n";
  data.SetValue("EDIT_TITLE", posted_details ? page.Form("title") : t.title);
  data.SetValue("EDIT_SUBJECT", posted_details ? page.Form("subject") : t.subject);
  data.SetValue("EDIT_MESSAGE", posted_details ? page.Form("message") : t.message);
  data.SetValue("EDIT_CC_ROLES", posted_details ? page.Form("cc_roles") : cc_text);
  if (view.can_edit) data.ShowSection("CAN_EDIT");
  editor.files = &t.files;
  editor.image_prefix = "/templates/" + t.id + "/page/";
  editor.fields_json = fields_json;
  // The editor (and its pages) is shown only to those who may edit.
  const std::string css = view.can_edit ? ShowFieldEditor(data, editor) : "";
  const std::string nonce = RandomHex(16);
  data.SetValue("NONCE", nonce);
  data.SetValue("CSS", css);
  page.AllowStyleNonce(nonce);
  return page.Render(http_status, out);
}

http::Response Show(PageContext& page) {
  StatusOr<TemplateView> view = page.web().templates->Get(AccountViewer(page), page.Param("id"));
  if (!view.ok()) return page.Error(view.status());
  StatusOr<nlohmann::json> fields = StoredFieldsJson(view->tmpl);
  if (!fields.ok()) return page.Error(fields.status());
  const std::string done = page.Query("done");
  const std::string notice = done == "create"    ? "Template created: now place its fields."
                             : done == "fields"  ? "Fields saved."
                             : done == "details" ? "Details saved."
                                                 : "";
  return EditorPage(page, *view, 200, DumpJson(*fields), notice, "");
}

http::Response SaveFields(PageContext& page) {
  const RequestViewer viewer = AccountViewer(page);
  const std::string posted = page.Form("fields");
  nlohmann::json fields = nlohmann::json::parse(posted, nullptr, false);
  Status st = fields.is_array() ? Status::Ok()
                                : InvalidArgument("The field list could not be read.", "fields");
  if (st.ok()) st = page.web().templates->ReplaceFields(viewer, page.Param("id"), fields).status();
  if (st.ok()) return page.Redirect("/templates/" + page.Param("id") + "?done=fields");
  if (st.code() != Code::kInvalidArgument) return page.Error(st);
  StatusOr<TemplateView> view = page.web().templates->Get(viewer, page.Param("id"));
  if (!view.ok()) return page.Error(view.status());
  const std::string where = st.path().empty() ? "" : " (" + st.path() + ")";
  return EditorPage(page, *view, 400, fields.is_array() ? posted : "[]", "",
                    "The fields were not saved: " + st.message() + where);
}

http::Response SaveDetails(PageContext& page) {
  const RequestViewer viewer = AccountViewer(page);
  TemplateChange change;
  change.title = page.Form("title");
  change.subject = page.Form("subject");
  change.message = page.Form("message");
  change.cc_roles = SplitTrimmed(page.Form("cc_roles"), "\n");
  StatusOr<TemplateView> saved = page.web().templates->Update(viewer, page.Param("id"), change);
  if (saved.ok()) return page.Redirect("/templates/" + page.Param("id") + "?done=details");
  if (saved.status().code() != Code::kInvalidArgument) return page.Error(saved.status());
  StatusOr<TemplateView> view = page.web().templates->Get(viewer, page.Param("id"));
  if (!view.ok()) return page.Error(view.status());
  StatusOr<nlohmann::json> fields = StoredFieldsJson(view->tmpl);
  if (!fields.ok()) return page.Error(fields.status());
  const std::string where = saved.status().path().empty() ? "" : " (" + saved.status().path() + ")";
  return EditorPage(page, *view, 400, DumpJson(*fields), "",
                    "The details were not saved: " + saved.status().message() + where);
}

http::Response PageImage(PageContext& page) {
  StatusOr<TemplateView> view = page.web().templates->Get(AccountViewer(page), page.Param("id"));
  if (!view.ok()) return page.Error(view.status());
  return DocumentPageImage(page.web(), view->tmpl.files, page.request().PathParam("file_index"),
                           page.request().PathParam("page"));
}

}  // namespace

void RegisterTemplateEditor(http::Router& router, WebContext& web) {
  router.Add("GET", "/templates/{id}", WrapAccountPage(web, Show));
  router.Add("POST", "/templates/{id}/fields", WrapAccountPage(web, SaveFields));
  router.Add("POST", "/templates/{id}/details", WrapAccountPage(web, SaveDetails));
  router.Add("GET", "/templates/{id}/page/{file_index}/{page}", WrapAccountPage(web, PageImage),
             http::Lane::kCompute);
  router.Add("GET", "/static/template-editor.js",
             StaticText("text/javascript; charset=utf-8", TemplateEditorScript()));
  router.Add("GET", "/static/template-editor.css",
             StaticText("text/css; charset=utf-8", TemplateEditorStyleSheet()));
}

}  // namespace countersign::web
