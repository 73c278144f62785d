#include "service/text_tag_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "files/file_blob_store.h"
#include "pdf/qpdf_inspector.h"
#include "service/form_fields.h"
#include "testing/text_pdf.h"

namespace countersign {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TextTag Tag(const std::string& text, int page = 1) { return {text, page, 72, 80, 120, 14}; }

StatusOr<json> Field(const std::string& text, size_t signers = 2) {
  return TextTagFieldJson(Tag(text), 0, 3, signers, "files[0]");
}

TEST(TextTagFieldJsonTest, ShortFormMapsTypesAndSigners) {
  struct Case {
    const char* tag;
    const char* type;
    const char* signer;
    bool required;
  } cases[] = {{"[sig|req|signer1]", "signature", "0", true},
               {"[initial|noreq|signer2]", "initials", "1", false},
               {"[text|req|signer1]", "text", "0", true},
               {"[date|req|signer2]", "date_signed", "1", true},
               {"[check|noreq|signer1]", "checkbox", "0", false},
               {"[SIG|Whatever|Signer2]", "signature", "1", true},  // unknown req: required
               {"[ sig | noreq | signer1       ]", "signature", "0", false},
               {"[text-merge|req|sender]", "text-merge", "sender", true},
               {"[checkbox-merge|noreq|signer1]", "checkbox-merge", "0", false}};
  for (const Case& c : cases) {
    auto f = Field(c.tag);
    ASSERT_TRUE(f.ok()) << c.tag << ": " << f.status().ToString();
    EXPECT_EQ((*f)["type"], c.type) << c.tag;
    EXPECT_EQ((*f)["signer"], c.signer) << c.tag;
    EXPECT_EQ((*f)["required"], c.required) << c.tag;
    EXPECT_EQ((*f)["api_id"], "texttag_0_3") << c.tag;
    EXPECT_EQ((*f)["page"], 1);
    EXPECT_EQ((*f)["x"], 72);
    EXPECT_EQ((*f)["y"], 80);
    EXPECT_EQ((*f)["width"], 120);
    EXPECT_EQ((*f)["height"], 14);
  }
}

TEST(TextTagFieldJsonTest, LongFormSetsLabelApiIdAndValidation) {
  auto f = Field("[text|noreq|signer2|Full name|name_id]");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)["name"], "Full name");
  EXPECT_EQ((*f)["api_id"], "name_id");
  EXPECT_FALSE(f->contains("validation_type"));

  // Spaces text extraction may see inside a word are dropped, except in the label.
  f = Field("[te xt|no req|signer 2| Full  name |name_ id|  ]");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)["type"], "text");
  EXPECT_EQ((*f)["required"], false);
  EXPECT_EQ((*f)["signer"], "1");
  EXPECT_EQ((*f)["name"], "Full  name");
  EXPECT_EQ((*f)["api_id"], "name_id");

  f = Field("[text|req|signer1|Zip||zip_code]");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)["api_id"], "texttag_0_3");  // empty: generated
  EXPECT_EQ((*f)["validation_type"], "zip_code");
}

TEST(TextTagFieldJsonTest, BadTagsNameTheTagAndTheDocument) {
  struct Case {
    const char* tag;
    const char* says;
  } cases[] = {
      {"[sig|req]", "3 to 6 parts"},
      {"[sig|req|signer1|a|b|numbers_only|x]", "3 to 6 parts"},
      {"[signature|req|signer1]", "unknown type \"signature\""},
      {"[radio|req|signer1]", "unknown type"},
      {"[sig|req|signer3]", "signer3 is not one of the 2 signers"},
      {"[sig|req|signer0]", "must be signerN"},
      {"[sig|req|me]", "must be signerN"},
      {"[sig|req|sender]", "must be signerN"},
      {"[sig|req|signer1|Label|id|numbers_only]", "only text tags take a validation type"},
      {"[text|req|signer1|Label|id|shoe_size]", "Unknown validation_type \"shoe_size\""},
      {"[text|req|signer1|Label|id|custom_regex]", "custom_regex cannot be given"},
  };
  for (const Case& c : cases) {
    auto f = Field(c.tag);
    ASSERT_FALSE(f.ok()) << c.tag;
    EXPECT_EQ(f.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(f.status().path(), "files[0]");
    EXPECT_THAT(f.status().message(),
                HasSubstr(std::string("Text tag \"") + c.tag + "\" on page 1: "));
    EXPECT_THAT(f.status().message(), HasSubstr(c.says)) << c.tag;
  }
}

class ApplyTextTagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("cs_tt_" + std::to_string(::getpid()));
    auto blobs = FileBlobStore::Open(root_.string());
    ASSERT_TRUE(blobs.ok());
    blobs_ = std::move(blobs).value();
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // Stores a document showing `content` on its one page.
  void AddDocument(const std::string& content) {
    auto blob = blobs_->Put(testing::TextPdf({content}));
    ASSERT_TRUE(blob.ok());
    files_.push_back({"doc.pdf", blob->sha256, blob->size, 1, {}});
    paths_.push_back("files[" + std::to_string(paths_.size()) + "]");
    pages_.push_back({{612, 792}});
  }

  StatusOr<std::string> Apply(bool hide, const std::vector<FormField>& form_fields = {},
                              const std::string& form_json = "", size_t signers = 2) {
    return ApplyTextTags(*blobs_, files_, paths_, form_fields, form_json, signers, pages_, hide);
  }

  std::filesystem::path root_;
  std::unique_ptr<FileBlobStore> blobs_;
  std::vector<RequestFile> files_;
  std::vector<std::string> paths_;
  std::vector<std::vector<PageBox>> pages_;
};

TEST_F(ApplyTextTagsTest, TagsOfEveryDocumentFollowTheSendersFields) {
  AddDocument("BT /F1 12 Tf 72 700 Td ([sig|req|signer1]) Tj ET");
  AddDocument("BT /F1 12 Tf 72 500 Td ([initial|req|signer2|Initials|init]) Tj ET");
  json sent = json::array({{{"document_index", 0},
                            {"api_id", "mine"},
                            {"type", "text"},
                            {"required", true},
                            {"signer", 1},
                            {"x", 300},
                            {"y", 300},
                            {"width", 100},
                            {"height", 20}}});
  auto form_fields = ParseFormFields(sent);
  ASSERT_TRUE(form_fields.ok());
  const std::string before = files_[0].sha256;
  auto out = Apply(false, *form_fields, sent.dump());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  json all = json::parse(*out);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]["api_id"], "mine");
  EXPECT_EQ(all[1]["api_id"], "texttag_0_1");
  EXPECT_EQ(all[1]["type"], "signature");
  EXPECT_EQ(all[1]["document_index"], 0);
  EXPECT_NEAR(all[1]["x"].get<double>(), 72, 1);
  EXPECT_EQ(all[2]["api_id"], "init");
  EXPECT_EQ(all[2]["document_index"], 1);
  EXPECT_EQ(all[2]["signer"], "1");
  EXPECT_EQ(files_[0].sha256, before);  // not hidden
  EXPECT_TRUE(ParseFormFields(all).ok());
}

TEST_F(ApplyTextTagsTest, HidingStoresACopyWithoutTheTags) {
  AddDocument("BT /F1 12 Tf 72 700 Td (Sign: [sig|req|signer1] thanks) Tj ET");
  AddDocument("BT /F1 12 Tf 72 700 Td (No tags here) Tj ET");
  const std::string first = files_[0].sha256, second = files_[1].sha256;
  auto out = Apply(true);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(files_[0].sha256, first);
  EXPECT_EQ(files_[1].sha256, second);  // nothing to hide
  auto path = blobs_->PathOf(files_[0].sha256);
  ASSERT_TRUE(path.ok());
  auto tags = FindTextTags(*path);
  ASSERT_TRUE(tags.ok());
  EXPECT_TRUE(tags->empty());
  QpdfInspector inspector;
  auto info = inspector.Inspect(*path);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->page_count, 1);
}

TEST_F(ApplyTextTagsTest, NoTagsLeavesTheSendersFieldsAsSent) {
  AddDocument("BT /F1 12 Tf 72 700 Td (Plain) Tj ET");
  auto out = Apply(true, {}, "");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "");
}

TEST_F(ApplyTextTagsTest, FieldRuleFailuresNameTheTag) {
  AddDocument("BT /F1 12 Tf 72 700 Td ([sig|req|signer3]) Tj ET");
  auto out = Apply(false);
  EXPECT_EQ(out.status().path(), "files[0]");
  EXPECT_THAT(out.status().message(),
              HasSubstr("Text tag \"[sig|req|signer3]\" on page 1: signer3 is not one of the 2"));

  files_.clear(), paths_.clear(), pages_.clear();
  AddDocument("BT /F1 12 Tf 72 700 Td ([sig|req|signer1|A|same]) Tj ET");
  AddDocument("BT /F1 12 Tf 72 700 Td ([sig|req|signer2|B|same]) Tj ET");
  out = Apply(false);
  EXPECT_EQ(out.status().path(), "files[1]");
  EXPECT_THAT(out.status().message(),
              HasSubstr("Text tag \"[sig|req|signer2|B|same]\" on page 1: api_id \"same\""));

  // Over a field of the sender's form_fields_per_document.
  files_.clear(), paths_.clear(), pages_.clear();
  AddDocument("BT /F1 12 Tf 72 700 Td ([sig|req|signer1]) Tj ET");
  json sent = json::array({{{"document_index", 0},
                            {"api_id", "mine"},
                            {"type", "text"},
                            {"required", true},
                            {"signer", 1},
                            {"x", 60},
                            {"y", 80},
                            {"width", 100},
                            {"height", 20}}});
  auto form_fields = ParseFormFields(sent);
  ASSERT_TRUE(form_fields.ok());
  const std::string before = files_[0].sha256;
  out = Apply(true, *form_fields, sent.dump());
  EXPECT_EQ(out.status().path(), "files[0]");
  EXPECT_THAT(out.status().message(), HasSubstr("overlaps form_fields_per_document[0]"));
  EXPECT_EQ(files_[0].sha256, before);  // refused before anything is stored
}

TEST_F(ApplyTextTagsTest, ATagThatCannotBeHiddenIsRefused) {
  AddDocument("q 1 0 0 1 100 600 cm /X1 Do Q");
  EXPECT_TRUE(Apply(false).ok());
  auto out = Apply(true);
  EXPECT_EQ(out.status().path(), "files[0]");
  EXPECT_THAT(out.status().message(), HasSubstr("cannot be hidden"));
}

}  // namespace
}  // namespace countersign
