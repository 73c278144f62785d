// The sender's web app, first part (issue 15): the Documents page (requests sent by me and
// waiting for me, in folders, searchable with the list query grammar, newest first, 20 a page)
// and each request's page at /requests/{id}, the details_url of the API: status, signers,
// audit trail, Remind, Cancel, and "Sign now" when it is my turn. Everything goes through
// SignatureRequestService with the logged-in account as the viewer, so the page shows exactly
// what the API key would: a request the account may not see is a 404 page. While the request
// can still change, /static/request.js asks for its version every few seconds and reloads the
// page when it changed (a signature, the final PDF).
#include <algorithm>
#include <string>

#include "core/utc_time.h"
#include "service/request_expiry.h"
#include "service/signer_mail.h"
#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/pages.h"

namespace countersign::web {
namespace {

constexpr int kPageSize = 20;

struct Folder {
  const char* key;
  const char* label;
  RequestBox box;
};

constexpr Folder kFolders[] = {
    {"all", "All", RequestBox::kAll},
    {"waiting_for_me", "Waiting for me", RequestBox::kWaitingForMe},
    {"waiting_for_others", "Waiting for others", RequestBox::kWaitingForOthers},
    {"completed", "Completed", RequestBox::kCompleted},
    {"declined", "Declined", RequestBox::kDeclined},
    {"canceled", "Canceled", RequestBox::kCanceled},
    {"expired", "Expired", RequestBox::kExpired},
};

std::string When(int64_t at) { return FormatUtc(at, "%Y-%m-%d %H:%M UTC", ""); }

// What a user calls the request's state.
std::string StateOf(const SignatureRequest& r, int64_t now) {
  if (r.canceled_at != 0) return "Canceled";
  if (r.is_complete) return "Completed";
  if (r.is_declined) return "Declined";
  if (HasExpired(r, now)) return "Expired";
  return "Waiting for signatures";
}

std::string SignerState(const Signature& s) {
  if (s.status_code == "signed") return "Signed " + When(s.signed_at);
  if (s.status_code == "declined") return "Declined";
  if (s.last_viewed_at != 0) return "Viewed " + When(s.last_viewed_at);
  return "Awaiting signature";
}

// Changes whenever something the request page shows changes (state, a signer, the final PDF).
std::string VersionOf(const SignatureRequest& r, int64_t now) {
  std::string version = StateOf(r, now) + "/" + std::to_string(static_cast<int>(r.final_state));
  for (const Signature& s : r.signatures) {
    version += "/" + s.status_code + ":" + std::to_string(s.last_viewed_at) + ":" +
               std::to_string(s.last_reminded_at);
  }
  return version;
}

// The page keeps asking while something can still change without the viewer: signatures,
// expiry, the final PDF.
bool MayChange(const SignatureRequest& r, const std::string& state) {
  return state == "Waiting for signatures" ||
         (r.is_complete && r.final_state != FinalState::kReady &&
          r.final_state != FinalState::kFailed);
}

int PageNumber(const PageContext& page) {
  const std::string text = page.Query("page");
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos)
    return 1;
  return std::max(1, std::stoi(text));
}

std::string DocumentsLink(const std::string& folder, const std::string& query, int number) {
  std::string link = "/documents?box=" + folder;
  if (!query.empty()) link += "&q=" + http::UrlEncode(query);
  if (number > 1) link += "&page=" + std::to_string(number);
  return link;
}

http::Response Documents(PageContext& page) {
  const Folder* folder = &kFolders[0];
  for (const Folder& f : kFolders) {
    if (page.Query("box") == f.key) folder = &f;
  }
  const std::string query = page.Query("q");
  ListInput input;
  input.page = PageNumber(page);
  input.page_size = kPageSize;
  input.query = query;
  input.box = folder->box;
  Page out("documents.html", "Documents");
  ctemplate::TemplateDictionary& data = out.data();
  data.SetValue("FOLDER", folder->key);
  data.SetValue("FOLDER_LABEL", folder->label);
  data.SetValue("QUERY", query);
  for (const Folder& f : kFolders) {
    ctemplate::TemplateDictionary* tab = data.AddSectionDictionary("TAB");
    tab->SetValue("LINK", DocumentsLink(f.key, query, 1));
    tab->SetValue("LABEL", f.label);
    if (&f == folder) tab->ShowSection("CURRENT");
  }
  StatusOr<RequestPage> found = page.web().requests->List(AccountViewer(page), input);
  if (!found.ok()) {
    if (found.status().code() != Code::kInvalidArgument) return page.Error(found.status());
    data.AddSectionDictionary("ERROR")->SetValue("TEXT", found.status().message());
    return page.Render(400, out);
  }
  const int64_t now = page.web().requests->Now();
  for (const SignatureRequest& r : found->requests) {
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("REQUEST");
    row->SetValue("ID", r.id);
    row->SetValue("TITLE", r.title);
    row->SetValue("STATE", StateOf(r, now));
    row->SetValue("FROM", r.requester_email);
    row->SetValue("CREATED", When(r.created_at));
    std::string signers;
    for (const Signature& s : r.signatures) signers += (signers.empty() ? "" : ", ") + s.name;
    row->SetValue("SIGNERS", signers);
  }
  if (found->requests.empty()) data.ShowSection("EMPTY");
  const int64_t pages = std::max<int64_t>(1, (found->total + kPageSize - 1) / kPageSize);
  data.SetIntValue("PAGE", input.page);
  data.SetIntValue("PAGES", pages);
  data.SetIntValue("TOTAL", found->total);
  if (input.page > 1) {
    data.AddSectionDictionary("PREVIOUS")
        ->SetValue("LINK", DocumentsLink(folder->key, query, input.page - 1));
  }
  if (input.page < pages) {
    data.AddSectionDictionary("NEXT")->SetValue("LINK",
                                                DocumentsLink(folder->key, query, input.page + 1));
  }
  return page.Render(200, out);
}

// The request page, with a `notice` or an `error` (either may be empty) above it.
http::Response RequestPage(PageContext& page, int http_status, const std::string& notice,
                           const std::string& error) {
  const std::string id = page.Param("id");
  const RequestViewer viewer = AccountViewer(page);
  SignatureRequestService& requests = *page.web().requests;
  StatusOr<SignatureRequest> found = requests.View(viewer, id);
  if (!found.ok()) return page.Error(found.status());
  const SignatureRequest& r = *found;
  StatusOr<std::vector<AuditEntry>> audit = requests.AuditTrail(viewer, id);
  if (!audit.ok()) return page.Error(audit.status());
  const int64_t now = requests.Now();
  const std::string state = StateOf(r, now);
  const bool open = state == "Waiting for signatures";
  const bool sender = r.account_id == viewer.account_id;

  Page out("request.html", r.title);
  ctemplate::TemplateDictionary& data = out.data();
  data.SetValue("ID", r.id);
  data.SetValue("TITLE", r.title);
  data.SetValue("STATE", state);
  data.SetValue("FROM", r.requester_email);
  data.SetValue("CREATED", When(r.created_at));
  if (!r.message.empty()) data.AddSectionDictionary("MESSAGE")->SetValue("TEXT", r.message);
  if (!notice.empty()) data.AddSectionDictionary("NOTICE")->SetValue("TEXT", notice);
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  if (r.test_mode) data.ShowSection("TEST_MODE");
  const std::vector<size_t> turn = SignersWhoseTurnItIs(r);
  for (size_t i = 0; i < r.signatures.size(); ++i) {
    const Signature& s = r.signatures[i];
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("SIGNER");
    row->SetValue("NAME", s.name);
    row->SetValue("EMAIL", s.email);
    row->SetValue("STATE", SignerState(s));
    if (s.order) row->AddSectionDictionary("ORDER")->SetIntValue("N", *s.order);
    const bool their_turn = std::find(turn.begin(), turn.end(), i) != turn.end();
    if (open && sender && their_turn && !r.embedded) {
      row->AddSectionDictionary("REMIND")->SetValue("EMAIL", s.email);
    }
    if (open && their_turn && s.email == viewer.email && !r.embedded) {
      data.ShowSection("SIGN_NOW");  // an embedded request is signed in its app
    }
  }
  if (open && sender) data.ShowSection("CANCEL");
  if (r.canceled_at == 0 && page.web().url_signer != nullptr) {
    // The API's files_as_file_url link: the sealed PDF once ready, else the documents as sent.
    int64_t expires_at = 0;
    ctemplate::TemplateDictionary* download = data.AddSectionDictionary("DOWNLOAD");
    const std::string url =
        "/files/" + r.id + "?" + page.web().url_signer->SignQuery(r.id, true, 3600, expires_at);
    download->SetValue("URL", url);
    download->SetValue("ZIP_URL", url + "&file_type=zip");
    download->SetValue("LABEL", r.final_state == FinalState::kReady
                                    ? "Download the signed PDF"
                                    : "Download the documents (PDF)");
  }
  if (MayChange(r, state)) {
    ctemplate::TemplateDictionary* live = data.AddSectionDictionary("LIVE");
    live->SetValue("VERSION", VersionOf(r, now));
  }
  for (const AuditEntry& entry : *audit) {
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("AUDIT");
    row->SetValue("WHEN", When(entry.at));
    row->SetValue("ACTION", entry.action);
    row->SetValue("WHO", entry.actor_email);
  }
  return page.Render(http_status, out);
}

http::Response ShowRequest(PageContext& page) {
  const std::string done = page.Query("done");
  if (done == "remind") return RequestPage(page, 200, "Reminder sent.", "");
  if (done == "cancel") return RequestPage(page, 200, "The request was canceled.", "");
  return RequestPage(page, 200, "", "");
}

// GET /requests/{id}/version: what the page's script compares with the version it was drawn
// at (text/plain), to reload when the request changed.
http::Response Version(PageContext& page) {
  StatusOr<SignatureRequest> r = page.web().requests->View(AccountViewer(page), page.Param("id"));
  if (!r.ok()) return page.Error(r.status());
  http::Response response;
  response.SetHeader("Content-Type", "text/plain; charset=utf-8");
  response.body = VersionOf(*r, page.web().requests->Now());
  return response;
}

// After a POST action: back to the request page (a GET, so reloading it repeats nothing) with
// `done` as its notice, or the page with the error.
http::Response AfterAction(PageContext& page, const Status& st, const std::string& done) {
  if (st.ok()) {
    return page.Redirect("/requests/" + page.Param("id") + "?done=" + done);
  }
  switch (st.code()) {
    case Code::kInvalidArgument:
    case Code::kConflict:
    case Code::kPermissionDenied:
    case Code::kGone:
      return RequestPage(page, st.code() == Code::kConflict ? 409 : 400, "", st.message());
    default:
      return page.Error(st);
  }
}

http::Response Remind(PageContext& page) {
  StatusOr<SignatureRequest> r = page.web().requests->Remind(AccountViewer(page), page.Param("id"),
                                                             page.Form("email_address"), "");
  return AfterAction(page, r.status(), "remind");
}

http::Response Cancel(PageContext& page) {
  Status st = page.web().requests->Cancel(AccountViewer(page), page.Param("id"));
  return AfterAction(page, st, "cancel");
}

// "Sign now": a fresh signing link for the logged-in signer, then their signing page.
http::Response SignNow(PageContext& page) {
  StatusOr<SignatureRequest> r = page.web().requests->View(AccountViewer(page), page.Param("id"));
  if (!r.ok()) return page.Error(r.status());
  auto link = page.web().signing->LinkForAccount(*r, page.account().email);
  if (!link.ok()) return AfterAction(page, link.status(), "");
  return page.Redirect("/sign/" + link->first + "?t=" + http::UrlEncode(link->second));
}

}  // namespace

std::string_view RequestScript() {
  static constexpr std::string_view kScript = R"js((function () {
  'use strict';
  var live = document.getElementById('request-live');
  if (!live) return;
  var version = live.getAttribute('data-version');
  var url = live.getAttribute('data-url');
  var page = live.getAttribute('data-page');
  function check() {
    fetch(url, { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
      return r.ok ? r.text() : version;
    }).then(function (now) {
      if (now !== version) window.location.assign(page);
      else window.setTimeout(check, 3000);
    }).catch(function () { window.setTimeout(check, 10000); });
  }
  window.setTimeout(check, 3000);
})();
)js";
  return kScript;
}

void RegisterDocumentPages(http::Router& router, WebContext& web) {
  if (web.requests == nullptr || web.signing == nullptr) return;
  router.Add("GET", "/documents", WrapAccountPage(web, Documents));
  router.Add("GET", "/requests/{id}", WrapAccountPage(web, ShowRequest));
  router.Add("GET", "/requests/{id}/version", WrapAccountPage(web, Version));
  router.Add("GET", "/static/request.js",
             StaticText("text/javascript; charset=utf-8", RequestScript()));
  router.Add("POST", "/requests/{id}/remind", WrapAccountPage(web, Remind));
  router.Add("POST", "/requests/{id}/cancel", WrapAccountPage(web, Cancel));
  router.Add("POST", "/requests/{id}/sign", WrapAccountPage(web, SignNow));
}

}  // namespace countersign::web
