// /v3/unclaimed_draft/*: create, create_embedded, create_embedded_with_template (JSON or
// multipart, like signature_request/send) and edit_and_resend (JSON).
#include "api/rate_limits.h"
#include "api/request_viewer.h"
#include "api/respond.h"
#include "api/send_request_parser.h"
#include "api/template_request_parser.h"
#include "api/unclaimed_draft_routes.h"
#include "wire/render.h"

namespace countersign::api {

using nlohmann::json;

namespace {

// CONTRACT.md §4: signature_request_access; create_embedded and edit_and_resend also take
// request_signature (any one of them is enough).
const std::vector<std::string> kScopes = {"signature_request_access"};
const std::vector<std::string> kRequestScopes = {"request_signature", "signature_request_access"};

enum class Kind { kCreate, kEmbedded, kEmbeddedWithTemplate };

// Parameters of the embedded editor Dropbox Sign offers that Countersign's prepare page does
// not have: accepted (type-checked) and answered with parameter_ignored when set.
constexpr const char* kEditorFlags[] = {"allow_ccs",
                                        "force_signer_page",
                                        "force_signer_roles",
                                        "force_subject_message",
                                        "hold_request",
                                        "show_preview",
                                        "preview_only",
                                        "skip_me_now",
                                        "show_progress_stepper",
                                        "populate_auto_fill_fields",
                                        "use_preexisting_fields"};

json Answer(const CreatedDraft& c, const RequestFields& f,
            const std::vector<std::string>& ignored) {
  const Draft& d = c.draft;
  auto nullable = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json draft = json::object();
  draft["signature_request_id"] = d.signature_request_id;
  draft["claim_url"] = c.claim_url;
  draft["signing_redirect_url"] = nullable(d.signing_redirect_url);
  draft["requesting_redirect_url"] = nullable(d.requesting_redirect_url);
  draft["expires_at"] = d.expires_at;
  draft["test_mode"] = d.test_mode;
  json body = json::object();
  body["unclaimed_draft"] = std::move(draft);
  AddIgnoredWarnings(f, body);
  for (const json& warning : wire::IgnoredParameterWarnings(ignored)) {
    body["warnings"].push_back(warning);
  }
  return body;
}

// Reads the draft-only parameters and the editor flags into `input` / `ignored`.
Status ReadDraftParameters(RequestFields& f, DraftInput& input, std::vector<std::string>& ignored) {
  CS_ASSIGN_OR_RETURN(auto requester, f.String("requester_email_address"));
  input.requester_email = requester.value_or("");
  CS_ASSIGN_OR_RETURN(auto requesting, f.String("requesting_redirect_url"));
  input.requesting_redirect_url = requesting.value_or("");
  CS_ASSIGN_OR_RETURN(auto for_embedded, f.Bool("is_for_embedded_signing"));
  if (for_embedded) input.body["is_for_embedded_signing"] = *for_embedded;
  for (const char* flag : kEditorFlags) {
    CS_ASSIGN_OR_RETURN(auto value, f.Bool(flag));
    if (value.value_or(false)) ignored.push_back(flag);
  }
  if (f.Raw("editor_options")) ignored.push_back("editor_options");
  return Status::Ok();
}

StatusOr<json> Create(UnclaimedDraftApiContext& ctx, const http::Request& req, Kind kind) {
  StatusOr<RequestFields> fields = RequestFields::FromBody(req);
  std::optional<RateTier> tier;
  if (fields.ok()) tier = ApiRateLimits::TierOf(req.path, *fields);
  CS_ASSIGN_OR_RETURN(
      Principal p,
      ctx.auth.Authenticate(req, kind == Kind::kEmbedded ? kRequestScopes : kScopes, tier));
  CS_ASSIGN_OR_RETURN(RequestFields f, std::move(fields));
  DraftInput input;
  input.embedded = kind != Kind::kCreate;
  input.from_template = kind == Kind::kEmbeddedWithTemplate;
  SendInput send;
  if (input.from_template) {
    CS_ASSIGN_OR_RETURN(TemplateSendInput t, ParseSendWithTemplate(f));
    send = std::move(t.send);
  } else {
    CS_ASSIGN_OR_RETURN(send, ParseSendRequest(f));
    CS_ASSIGN_OR_RETURN(auto type, f.String("type"));
    if (!type && kind == Kind::kCreate) return InvalidArgument("type is required", "type");
    input.type = type.value_or("request_signature");
  }
  std::vector<std::string> ignored = send.ignored_parameters;
  CS_RETURN_IF_ERROR(ReadDraftParameters(f, input, ignored));
  input.files = send.files;
  input.file_urls = send.file_urls;
  input.client_id = send.client_id;
  input.test_mode = send.test_mode;
  input.signing_redirect_url = send.signing_redirect_url;
  json params = f.Json();
  for (auto& [key, value] : input.body.items()) params[key] = value;  // normalised values
  input.body = std::move(params);
  CS_ASSIGN_OR_RETURN(CreatedDraft created, ctx.drafts.Create(ViewerOf(p, req), std::move(input)));
  return Answer(created, f, ignored);
}

StatusOr<json> EditAndResend(UnclaimedDraftApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kRequestScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  DraftInput changes;
  std::vector<std::string> ignored;
  CS_ASSIGN_OR_RETURN(auto client_id, f.String("client_id"));
  changes.client_id = client_id.value_or("");
  CS_ASSIGN_OR_RETURN(auto test_mode, f.Bool("test_mode"));
  if (test_mode) {
    changes.test_mode = *test_mode;
    changes.body["test_mode"] = *test_mode;
  }
  CS_ASSIGN_OR_RETURN(auto signing, f.String("signing_redirect_url"));
  changes.signing_redirect_url = signing.value_or("");
  CS_RETURN_IF_ERROR(ReadDraftParameters(f, changes, ignored));
  CS_ASSIGN_OR_RETURN(
      CreatedDraft created,
      ctx.drafts.EditAndResend(ViewerOf(p, req), std::string(req.PathParam("signature_request_id")),
                               std::move(changes)));
  return Answer(created, f, ignored);
}

}  // namespace

void RegisterUnclaimedDraftRoutes(http::Router& router, UnclaimedDraftApiContext& ctx) {
  // Creating stores and inspects every PDF and may wait on file_urls servers.
  AddApiRoute(
      router, "POST", "/v3/unclaimed_draft/create",
      [&ctx](http::Request& r) { return Respond(Create(ctx, r, Kind::kCreate)); },
      http::Lane::kFetch);
  AddApiRoute(
      router, "POST", "/v3/unclaimed_draft/create_embedded",
      [&ctx](http::Request& r) { return Respond(Create(ctx, r, Kind::kEmbedded)); },
      http::Lane::kFetch);
  AddApiRoute(
      router, "POST", "/v3/unclaimed_draft/create_embedded_with_template",
      [&ctx](http::Request& r) { return Respond(Create(ctx, r, Kind::kEmbeddedWithTemplate)); },
      http::Lane::kFetch);
  AddApiRoute(router, "POST", "/v3/unclaimed_draft/edit_and_resend/{signature_request_id}",
              [&ctx](http::Request& r) { return Respond(EditAndResend(ctx, r)); });
}

}  // namespace countersign::api
