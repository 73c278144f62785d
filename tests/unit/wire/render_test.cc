// wire::AccountJson / RenderAccount: the account object written as text is exactly what
// DumpJson writes for the same object built as JSON (sorted keys, compact), and carries every
// field of Dropbox Sign's AccountResponse.
#include "wire/render.h"

#include <gtest/gtest.h>

#include "core/json_dump.h"

namespace countersign::wire {
namespace {

using nlohmann::json;

// The object as it was built member by member before it was written as text.
json AccountAsBuilt(const Account& a) {
  json out = json::object();
  out["account_id"] = a.id;
  out["email_address"] = a.email;
  out["is_locked"] = a.is_locked;
  out["is_paid_hs"] = true;
  out["is_paid_hf"] = false;
  json quotas = json::object();
  for (const char* key : {"api_signature_requests_left", "documents_left", "templates_total",
                          "templates_left", "sms_verifications_left", "num_fax_pages_left"}) {
    quotas[key] = nullptr;
  }
  out["quotas"] = quotas;
  out["callback_url"] = a.callback_url ? json(*a.callback_url) : json(nullptr);
  out["role_code"] = nullptr;
  out["team_id"] = nullptr;
  out["locale"] = a.locale;
  out["usage"] = {{"fax_pages_sent", 0}};
  out["settings"] = {
      {"signer_access_codes", false}, {"sms_delivery", false}, {"sms_authentication", false}};
  return out;
}

TEST(RenderAccountTest, TextIsWhatDumpJsonWritesForTheObject) {
  Account a;
  a.id = std::string(40, 'a');
  a.email = "user@example.com";
  a.locale = "fr-FR";
  EXPECT_EQ(AccountJson(a), DumpJson(AccountAsBuilt(a)));
  EXPECT_EQ(DumpJson(RenderAccount(a)), DumpJson(AccountAsBuilt(a)));

  a.callback_url = "https://example.com/cb?a=1&b=\"2\"";
  a.is_locked = true;
  a.email = "quote\"back\\slash\x01-\xc3\xa9@example.com";  // escaped, non-ASCII
  EXPECT_EQ(AccountJson(a), DumpJson(AccountAsBuilt(a)));
  EXPECT_EQ(RenderAccount(a), AccountAsBuilt(a));

  a.email = "bad-utf8-\xff@example.com";  // replaced by U+FFFD, as DumpJson does
  EXPECT_EQ(AccountJson(a), DumpJson(AccountAsBuilt(a)));
}

}  // namespace
}  // namespace countersign::wire
