#include "web/renderer.h"

#include <exception>
#include <string_view>

#include "web/ctemplate_headers.h"

namespace countersign::web {
namespace {

constexpr std::string_view kAutoescapePragma = "{{%AUTOESCAPE context=\"HTML\"}}";
constexpr char kLayout[] = "layout.html";
// Blank lines are dropped; other whitespace is kept so <pre> and inline text stay intact.
constexpr ctemplate::Strip kStrip = ctemplate::STRIP_BLANK_LINES;

}  // namespace

Page::Page(std::string template_name, std::string title)
    : template_name_(std::move(template_name)),
      root_(std::make_unique<ctemplate::TemplateDictionary>("layout")) {
  root_->SetValue("TITLE", title);
  content_ = root_->AddIncludeDictionary("CONTENT");
  content_->SetFilename(template_name_);
}

Page::~Page() = default;

void Page::SetNavigation(const std::optional<std::string>& account_email, bool is_operator) {
  if (bare_) return;
  root_->ShowSection("SITE_CHROME");
  if (account_email.has_value()) {
    root_->ShowSection("LOGGED_IN");
    root_->SetValue("ACCOUNT_EMAIL", *account_email);
    if (is_operator) root_->ShowSection("OPERATOR");
  } else {
    root_->ShowSection("LOGGED_OUT");
  }
}

void Page::SetCsrfToken(const std::string& token) {
  root_->SetTemplateGlobalValue("CSRF_TOKEN", token);
}

Renderer::Renderer(std::unique_ptr<ctemplate::TemplateCache> cache) : cache_(std::move(cache)) {}

Renderer::~Renderer() = default;

StatusOr<std::unique_ptr<Renderer>> Renderer::Create(const std::vector<EmbeddedFile>& files) {
  try {
    auto cache = std::make_unique<ctemplate::TemplateCache>();
    bool has_layout = false;
    for (const EmbeddedFile& file : files) {
      if (!file.contents.starts_with(kAutoescapePragma)) {
        return Internal("template " + std::string(file.name) + " lacks the AUTOESCAPE pragma");
      }
      if (!cache->StringToTemplateCache(
              ctemplate::TemplateString(file.name.data(), file.name.size()),
              ctemplate::TemplateString(file.contents.data(), file.contents.size()), kStrip)) {
        return Internal("template " + std::string(file.name) + " does not parse");
      }
      has_layout = has_layout || file.name == kLayout;
    }
    if (!has_layout) return Internal("template layout.html is missing");
    cache->Freeze();
    return std::unique_ptr<Renderer>(new Renderer(std::move(cache)));
  } catch (const std::exception& e) {
    return Internal(std::string("loading templates failed: ") + e.what());
  }
}

StatusOr<std::unique_ptr<Renderer>> Renderer::CreateDefault() {
  return Create(web_templates::Files());
}

StatusOr<std::string> Renderer::Render(const Page& page) const {
  try {
    std::string out;
    if (!cache_->ExpandNoLoad(kLayout, kStrip, page.root_.get(), nullptr, &out)) {
      return Internal("expanding template " + page.template_name_ + " failed");
    }
    return out;
  } catch (const std::exception& e) {
    return Internal(std::string("expanding template failed: ") + e.what());
  }
}

}  // namespace countersign::web
