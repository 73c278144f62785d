// The template field editor (issue 13): GET /templates/{id} shows the template, its documents'
// page images (GET /templates/{id}/page/{file_index}/{page}.png, for whoever may see the
// template) and, for its owner, a form changing its title, subject, message and CC roles
// (POST /templates/{id}/details, TemplateService::Update) and the editor of
// /static/template-editor.js: fields placed by clicking on a page, dragged, or typed in as
// numbers. POST /templates/{id}/fields takes the
// whole list as form_fields_per_document JSON (`fields`) and replaces the template's fields
// through TemplateService::ReplaceFields, which checks them as /template/create does; a refused
// list is shown again, unsaved, with the reason.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "core/crypto.h"
#include "core/json_dump.h"
#include "service/template_rules.h"
#include "web/ctemplate_headers.h"
#include "web/field_overlay.h"
#include "web/page_context.h"
#include "web/pages.h"
#include "web/signing_pages.h"

namespace countersign::web {
namespace {

std::string IdOf(const PageContext& page) { return std::string(page.request().PathParam("id")); }

std::string Number(double value) {
  char out[32];
  std::snprintf(out, sizeof out, "%.3f", value);
  return out;
}

std::string Names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "None" : out;
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
  nlohmann::json roles_json = nlohmann::json::array();
  for (size_t i = 0; i < t.signer_roles.size(); ++i) {
    roles.push_back(t.signer_roles[i].name);
    roles_json.push_back({{"value", std::to_string(i)}, {"label", t.signer_roles[i].name}});
    ctemplate::TemplateDictionary* role = data.AddSectionDictionary("ROLE");
    role->SetIntValue("INDEX", static_cast<long>(i));
    role->SetValue("NAME", t.signer_roles[i].name);
  }
  if (!t.merge_fields.empty()) {
    roles_json.push_back({{"value", "sender"}, {"label", "Sender (merge field)"}});
  }
  for (const TemplateMergeField& m : t.merge_fields) merge.push_back(m.name + " (" + m.type + ")");
  data.SetValue("SIGNER_ROLES", Names(roles));
  data.SetValue("CC_ROLES", Names(t.cc_roles));
  data.SetValue("MERGE_FIELDS", Names(merge));
  data.SetValue("ROLES_JSON", DumpJson(roles_json));
  const bool posted_details = page.request().method == "POST" && page.Form("form") == "details";
  std::string cc_text;
  for (const std::string& cc : t.cc_roles) cc_text += cc + "\n";
  data.SetValue("EDIT_TITLE", posted_details ? page.Form("title") : t.title);
  data.SetValue("EDIT_SUBJECT", posted_details ? page.Form("subject") : t.subject);
  data.SetValue("EDIT_MESSAGE", posted_details ? page.Form("message") : t.message);
  data.SetValue("EDIT_CC_ROLES", posted_details ? page.Form("cc_roles") : cc_text);
  data.SetValue("FIELDS_JSON", fields_json);
  if (view.can_edit) data.ShowSection("CAN_EDIT");
  std::string css;
  for (size_t f = 0; f < t.files.size(); ++f) {
    const RequestFile& file = t.files[f];
    ctemplate::TemplateDictionary* doc = data.AddSectionDictionary("DOCUMENT");
    doc->SetValue("NAME", file.name);
    for (int p = 0; p < file.page_count; ++p) {
      const DisplayedPageSize size = PageSizeOf(file, p);
      const std::string frame = "pg-" + std::to_string(f) + "-" + std::to_string(p);
      ctemplate::TemplateDictionary* img = doc->AddSectionDictionary("PAGE");
      img->SetValue("FRAME_ID", frame);
      img->SetIntValue("DOC", static_cast<long>(f));
      img->SetIntValue("PAGE", p + 1);
      img->SetValue("WIDTH", Number(size.width));
      img->SetValue("HEIGHT", Number(size.height));
      img->SetValue("SRC", "/templates/" + t.id + "/page/" + std::to_string(f) + "/" +
                               std::to_string(p) + ".png");
      img->SetValue("ALT", "Page " + std::to_string(p + 1) + " of " + file.name +
                               (view.can_edit ? ": click to add a field here" : ""));
      css += PageFrameCss(frame, size);
    }
  }
  const std::string nonce = RandomHex(16);
  data.SetValue("NONCE", nonce);
  data.SetValue("CSS", css);
  page.AllowStyleNonce(nonce);
  return page.Render(http_status, out);
}

http::Response Show(PageContext& page) {
  StatusOr<TemplateView> view = page.web().templates->Get(AccountViewer(page), IdOf(page));
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
  if (st.ok()) st = page.web().templates->ReplaceFields(viewer, IdOf(page), fields).status();
  if (st.ok()) return page.Redirect("/templates/" + IdOf(page) + "?done=fields");
  if (st.code() != Code::kInvalidArgument) return page.Error(st);
  StatusOr<TemplateView> view = page.web().templates->Get(viewer, IdOf(page));
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
  change.cc_roles = TemplateFormLines(page.Form("cc_roles"));
  StatusOr<TemplateView> saved = page.web().templates->Update(viewer, IdOf(page), change);
  if (saved.ok()) return page.Redirect("/templates/" + IdOf(page) + "?done=details");
  if (saved.status().code() != Code::kInvalidArgument) return page.Error(saved.status());
  StatusOr<TemplateView> view = page.web().templates->Get(viewer, IdOf(page));
  if (!view.ok()) return page.Error(view.status());
  StatusOr<nlohmann::json> fields = StoredFieldsJson(view->tmpl);
  if (!fields.ok()) return page.Error(fields.status());
  const std::string where = saved.status().path().empty() ? "" : " (" + saved.status().path() + ")";
  return EditorPage(page, *view, 400, DumpJson(*fields), "",
                    "The details were not saved: " + saved.status().message() + where);
}

http::Response PageImage(PageContext& page) {
  StatusOr<TemplateView> view = page.web().templates->Get(AccountViewer(page), IdOf(page));
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
