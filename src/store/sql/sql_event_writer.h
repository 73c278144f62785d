// Writing events inside another store's transaction: InsertEvent records the event and one
// delivery per callback that should receive it, resolved from the database at that moment:
//   - the account callback (accounts.callback_url of event.account_id) for every request of
//     the account (with or without an app) and for account events;
//   - the app callback (api_apps.callback_url of event.client_id), signed with the app owner's
//     key, for events of requests made through that app and for account_confirmed;
//   - a callback_test naming an app goes to that app's callback only.
// Callbacks disabled after repeated failures get no delivery. Thread-compatible: runs on the
// caller's connection inside the caller's transaction.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "model/event_records.h"
#include "store/sql/sql_connection.h"

namespace countersign {

Status InsertEvent(SqlConnection& connection, const EventRecord& event, int64_t now);

// Takes the transaction-scoped lock that orders deliveries to `url`: `seq` is the URL's
// MAX(seq) + 1, so two transactions adding deliveries to one URL must not compute it at once
// (SqlConnection::LockKey).
Status LockCallbackUrl(SqlConnection& connection, const std::string& url);

}  // namespace countersign
