#include "service/field_values.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "service/custom_fields.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/form_fields.h"

namespace countersign {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json Field(const std::string& type, const std::string& api_id, json signer, double y,
           bool required = true) {
  return json{{"document_index", 0},
              {"api_id", api_id},
              {"type", type},
              {"required", required},
              {"signer", signer},
              {"page", 1},
              {"x", 10},
              {"y", y},
              {"width", 100},
              {"height", 20},
              {"name", "Name of " + api_id}};
}

// Two signers' fields: signer 0 has a required name, an optional zip code, a required
// checkbox, a dropdown and a required radio group; signer 1 has one text field.
std::vector<FormField> Fields() {
  json zip = Field("text", "zip", 0, 40, false);
  zip["validation_type"] = "zip_code";
  json dropdown = Field("dropdown", "plan", 0, 100, false);
  dropdown["options"] = {"Basic", "Pro"};
  json yes = Field("radio", "yes", 0, 130);
  yes["group"] = "answer";
  json no = Field("radio", "no", 0, 160, false);
  no["group"] = "answer";
  auto fields = ParseFormFields(
      json::array({Field("text", "name", 0, 10), zip, Field("checkbox", "agree", 0, 70), dropdown,
                   yes, no, Field("text", "other", 1, 190), Field("signature", "sig", 0, 220)}));
  EXPECT_TRUE(fields.ok()) << fields.status().ToString();
  return *fields;
}

SubmittedFields Good() {
  return {{"field[name]", "Ann Lee  "},
          {"field[zip]", "12345-6789"},
          {"field[agree]", "1"},
          {"field[plan]", "Pro"},
          {"radio[answer]", "no"}};
}

TEST(FieldValuesTest, ASignersValuesAreStoredByApiId) {
  StatusOr<std::string> stored = CheckSignerValues(Fields(), 0, Good());
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(json::parse(*stored), json({{"name", "Ann Lee"},
                                        {"zip", "12345-6789"},
                                        {"agree", "true"},
                                        {"plan", "Pro"},
                                        {"yes", "false"},
                                        {"no", "true"}}));
}

TEST(FieldValuesTest, EachBrokenRuleIsRefusedWithTheFieldsKey) {
  struct Case {
    std::string key;
    std::string value;  // "" erases the key
    std::string path;
  };
  for (const Case& c : std::vector<Case>{
           {"field[name]", "", "field[name]"},               // required text left empty
           {"field[name]", "   ", "field[name]"},            // only spaces
           {"field[zip]", "1234", "field[zip]"},             // not a ZIP code
           {"field[agree]", "", "field[agree]"},             // required checkbox unchecked
           {"field[plan]", "Gold", "field[plan]"},           // not an option
           {"radio[answer]", "", "radio[answer]"},           // required group unanswered
           {"radio[answer]", "other", "radio[answer]"},      // not a button of the group
           {"field[other]", "x", "field[other]"},            // signer 1's field
           {"field[sig]", "x", "field[sig]"},                // not a field one types into
           {"field[nothing]", "x", "field[nothing]"},        // no such field
           {"radio[elsewhere]", "yes", "radio[elsewhere]"},  // no such group
           {"field[name]", "line\nbreak", "field[name]"},    // control characters
           {"field[name]", std::string(501, 'a'), "field[name]"},
       }) {
    SubmittedFields submitted = Good();
    if (c.value.empty()) {
      submitted.erase(c.key);
    } else {
      submitted[c.key] = c.value;
    }
    Status st = CheckSignerValues(Fields(), 0, submitted).status();
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << c.key << "=" << c.value;
    EXPECT_EQ(st.path(), c.path) << st.ToString();
  }
}

TEST(FieldValuesTest, EveryValidationTypeAcceptsItsFormatAndRefusesOthers) {
  struct Case {
    std::string type;
    std::string good;
    std::string bad;
  };
  for (const Case& c : std::vector<Case>{{"numbers_only", "1234.5", "12a"},
                                         {"letters_only", "Abc", "Ab1"},
                                         {"phone_number", "+1 (555) 010-9999", "call me"},
                                         {"bank_routing_number", "123456789", "12345678"},
                                         {"bank_account_number", "00123456", "12"},
                                         {"email_address", "a@b.example", "a@b"},
                                         {"zip_code", "12345", "1234"},
                                         {"social_security_number", "123-45-6789", "123-456"},
                                         {"employer_identification_number", "12-3456789", "1-2"}}) {
    json f = Field("text", "t", 0, 10);
    f["validation_type"] = c.type;
    auto fields = ParseFormFields(json::array({f}));
    ASSERT_TRUE(fields.ok());
    EXPECT_TRUE(CheckSignerValues(*fields, 0, {{"field[t]", c.good}}).ok()) << c.type;
    Status bad = CheckSignerValues(*fields, 0, {{"field[t]", c.bad}}).status();
    EXPECT_EQ(bad.code(), Code::kInvalidArgument) << c.type;
    EXPECT_FALSE(PatternHint(fields->at(0)).empty());
    EXPECT_THAT(bad.message(), HasSubstr(PatternHint(fields->at(0))));
  }
  json custom = Field("text", "t", 0, 10);
  custom["validation_type"] = "custom_regex";
  custom["validation_custom_regex"] = "[A-Z]{2}-[0-9]{3}";
  auto fields = ParseFormFields(json::array({custom}));
  EXPECT_TRUE(CheckSignerValues(*fields, 0, {{"field[t]", "AB-123"}}).ok());
  EXPECT_FALSE(CheckSignerValues(*fields, 0, {{"field[t]", "AB-123x"}}).ok());  // whole value
}

TEST(FieldValuesTest, ResponseDataCarriesEachValueWithItsType) {
  SignatureRequest r;
  std::vector<FormField> fields = Fields();
  json all = json::array();
  for (const FormField& f : fields) {
    json one = Field(f.type, f.api_id, f.signer, f.y, f.required);
    if (!f.group.empty()) one["group"] = f.group;
    if (!f.options.empty()) one["options"] = f.options;
    if (!f.validation_type.empty()) one["validation_type"] = f.validation_type;
    all.push_back(one);
  }
  json merge = Field("checkbox-merge", "m", "sender", 250, false);
  merge["name"] = "Approved";
  all.push_back(merge);
  r.form_fields_json = all.dump();
  r.custom_fields_json = CustomFieldsJson({{"Approved", "true", false, ""}});
  r.signatures.resize(2);
  r.signatures[0].signature_id = "s0";
  r.signatures[1].signature_id = "s1";
  // Before anyone signs: only the sender's merge value.
  std::vector<ResponseDatum> data = FieldDataOf(r).response_data;
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].api_id, "m");
  EXPECT_EQ(data[0].value, "true");
  EXPECT_TRUE(data[0].signature_id.empty());

  r.signatures[0].signed_at = 1741953600;
  r.signatures[0].field_values_json = *CheckSignerValues(fields, 0, Good());
  data = FieldDataOf(r).response_data;
  std::map<std::string, ResponseDatum> by_id;
  for (const ResponseDatum& d : data) by_id[d.api_id] = d;
  EXPECT_EQ(by_id.count("other"), 0u);  // signer 1 has not signed
  EXPECT_EQ(by_id["name"].value, "Ann Lee");
  EXPECT_EQ(by_id["name"].signature_id, "s0");
  EXPECT_EQ(by_id["name"].type, "text");
  EXPECT_EQ(by_id["agree"].checked, true);
  EXPECT_FALSE(by_id["agree"].value.has_value());
  EXPECT_EQ(by_id["yes"].checked, false);
  EXPECT_EQ(by_id["no"].checked, true);
  EXPECT_EQ(by_id["plan"].value, "Pro");
  EXPECT_EQ(by_id["sig"].is_signed, true);
  EXPECT_EQ(data.front().api_id, "name");  // form_fields_per_document order
}

TEST(FieldValuesTest, TheAuditLineNamesTheFilledFieldsAndEachRadioGroupOnce) {
  EXPECT_EQ(FilledFieldsAuditText(Fields(), 0),
            "filled 5 fields: Name of name, Name of zip, Name of agree, Name of plan, answer");
  EXPECT_EQ(FilledFieldsAuditText(Fields(), 1), "filled 1 field: Name of other");
  EXPECT_EQ(FilledFieldsAuditText(Fields(), 2), "");
}

TEST(FieldGroupsTest, AGroupsRequirementGovernsItsCheckboxes) {
  json a = Field("checkbox", "a", 0, 10);  // required on its own, but the group decides
  a["group"] = "pick";
  json b = Field("checkbox", "b", 0, 40, false);
  b["group"] = "pick";
  auto fields = ParseFormFields(json::array({a, b}));
  ASSERT_TRUE(fields.ok());
  auto check = [&](const std::string& requirement, SubmittedFields submitted) {
    std::vector<FormFieldGroup> groups = {{"pick", "Pick", requirement}};
    EXPECT_TRUE(CheckFieldGroups(*fields, groups).ok());
    return CheckSignerValues(*fields, 0, submitted, groups).status();
  };
  const SubmittedFields none, one = {{"field[b]", "1"}},
                              two = {{"field[a]", "1"}, {"field[b]", "1"}};
  EXPECT_EQ(check("require_1", none).path(), "group[pick]");
  EXPECT_THAT(check("require_1", none).message(), HasSubstr("exactly one"));
  EXPECT_TRUE(check("require_1", one).ok());
  EXPECT_EQ(check("require_1", two).path(), "group[pick]");
  EXPECT_TRUE(check("require_0-1", none).ok());
  EXPECT_EQ(check("require_0-1", two).path(), "group[pick]");
  EXPECT_EQ(check("require_1-ormore", none).path(), "group[pick]");
  EXPECT_TRUE(check("require_1-ormore", two).ok());
  EXPECT_TRUE(check("require_0-ormore", none).ok());
}

TEST(FieldGroupsTest, GroupsAreCheckedAtSend) {
  EXPECT_EQ(
      ParseFormFieldGroups(json::parse(R"([{"group_id":"g","group_label":"G"}])")).status().path(),
      "form_field_groups[0].requirement");
  EXPECT_EQ(ParseFormFieldGroups(
                json::parse(R"([{"group_id":"g","group_label":"G","requirement":"require_2"}])"))
                .status()
                .path(),
            "form_field_groups[0].requirement");
  EXPECT_EQ(
      ParseFormFieldGroups(json::parse(
                               R"([{"group_id":"g","group_label":"G","requirement":"require_1"},
                    {"group_id":"g","group_label":"H","requirement":"require_1"}])"))
          .status()
          .path(),
      "form_field_groups[1].group_id");
  json lost = Field("checkbox", "a", 0, 10);
  lost["group"] = "nowhere";
  json other_signer = Field("checkbox", "b", 1, 40);
  other_signer["group"] = "pick";
  json mine = Field("checkbox", "c", 0, 70);
  mine["group"] = "pick";
  std::vector<FormFieldGroup> groups = {{"pick", "Pick", "require_1"}};
  EXPECT_EQ(CheckFieldGroups(*ParseFormFields(json::array({lost})), groups).path(),
            "form_fields_per_document[0].group");
  EXPECT_EQ(CheckFieldGroups(*ParseFormFields(json::array({mine, other_signer})), groups).path(),
            "form_fields_per_document[1].signer");
  json radio = Field("radio", "r", 0, 100);
  radio["group"] = "pick";
  EXPECT_EQ(CheckFieldGroups(*ParseFormFields(json::array({radio})),
                             {{"pick", "Pick", "require_1-ormore"}})
                .path(),
            "form_field_groups[0].requirement");
  // A radio group the groups call optional may be left unanswered, though its buttons say
  // required.
  EXPECT_TRUE(CheckSignerValues(*ParseFormFields(json::array({radio})), 0, {},
                                {{"pick", "Pick", "require_0-1"}})
                  .ok());
}

// A checkbox "other" shows the text field "detail" (hidden until then, required when shown);
// choosing "Pro" in the dropdown hides the checkbox group "extras".
struct RuleFixture {
  std::vector<FormField> fields;
  std::vector<FormFieldGroup> groups = {{"extras", "Extras", "require_1"}};
  std::vector<FormFieldRule> rules;
  RuleFixture() {
    json other = Field("checkbox", "other", 0, 10, false);
    json detail = Field("text", "detail", 0, 40);
    json plan = Field("dropdown", "plan", 0, 70, false);
    plan["options"] = {"Basic", "Pro"};
    json e1 = Field("checkbox", "e1", 0, 100, false);
    e1["group"] = "extras";
    json e2 = Field("checkbox", "e2", 0, 130, false);
    e2["group"] = "extras";
    fields = *ParseFormFields(json::array({other, detail, plan, e1, e2}));
    auto parsed = ParseFormFieldRules(json::parse(R"([
      {"id":"show-detail","trigger_operator":"AND",
       "triggers":[{"id":"other","operator":"is","value":"1"}],
       "actions":[{"field_id":"detail","hidden":false,"type":"change-field-visibility"}]},
      {"id":"hide-extras","trigger_operator":"AND",
       "triggers":[{"id":"plan","operator":"any","values":["Pro"]}],
       "actions":[{"group_id":"extras","hidden":true,"type":"change-group-visibility"}]}])"));
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    rules = *parsed;
    EXPECT_TRUE(CheckFieldRules(fields, groups, rules).ok());
  }
  Status Check(const SubmittedFields& submitted, std::string* stored = nullptr) {
    auto out = CheckSignerValues(fields, 0, submitted, groups, rules);
    if (out.ok() && stored != nullptr) *stored = *out;
    return out.status();
  }
};

TEST(FieldRulesTest, HiddenFieldsAreNeitherRequiredNorKept) {
  RuleFixture f;
  std::string stored;
  // "detail" starts hidden: not required, and a forged value is not kept.
  ASSERT_TRUE(f.Check({{"field[e1]", "1"}, {"field[detail]", "forged"}}, &stored).ok());
  EXPECT_EQ(json::parse(stored)["detail"], "");
  // Checking "other" shows it, and it is required.
  EXPECT_EQ(f.Check({{"field[e1]", "1"}, {"field[other]", "1"}}).path(), "field[detail]");
  ASSERT_TRUE(
      f.Check({{"field[e1]", "1"}, {"field[other]", "1"}, {"field[detail]", "Why"}}, &stored).ok());
  EXPECT_EQ(json::parse(stored)["detail"], "Why");
  // The extras group must have one box checked, unless Pro hides it; hidden boxes are cleared.
  EXPECT_EQ(f.Check({}).path(), "group[extras]");
  ASSERT_TRUE(f.Check({{"field[plan]", "Pro"}, {"field[e2]", "1"}}, &stored).ok());
  EXPECT_EQ(json::parse(stored)["e2"], "false");
}

TEST(FieldRulesTest, RulesAreCheckedAtSend) {
  RuleFixture f;
  auto bad = [&](const std::string& text) {
    auto parsed = ParseFormFieldRules(json::parse(text));
    if (!parsed.ok()) return parsed.status().path();
    return CheckFieldRules(f.fields, f.groups, *parsed).path();
  };
  const std::string ok_action =
      R"("actions":[{"field_id":"detail","hidden":false,"type":"change-field-visibility"}])";
  EXPECT_EQ(
      bad(R"([{"id":"r","trigger_operator":"OR","triggers":[{"id":"other","operator":"is","value":"1"}],)" +
          ok_action + "}]"),
      "form_field_rules[0].trigger_operator");
  EXPECT_EQ(bad(R"([{"id":"r","triggers":[{"id":"nope","operator":"is","value":"1"}],)" +
                ok_action + "}]"),
            "form_field_rules[0].triggers[0].id");
  EXPECT_EQ(bad(R"([{"id":"r","triggers":[{"id":"other","operator":"match","value":"x"}],)" +
                ok_action + "}]"),
            "form_field_rules[0].triggers[0].operator");  // checkboxes take is / not
  EXPECT_EQ(bad(R"([{"id":"r","triggers":[{"id":"other","operator":"is","value":"yes"}],)" +
                ok_action + "}]"),
            "form_field_rules[0].triggers[0].value");
  EXPECT_EQ(bad(R"([{"id":"r","triggers":[{"id":"detail","operator":"match","value":"(["}],)" +
                ok_action + "}]"),
            "form_field_rules[0].triggers[0].value");
  EXPECT_EQ(
      bad(R"([{"id":"r","triggers":[{"id":"other","operator":"is","value":"1"}],"actions":[{"field_id":"gone","hidden":true,"type":"change-field-visibility"}]}])"),
      "form_field_rules[0].actions[0].field_id");
  EXPECT_EQ(
      bad(R"([{"id":"r","triggers":[{"id":"other","operator":"is","value":"1"}],"actions":[{"field_id":"detail","group_id":"extras","hidden":true,"type":"change-field-visibility"}]}])"),
      "form_field_rules[0].actions[0].field_id");
  EXPECT_EQ(
      bad(R"([{"id":"r","triggers":[{"id":"other","operator":"is","value":"1"}],"actions":[]}])"),
      "form_field_rules[0].actions");
  // Round trip through the stored form.
  auto again = ParseFormFieldRules(json::parse(FormFieldRulesJson(f.rules)));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(FormFieldRulesJson(*again), FormFieldRulesJson(f.rules));
}

TEST(CustomFieldsTest, ParsedCheckedAndMatchedToMergeFieldsByName) {
  auto custom = ParseCustomFields(json::parse(
      R"([{"name":"Company","value":"Acme"},{"name":"Approved","value":true},{"name":"Spare"}])"));
  ASSERT_TRUE(custom.ok()) << custom.status().ToString();
  json text = Field("text-merge", "c1", "sender", 10, false);
  text["name"] = "Company";
  json check = Field("checkbox-merge", "c2", "sender", 40, false);
  check["name"] = "Approved";
  json lonely = Field("text-merge", "c3", "sender", 70, false);
  lonely["name"] = "Nobody";
  auto fields = ParseFormFields(json::array({text, check, lonely}));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(MergeValueOf(fields->at(0), *custom), "Acme");
  EXPECT_EQ(MergeValueOf(fields->at(1), *custom), "true");
  EXPECT_EQ(MergeValueOf(fields->at(2), *custom), std::nullopt);
  std::vector<std::string> warnings = CustomFieldWarnings(*custom, *fields);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_THAT(warnings[0], HasSubstr("custom_fields[2]"));             // "Spare" fills nothing
  EXPECT_THAT(warnings[1], HasSubstr("form_fields_per_document[2]"));  // "Nobody" stays empty

  SignatureRequest r;
  r.form_fields_json = json::array({text, check}).dump();
  r.custom_fields_json = CustomFieldsJson(*custom);
  std::vector<CustomFieldDatum> data = FieldDataOf(r).custom_fields;
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(data[0].type, "text");
  EXPECT_EQ(data[0].value, "Acme");
  EXPECT_EQ(data[0].api_id, "c1");
  EXPECT_EQ(data[1].type, "checkbox");
  EXPECT_EQ(data[1].checked, true);
  EXPECT_EQ(data[2].api_id, "");
}

TEST(CustomFieldsTest, BadEntriesAreRefusedWithTheirPath) {
  for (const auto& [text, path] : std::vector<std::pair<std::string, std::string>>{
           {R"([{"value":"x"}])", "custom_fields[0].name"},
           {R"([{"name":"a"},{"name":"a"}])", "custom_fields[1].name"},
           {R"([{"name":"a","required":true}])", "custom_fields[0].editor"},
           {R"([{"name":"a","value":{"x":1}}])", "custom_fields[0].value"},
           {R"([3])", "custom_fields[0]"},
           {R"("text")", "custom_fields"}}) {
    Status st = ParseCustomFields(json::parse(text)).status();
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << text;
    EXPECT_EQ(st.path(), path) << text << " " << st.ToString();
  }
  // One object stands for a list of one (the SDKs' multipart encoding of a single entry).
  EXPECT_EQ(ParseCustomFields(json::parse(R"({"name":"a","value":"b"})"))->size(), 1u);
}

}  // namespace
}  // namespace countersign
