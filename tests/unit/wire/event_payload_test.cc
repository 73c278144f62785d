// Tests of the event callback body (CONTRACT.md §7.3): the fields, event_time as a string, and
// event_hash = hex HMAC-SHA256(API key, event_time + event_type), checked against the
// contract's official example and against what the worker actually POSTs.
#include "wire/event_payload.h"

#include <gtest/gtest.h>

#include "core/crypto.h"
#include "events/event_fixture.h"

namespace countersign {
namespace {

using nlohmann::json;

TEST(EventPayloadTest, HashMatchesTheContractExample) {
  ASSERT_TRUE(InitCrypto().ok());
  EventDelivery d;
  d.kind = CallbackKind::kAccount;
  d.target_id = "acct1";
  d.event.event_type = "account_confirmed";
  d.event.event_time = 1669926463;
  d.event.account_id = "acct1";
  json body = wire::BuildEventPayload(
      d, "324e3b0840f065eb51f3fd63231d0d33daa35d4ed10d27718839e81737065782", nullptr);
  EXPECT_EQ(body["event"]["event_hash"],
            "ff8b03439122f9160500c3fb855bdee5a9ccba5fff27d3b258745d8f3074832f");
  ASSERT_TRUE(body["event"]["event_time"].is_string());
  EXPECT_EQ(body["event"]["event_time"], "1669926463");
  EXPECT_EQ(body["event"]["event_type"], "account_confirmed");
}

TEST(EventPayloadTest, AccountCallbackMetadata) {
  ASSERT_TRUE(InitCrypto().ok());
  EventDelivery d;
  d.kind = CallbackKind::kAccount;
  d.target_id = "acct1";
  d.event.event_type = "signature_request_signed";
  d.event.event_time = 1700000000;
  d.event.signature_request_id = "sr1";
  d.event.related_signature_id = "sig1";
  json body = wire::BuildEventPayload(d, "key", json{{"signature_request_id", "sr1"}});
  const json& meta = body["event"]["event_metadata"];
  EXPECT_EQ(meta["related_signature_id"], "sig1");
  EXPECT_EQ(meta["reported_for_account_id"], "acct1");
  EXPECT_TRUE(meta["reported_for_app_id"].is_null());
  EXPECT_TRUE(meta["event_message"].is_null());
  EXPECT_EQ(body["signature_request"]["signature_request_id"], "sr1");
  EXPECT_FALSE(body.contains("account"));
  EXPECT_EQ(body["event"]["event_hash"],
            HmacSha256Hex("key", "1700000000signature_request_signed"));
}

TEST(EventPayloadTest, AppCallbackMetadata) {
  ASSERT_TRUE(InitCrypto().ok());
  EventDelivery d;
  d.kind = CallbackKind::kApp;
  d.target_id = "client1";
  d.event.event_type = "callback_test";
  d.event.event_time = 1700000001;
  d.event.account_id = "owner";
  d.event.client_id = "client1";
  d.event.event_message = "hello";
  json body = wire::BuildEventPayload(d, "owner key", json{{"account_id", "owner"}});
  const json& meta = body["event"]["event_metadata"];
  EXPECT_TRUE(meta["reported_for_account_id"].is_null());
  EXPECT_EQ(meta["reported_for_app_id"], "client1");
  EXPECT_TRUE(meta["related_signature_id"].is_null());
  EXPECT_EQ(meta["event_message"], "hello");
  EXPECT_EQ(body["account"]["account_id"], "owner");
  EXPECT_FALSE(body.contains("signature_request"));
}

TEST(EventPayloadTest, TemplateEventsCarryTheTemplate) {
  ASSERT_TRUE(InitCrypto().ok());
  EventDelivery d;
  d.kind = CallbackKind::kAccount;
  d.target_id = "acct1";
  d.event.event_type = "template_created";
  d.event.event_time = 1700000002;
  d.event.account_id = "acct1";
  d.event.template_id = "tpl1";
  json body = wire::BuildEventPayload(d, "key", json{{"template_id", "tpl1"}});
  EXPECT_EQ(body["template"]["template_id"], "tpl1");
  EXPECT_FALSE(body.contains("account"));
  EXPECT_FALSE(body.contains("signature_request"));
  EXPECT_EQ(body["event"]["event_metadata"]["reported_for_account_id"], "acct1");
}

class PostedPayloadTest : public EventFixture {};

TEST_F(PostedPayloadTest, AccountCallbackIsSignedWithTheAccountsKey) {
  NewAccount alice = MakeAccount("alice@example.com", "https://alice.example/cb");
  ASSERT_TRUE(events_->AccountCallbackSaved(alice.account.id).ok());
  EXPECT_EQ(RunDue(), 1);
  auto calls = poster_.CallsTo("https://alice.example/cb");
  ASSERT_EQ(calls.size(), 1u);
  const json& event = calls[0].payload["event"];
  EXPECT_EQ(event["event_type"], "callback_test");
  EXPECT_EQ(event["event_time"], std::to_string(kStart));
  EXPECT_EQ(event["event_hash"],
            HmacSha256Hex(alice.api_key, std::to_string(kStart) + "callback_test"));
  EXPECT_EQ(event["event_metadata"]["reported_for_account_id"], alice.account.id);
  EXPECT_EQ(calls[0].payload["account"]["account_id"], alice.account.id);
}

TEST_F(PostedPayloadTest, AppCallbackIsSignedWithTheOwnersKeyAndAccountCallbackWithTheUsers) {
  NewAccount owner = MakeAccount("owner@example.com", "https://owner.example/cb");
  NewAccount user = MakeAccount("user@example.com", "https://user.example/cb");
  ApiApp app = MakeApp(owner.account.id, "https://app.example/cb");
  // A request the user made through the app: the app hears of it (owner's key), and so does
  // the user's own account callback (user's key); the owner's account callback does not.
  RecordRequestEvent("signature_request_sent", user.account.id, app.client_id);
  EXPECT_EQ(RunDue(), 2);
  auto to_app = poster_.CallsTo("https://app.example/cb");
  ASSERT_EQ(to_app.size(), 1u);
  const json& event = to_app[0].payload["event"];
  EXPECT_EQ(event["event_hash"],
            HmacSha256Hex(owner.api_key,
                          event["event_time"].get<std::string>() + "signature_request_sent"));
  EXPECT_EQ(event["event_metadata"]["reported_for_app_id"], app.client_id);
  EXPECT_TRUE(event["event_metadata"]["reported_for_account_id"].is_null());
  auto to_user = poster_.CallsTo("https://user.example/cb");
  ASSERT_EQ(to_user.size(), 1u);
  const json& user_event = to_user[0].payload["event"];
  EXPECT_EQ(user_event["event_hash"],
            HmacSha256Hex(user.api_key,
                          user_event["event_time"].get<std::string>() + "signature_request_sent"));
  EXPECT_EQ(user_event["event_metadata"]["reported_for_account_id"], user.account.id);
  EXPECT_TRUE(poster_.CallsTo("https://owner.example/cb").empty());
}

TEST_F(PostedPayloadTest, AnAppHearsOnlyOfItsOwnRequests) {
  NewAccount owner = MakeAccount("owner@example.com", "");
  ApiApp mine = MakeApp(owner.account.id, "https://mine.example/cb");
  ApiApp other = MakeApp(owner.account.id, "https://other.example/cb");
  RecordRequestEvent("signature_request_sent", owner.account.id, other.client_id);
  RecordRequestEvent("signature_request_sent", owner.account.id, "");
  RunDue();
  EXPECT_TRUE(poster_.CallsTo("https://mine.example/cb").empty());
  EXPECT_EQ(poster_.CallsTo("https://other.example/cb").size(), 1u);
  // The app's callback_test goes to the app only, not to the owner's account callback.
  ASSERT_TRUE(events_->AppCallbackSaved(mine.client_id, owner.account.id).ok());
  RunDue();
  EXPECT_EQ(poster_.CallsTo("https://mine.example/cb").size(), 1u);
  EXPECT_EQ(poster_.calls().size(), 2u);
}

}  // namespace
}  // namespace countersign
