#include "service/request_advancer.h"

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "service/custom_fields.h"
#include "service/field_values.h"
#include "service/form_fields.h"
#include "service/new_mail.h"
#include "service/request_events.h"
#include "service/signer_mail.h"

namespace countersign {

namespace {

// The placement of signer `index`'s signature from form_fields_per_document, if any.
std::optional<SignaturePlacement> PlacementFor(const nlohmann::json& fields, size_t index) {
  if (!fields.is_array()) return std::nullopt;
  for (const auto& f : fields) {
    if (!f.is_object() || f.value("type", "") != "signature") continue;
    auto signer = f.find("signer");
    if (signer == f.end()) continue;
    std::string who = signer->is_string()           ? signer->get<std::string>()
                      : signer->is_number_integer() ? std::to_string(signer->get<int64_t>())
                                                    : "";
    if (who != std::to_string(index)) continue;
    auto number = [&f](const char* key, double fallback) {
      auto it = f.find(key);
      if (it == f.end()) return fallback;
      if (it->is_number()) return it->get<double>();
      if (it->is_string()) return std::atof(it->get<std::string>().c_str());
      return fallback;
    };
    SignaturePlacement p;
    p.document_index = static_cast<int>(number("document_index", 0));
    p.page = static_cast<int>(number("page", 1));
    p.x = number("x", 0);
    p.y = number("y", 0);
    p.width = number("width", 0);
    p.height = number("height", 0);
    return p;
  }
  return std::nullopt;
}

PdfFont FontOf(const FormField& f) {
  return f.font_family == "courier" || f.font_family == "robotoMono" ? PdfFont::kCourier
                                                                     : PdfFont::kHelvetica;
}

// What `f` shows in the final PDF given its value (text, or "true"/"false" for a check), or
// none when it shows nothing (an empty or unchecked field). Masked text shows as asterisks.
std::optional<FieldStamp> ValueStamp(const FormField& f, const std::string& value) {
  SignaturePlacement at{f.document_index, f.page.value_or(1), f.x, f.y, f.width, f.height};
  const bool check = f.type == "checkbox" || f.type == "radio" || f.type == "checkbox-merge";
  if (check) {
    if (value != "true") return std::nullopt;
    return FieldStamp{at, StampKind::kCheck, "", PdfFont::kHelvetica, 0};
  }
  if (value.empty()) return std::nullopt;
  return FieldStamp{at, StampKind::kText, f.masked ? std::string(8, '*') : value, FontOf(f),
                    static_cast<double>(f.font_size)};
}

// Signer `index`'s fields in the final PDF: the first signature field places the mark (with its
// caption); later signature fields, initials, date_signed fields, what the signer filled
// (text, checkbox, radio, dropdown) and hyperlinks' text become field stamps.
void AddFieldStamps(const std::vector<FormField>& fields, size_t index, const Signature& signed_by,
                    const std::string& field_options_json, FinalizeSigner& signer) {
  const std::map<std::string, std::string> values = StoredValues(signed_by);
  for (const FormField& f : fields) {
    if (SignerIndexOf(f) != static_cast<int>(index)) continue;
    SignaturePlacement at{f.document_index, f.page.value_or(1), f.x, f.y, f.width, f.height};
    if (f.type == "signature" && !signer.placement) {
      signer.placement = at;
    } else if (f.type == "signature") {
      signer.fields.push_back({at, StampKind::kSignature, ""});
    } else if (f.type == "initials") {
      signer.fields.push_back({at, StampKind::kInitials, ""});
    } else if (f.type == "date_signed") {
      signer.fields.push_back(
          {at, StampKind::kText, DateSignedText(signer.signed_at, field_options_json)});
    } else if (f.type == "hyperlink") {
      if (auto stamp = ValueStamp(f, f.content)) signer.fields.push_back(*stamp);
    } else if (FillsOnPage(f)) {
      auto value = values.find(f.api_id);
      if (value == values.end()) continue;
      if (auto stamp = ValueStamp(f, value->second)) signer.fields.push_back(*stamp);
    }
  }
}

}  // namespace

StatusOr<FinalizeInput> BuildFinalizeInput(const SignatureRequest& r,
                                           const std::vector<std::string>& paths,
                                           const std::vector<AuditEntry>& audit, int64_t now) {
  FinalizeInput in;
  in.request_id = r.id;
  in.title = r.title;
  in.test_mode = r.test_mode;
  in.completed_at = now;
  for (size_t i = 0; i < r.files.size() && i < paths.size(); ++i) {
    in.documents.push_back({paths[i], r.files[i].name, r.files[i].sha256});
  }
  nlohmann::json fields = r.form_fields_json.empty()
                              ? nlohmann::json()
                              : nlohmann::json::parse(r.form_fields_json, nullptr, false);
  StatusOr<std::vector<FormField>> parsed =
      fields.is_null() ? StatusOr<std::vector<FormField>>(std::vector<FormField>())
                       : ParseFormFields(fields);
  for (size_t i = 0; i < r.signatures.size(); ++i) {
    const Signature& s = r.signatures[i];
    FinalizeSigner signer;
    signer.name = s.name;
    signer.email = s.email;
    signer.signed_at = s.signed_at;
    if (s.signature_kind == "drawn") {
      signer.kind = SignatureKind::kDrawn;
      auto strokes = nlohmann::json::parse(s.signature_data, nullptr, false);
      if (!strokes.is_array()) return Internal("stored strokes are not an array");
      for (const auto& stroke : strokes) {
        Stroke out;
        for (const auto& p : stroke) out.push_back({p[0].get<double>(), p[1].get<double>()});
        signer.drawn.push_back(std::move(out));
      }
    } else {
      signer.kind = SignatureKind::kTyped;
      signer.typed = s.signature_data;
    }
    if (parsed.ok()) {
      AddFieldStamps(*parsed, i, s, r.field_options_json, signer);
    } else {  // stored before fields were checked at send: its signature field only
      signer.placement = PlacementFor(fields, i);
    }
    in.signers.push_back(std::move(signer));
  }
  if (parsed.ok()) {
    const std::vector<CustomField> custom = StoredCustomFields(r);
    for (const FormField& f : *parsed) {
      std::optional<std::string> value = MergeValueOf(f, custom);
      if (!value) continue;
      if (auto stamp = ValueStamp(f, *value)) in.sender_fields.push_back(*stamp);
    }
  }
  for (const auto& a : audit) {
    in.events.push_back({a.at, a.action, a.actor_email, a.ip, a.user_agent});
  }
  return in;
}

RequestAdvancer::RequestAdvancer(SignatureRequestStore& store, BlobStore& blobs,
                                 DocumentFinalizer& finalizer, const FileUrlSigner& url_signer,
                                 const Clock& clock, const PublicUrl& public_url,
                                 RequestAdvancerOptions options)
    : BackgroundTask({"advance", 1, options.poll_interval}),
      store_(store),
      blobs_(blobs),
      finalizer_(finalizer),
      url_signer_(url_signer),
      clock_(clock),
      public_url_(public_url),
      options_(options),
      expiry_(store, clock) {}

RequestAdvancer::~RequestAdvancer() { Stop(); }

int RequestAdvancer::RunOnce() {
  StatusOr<int> expired = expiry_.ExpireDue(options_.expire_batch);
  if (!expired.ok()) log::Warn("expire", expired.status().ToString());
  const int done = expired.ok() ? *expired : 0;
  auto jobs = store_.ClaimJobs(clock_.NowSeconds(), 5, 600);
  if (!jobs.ok()) {
    log::Warn("advance", jobs.status().ToString());
    return done;
  }
  for (const auto& id : *jobs) {
    Status st = GuardItem([&] { return Advance(id); });
    if (st.ok()) {
      st = store_.FinishJob(id);
    } else {
      log::Warn("advance", id + ": " + st.ToString());
      st = store_.RetryJob(id, clock_.NowSeconds() + options_.retry_seconds);
    }
    if (!st.ok()) log::Warn("advance", id + ": " + st.ToString());
  }
  return done + static_cast<int>(jobs->size());
}

Status RequestAdvancer::NotifyWhoseTurn(SignatureRequest& r, int64_t now) {
  if (r.embedded) return Status::Ok();  // its signers open sign_urls instead of mail
  const std::string base = public_url_.Get();
  for (size_t i : SignersWhoseTurnItIs(r)) {
    Signature& s = r.signatures[i];
    if (!s.access_hash.empty()) continue;  // already mailed
    QueuedMail mail = SignerMail(r, s, base, now, SignerMailKind::kRequest);
    CS_ASSIGN_OR_RETURN(bool sent, store_.NotifySigner(r.id, s.signature_id, s.access_hash, mail));
    (void)sent;  // false: another run mailed them first
  }
  return Status::Ok();
}

Status RequestAdvancer::Advance(const std::string& id) {
  const int64_t now = clock_.NowSeconds();
  CS_ASSIGN_OR_RETURN(SignatureRequest r, store_.Get(id));
  if (r.canceled_at != 0 || r.is_declined) return Status::Ok();
  if (!r.is_complete) {
    CS_RETURN_IF_ERROR(NotifyWhoseTurn(r, now));
    AuditEntry done{now, "completed", r.requester_email, "", ""};
    CS_ASSIGN_OR_RETURN(
        bool completed,
        store_.Complete(id, now, done, {RequestEvent(r, "signature_request_all_signed", now)}));
    if (!completed) return Status::Ok();
    CS_ASSIGN_OR_RETURN(r, store_.Get(id));
  }
  if (r.final_state == FinalState::kPending) return Finalize(r, now);
  return Status::Ok();
}

Status RequestAdvancer::Finalize(const SignatureRequest& r, int64_t now) {
  std::vector<std::string> paths;
  for (const auto& f : r.files) {
    CS_ASSIGN_OR_RETURN(std::string p, blobs_.PathOf(f.sha256));
    paths.push_back(std::move(p));
  }
  CS_ASSIGN_OR_RETURN(std::vector<AuditEntry> audit, store_.Audit(r.id));
  CS_ASSIGN_OR_RETURN(FinalizeInput input, BuildFinalizeInput(r, paths, audit, now));
  const std::string temp = blobs_.NewTempPath();
  Status made = finalizer_.Finalize(input, temp);
  if (made.code() == Code::kInvalidArgument) {
    // A placement the document cannot hold: the request ends with an error, not a retry.
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    return store_.SetFinal(r.id, FinalState::kFailed, "", {}, {});
  }
  CS_RETURN_IF_ERROR(made);
  CS_ASSIGN_OR_RETURN(BlobInfo blob, blobs_.PutFile(temp));

  int64_t expires_at = 0;
  const std::string link =
      public_url_.Get() + "/files/" + r.id + "?" +
      url_signer_.SignQuery(r.id, true, options_.download_link_ttl_seconds, expires_at);
  std::vector<std::pair<std::string, std::string>> recipients;  // email, name
  recipients.emplace_back(r.requester_email, "");
  for (const auto& s : r.signatures) recipients.emplace_back(s.email, s.name);
  for (const auto& cc : r.cc_emails) recipients.emplace_back(cc, "");
  std::vector<QueuedMail> mails;
  for (const auto& [email, name] : recipients) {
    QueuedMail m = NewMail(email, name, now);
    m.message.subject = "Completed: " + r.title;
    m.message.text_body = "Everyone has signed \"" + r.title +
                          "\". Download the completed, sealed document here (the link works "
                          "for 30 days):\n" +
                          link + "\n";
    m.message.html_body = "<p>Everyone has signed <strong>" + HtmlEscape(r.title) +
                          "</strong>.</p><p><a href=\"" + HtmlEscape(link) +
                          "\">Download the completed document</a> (the link works for 30 "
                          "days).</p>";
    mails.push_back(std::move(m));
  }
  Status st = store_.SetFinal(r.id, FinalState::kReady, blob.sha256,
                              {RequestEvent(r, "signature_request_downloadable", now)}, mails);
  if (st.code() == Code::kConflict) return Status::Ok();  // another run finished first
  return st;
}

}  // namespace countersign
