// Tests of the rules of a template's contents (service/template_rules.h): roles and merge
// fields at creation, form fields whose signer names a role, and how a stored template's fields
// are moved into a request at send time.
#include "service/template_rules.h"

#include <gtest/gtest.h>

namespace countersign {
namespace {

using nlohmann::json;

const std::vector<TemplateRole> kRoles = {{"Client", 0}, {"Witness", 1}};

TEST(TemplateRulesTest, RolesNeedNamesUniqueAcrossSignersAndCcsAndOrdersForAllOrNone) {
  EXPECT_TRUE(CheckTemplateRoles(kRoles, {"Manager"}).ok());
  EXPECT_EQ(CheckTemplateRoles({}, {}).path(), "signer_roles");
  EXPECT_EQ(CheckTemplateRoles({{"", std::nullopt}}, {}).path(), "signer_roles[0].name");
  EXPECT_EQ(CheckTemplateRoles({{"A", std::nullopt}, {"A", std::nullopt}}, {}).path(),
            "signer_roles[1].name");
  EXPECT_TRUE(CheckTemplateRoles({{"A", std::nullopt}, {"a", std::nullopt}}, {}).ok())
      << "names are case-sensitive";
  EXPECT_EQ(CheckTemplateRoles(kRoles, {"Client"}).path(), "cc_roles[0]");
  EXPECT_EQ(CheckTemplateRoles({{"A", 0}, {"B", std::nullopt}}, {}).path(), "signer_roles");
  EXPECT_EQ(CheckTemplateRoles({{"A", -1}}, {}).path(), "signer_roles[0].order");
}

TEST(TemplateRulesTest, MergeFieldsAreTextOrCheckboxWithUniqueNames) {
  EXPECT_TRUE(CheckMergeFields({{"Full Name", "text"}, {"Is Registered?", "checkbox"}}).ok());
  EXPECT_EQ(CheckMergeFields({{"Cost", "number"}}).path(), "merge_fields[0].type");
  EXPECT_EQ(CheckMergeFields({{"Cost", "text"}, {"Cost", "text"}}).path(), "merge_fields[1].name");
}

TEST(TemplateRulesTest, SignerByIndexOrRoleNameBecomesTheIndexAsText) {
  json fields = json::array({
      {{"api_id", "a"}, {"signer", 1}},
      {{"api_id", "b"}, {"signer", "Client"}},
      {{"api_id", "c"}, {"signer", "1"}},
      {{"api_id", "d"}, {"signer", "sender"}},
  });
  StatusOr<json> out = NormalizeTemplateFields(fields, kRoles);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0]["signer"], "1");
  EXPECT_EQ((*out)[1]["signer"], "0");
  EXPECT_EQ((*out)[2]["signer"], "1");
  EXPECT_EQ((*out)[3]["signer"], "sender");
  EXPECT_EQ(NormalizeTemplateFields(json::array({{{"signer", 2}}}), kRoles).status().path(),
            "form_fields_per_document[0].signer");
  EXPECT_EQ(NormalizeTemplateFields(json::array({{{"signer", "client"}}}), kRoles).status().path(),
            "form_fields_per_document[0].signer")
      << "role names are case-sensitive";
}

TEST(TemplateRulesTest, RetargetingMovesDocumentsAndSigners) {
  json stored = json::array({
      {{"api_id", "a"}, {"document_index", 0}, {"signer", "0"}},
      {{"api_id", "b"}, {"document_index", 1}, {"signer", "1"}},
      {{"api_id", "c"}, {"document_index", 0}, {"signer", "sender"}},
  });
  json out = RetargetTemplateFields(stored, 2, {3, 0});
  EXPECT_EQ(out[0]["document_index"], 2);
  EXPECT_EQ(out[0]["signer"], "3");
  EXPECT_EQ(out[1]["document_index"], 3);
  EXPECT_EQ(out[1]["signer"], "0");
  EXPECT_EQ(out[2]["signer"], "sender");
  EXPECT_EQ(stored[0]["signer"], "0") << "the stored fields are left as they are";
}

TEST(TemplateRulesTest, StoredFieldsParseBackAndCorruptRowsAreInternal) {
  Template t;
  EXPECT_TRUE(TemplateFields(t)->empty());
  t.form_fields_json = R"([{"document_index":0,"api_id":"s","type":"signature","required":true,)"
                       R"("signer":"0","x":1,"y":1,"width":10,"height":10}])";
  StatusOr<std::vector<FormField>> fields = TemplateFields(t);
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  ASSERT_EQ(fields->size(), 1u);
  EXPECT_EQ((*fields)[0].signer, "0");
  t.form_fields_json = "{";
  EXPECT_EQ(TemplateFields(t).status().code(), Code::kInternal);
}

}  // namespace
}  // namespace countersign
