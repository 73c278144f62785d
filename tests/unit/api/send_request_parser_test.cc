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

}  // namespace
}  // namespace countersign::api
