// The Templates pages (issue 13, browser half): the list (GET /templates), creating one
// (GET|POST /templates/new: documents uploaded as multipart, signer and CC roles one per line,
// then on to the field editor), deleting one (POST /templates/{id}/delete) and sending from one
// (GET|POST /templates/{id}/send: the Send form's fields with a row per signer and CC role, and
// the merge fields). Everything goes through TemplateService with the logged-in account as the
// viewer, as the API key would: a template the account may not see is a 404 page, one only
// shared with it can be used but not changed. The editor is template_editor.cc.
#include <string>

#include "core/utc_time.h"
#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/pages.h"
#include "web/send_form.h"
#include "web/text_lists.h"

namespace countersign::web {
namespace {

constexpr int kPageSize = 50;

http::Response List(PageContext& page) {
  ListInput input;
  input.page = 1;
  input.page_size = kPageSize;
  input.query = page.Query("q");
  Page out("templates.html", "Templates");
  ctemplate::TemplateDictionary& data = out.data();
  data.SetValue("QUERY", input.query);
  if (page.Query("done") == "delete") {
    data.AddSectionDictionary("NOTICE")->SetValue("TEXT", "The template was deleted.");
  }
  StatusOr<TemplateViewPage> found = page.web().templates->List(AccountViewer(page), input, "");
  if (!found.ok()) return page.Error(found.status());
  for (const TemplateView& v : found->templates) {
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("TEMPLATE");
    row->SetValue("ID", v.tmpl.id);
    row->SetValue("TITLE", v.tmpl.title);
    std::vector<std::string> roles;
    for (const TemplateRole& r : v.tmpl.signer_roles) roles.push_back(r.name);
    row->SetValue("ROLES", JoinedList(roles));
    row->SetIntValue("FIELDS", static_cast<long>(v.fields.size()));
    row->SetValue("UPDATED", FormatUtc(v.tmpl.updated_at, "%Y-%m-%d %H:%M UTC", ""));
    if (v.can_edit) row->ShowSection("CAN_EDIT");
  }
  if (found->templates.empty()) data.ShowSection("EMPTY");
  data.SetIntValue("TOTAL", found->total);
  return page.Render(200, out);
}

// The creation form, filled again with what was posted and `error` (may be empty).
http::Response NewForm(PageContext& page, int http_status, const std::string& error) {
  Page out("template_new.html", "New template");
  ctemplate::TemplateDictionary& data = out.data();
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  data.SetValue("TITLE", page.Form("title"));
  data.SetValue("SUBJECT", page.Form("subject"));
  data.SetValue("MESSAGE", page.Form("message"));
  data.SetValue("SIGNER_ROLES", page.Form("signer_roles"));
  data.SetValue("CC_ROLES", page.Form("cc_roles"));
  data.SetValue("MERGE_FIELDS", page.Form("merge_fields"));
  return page.Render(http_status, out);
}

http::Response ShowNew(PageContext& page) { return NewForm(page, 200, ""); }

// A merge field line: "name" (text) or "name: checkbox" / "name: text".
TemplateMergeField MergeFieldOf(const std::string& line) {
  const size_t colon = line.rfind(':');
  if (colon != std::string::npos) {
    const std::vector<std::string> name = SplitTrimmed(line.substr(0, colon), "\n");
    const std::vector<std::string> type = SplitTrimmed(line.substr(colon + 1), "\n");
    if (name.size() == 1 && type.size() == 1 && (type[0] == "checkbox" || type[0] == "text")) {
      return {name[0], type[0]};
    }
  }
  return {line, "text"};
}

http::Response Create(PageContext& page) {
  TemplateInput in;
  for (const http::FormPart& part : page.files()) {
    if (part.name == "file" && !part.data.empty()) in.files.push_back({*part.filename, part.data});
  }
  in.title = page.Form("title");
  in.subject = page.Form("subject");
  in.message = page.Form("message");
  for (const std::string& name : SplitTrimmed(page.Form("signer_roles"), "\n")) {
    in.signer_roles.push_back({name, std::nullopt});
  }
  in.cc_roles = SplitTrimmed(page.Form("cc_roles"), "\n");
  for (const std::string& line : SplitTrimmed(page.Form("merge_fields"), "\n")) {
    in.merge_fields.push_back(MergeFieldOf(line));
  }
  StatusOr<TemplateView> made = page.web().templates->Create(AccountViewer(page), std::move(in));
  if (!made.ok()) {
    if (made.status().code() != Code::kInvalidArgument) return page.Error(made.status());
    std::string where = made.status().path().empty() ? "" : " (" + made.status().path() + ")";
    return NewForm(page, 400, made.status().message() + where);
  }
  return page.Redirect("/templates/" + made->tmpl.id + "?done=create");
}

http::Response Delete(PageContext& page) {
  Status st = page.web().templates->Delete(AccountViewer(page), page.Param("id"));
  if (!st.ok()) return page.Error(st);
  return page.Redirect("/templates?done=delete");
}

// The send form's values a template starts with: its title, subject, message and test mode, a
// blank row per signer role and per CC role.
SendFormValues SendFormOfTemplate(const Template& t) {
  SendFormValues v;
  v.title = t.title;
  v.subject = t.subject;
  v.message = t.message;
  v.test_mode = t.test_mode;
  for (const auto& role : t.signer_roles) v.signers.push_back({"", "", role.name});
  for (const std::string& role : t.cc_roles) v.role_ccs.push_back({"", "", role});
  return v;
}

// The send form for `view`, filled again with what was posted and `error` (may be empty): the
// Send form's fields (web/send_form, by role) and the template's merge fields.
http::Response SendForm(PageContext& page, const TemplateView& view, int http_status,
                        const std::string& error) {
  const Template& t = view.tmpl;
  const bool posted = page.request().method == "POST";
  Page out("template_send.html", "Send " + t.title);
  ctemplate::TemplateDictionary& data = out.data();
  data.SetValue("ID", t.id);
  data.SetValue("TEMPLATE_TITLE", t.title);
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  ShowSendFields(data, posted ? PostedSendForm(page) : SendFormOfTemplate(t), 0);
  if (!t.merge_fields.empty()) data.ShowSection("HAS_MERGE");
  for (size_t i = 0; i < t.merge_fields.size(); ++i) {
    const std::string key = "merge_" + std::to_string(i);
    ctemplate::TemplateDictionary* m = data.AddSectionDictionary(
        t.merge_fields[i].type == "checkbox" ? "MERGE_CHECKBOX" : "MERGE_TEXT");
    m->SetIntValue("I", static_cast<long>(i));
    m->SetValue("NAME", t.merge_fields[i].name);
    m->SetValue("VALUE", page.Form(key));
    if (page.Form(key) == "1") m->ShowSection("CHECKED");
  }
  return page.Render(http_status, out);
}

http::Response ShowSend(PageContext& page) {
  StatusOr<TemplateView> view = page.web().templates->Get(AccountViewer(page), page.Param("id"));
  if (!view.ok()) return page.Error(view.status());
  return SendForm(page, *view, 200, "");
}

// The posted form as a send from template `t`: the Send form's fields (by role) and the merge
// fields' values.
StatusOr<TemplateSendInput> PostedTemplateSend(const PageContext& page, const Template& t) {
  CS_ASSIGN_OR_RETURN(DraftEdit edit, EditOf(PostedSendForm(page)));
  TemplateSendInput in;
  in.template_ids = {t.id};
  for (SignerInput& signer : edit.signers) {
    std::string role = signer.role;
    in.signers.push_back({std::move(role), std::move(signer)});
  }
  in.ccs = std::move(edit.role_ccs);
  for (size_t i = 0; i < t.merge_fields.size(); ++i) {
    std::string value = page.Form("merge_" + std::to_string(i));
    if (t.merge_fields[i].type == "checkbox") value = value == "1" ? "true" : "false";
    in.send.custom_fields.push_back({t.merge_fields[i].name, value, false, ""});
  }
  in.send.title = std::move(edit.title);
  in.send.subject = std::move(edit.subject);
  in.send.message = std::move(edit.message);
  in.send.test_mode = edit.test_mode;
  in.send.expires_at = edit.expires_at;
  return in;
}

http::Response Send(PageContext& page) {
  const RequestViewer viewer = AccountViewer(page);
  StatusOr<TemplateView> view = page.web().templates->Get(viewer, page.Param("id"));
  if (!view.ok()) return page.Error(view.status());
  StatusOr<TemplateSendInput> in = PostedTemplateSend(page, view->tmpl);
  StatusOr<SignatureRequest> sent =
      in.ok() ? page.web().templates->Send(viewer, std::move(*in)) : in.status();
  if (!sent.ok()) {
    if (sent.status().code() != Code::kInvalidArgument) return page.Error(sent.status());
    std::string where = sent.status().path().empty() ? "" : " (" + sent.status().path() + ")";
    return SendForm(page, *view, 400, sent.status().message() + where);
  }
  return page.Redirect("/requests/" + sent->id);
}

}  // namespace

void RegisterTemplatePages(http::Router& router, WebContext& web) {
  if (web.templates == nullptr || web.requests == nullptr || web.blobs == nullptr ||
      web.previews == nullptr) {
    return;
  }
  router.Add("GET", "/templates", WrapAccountPage(web, List));
  router.Add("GET", "/templates/new", WrapAccountPage(web, ShowNew));
  router.Add("POST", "/templates/new", WrapAccountPage(web, Create), http::Lane::kFetch);
  router.Add("POST", "/templates/{id}/delete", WrapAccountPage(web, Delete));
  router.Add("GET", "/templates/{id}/send", WrapAccountPage(web, ShowSend));
  router.Add("POST", "/templates/{id}/send", WrapAccountPage(web, Send), http::Lane::kFetch);
  RegisterTemplateEditor(router, web);
}

}  // namespace countersign::web
