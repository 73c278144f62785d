// Tests of OutboxMailer: one complete .eml file per message, named <unix-time>-<id>.eml.
#include "mail/outbox_mailer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.h"
#include "mail/mail_test_util.h"

namespace countersign::testing_mail {
namespace {

MailMessage Message(const std::string& to) {
  MailMessage message;
  message.to_email = to;
  message.to_name = "Signer";
  message.subject = "Sign please";
  message.text_body = "text";
  message.html_body = "<p>html</p>";
  return message;
}

TEST(OutboxMailerTest, WritesOneEmlPerMessageCreatingTheFolder) {
  TempDir dir;
  FakeClock clock(1700000000);
  std::string folder = dir.path() + "/data/outbox";
  OutboxMailer mailer(folder, "noreply@countersign.test", "Countersign", clock);
  ASSERT_TRUE(mailer.Send(Message("a@example.com"), "aaaa1111").ok());
  clock.Advance(5);
  ASSERT_TRUE(mailer.Send(Message("b@example.com"), "bbbb2222").ok());

  std::vector<std::string> names = ListDir(folder);  // no temp files left behind
  ASSERT_EQ(names,
            (std::vector<std::string>{"1700000000-aaaa1111.eml", "1700000005-bbbb2222.eml"}));
  std::string first = ReadFile(folder + "/" + names[0]);
  EXPECT_EQ(first.rfind("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n", 0), 0u);
  EXPECT_NE(first.find("\r\nTo: \"Signer\" <a@example.com>\r\n"), std::string::npos);
  EXPECT_NE(first.find("\r\nMessage-ID: <aaaa1111@countersign.test>\r\n"), std::string::npos);
  EXPECT_NE(first.find("<p>html</p>"), std::string::npos);
  EXPECT_NE(ReadFile(folder + "/" + names[1]).find("<b@example.com>"), std::string::npos);
  struct stat st;
  ASSERT_EQ(stat((folder + "/" + names[0]).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(OutboxMailerTest, RejectsUnsafeIdsAndAddresses) {
  TempDir dir;
  FakeClock clock;
  OutboxMailer mailer(dir.path(), "noreply@countersign.test", "", clock);
  EXPECT_EQ(mailer.Send(Message("a@example.com"), "../escape").code(), Code::kInvalidArgument);
  EXPECT_EQ(mailer.Send(Message("a@example.com"), "").code(), Code::kInvalidArgument);
  EXPECT_EQ(mailer.Send(Message("not an address"), "id1").code(), Code::kInvalidArgument);
  EXPECT_TRUE(ListDir(dir.path()).empty());
}

TEST(OutboxMailerTest, UnwritableFolderIsUnavailable) {
  TempDir dir;
  WriteFile(dir.path() + "/file", "x");
  FakeClock clock;
  OutboxMailer mailer(dir.path() + "/file/outbox", "noreply@countersign.test", "", clock);
  EXPECT_EQ(mailer.Send(Message("a@example.com"), "id1").code(), Code::kUnavailable);
}

TEST(OutboxMailerTest, MakesItsFilesDurableInBatchesAndSaysWhenItCannot) {
  TempDir dir;
  FakeClock clock;
  std::string folder = dir.path() + "/outbox";
  OutboxMailer mailer(folder, "noreply@countersign.test", "", clock);
  EXPECT_TRUE(mailer.GroupsDurability());
  ASSERT_TRUE(mailer.Send(Message("a@example.com"), "id1").ok());
  EXPECT_TRUE(mailer.Flush().ok());
  std::filesystem::remove_all(folder);
  EXPECT_EQ(mailer.Flush().code(), Code::kUnavailable);
}

// The worker sends a batch again when its Flush failed: the retry reuses the file written the
// first time instead of leaving two messages in the outbox.
TEST(OutboxMailerTest, ARetryAfterAFailedFlushWritesNoSecondFile) {
  TempDir dir;
  FakeClock clock(1700000000);
  std::string folder = dir.path() + "/outbox";
  OutboxMailer mailer(folder, "noreply@countersign.test", "", clock);
  ASSERT_TRUE(mailer.Send(Message("a@example.com"), "id1").ok());
  // The folder cannot be synced while a plain file stands at its path.
  std::filesystem::rename(folder, dir.path() + "/moved");
  WriteFile(folder, "not a folder");
  EXPECT_EQ(mailer.Flush().code(), Code::kUnavailable);
  std::filesystem::remove(folder);
  std::filesystem::rename(dir.path() + "/moved", folder);

  clock.Advance(60);
  ASSERT_TRUE(mailer.Send(Message("a@example.com"), "id1").ok());
  ASSERT_TRUE(mailer.Send(Message("b@example.com"), "id2").ok());
  EXPECT_TRUE(mailer.Flush().ok());
  EXPECT_EQ(ListDir(folder),
            (std::vector<std::string>{"1700000000-id1.eml", "1700000060-id2.eml"}));

  // Once flushed, or when its file is gone, a message is written again.
  clock.Advance(60);
  ASSERT_TRUE(mailer.Send(Message("b@example.com"), "id2").ok());
  std::filesystem::remove(folder + "/1700000120-id2.eml");
  ASSERT_TRUE(mailer.Send(Message("b@example.com"), "id2").ok());
  EXPECT_EQ(ListDir(folder).size(), 3u);
}

}  // namespace
}  // namespace countersign::testing_mail
