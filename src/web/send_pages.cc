// The sender's web app, sending (issue 15): GET /send is the form (PDFs by file input or drag
// and drop, the fields of web/send_form), POST /send either sends it through
// SignatureRequestService::Send, exactly as the API's send would, and goes to the new request's
// page, or keeps it as a draft (DraftService::CreateForWeb) and goes to the draft's prepare page
// (draft_pages.cc), where fields are placed. /static/send.js adds signer rows, drops files on the
// input and shows the upload's progress; without it the form still works.
#include <string>
#include <vector>

#include "web/ctemplate_headers.h"
#include "web/form_refusal.h"
#include "web/page_context.h"
#include "web/pages.h"
#include "web/send_form.h"

namespace countersign::web {
namespace {

constexpr size_t kSignerRows = 3;

// The form again (with `error` above it when not empty), keeping what was typed.
http::Response SendForm(PageContext& page, int http_status, const std::string& error) {
  Page form("send.html", "Send for signature");
  ctemplate::TemplateDictionary& data = form.data();
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  ShowSendFields(data, page.request().method == "POST" ? PostedSendForm(page) : SendFormValues{},
                 kSignerRows);
  return page.Render(http_status, form);
}

http::Response ShowSend(PageContext& page) { return SendForm(page, 200, ""); }

// The form's refusal shown on the form; other errors as an error page.
http::Response Refused(PageContext& page, const Status& st) {
  const std::optional<FormRefusal> refused = FormRefusalOf(st);
  if (!refused) return page.Error(st);
  return SendForm(page, refused->http_status, refused->message);
}

// The SendInput of the posted form and files.
StatusOr<SendInput> InputOf(const DraftEdit& edit, std::vector<UploadedFile> files) {
  SendInput in;
  in.files = std::move(files);
  in.signers = edit.signers;
  if (in.signers.empty()) return InvalidArgument("Add at least one signer.", "signers");
  in.cc_emails = edit.cc_emails;
  if (!edit.title.empty()) in.title = edit.title;
  in.subject = edit.subject;
  in.message = edit.message;
  in.test_mode = edit.test_mode;
  in.expires_at = edit.expires_at;
  return in;
}

// Sends the posted form at once, or (next=prepare) keeps it as a draft and opens its prepare
// page, where fields are placed.
http::Response SubmitSend(PageContext& page) {
  std::vector<UploadedFile> files;
  for (const http::FormPart& file : page.files()) {
    if (file.name != "file" || file.data.empty()) continue;
    files.push_back(UploadedFile{file.filename.value_or("document.pdf"), file.data});
  }
  if (files.empty()) return SendForm(page, 400, "Choose at least one PDF to send.");
  StatusOr<DraftEdit> edit = EditOf(PostedSendForm(page));
  if (!edit.ok()) return Refused(page, edit.status());
  if (page.Form("next") == "prepare" && page.web().drafts != nullptr) {
    StatusOr<DraftView> draft =
        page.web().drafts->CreateForWeb(AccountViewer(page), std::move(files), *edit);
    if (!draft.ok()) return Refused(page, draft.status());
    return page.Redirect("/drafts/" + draft->draft.id);
  }
  StatusOr<SendInput> input = InputOf(*edit, std::move(files));
  if (!input.ok()) return Refused(page, input.status());
  StatusOr<SignatureRequest> sent =
      page.web().requests->Send(AccountViewer(page), std::move(input).value());
  if (!sent.ok()) return Refused(page, sent.status());
  return page.Redirect("/requests/" + sent->id);
}

}  // namespace

std::string_view SendScript() {
  static constexpr std::string_view kScript = R"js((function () {
  'use strict';
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
  var form = document.getElementById('send-form');
  if (!form) return;  // the draft page: signer rows only
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
    var data;
    try {
      data = new FormData(form, e.submitter);  // the clicked button's next=…
    } catch (err) {
      data = new FormData(form);
      if (e.submitter && e.submitter.name) data.append(e.submitter.name, e.submitter.value);
    }
    xhr.send(data);
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
