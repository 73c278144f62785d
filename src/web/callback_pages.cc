// The event deliveries pages (issue 5): for an app's callback (its owner only) and for the
// account's callback, the recent deliveries with their outcome, a "Resend" button on failed
// ones and a "Send test event" button (which also switches a disabled callback back on).
#include <optional>
#include <string>
#include <vector>

#include "core/utc_time.h"
#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/pages.h"

namespace countersign::web {
namespace {

constexpr int kRecentDeliveries = 50;

// The callback whose deliveries a page shows.
struct Callback {
  CallbackKind kind = CallbackKind::kAccount;
  std::string target_id;           // account_id or client_id
  std::string owner_account_id;    // signs its events
  std::optional<std::string> url;  // none when no callback URL is set
  std::string heading;             // "Event deliveries: <app name>"
  std::string base_path;           // "/apps/<client_id>/deliveries"
  std::string back_path;           // the page the deliveries belong to
};

// The app's callback when the logged-in account owns the app; otherwise kNotFound (the
// existence of other people's apps is not revealed).
StatusOr<Callback> AppCallback(PageContext& page) {
  const std::string client_id = page.Param("client_id");
  StatusOr<ApiApp> app = page.web().apps.Get(client_id);
  if (!app.ok() && app.status().code() != Code::kNotFound) return app.status();
  if (!app.ok() || app->owner_account_id != page.account().id) {
    return NotFound("No app of yours has this client ID.");
  }
  Callback c;
  c.kind = CallbackKind::kApp;
  c.target_id = app->client_id;
  c.owner_account_id = app->owner_account_id;
  c.url = app->callback_url;
  c.heading = "Event deliveries: " + app->name;
  c.base_path = "/apps/" + http::UrlEncode(app->client_id) + "/deliveries";
  c.back_path = "/apps/" + http::UrlEncode(app->client_id);
  return c;
}

StatusOr<Callback> AccountCallback(PageContext& page) {
  Callback c;
  c.kind = CallbackKind::kAccount;
  c.target_id = page.account().id;
  c.owner_account_id = page.account().id;
  c.url = page.account().callback_url;
  c.heading = "Event deliveries: your account callback";
  c.base_path = "/account/deliveries";
  c.back_path = "/home";
  return c;
}

using CallbackFinder = StatusOr<Callback> (*)(PageContext&);

// "2024-05-01 13:45:07 UTC".
std::string UtcTime(int64_t seconds) {
  return FormatUtc(seconds, "%Y-%m-%d %H:%M:%S UTC", std::to_string(seconds));
}

const char* StatusName(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kDelivered:
      return "delivered";
    case DeliveryStatus::kFailed:
      return "failed";
    default:
      return "pending";
  }
}

http::Response ShowDeliveries(PageContext& page, CallbackFinder find) {
  StatusOr<Callback> callback = find(page);
  if (!callback.ok()) return page.Error(callback.status());
  EventService& events = page.web().events;
  StatusOr<std::vector<EventDelivery>> deliveries =
      events.RecentDeliveries(callback->kind, callback->target_id, kRecentDeliveries);
  if (!deliveries.ok()) return page.Error(deliveries.status());
  StatusOr<bool> disabled = events.IsDisabled(callback->kind, callback->target_id);
  if (!disabled.ok()) return page.Error(disabled.status());

  Page list("deliveries.html", "Event deliveries");
  ctemplate::TemplateDictionary& data = list.data();
  data.SetValue("HEADING", callback->heading);
  data.SetValue("BASE_PATH", callback->base_path);
  data.SetValue("BACK_PATH", callback->back_path);
  if (callback->url) {
    data.SetValueAndShowSection("CALLBACK_URL", *callback->url, "HAS_CALLBACK");
  } else {
    data.ShowSection("NO_CALLBACK");
  }
  if (*disabled) data.ShowSection("DISABLED");
  data.ShowSection(deliveries->empty() ? "NO_DELIVERIES" : "HAS_DELIVERIES");
  for (const EventDelivery& d : *deliveries) {
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("DELIVERY");
    row->SetValue("ID", d.id);
    row->SetValue("TIME", UtcTime(d.created_at));
    row->SetValue("EVENT_TYPE", d.event.event_type);
    row->SetValue("STATUS", StatusName(d.status));
    row->SetIntValue("ATTEMPTS", d.attempts);
    row->SetValue("CODE", d.last_status_code == 0 ? "" : std::to_string(d.last_status_code));
    row->SetValue("ERROR", d.last_error);
    if (d.status == DeliveryStatus::kPending && d.attempts > 0) {
      row->SetValueAndShowSection("NEXT_TRY", UtcTime(d.next_attempt_at), "RETRYING");
    }
    if (d.status == DeliveryStatus::kFailed) row->ShowSection("RESEND");
  }
  return page.Render(200, list);
}

http::Response Resend(PageContext& page, CallbackFinder find) {
  StatusOr<Callback> callback = find(page);
  if (!callback.ok()) return page.Error(callback.status());
  Status resent =
      page.web().events.Resend(callback->kind, callback->target_id, page.Param("delivery_id"));
  if (!resent.ok()) return page.Error(resent);
  return page.Redirect(callback->base_path);
}

http::Response SendTest(PageContext& page, CallbackFinder find) {
  StatusOr<Callback> callback = find(page);
  if (!callback.ok()) return page.Error(callback.status());
  if (!callback->url) {
    return page.Error(InvalidArgument("Set a callback URL before sending a test event."));
  }
  EventService& events = page.web().events;
  Status sent = callback->kind == CallbackKind::kApp
                    ? events.AppCallbackSaved(callback->target_id, callback->owner_account_id)
                    : events.AccountCallbackSaved(callback->target_id);
  if (!sent.ok()) return page.Error(sent);
  return page.Redirect(callback->base_path);
}

void Register(http::Router& router, WebContext& web, const std::string& base, CallbackFinder find) {
  router.Add("GET", base, WrapAccountPage(web, [find](PageContext& page) {
               return ShowDeliveries(page, find);
             }));
  router.Add("POST", base + "/{delivery_id}/resend",
             WrapAccountPage(web, [find](PageContext& page) { return Resend(page, find); }));
  router.Add("POST", base + "/test",
             WrapAccountPage(web, [find](PageContext& page) { return SendTest(page, find); }));
}

}  // namespace

void RegisterCallbackPages(http::Router& router, WebContext& web) {
  Register(router, web, "/apps/{client_id}/deliveries", AppCallback);
  Register(router, web, "/account/deliveries", AccountCallback);
}

}  // namespace countersign::web
