// The sender's web app, sending (issue 15): GET /send is the form (PDFs by file input or drag
// and drop, signers with an optional signing order, CCs, title, message, expiry, test mode),
// POST /send sends it through SignatureRequestService::Send, exactly as the API's send would,
// and goes to the new request's page. /static/send.js adds signer rows, drops files on the
// input and shows the upload's progress; without it the form still works.
#include <ctime>
#include <string>
#include <vector>

#include "service/validation.h"
#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/pages.h"

namespace countersign::web {
namespace {

constexpr int kSignerRows = 3;

// "YYYY-MM-DD" (an <input type=date>) as the end of that day in UTC; nullopt for "".
StatusOr<std::optional<int64_t>> EndOfDay(const std::string& date) {
  if (date.empty()) return std::optional<int64_t>();
  std::tm tm{};
  if (date.size() != 10 || strptime(date.c_str(), "%Y-%m-%d", &tm) == nullptr) {
    return InvalidArgument("Choose a valid expiry date.", "expires_at");
  }
  return std::optional<int64_t>(static_cast<int64_t>(timegm(&tm)) + 24 * 3600 - 1);
}

// The form again (with `error` above it when not empty), keeping what was typed.
http::Response SendForm(PageContext& page, int http_status, const std::string& error) {
  Page form("send.html", "Send for signature");
  ctemplate::TemplateDictionary& data = form.data();
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  data.SetValue("TITLE", page.Form("title"));
  data.SetValue("MESSAGE", page.Form("message"));
  data.SetValue("CC_EMAILS", page.Form("cc_emails"));
  data.SetValue("EXPIRES_ON", page.Form("expires_on"));
  if (page.request().method != "POST" || page.Form("test_mode") == "1") {
    data.ShowSection("TEST_MODE_CHECKED");
  }
  if (page.Form("ordered") == "1") data.ShowSection("ORDERED_CHECKED");
  std::vector<std::string> names = page.FormAll("signer_name");
  std::vector<std::string> emails = page.FormAll("signer_email");
  const size_t rows = std::max<size_t>(kSignerRows, std::max(names.size(), emails.size()));
  for (size_t i = 0; i < rows; ++i) {
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("SIGNER");
    row->SetIntValue("N", static_cast<long>(i + 1));
    row->SetValue("NAME", i < names.size() ? names[i] : "");
    row->SetValue("EMAIL", i < emails.size() ? emails[i] : "");
  }
  return page.Render(http_status, form);
}

http::Response ShowSend(PageContext& page) { return SendForm(page, 200, ""); }

// The SendInput of the posted form; kInvalidArgument for what the form itself gets wrong.
StatusOr<SendInput> InputOf(const PageContext& page) {
  SendInput in;
  for (const http::FormPart& file : page.files()) {
    if (file.name != "file" || file.data.empty()) continue;
    in.files.push_back(UploadedFile{file.filename.value_or("document.pdf"), file.data});
  }
  if (in.files.empty()) return InvalidArgument("Choose at least one PDF to send.", "files");
  const std::vector<std::string> names = page.FormAll("signer_name");
  const std::vector<std::string> emails = page.FormAll("signer_email");
  const bool ordered = page.Form("ordered") == "1";
  for (size_t i = 0; i < std::max(names.size(), emails.size()); ++i) {
    const std::string name = i < names.size() ? Trim(names[i]) : "";
    const std::string email = i < emails.size() ? Trim(emails[i]) : "";
    if (name.empty() && email.empty()) continue;
    SignerInput signer;
    signer.name = name;
    signer.email = email;
    if (ordered) signer.order = static_cast<int64_t>(in.signers.size());
    in.signers.push_back(std::move(signer));
  }
  if (in.signers.empty()) return InvalidArgument("Add at least one signer.", "signers");
  std::string cc = page.Form("cc_emails");
  for (char& c : cc) {
    if (c == ',' || c == ';' || c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  for (size_t at = 0; at < cc.size();) {
    size_t end = cc.find(' ', at);
    if (end == std::string::npos) end = cc.size();
    if (end > at) in.cc_emails.push_back(cc.substr(at, end - at));
    at = end + 1;
  }
  const std::string title = Trim(page.Form("title"));
  if (!title.empty()) in.title = title;
  in.message = page.Form("message");
  in.test_mode = page.Form("test_mode") == "1";
  CS_ASSIGN_OR_RETURN(in.expires_at, EndOfDay(page.Form("expires_on")));
  return in;
}

http::Response SubmitSend(PageContext& page) {
  StatusOr<SendInput> input = InputOf(page);
  if (!input.ok()) return SendForm(page, 400, input.status().message());
  StatusOr<SignatureRequest> sent =
      page.web().requests->Send(AccountViewer(page), std::move(input).value());
  if (!sent.ok()) {
    const Status& st = sent.status();
    if (st.code() == Code::kInvalidArgument || st.code() == Code::kPermissionDenied) {
      std::string message = st.message();
      if (!st.path().empty()) message += " (" + st.path() + ")";
      return SendForm(page, st.code() == Code::kInvalidArgument ? 400 : 403, message);
    }
    return page.Error(st);
  }
  return page.Redirect("/requests/" + sent->id);
}

}  // namespace

std::string_view SendScript() {
  static constexpr std::string_view kScript = R"js((function () {
  'use strict';
  var form = document.getElementById('send-form');
  if (!form) return;
  var rows = document.getElementById('signer-rows');
  var add = document.getElementById('add-signer');
  if (add && rows) {
    add.hidden = false;
    add.addEventListener('click', function () {
      var last = rows.lastElementChild;
      var copy = last.cloneNode(true);
      var n = rows.children.length + 1;
      copy.querySelector('legend').textContent = 'Signer ' + n;
      copy.querySelectorAll('input').forEach(function (input) {
        input.value = '';
        input.id = input.id.replace(/-\d+$/, '-' + n);
      });
      copy.querySelectorAll('label').forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/-\d+$/, '-' + n);
      });
      rows.appendChild(copy);
      copy.querySelector('input').focus();
    });
  }
  var drop = document.getElementById('drop-zone');
  var input = document.getElementById('send-files');
  if (drop && input) {
    ['dragenter', 'dragover'].forEach(function (type) {
      drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.add('dragging'); });
    });
    ['dragleave', 'drop'].forEach(function (type) {
      drop.addEventListener(type, function () { drop.classList.remove('dragging'); });
    });
    drop.addEventListener('drop', function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) input.files = e.dataTransfer.files;
    });
  }
  var progress = document.getElementById('upload-progress');
  form.addEventListener('submit', function (e) {
    if (!window.FormData || !progress) return;
    e.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    progress.hidden = false;
    xhr.upload.addEventListener('progress', function (p) {
      if (p.lengthComputable) progress.value = Math.round(100 * p.loaded / p.total);
    });
    xhr.addEventListener('load', function () {
      var path = new URL(xhr.responseURL).pathname;
      if (path !== form.getAttribute('action')) { window.location.assign(xhr.responseURL); return; }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.send(new FormData(form));
  });
})();
)js";
  return kScript;
}

void RegisterSendPages(http::Router& router, WebContext& web) {
  if (web.requests == nullptr) return;
  router.Add("GET", "/send", WrapAccountPage(web, ShowSend));
  // Stores and inspects every PDF: off the HTTP threads.
  router.Add("POST", "/send", WrapAccountPage(web, SubmitSend), http::Lane::kFetch);
  router.Add("GET", "/static/send.js", StaticText("text/javascript; charset=utf-8", SendScript()));
}

}  // namespace countersign::web
