// Tests of SmtpMailer against a real SMTP server: a small aiosmtpd script (python3-aiosmtpd)
// started per test on a free loopback port, which stores each message it accepts in a folder
// and refuses recipients named reject@ (550) and busy@ (451).
#include "mail/smtp_mailer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/clock.h"
#include "mail/mail_test_util.h"

namespace countersign::testing_mail {
namespace {

// argv: <folder>. Prints the port it listens on, then serves until killed.
constexpr char kSinkScript[] = R"PY(
import asyncio, json, os, sys
from aiosmtpd.smtp import SMTP

class Sink:
    def __init__(self, folder):
        self.folder, self.count = folder, 0
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('reject@'):
            return '550 5.1.1 No such user'
        if address.startswith('busy@'):
            return '451 4.3.0 Try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'
    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, str(self.count))
        with open(base + '.tmp', 'wb') as f:
            f.write(envelope.original_content)
        with open(base + '.json', 'w') as f:
            json.dump({'from': envelope.mail_from, 'to': envelope.rcpt_tos}, f)
        os.rename(base + '.tmp', base + '.eml')
        return '250 Message accepted'

async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Sink(sys.argv[1])), '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
)PY";

// A loopback port nobody listens on (bound, then released).
int UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(addr.sin_port);
}

class SmtpMailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PythonHasModule("aiosmtpd")) GTEST_SKIP() << "python3-aiosmtpd is not installed";
    received_ = dir_.path() + "/received";
    ASSERT_EQ(mkdir(received_.c_str(), 0700), 0);
    WriteFile(dir_.path() + "/sink.py", kSinkScript);
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    std::string script = dir_.path() + "/sink.py";
    pid_ = fork();
    if (pid_ == 0) {
      dup2(pipe_fds[1], 1);
      close(pipe_fds[0]);
      close(pipe_fds[1]);
      execl(kPython, kPython, script.c_str(), received_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(pipe_fds[1]);
    ASSERT_GT(pid_, 0);
    // Wait (up to 15 s) for the port line.
    std::string line;
    pollfd ready{pipe_fds[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos && poll(&ready, 1, 15000) == 1) {
      char buffer[64];
      ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, n);
    }
    close(pipe_fds[0]);
    ASSERT_NE(line.find('\n'), std::string::npos) << "the SMTP sink did not start";
    port_ = std::stoi(line);
  }

  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }

  SmtpOptions Options(int port) {
    SmtpOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.security = SmtpSecurity::kNone;
    options.from_address = "noreply@countersign.test";
    options.from_name = "Countersign";
    options.timeout = std::chrono::seconds(10);
    return options;
  }

  static MailMessage Message(const std::string& to) {
    MailMessage message;
    message.to_email = to;
    message.to_name = "Zoë Signer";
    message.subject = "Signez « NDA »";
    message.text_body = "Hello\n.\nA line with a lone dot above.\n";
    message.html_body = "<p>Hello</p>";
    return message;
  }

  TempDir dir_;
  std::string received_;
  pid_t pid_ = -1;
  int port_ = 0;
  FakeClock clock_{1700000000};
};

TEST_F(SmtpMailerTest, DeliversTheMimeMessage) {
  SmtpMailer mailer(Options(port_), clock_);
  Status sent = mailer.Send(Message("signer@example.com"), "0123abcd");
  ASSERT_TRUE(sent.ok()) << sent.ToString();
  ASSERT_EQ(ListDir(received_), (std::vector<std::string>{"1.eml", "1.json"}));
  std::string envelope = ReadFile(received_ + "/1.json");
  EXPECT_NE(envelope.find("\"from\": \"noreply@countersign.test\""), std::string::npos);
  EXPECT_NE(envelope.find("\"to\": [\"signer@example.com\"]"), std::string::npos);
  std::string eml = ReadFile(received_ + "/1.eml");
  EXPECT_EQ(eml.rfind("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n", 0), 0u);
  EXPECT_NE(eml.find("\r\nMessage-ID: <0123abcd@countersign.test>\r\n"), std::string::npos);
  EXPECT_NE(eml.find("\r\nSubject: =?UTF-8?B?"), std::string::npos);
  // The body survived the SMTP transfer (the lone dot is encoded, so no dot-stuffing issue).
  EXPECT_NE(eml.find("Hello\r\n=2E\r\nA line with a lone dot above.\r\n"), std::string::npos);
  EXPECT_NE(eml.find("<p>Hello</p>"), std::string::npos);
}

TEST_F(SmtpMailerTest, RefusedRecipientIsPermanentBusyIsTemporary) {
  SmtpMailer mailer(Options(port_), clock_);
  Status rejected = mailer.Send(Message("reject@example.com"), "id1");
  EXPECT_EQ(rejected.code(), Code::kInvalidArgument) << rejected.ToString();
  EXPECT_NE(rejected.message().find("550"), std::string::npos) << rejected.message();
  Status busy = mailer.Send(Message("busy@example.com"), "id2");
  EXPECT_EQ(busy.code(), Code::kUnavailable) << busy.ToString();
  EXPECT_EQ(mailer.Send(Message("bad address@example.com"), "id3").code(), Code::kInvalidArgument);
  EXPECT_TRUE(ListDir(received_).empty());
}

TEST_F(SmtpMailerTest, RequiredStartTlsThatTheServerLacksIsUnavailable) {
  SmtpOptions options = Options(port_);
  options.security = SmtpSecurity::kStartTls;
  SmtpMailer mailer(options, clock_);
  EXPECT_EQ(mailer.Send(Message("signer@example.com"), "id1").code(), Code::kUnavailable);
  EXPECT_TRUE(ListDir(received_).empty());
}

TEST(SmtpMailerDownTest, ServerDownIsUnavailable) {
  FakeClock clock;
  SmtpOptions options;
  options.host = "127.0.0.1";
  options.port = UnusedPort();
  options.security = SmtpSecurity::kNone;
  options.from_address = "noreply@countersign.test";
  options.timeout = std::chrono::seconds(5);
  SmtpMailer mailer(options, clock);
  MailMessage message;
  message.to_email = "signer@example.com";
  Status status = mailer.Send(message, "id1");
  EXPECT_EQ(status.code(), Code::kUnavailable) << status.ToString();
}

TEST(SmtpSecurityTest, Parses) {
  EXPECT_EQ(*ParseSmtpSecurity("none"), SmtpSecurity::kNone);
  EXPECT_EQ(*ParseSmtpSecurity("starttls"), SmtpSecurity::kStartTls);
  EXPECT_EQ(*ParseSmtpSecurity("tls"), SmtpSecurity::kTls);
  EXPECT_EQ(ParseSmtpSecurity("ssl").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace countersign::testing_mail
