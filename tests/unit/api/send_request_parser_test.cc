#include "api/send_request_parser.h"

#include <gtest/gtest.h>

namespace countersign::api {
namespace {

http::Request Multipart(const std::vector<std::pair<std::string, std::string>>& file_parts) {
  http::Request r;
  r.method = "POST";
  r.headers = {{"Content-Type", "multipart/form-data; boundary=B"}};
  for (const auto& [name, filename] : file_parts) {
    r.body += "--B\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" +
              filename + "\"\r\nContent-Type: application/pdf\r\n\r\n%PDF " + filename + "\r\n";
  }
  r.body += "--B--\r\n";
  return r;
}

std::vector<std::string> FileNames(const http::Request& request) {
  auto fields = RequestFields::FromBody(request);
  EXPECT_TRUE(fields.ok()) << fields.status().ToString();
  auto input = ParseSendRequest(*fields);
  EXPECT_TRUE(input.ok()) << input.status().ToString();
  std::vector<std::string> names;
  for (const auto& f : input->files) names.push_back(f.name);
  return names;
}

TEST(SendRequestParserTest, FilesInIndexOrder) {
  auto req = Multipart({{"files[1]", "b.pdf"}, {"files[0]", "a.pdf"}, {"files[2]", "c.pdf"}});
  EXPECT_EQ(FileNames(req), (std::vector<std::string>{"a.pdf", "b.pdf", "c.pdf"}));
}

// Found by fuzz/fuzz_send.cc: "files[0" (no closing bracket) read an index past the end of the
// name (undefined behaviour); it is not an index, so the part keeps its place.
TEST(SendRequestParserTest, UnclosedBracketIsNotAnIndex) {
  auto req = Multipart({{"files[1]", "one.pdf"}, {"files[0", "two.pdf"}});
  EXPECT_EQ(FileNames(req), (std::vector<std::string>{"one.pdf", "two.pdf"}));
}

// Found by fuzz/fuzz_send.cc: a form field whose bracketed key holds bytes that are not UTF-8
// ("field_options[\xbf]") made the object's JSON text throw, a 500 from the server. The bytes
// are replaced (U+FFFD) instead, as everywhere else JSON is written.
TEST(SendRequestParserTest, FormKeysThatAreNotUtf8DoNotThrow) {
  http::Request r;
  r.method = "POST";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = "title=NDA&field_options[date_\xbf\xbf]=x&signing_options[\xff]=1";
  auto fields = RequestFields::FromBody(r);
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  StatusOr<SendInput> input = ParseSendRequest(*fields);
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_EQ(input->field_options_json, "{\"date_\xef\xbf\xbd\xef\xbf\xbd\":\"x\"}");
  EXPECT_EQ(input->signing_options_json, "{\"\xef\xbf\xbd\":\"1\"}");
}

}  // namespace
}  // namespace countersign::api
