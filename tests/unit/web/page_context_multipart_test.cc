// PageContext on a multipart/form-data POST (the template upload form): text parts are the
// form (csrf_token included, so CSRF is checked as for an urlencoded form), file parts come in
// files() with their names and bytes; a malformed body is a 400 page.
#include <gtest/gtest.h>

#include "web/page_context.h"
#include "web_fixture.h"

namespace countersign::web {
namespace {

class PageContextMultipartTest : public WebFixture {
 protected:
  void SetUp() override {
    WebFixture::SetUp();
    router_.Add("POST", "/test/upload", WrapAccountPage(*web_, [](PageContext& page) {
                  http::Response response;
                  response.body = "title=" + page.Form("title") + ";";
                  for (const http::FormPart& f : page.files()) {
                    response.body +=
                        f.name + ":" + f.filename.value_or("") + ":" + std::string(f.data) + ";";
                  }
                  return response;
                }));
    SignUp(browser_, "uploader@example.com");
    browser_.Get("/home");
  }
  Browser browser_{router_};
};

TEST_F(PageContextMultipartTest, TextPartsAreTheFormAndFilePartsAreFiles) {
  http::Response response =
      browser_.SubmitMultipart("/test/upload", {{"title", "NDA"}},
                               {{"file", "a.pdf", "%PDF-a"}, {"file", "b.pdf", "%PDF-b\r\nmore"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, "title=NDA;file:a.pdf:%PDF-a;file:b.pdf:%PDF-b\r\nmore;");
}

TEST_F(PageContextMultipartTest, CsrfIsCheckedAndAMalformedBodyIsA400) {
  Browser stranger(router_);
  http::Response response =
      stranger.SubmitMultipart("/test/upload", {{"title", "NDA"}}, {{"file", "a.pdf", "x"}});
  EXPECT_EQ(response.status, 403);  // no session, so no CSRF token: refused before the handler

  http::Request request;
  request.method = "POST";
  request.path = "/test/upload";
  request.headers.emplace_back("Cookie", "cs_session=" + browser_.cookie());
  request.headers.emplace_back("Content-Type", "multipart/form-data; boundary=zz");
  request.body = "--zz\r\nnot a part";
  EXPECT_EQ(router_.Dispatch(request).status, 400);
}

}  // namespace
}  // namespace countersign::web
