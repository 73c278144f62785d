// /v3/template: create, get, list, update, update_files, delete, add_user, remove_user; and
// /v3/signature_request/send_with_template and create_embedded_with_template.
#include "api/rate_limits.h"
#include "api/request_viewer.h"
#include "api/respond.h"
#include "api/sent_request_body.h"
#include "api/template_request_parser.h"
#include "api/template_routes.h"
#include "http/status_mapping.h"
#include "wire/render.h"
#include "wire/template_render.h"

namespace countersign::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kTemplateScopes = {"template_access"};
const std::vector<std::string> kSendScopes = {"request_signature", "signature_request_access"};
const std::vector<std::string> kEmbeddedScopes = {"signature_request_access"};

std::string Id(const http::Request& req) { return std::string(req.PathParam("id")); }

json Render(const TemplateView& v) {
  return wire::RenderTemplate({v.tmpl, v.fields, v.groups, v.accounts, v.is_creator, v.can_edit});
}

json Wrap(const TemplateView& v) {
  json body = json::object();
  body["template"] = Render(v);
  return body;
}

// {"template": {"template_id": ...}}: what create and update_files answer.
json IdOnly(const TemplateView& v, const RequestFields& f) {
  json body = json::object();
  body["template"] = json{{"template_id", v.tmpl.id}};
  AddIgnoredWarnings(f, body);
  return body;
}

StatusOr<json> Create(TemplateApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kTemplateScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(TemplateInput input, ParseTemplateCreate(f));
  CS_ASSIGN_OR_RETURN(TemplateView v, ctx.templates.Create(ViewerOf(p, req), std::move(input)));
  return IdOnly(v, f);
}

StatusOr<json> Get(TemplateApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kTemplateScopes));
  CS_ASSIGN_OR_RETURN(TemplateView v, ctx.templates.Get(ViewerOf(p, req), Id(req)));
  return Wrap(v);
}

StatusOr<json> List(TemplateApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kTemplateScopes));
  CS_ASSIGN_OR_RETURN(auto paging, PageParams(req));
  ListInput input;
  input.page = paging.first;
  input.page_size = paging.second;
  input.query = std::string(req.Query("query").value_or(""));
  CS_ASSIGN_OR_RETURN(TemplateViewPage page,
                      ctx.templates.List(ViewerOf(p, req), input,
                                         std::string(req.Query("account_id").value_or(""))));
  json list = json::array();
  for (const TemplateView& v : page.templates) list.push_back(Render(v));
  json body = json::object();
  body["templates"] = std::move(list);
  body["list_info"] = wire::RenderListInfo(input.page, input.page_size, page.total);
  return body;
}

http::Response Delete(TemplateApiContext& ctx, const http::Request& req) {
  auto p = ctx.auth.Authenticate(req, kTemplateScopes);
  if (!p.ok()) return http::ErrorResponse(p.status());
  Status st = ctx.templates.Delete(ViewerOf(*p, req), Id(req));
  if (!st.ok()) return http::ErrorResponse(st);
  http::Response ok{200, {}, ""};  // Dropbox Sign answers 200 with an empty body
  ok.SetHeader("Content-Type", "application/json");
  return ok;
}

StatusOr<json> Update(TemplateApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kTemplateScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(TemplateChange change, ParseTemplateUpdate(f));
  CS_ASSIGN_OR_RETURN(TemplateView v, ctx.templates.Update(ViewerOf(p, req), Id(req), change));
  json body = Wrap(v);
  AddIgnoredWarnings(f, body);
  return body;
}

StatusOr<json> UpdateFiles(TemplateApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kTemplateScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(TemplateFilesInput input, ParseTemplateFiles(f));
  CS_ASSIGN_OR_RETURN(TemplateView v,
                      ctx.templates.UpdateFiles(ViewerOf(p, req), Id(req), std::move(input)));
  return IdOnly(v, f);
}

// add_user (`adding`) and remove_user: {account_id or email_address}.
StatusOr<json> Share(TemplateApiContext& ctx, const http::Request& req, bool adding) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kTemplateScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(auto account_id, f.String("account_id"));
  CS_ASSIGN_OR_RETURN(auto email, f.String("email_address"));
  // Type-checked and accepted: sharing sends no notification either way.
  CS_RETURN_IF_ERROR(f.Bool("skip_notification").status());
  const RequestViewer viewer = ViewerOf(p, req);
  CS_ASSIGN_OR_RETURN(
      TemplateView v,
      adding
          ? ctx.templates.AddUser(viewer, Id(req), account_id.value_or(""), email.value_or(""))
          : ctx.templates.RemoveUser(viewer, Id(req), account_id.value_or(""), email.value_or("")));
  json body = Wrap(v);
  AddIgnoredWarnings(f, body);
  return body;
}

// send_with_template, or create_embedded_with_template when `embedded` (a required client_id,
// signers sign through sign_urls instead of mail; scope signature_request_access).
StatusOr<json> SendWithTemplate(TemplateApiContext& ctx, const http::Request& req, bool embedded) {
  // As /signature_request/send: parsed first so a test_mode send counts in the test-mode tier.
  StatusOr<RequestFields> fields = RequestFields::FromBody(req);
  std::optional<RateTier> tier;
  if (fields.ok()) tier = ApiRateLimits::TierOf(req.path, *fields);
  CS_ASSIGN_OR_RETURN(Principal p,
                      ctx.auth.Authenticate(req, embedded ? kEmbeddedScopes : kSendScopes, tier));
  CS_ASSIGN_OR_RETURN(RequestFields f, std::move(fields));
  CS_ASSIGN_OR_RETURN(TemplateSendInput input, ParseSendWithTemplate(f));
  input.send.embedded = embedded;
  const std::vector<std::string> ignored = input.send.ignored_parameters;
  CS_ASSIGN_OR_RETURN(SignatureRequest r, ctx.templates.Send(ViewerOf(p, req), std::move(input)));
  return SentRequestBody(r, ctx.public_url.Get(), f, ignored);
}

}  // namespace

void RegisterTemplateRoutes(http::Router& router, TemplateApiContext& ctx) {
  // Creating stores and inspects every PDF and may wait on file_urls servers.
  AddApiRoute(
      router, "POST", "/v3/template/create",
      [&ctx](http::Request& r) { return Respond(Create(ctx, r)); }, http::Lane::kFetch);
  AddApiRoute(router, "GET", "/v3/template/list",
              [&ctx](http::Request& r) { return Respond(List(ctx, r)); });
  AddApiRoute(router, "GET", "/v3/template/{id}",
              [&ctx](http::Request& r) { return Respond(Get(ctx, r)); });
  AddApiRoute(router, "POST", "/v3/template/delete/{id}",
              [&ctx](http::Request& r) { return Delete(ctx, r); });
  AddApiRoute(router, "POST", "/v3/template/update/{id}",
              [&ctx](http::Request& r) { return Respond(Update(ctx, r)); });
  AddApiRoute(
      router, "POST", "/v3/template/update_files/{id}",
      [&ctx](http::Request& r) { return Respond(UpdateFiles(ctx, r)); }, http::Lane::kFetch);
  AddApiRoute(router, "POST", "/v3/template/add_user/{id}",
              [&ctx](http::Request& r) { return Respond(Share(ctx, r, true)); });
  AddApiRoute(router, "POST", "/v3/template/remove_user/{id}",
              [&ctx](http::Request& r) { return Respond(Share(ctx, r, false)); });
  // Reads the templates' documents and inspects them as a send does.
  AddApiRoute(
      router, "POST", "/v3/signature_request/send_with_template",
      [&ctx](http::Request& r) { return Respond(SendWithTemplate(ctx, r, /*embedded=*/false)); },
      http::Lane::kFetch);
  AddApiRoute(
      router, "POST", "/v3/signature_request/create_embedded_with_template",
      [&ctx](http::Request& r) { return Respond(SendWithTemplate(ctx, r, /*embedded=*/true)); },
      http::Lane::kFetch);
  RegisterTemplateFileRoutes(router, ctx);
}

}  // namespace countersign::api
