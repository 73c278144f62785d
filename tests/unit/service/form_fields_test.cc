#include "service/form_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace countersign {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json Field(const std::string& type, const std::string& api_id, json signer, double x, double y) {
  return json{{"document_index", 0}, {"api_id", api_id}, {"type", type}, {"required", true},
              {"signer", signer},    {"page", 1},        {"x", x},       {"y", y},
              {"width", 100},        {"height", 20}};
}

// A letter page (612 x 792 points) per document.
std::vector<std::vector<PageBox>> Letter(int documents = 1, int pages = 1) {
  return std::vector<std::vector<PageBox>>(documents, std::vector<PageBox>(pages, {612, 792}));
}

Status Check(const json& fields, size_t signers = 2) {
  auto parsed = ParseFormFields(fields);
  if (!parsed.ok()) return parsed.status();
  CS_RETURN_IF_ERROR(CheckFieldTargets(*parsed, signers, 1));
  return CheckFieldPlacement(*parsed, Letter());
}

TEST(FormFieldsTest, EveryTypeOfTheApiIsAccepted) {
  json fields = json::array();
  double y = 10;
  for (const char* type : {"signature", "initials", "text", "date_signed", "checkbox", "hyperlink",
                           "text-merge", "checkbox-merge"}) {
    fields.push_back(Field(type, std::string("f_") + type, 0, 10, y));
    y += 30;
  }
  fields.back()["signer"] = "sender";
  fields[5]["content"] = "Terms";
  fields[5]["content_url"] = "https://example.com/terms";
  fields[2]["font_size"] = "14";
  fields[2]["masked"] = true;
  json radio = Field("radio", "r1", 1, 10, y);
  radio["group"] = "choice";
  fields.push_back(radio);
  json dropdown = Field("dropdown", "d1", "1", 10, y + 30);  // signer as text, as multipart sends
  dropdown["options"] = {"a", "b"};
  fields.push_back(dropdown);
  Status st = Check(fields);
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST(FormFieldsTest, NumbersMayComeAsText) {
  json f = Field("text", "t", 0, 10, 10);
  f["x"] = "10";
  f["width"] = "100.5";
  f["required"] = "false";
  auto parsed = ParseFormFields(json::array({f}));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_DOUBLE_EQ(parsed->at(0).width, 100.5);
  EXPECT_FALSE(parsed->at(0).required);
}

TEST(FormFieldsTest, BadFieldsAreRefusedWithThePathOfTheField) {
  struct Case {
    json field;
    std::string path;
  };
  json missing = Field("text", "t", 0, 10, 10);
  missing.erase("api_id");
  json unknown = Field("sparkle", "t", 0, 10, 10);
  json negative = Field("text", "t", 0, -1, 10);
  json empty = Field("text", "t", 0, 10, 10);
  empty["height"] = 0;
  json bad_validation = Field("text", "t", 0, 10, 10);
  bad_validation["validation_type"] = "roman_numerals";
  json no_group = Field("radio", "t", 0, 10, 10);
  json no_options = Field("dropdown", "t", 0, 10, 10);
  json wrong_type = Field("text", "t", 0, 10, 10);
  wrong_type["required"] = "maybe";
  json link_without_url = Field("hyperlink", "t", 0, 10, 10);
  link_without_url["content"] = "Terms";
  json script_link = link_without_url;
  script_link["content_url"] = "javascript:alert(1)";
  json spaced_link = link_without_url;
  spaced_link["content_url"] = "https://example.com/a b";
  json odd_default = Field("dropdown", "t", 0, 10, 10);
  odd_default["options"] = {"a", "b"};
  odd_default["content"] = "c";
  json big_font = Field("text", "t", 0, 10, 10);
  big_font["font_size"] = 50;
  for (const Case& c : std::vector<Case>{
           {missing, "form_fields_per_document[0].api_id"},
           {unknown, "form_fields_per_document[0].type"},
           {negative, "form_fields_per_document[0].x"},
           {empty, "form_fields_per_document[0].height"},
           {bad_validation, "form_fields_per_document[0].validation_type"},
           {no_group, "form_fields_per_document[0].group"},
           {no_options, "form_fields_per_document[0].options"},
           {wrong_type, "form_fields_per_document[0].required"},
           {link_without_url, "form_fields_per_document[0].content_url"},
           {script_link, "form_fields_per_document[0].content_url"},
           {spaced_link, "form_fields_per_document[0].content_url"},
           {big_font, "form_fields_per_document[0].font_size"},
           {odd_default, "form_fields_per_document[0].content"},
       }) {
    Status st = Check(json::array({c.field}));
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << c.path;
    EXPECT_EQ(st.path(), c.path) << st.ToString();
  }
  EXPECT_EQ(ParseFormFields(json::array({7})).status().path(), "form_fields_per_document[0]");
}

TEST(FormFieldsTest, TargetsMustExist) {
  EXPECT_EQ(Check(json::array({Field("text", "t", 2, 10, 10)})).path(),
            "form_fields_per_document[0].signer");
  EXPECT_EQ(Check(json::array({Field("text", "t", "sender", 10, 10)})).path(),
            "form_fields_per_document[0].signer");  // "sender" only fills merge fields
  json other_document = Field("text", "t", 0, 10, 10);
  other_document["document_index"] = 1;
  EXPECT_EQ(Check(json::array({other_document})).path(),
            "form_fields_per_document[0].document_index");
  Status duplicate =
      Check(json::array({Field("text", "same", 0, 10, 10), Field("text", "same", 1, 10, 100)}));
  EXPECT_EQ(duplicate.path(), "form_fields_per_document[1].api_id");
  EXPECT_THAT(duplicate.message(), HasSubstr("form_fields_per_document[0]"));
}

TEST(FormFieldsTest, ACustomRegexMustCompile) {
  json f = Field("text", "t", 0, 10, 10);
  f["validation_type"] = "custom_regex";
  EXPECT_EQ(Check(json::array({f})).path(), "form_fields_per_document[0].validation_custom_regex");
  f["validation_custom_regex"] = "([a-z]+";
  EXPECT_EQ(Check(json::array({f})).path(), "form_fields_per_document[0].validation_custom_regex");
  f["validation_custom_regex"] = std::string(501, 'a');
  EXPECT_EQ(Check(json::array({f})).path(), "form_fields_per_document[0].validation_custom_regex");
  f["validation_custom_regex"] = "^[A-Z]{2}[0-9]{4}$";
  EXPECT_TRUE(Check(json::array({f})).ok());
}

TEST(FormFieldsTest, FieldsStayOnTheirPageAndOffEachOther) {
  EXPECT_TRUE(Check(json::array({Field("text", "t", 0, 512, 772)})).ok());  // the corner
  Status off = Check(json::array({Field("text", "t", 0, 520, 10)}));
  EXPECT_EQ(off.path(), "form_fields_per_document[0]");
  EXPECT_THAT(off.message(), HasSubstr("612 x 792"));
  EXPECT_EQ(Check(json::array({Field("text", "t", 0, 10, 780)})).path(),
            "form_fields_per_document[0]");
  json page_two = Field("text", "t", 0, 10, 10);
  page_two["page"] = 2;
  EXPECT_EQ(Check(json::array({page_two})).path(), "form_fields_per_document[0].page");
  Status overlap =
      Check(json::array({Field("text", "a", 0, 10, 10), Field("text", "b", 1, 60, 20)}));
  EXPECT_EQ(overlap.path(), "form_fields_per_document[1]");
  EXPECT_THAT(overlap.message(), HasSubstr("\"a\""));
  // Touching edges do not overlap; the same place on another page does not either.
  EXPECT_TRUE(
      Check(json::array({Field("text", "a", 0, 10, 10), Field("text", "b", 1, 110, 10)})).ok());
}

TEST(FormFieldsTest, TurnedPagesSwapWidthAndHeight) {
  auto fields = ParseFormFields(json::array({Field("text", "t", 0, 650, 10)}));
  ASSERT_TRUE(fields.ok());
  EXPECT_FALSE(CheckFieldPlacement(*fields, Letter()).ok());
  std::vector<std::vector<PageBox>> landscape{{{792, 612}}};
  EXPECT_TRUE(CheckFieldPlacement(*fields, landscape).ok());
}

TEST(FormFieldsTest, WarningsNameThePreparersFields) {
  auto fields = ParseFormFields(json::array(
      {Field("signature", "s0", 0, 10, 10), Field("text", "t", 0, 10, 40),
       Field("signature", "s0b", 0, 10, 70), Field("initials", "i1", 1, 10, 100),
       Field("date_signed", "d1", 1, 10, 130), Field("signature", "me", "me_now", 10, 160)}));
  ASSERT_TRUE(fields.ok());
  std::vector<std::string> warnings = FormFieldWarnings(*fields);
  ASSERT_EQ(warnings.size(), 1u);  // signers fill text fields now; the preparer fills nothing
  EXPECT_THAT(warnings[0], HasSubstr("form_fields_per_document[5]"));
  EXPECT_THAT(warnings[0], HasSubstr("me_now"));
}

TEST(FormFieldsTest, DateSignedTextFollowsTheDateFormat) {
  const int64_t pi_day = 1741953600;  // 2025-03-14 12:00:00 UTC
  EXPECT_EQ(DateSignedText(pi_day, ""), "03 / 14 / 2025");
  EXPECT_EQ(DateSignedText(pi_day, R"({"date_format":"DD - MM - YYYY"})"), "14 - 03 - 2025");
  EXPECT_EQ(DateSignedText(pi_day, R"({"date_format":"YYYY / MM / DD"})"), "2025 / 03 / 14");
  EXPECT_EQ(DateSignedText(pi_day, R"({"date_format":"%s%n"})"), "03 / 14 / 2025");
  EXPECT_EQ(DateSignedText(pi_day, "not json"), "03 / 14 / 2025");
}

}  // namespace
}  // namespace countersign
