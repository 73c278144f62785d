// HTTP/1.1's rules checked before routing: the version, exactly one Host, and no encoded body.
#include "http/protocol_checks.h"

#include <gtest/gtest.h>
#include <http_parser.h>

#include <nlohmann/json.hpp>

namespace countersign::http {
namespace {

Request WithHeaders(Params headers, std::string body = "") {
  Request r;
  r.method = "POST";
  r.path = "/v3/account";
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

// The refusal's status, after checking it is the API's error with error_name bad_request.
int Refusal(const std::optional<Response>& answer) {
  if (!answer) return 0;
  const auto json = nlohmann::json::parse(answer->body);
  EXPECT_EQ(json["error"]["error_name"], "bad_request");
  EXPECT_FALSE(json["error"]["error_msg"].get<std::string>().empty());
  return answer->status;
}

TEST(ProtocolChecksTest, AnHttp11RequestNeedsExactlyOneHost) {
  EXPECT_EQ(Refusal(CheckProtocol(WithHeaders({{"Host", "a"}}), 1, 1)), 0);
  EXPECT_EQ(Refusal(CheckProtocol(WithHeaders({{"hOsT", "a"}}), 1, 1)), 0);
  EXPECT_EQ(Refusal(CheckProtocol(WithHeaders({}), 1, 1)), 400);
  EXPECT_EQ(Refusal(CheckProtocol(WithHeaders({{"Host", "a"}, {"host", "b"}}), 1, 1)), 400);
  EXPECT_EQ(Refusal(CheckProtocol(WithHeaders({{"Hostname", "a"}}), 1, 1)), 400);
  EXPECT_EQ(Refusal(CheckProtocol(WithHeaders({}), 1, 9)), 400);  // a later 1.x is 1.1
  EXPECT_EQ(Refusal(CheckProtocol(WithHeaders({}), 1, 0)), 0);    // HTTP/1.0 had no Host
}

TEST(ProtocolChecksTest, TheHostIsOneHost) {
  const auto host = [](std::string value) {
    return Refusal(CheckProtocol(WithHeaders({{"Host", value}}), 1, 1));
  };
  EXPECT_EQ(host("example.com:8080"), 0);
  EXPECT_EQ(host("[::1]:8080"), 0);
  EXPECT_EQ(host(" example.com "), 0);  // optional whitespace around the value
  EXPECT_EQ(host(""), 0);               // a target without an authority (RFC 9112 §3.2)
  EXPECT_EQ(host("a b"), 400);
  EXPECT_EQ(host("a,b"), 400);
}

TEST(ProtocolChecksTest, TransferEncodingIsChunkedOrNothing) {
  const auto with = [](std::string encoding) {
    return Refusal(
        CheckProtocol(WithHeaders({{"Host", "a"}, {"Transfer-Encoding", encoding}}, "x"), 1, 1));
  };
  EXPECT_EQ(with("chunked"), 0);
  EXPECT_EQ(with("Chunked"), 0);
  EXPECT_EQ(with("gzip, chunked"), 501);
  EXPECT_EQ(with("gzip"), 501);
}

TEST(ProtocolChecksTest, OnlyMajorVersionOne) {
  EXPECT_EQ(Refusal(CheckProtocol(WithHeaders({{"Host", "a"}}), 2, 0)), 505);
  EXPECT_EQ(Refusal(CheckProtocol(WithHeaders({{"Host", "a"}}), 9, 9)), 505);
  EXPECT_EQ(Refusal(CheckProtocol(WithHeaders({{"Host", "a"}}), 0, 9)), 505);
}

TEST(ProtocolChecksTest, AnEncodedBodyIsRefused) {
  const auto with = [](std::string encoding, std::string body) {
    return CheckProtocol(WithHeaders({{"Host", "a"}, {"Content-Encoding", encoding}}, body), 1, 1);
  };
  EXPECT_EQ(Refusal(with("gzip", "\x1f\x8b...")), 415);
  EXPECT_EQ(Refusal(with("br", "x")), 415);
  EXPECT_EQ(Refusal(with(" identity ", "{}")), 0);
  EXPECT_EQ(Refusal(with("IDENTITY", "{}")), 0);
  EXPECT_EQ(Refusal(with("gzip", "")), 0);  // nothing to decode
}

TEST(ProtocolChecksTest, AMalformedRequestIsAnsweredAsBytesThatCloseTheConnection) {
  const std::string bad =
      MalformedRequestAnswer(HPE_UNEXPECTED_CONTENT_LENGTH, "unexpected header");
  ASSERT_TRUE(bad.starts_with("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n")) << bad;
  const size_t end = bad.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  const std::string body = bad.substr(end + 4);
  EXPECT_NE(bad.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
  const auto json = nlohmann::json::parse(body);
  EXPECT_EQ(json["error"]["error_name"], "bad_request");
  EXPECT_EQ(json["error"]["error_msg"], "The request is not valid HTTP/1.1: unexpected header.");

  EXPECT_TRUE(MalformedRequestAnswer(HPE_INVALID_METHOD, "m").starts_with("HTTP/1.1 501 "));
  EXPECT_TRUE(MalformedRequestAnswer(HPE_HEADER_OVERFLOW, "h").starts_with("HTTP/1.1 431 "));
  // A failure of the server's own callbacks (a spilled upload not written) is not the client's.
  const std::string ours = MalformedRequestAnswer(HPE_CB_body, "the on_body callback failed");
  EXPECT_TRUE(ours.starts_with("HTTP/1.1 500 ")) << ours;
  EXPECT_EQ(ours.find("on_body"), std::string::npos);
}

}  // namespace
}  // namespace countersign::http
