// The template renderer: auto-escaping is enforced, failures are Statuses.
#include "web/renderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "web/ctemplate_headers.h"

namespace countersign::web {
namespace {

using ::testing::HasSubstr;

constexpr char kLayout[] = "{{%AUTOESCAPE context=\"HTML\"}}<title>{{TITLE}}</title>{{>CONTENT}}";

TEST(RendererTest, EscapesEveryVariable) {
  std::vector<EmbeddedFile> files = {
      {"layout.html", kLayout},
      {"page.html", "{{%AUTOESCAPE context=\"HTML\"}}<p>{{X}}</p><a href=\"{{U}}\">u</a>"}};
  auto renderer = Renderer::Create(files);
  ASSERT_TRUE(renderer.ok()) << renderer.status().ToString();
  Page page("page.html", "a<b");
  page.data().SetValue("X", "<script>\"&'");
  page.data().SetValue("U", "javascript:alert(1)");
  auto html = (*renderer)->Render(page);
  ASSERT_TRUE(html.ok());
  EXPECT_THAT(*html, HasSubstr("<title>a&lt;b</title>"));
  EXPECT_THAT(*html, HasSubstr("<p>&lt;script&gt;&quot;&amp;&#39;</p>"));
  EXPECT_THAT(*html, HasSubstr("href=\"#\""));
}

TEST(RendererTest, RejectsTemplatesWithoutAutoescape) {
  std::vector<EmbeddedFile> files = {{"layout.html", kLayout}, {"raw.html", "<p>{{X}}</p>"}};
  auto renderer = Renderer::Create(files);
  EXPECT_FALSE(renderer.ok());
  EXPECT_EQ(renderer.status().code(), Code::kInternal);
}

TEST(RendererTest, BrokenOrMissingTemplatesAreErrors) {
  std::vector<EmbeddedFile> broken = {{"layout.html", kLayout},
                                      {"bad.html", "{{%AUTOESCAPE context=\"HTML\"}}{{#OPEN}}"}};
  EXPECT_FALSE(Renderer::Create(broken).ok());
  EXPECT_FALSE(Renderer::Create({}).ok());  // no layout

  auto renderer = Renderer::Create({{"layout.html", kLayout}});
  ASSERT_TRUE(renderer.ok());
  Page page("missing.html", "t");
  auto html = (*renderer)->Render(page);
  EXPECT_FALSE(html.ok());
}

TEST(RendererTest, EmbeddedTemplatesLoad) {
  auto renderer = Renderer::CreateDefault();
  ASSERT_TRUE(renderer.ok()) << renderer.status().ToString();
  for (const EmbeddedFile& file : web_templates::Files()) {
    if (file.name == "layout.html") continue;
    Page page(std::string(file.name), "t");
    page.SetNavigation(std::nullopt);
    EXPECT_TRUE((*renderer)->Render(page).ok()) << file.name;
  }
}

}  // namespace
}  // namespace countersign::web
