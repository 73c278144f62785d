// Tests of the MIME builder: structure and line rules checked directly, and the message parsed
// back by Python's email package (a real, independent parser).
#include "mail/mime.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "mail/mail_test_util.h"

namespace countersign::testing_mail {
namespace {

constexpr char kMessageId[] = "0123456789abcdef0123456789abcdef";

// Parses `mime` with Python's email package and returns what it decoded.
constexpr char kParseScript[] = R"PY(
import email, email.policy, json, sys
raw = open(sys.argv[1], 'rb').read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
parts = [p for p in msg.walk() if not p.is_multipart()]
print(json.dumps({
  'defects': len(msg.defects) + sum(len(p.defects) for p in msg.walk()),
  'from_name': msg['From'].addresses[0].display_name,
  'from_addr': msg['From'].addresses[0].addr_spec,
  'to_name': msg['To'].addresses[0].display_name,
  'to_addr': msg['To'].addresses[0].addr_spec,
  'subject': str(msg['Subject']),
  'message_id': str(msg['Message-ID']),
  'date': msg['Date'].datetime.timestamp(),
  'content_type': msg.get_content_type(),
  'headers': list(msg.keys()),
  'types': [p.get_content_type() for p in parts],
  'charsets': [p.get_content_charset() for p in parts],
  'bodies': [p.get_content() for p in parts],
}))
)PY";

nlohmann::json Parse(const std::string& mime) {
  TempDir dir;
  WriteFile(dir.path() + "/m.eml", mime);
  std::string out = RunPython(kParseScript, {dir.path() + "/m.eml"});
  return out.empty() ? nlohmann::json::object() : nlohmann::json::parse(out);
}

std::vector<std::string> Lines(const std::string& mime) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < mime.size()) {
    size_t end = mime.find("\r\n", start);
    if (end == std::string::npos) end = mime.size();
    lines.push_back(mime.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

MailMessage Sample() {
  MailMessage message;
  message.to_email = "signer@example.com";
  message.to_name = "Alice Example";
  message.subject = "Please sign: NDA";
  message.text_body = "Hello Alice,\nplease sign.\n";
  message.html_body = "<p>Hello Alice,</p>\n<p><a href=\"https://x.test/sign?t=a=b\">Sign</a></p>";
  return message;
}

TEST(MimeTest, HeadersAndBothParts) {
  std::string mime =
      BuildMimeMessage(Sample(), "noreply@countersign.test", "Countersign", kMessageId, 1700000000);
  EXPECT_EQ(mime.rfind("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n", 0), 0u);
  EXPECT_NE(mime.find("\r\nFrom: \"Countersign\" <noreply@countersign.test>\r\n"),
            std::string::npos);
  EXPECT_NE(mime.find("\r\nTo: \"Alice Example\" <signer@example.com>\r\n"), std::string::npos);
  EXPECT_NE(mime.find("\r\nSubject: Please sign: NDA\r\n"), std::string::npos);
  EXPECT_NE(mime.find("\r\nMessage-ID: <0123456789abcdef0123456789abcdef@countersign.test>\r\n"),
            std::string::npos);
  EXPECT_NE(mime.find("\r\nMIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Content-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n"),
            std::string::npos);
  EXPECT_NE(mime.find("Content-Type: text/html; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n"),
            std::string::npos);
  // CRLF only, short lines.
  for (size_t i = 0; i < mime.size(); ++i) {
    if (mime[i] == '\n') {
      ASSERT_TRUE(i > 0 && mime[i - 1] == '\r') << "bare LF at " << i;
    }
    if (mime[i] == '\r') {
      ASSERT_TRUE(i + 1 < mime.size() && mime[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  for (const std::string& line : Lines(mime)) EXPECT_LE(line.size(), 78u) << line;

  nlohmann::json parsed = Parse(mime);
  ASSERT_FALSE(parsed.empty());
  EXPECT_EQ(parsed["defects"], 0);
  EXPECT_EQ(parsed["from_name"], "Countersign");
  EXPECT_EQ(parsed["from_addr"], "noreply@countersign.test");
  EXPECT_EQ(parsed["to_name"], "Alice Example");
  EXPECT_EQ(parsed["to_addr"], "signer@example.com");
  EXPECT_EQ(parsed["subject"], "Please sign: NDA");
  EXPECT_EQ(parsed["message_id"], "<0123456789abcdef0123456789abcdef@countersign.test>");
  EXPECT_EQ(parsed["date"], 1700000000.0);
  EXPECT_EQ(parsed["content_type"], "multipart/alternative");
  EXPECT_EQ(parsed["types"], (nlohmann::json{"text/plain", "text/html"}));
  EXPECT_EQ(parsed["charsets"], (nlohmann::json{"utf-8", "utf-8"}));
  // Line breaks arrive as CRLF; nothing is added or lost at the end of a part.
  EXPECT_EQ(parsed["bodies"][0], "Hello Alice,\r\nplease sign.\r\n");
  EXPECT_EQ(parsed["bodies"][1],
            "<p>Hello Alice,</p>\r\n<p><a href=\"https://x.test/sign?t=a=b\">Sign</a></p>");
}

TEST(MimeTest, NonAsciiNameAndSubjectUseRfc2047) {
  MailMessage message = Sample();
  message.to_name = "Zoë Ørsted-Łukasz";
  message.subject = "Veuillez signer « Contrat » — 契約書に署名してください, merci beaucoup !";
  message.text_body = "Grüße\n";
  std::string mime =
      BuildMimeMessage(message, "noreply@countersign.test", "Contre-signé", kMessageId, 0);
  EXPECT_NE(mime.find("\r\nSubject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(mime.find("\r\nTo: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(mime.find("\r\nFrom: =?UTF-8?B?"), std::string::npos);
  for (const std::string& line : Lines(mime)) {
    EXPECT_LE(line.size(), 76u) << line;
    for (char c : line) ASSERT_GT(static_cast<unsigned char>(c), 0) << line;
    for (char c : line) ASSERT_LT(static_cast<unsigned char>(c), 0x80) << line;  // 7-bit clean
  }
  nlohmann::json parsed = Parse(mime);
  ASSERT_FALSE(parsed.empty());
  EXPECT_EQ(parsed["defects"], 0);
  EXPECT_EQ(parsed["subject"], message.subject);
  EXPECT_EQ(parsed["to_name"], message.to_name);
  EXPECT_EQ(parsed["from_name"], "Contre-signé");
  EXPECT_EQ(parsed["bodies"][0], "Grüße\r\n");
}

TEST(MimeTest, Rfc2047WordsAreShortAndKeepUtf8Whole) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "é€😀";
  std::string encoded = EncodeRfc2047(text);
  std::istringstream words(encoded);
  std::string word;
  int count = 0;
  while (words >> word) {
    ++count;
    EXPECT_LE(word.size(), 75u);
    EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0u);
  }
  EXPECT_GT(count, 5);
  std::string decoded = RunPython(
      "import email.header,sys\n"
      "print(str(email.header.make_header(email.header.decode_header(sys.argv[1]))),end='')",
      {encoded});
  EXPECT_EQ(decoded, text);
}

TEST(MimeTest, HeaderInjectionIsNeutralised) {
  MailMessage message = Sample();
  message.subject = "Hello\r\nBcc: victim@evil.test\r\n\r\nbody";
  message.to_name = "Eve\nX-Injected: 1";
  message.to_email = "signer@example.com\r\nCc: other@evil.test";
  std::string mime = BuildMimeMessage(message, "noreply@countersign.test",
                                      "Name\rReply-To: x@evil.test", kMessageId, 0);
  for (const std::string& line : Lines(mime)) {
    EXPECT_NE(line.rfind("Bcc:", 0), 0u) << line;
    EXPECT_NE(line.rfind("Cc:", 0), 0u) << line;
    EXPECT_NE(line.rfind("X-Injected:", 0), 0u) << line;
    EXPECT_NE(line.rfind("Reply-To:", 0), 0u) << line;
  }
  nlohmann::json parsed = Parse(mime);
  ASSERT_FALSE(parsed.empty());
  for (const auto& header : parsed["headers"]) {
    EXPECT_NE(header, "Bcc");
    EXPECT_NE(header, "Cc");
    EXPECT_NE(header, "X-Injected");
    EXPECT_NE(header, "Reply-To");
  }
  EXPECT_EQ(parsed["subject"], "Hello  Bcc: victim@evil.test    body");
  EXPECT_EQ(SanitizeHeaderValue("a\r\nb\tc\x7f"), "a  b c ");
}

TEST(MimeTest, QuotedPrintableRules) {
  std::string long_line(200, 'x');
  std::string text = long_line + "\n.dot line\na=b trailing \nlast\r\nCR\rend";
  std::string qp = EncodeQuotedPrintable(text);
  for (const std::string& line : Lines(qp)) EXPECT_LE(line.size(), 76u) << line;
  EXPECT_NE(qp.find("=2Edot line\r\n"), std::string::npos);
  EXPECT_NE(qp.find("a=3Db trailing=20\r\n"), std::string::npos);
  for (size_t i = 0; i < qp.size(); ++i) {
    if (qp[i] == '\n') {
      EXPECT_TRUE(i > 0 && qp[i - 1] == '\r') << "bare LF at " << i;
    }
  }
  std::string decoded = RunPython(
      "import quopri,sys\n"
      "sys.stdout.buffer.write(quopri.decodestring(sys.argv[1].encode()))",
      {qp});
  EXPECT_EQ(decoded, long_line + "\r\n.dot line\r\na=b trailing \r\nlast\r\nCR\r\nend");
}

TEST(MimeTest, PlainAddressCheck) {
  EXPECT_TRUE(IsPlainMailAddress("a.b+c@example.com"));
  EXPECT_FALSE(IsPlainMailAddress("a b@example.com"));
  EXPECT_FALSE(IsPlainMailAddress("a@b@example.com"));
  EXPECT_FALSE(IsPlainMailAddress("@example.com"));
  EXPECT_FALSE(IsPlainMailAddress("a@"));
  EXPECT_FALSE(IsPlainMailAddress("a@example.com\r\nRCPT TO:<b@x>"));
  EXPECT_FALSE(IsPlainMailAddress("<a@example.com>"));
}

}  // namespace
}  // namespace countersign::testing_mail
