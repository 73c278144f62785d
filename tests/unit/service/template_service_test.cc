// TemplateService over an in-memory SQLite database, real blobs and qpdf: creating checks roles
// and fields; fields placed later are checked against the stored pages' real sizes; who sees
// and changes a template; send_with_template builds the same request a send with files would,
// owes nothing to the template afterwards, and reports missing or unknown roles and invisible
// templates with their paths.
#include "service/template_service.h"

#include <filesystem>

#include "service/document_services_fixture.h"
#include "service/field_values.h"
#include "testing/tiny_pdf.h"

namespace countersign {
namespace {

using nlohmann::json;

class TemplateServiceTest : public DocumentServicesFixture {
 protected:
  void SetUp() override {
    SetUpDocuments("owner@example.com", "other@example.com");
    pdf_bytes_ = testing::TinyPdf(2);
  }

  TemplateInput Input() {
    TemplateInput in;
    in.files.push_back({"nda.pdf", pdf_bytes_});
    in.title = "NDA";
    in.subject = "Please sign";
    in.signer_roles = {{"Client", 0}, {"Witness", 1}};
    in.cc_roles = {"Manager"};
    in.merge_fields = {{"Cost", "text"}};
    in.form_fields = json::array({
        {{"document_index", 0},
         {"api_id", "w_text"},
         {"type", "text"},
         {"required", true},
         {"signer", "Witness"},
         {"x", 10},
         {"y", 10},
         {"width", 50},
         {"height", 20}},
        {{"document_index", 0},
         {"api_id", "cost"},
         {"name", "Cost"},
         {"type", "text-merge"},
         {"required", false},
         {"signer", "sender"},
         {"x", 10},
         {"y", 100},
         {"width", 50},
         {"height", 20}},
    });
    return in;
  }

  TemplateSendInput SendFrom(const std::string& id) {
    TemplateSendInput in;
    in.template_ids = {id};
    in.signers = {{"Witness", {"Wanda", "wanda@example.com", std::nullopt, "", ""}},
                  {"Client", {"Carl", "carl@example.com", std::nullopt, "", ""}}};
    in.ccs = {{"Manager", "boss@example.com"}};
    in.send.custom_fields = {{"Cost", "$20", false, ""}};
    return in;
  }

  std::string pdf_bytes_;
};

TEST_F(TemplateServiceTest, CreateStoresRolesAndFieldsByRoleIndex) {
  auto made = templates_->Create(me_, Input());
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_TRUE(made->is_creator);
  ASSERT_EQ(made->fields.size(), 2u);
  EXPECT_EQ(made->fields[0].signer, "1");
  EXPECT_EQ(made->fields[1].signer, "sender");
  EXPECT_EQ(made->tmpl.files.at(0).page_count, 2);
  ASSERT_EQ(made->accounts.size(), 1u);
  EXPECT_EQ(made->accounts[0].id, mine_.account.id);
}

TEST_F(TemplateServiceTest, CreateRefusesWithPaths) {
  TemplateInput no_roles = Input();
  no_roles.signer_roles.clear();
  EXPECT_EQ(templates_->Create(me_, no_roles).status().path(), "signer_roles");
  TemplateInput off_page = Input();
  off_page.form_fields[0]["y"] = 5000;
  EXPECT_EQ(templates_->Create(me_, off_page).status().code(), Code::kInvalidArgument);
  TemplateInput no_files = Input();
  no_files.files.clear();
  EXPECT_EQ(templates_->Create(me_, no_files).status().path(), "files");
}

TEST_F(TemplateServiceTest, ReplaceFieldsChecksLikeCreateAndOnlyTheOwnerMayDoIt) {
  auto made = templates_->Create(me_, Input());
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  const std::string id = made->tmpl.id;
  json fields = json::array({{{"document_index", 0},
                              {"api_id", "sig"},
                              {"name", "Client signs"},
                              {"type", "signature"},
                              {"required", true},
                              {"signer", "0"},
                              {"page", 2},
                              {"x", 20},
                              {"y", 30},
                              {"width", 120},
                              {"height", 30}}});
  auto replaced = templates_->ReplaceFields(me_, id, fields);
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  ASSERT_EQ(replaced->fields.size(), 1u);
  EXPECT_EQ(replaced->fields[0].api_id, "sig");
  EXPECT_EQ(replaced->fields[0].page.value_or(1), 2);
  auto read = templates_->Get(me_, id);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->fields.size(), 1u);
  EXPECT_EQ(read->fields[0].signer, "0");

  json bad_role = fields;
  bad_role[0]["signer"] = "Nobody";
  EXPECT_EQ(templates_->ReplaceFields(me_, id, bad_role).status().path(),
            "form_fields_per_document[0].signer");
  json off_page = fields;
  off_page[0]["y"] = 5000;
  EXPECT_EQ(templates_->ReplaceFields(me_, id, off_page).status().code(), Code::kInvalidArgument);
  json no_page = fields;
  no_page[0]["page"] = 3;
  EXPECT_EQ(templates_->ReplaceFields(me_, id, no_page).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(templates_->ReplaceFields(them_, id, fields).status().code(), Code::kNotFound);
  ASSERT_TRUE(templates_->AddUser(me_, id, theirs_.account.id, "").ok());
  EXPECT_EQ(templates_->ReplaceFields(them_, id, fields).status().code(), Code::kPermissionDenied);

  auto cleared = templates_->ReplaceFields(me_, id, json::array());
  ASSERT_TRUE(cleared.ok()) << cleared.status().ToString();
  EXPECT_TRUE(cleared->fields.empty());
  EXPECT_EQ(cleared->tmpl.form_fields_json, "");
}

TEST_F(TemplateServiceTest, FieldsArePlacedOnTheStoredPagesRealSize) {
  // One A4-landscape page (842 x 595 points), no fields yet.
  const std::string wide = testing::TinyPdf(1, "", 842, 595);
  TemplateInput in = Input();
  in.files = {{"wide.pdf", wide}};
  in.form_fields = json::array();
  auto made = templates_->Create(me_, in);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  const std::string id = made->tmpl.id;
  auto read = templates_->Get(me_, id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->tmpl.files.at(0).page_sizes.size(), 1u);
  EXPECT_DOUBLE_EQ(read->tmpl.files[0].page_sizes[0].width, 842);
  EXPECT_DOUBLE_EQ(read->tmpl.files[0].page_sizes[0].height, 595);

  // Near the right edge: inside the landscape page, beyond a Letter-portrait one (612 wide).
  json near_edge = json::array({{{"document_index", 0},
                                 {"api_id", "sig"},
                                 {"type", "signature"},
                                 {"required", true},
                                 {"signer", "Client"},
                                 {"x", 700},
                                 {"y", 540},
                                 {"width", 120},
                                 {"height", 30}}});
  auto placed = templates_->ReplaceFields(me_, id, near_edge);
  ASSERT_TRUE(placed.ok()) << placed.status().ToString();
  ASSERT_EQ(placed->fields.size(), 1u);

  json beyond = near_edge;
  beyond[0]["x"] = 730;  // 730 + 120 > 842
  Status refused = templates_->ReplaceFields(me_, id, beyond).status();
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.path(), "form_fields_per_document[0]");
  EXPECT_NE(refused.message().find("842 x 595"), std::string::npos) << refused.message();

  // A request sent from it keeps the field where it was placed.
  TemplateSendInput send;
  send.template_ids = {id};
  send.signers = {{"Client", {"Carl", "carl@example.com", std::nullopt, "", ""}},
                  {"Witness", {"Wanda", "wanda@example.com", std::nullopt, "", ""}}};
  send.ccs = {{"Manager", "boss@example.com"}};
  auto sent = templates_->Send(me_, send);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  std::vector<FormField> fields = FieldsOf(*sent);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].x, 700);
}

TEST_F(TemplateServiceTest, SendMakesAnOrdinaryRequestThatOutlivesTheTemplate) {
  auto made = templates_->Create(me_, Input());
  ASSERT_TRUE(made.ok());
  auto sent = templates_->Send(me_, SendFrom(made->tmpl.id));
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->title, "NDA");
  EXPECT_EQ(sent->subject, "Please sign");
  ASSERT_EQ(sent->signatures.size(), 2u);
  EXPECT_EQ(sent->signatures[0].email, "carl@example.com");  // role order, not signers order
  EXPECT_EQ(sent->signatures[0].role, "Client");
  EXPECT_EQ(sent->signatures[0].order, 0);
  EXPECT_EQ(sent->signatures[1].role, "Witness");
  EXPECT_EQ(sent->cc_emails, std::vector<std::string>{"boss@example.com"});
  EXPECT_EQ(sent->template_ids, std::vector<std::string>{made->tmpl.id});
  EXPECT_EQ(sent->files.at(0).sha256, made->tmpl.files.at(0).sha256);
  std::vector<FormField> fields = FieldsOf(*sent);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].signer, "1") << "the Witness's field is the Witness signer's";

  ASSERT_TRUE(templates_->Delete(me_, made->tmpl.id).ok());
  auto again = requests_->Get(me_, sent->id);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->title, "NDA");
  EXPECT_TRUE(requests_->DocumentPaths(*again).ok()) << "the documents are still there";
}

TEST_F(TemplateServiceTest, SendReportsRolesAndTemplatesWithPaths) {
  auto made = templates_->Create(me_, Input());
  ASSERT_TRUE(made.ok());
  TemplateSendInput unknown = SendFrom(made->tmpl.id);
  unknown.signers[1].role = "client";
  EXPECT_EQ(templates_->Send(me_, unknown).status().path(), "signers[1].role");
  TemplateSendInput missing = SendFrom(made->tmpl.id);
  missing.signers.pop_back();
  EXPECT_EQ(templates_->Send(me_, missing).status().path(), "signers");
  TemplateSendInput no_cc = SendFrom(made->tmpl.id);
  no_cc.ccs.clear();
  EXPECT_EQ(templates_->Send(me_, no_cc).status().path(), "ccs");
  TemplateSendInput no_name = SendFrom(made->tmpl.id);
  no_name.signers[1].signer.name = "";
  EXPECT_EQ(templates_->Send(me_, no_name).status().path(), "signers[1].name")
      << "the signer as sent, not its role's place";
  auto theirs = templates_->Send(them_, SendFrom(made->tmpl.id));
  EXPECT_EQ(theirs.status().code(), Code::kNotFound);
  EXPECT_EQ(theirs.status().path(), "template_ids[0]");
}

TEST_F(TemplateServiceTest, AppTokensSeeWhatTheirAppCreatedAndSharesWorkForAccounts) {
  auto by_key = templates_->Create(me_, Input());
  ASSERT_TRUE(by_key.ok());
  RequestViewer app_a = me_;
  app_a.token_client_id = "app-a";
  EXPECT_EQ(templates_->Get(app_a, by_key->tmpl.id).status().code(), Code::kNotFound);
  auto by_app = templates_->Create(app_a, Input());
  ASSERT_TRUE(by_app.ok()) << by_app.status().ToString();
  EXPECT_TRUE(templates_->Get(app_a, by_app->tmpl.id).ok());
  EXPECT_TRUE(templates_->Get(me_, by_app->tmpl.id).ok());
  RequestViewer app_b = me_;
  app_b.token_client_id = "app-b";
  EXPECT_EQ(templates_->Get(app_b, by_app->tmpl.id).status().code(), Code::kNotFound);

  EXPECT_EQ(templates_->Get(them_, by_key->tmpl.id).status().code(), Code::kNotFound);
  EXPECT_EQ(templates_->Delete(them_, by_key->tmpl.id).code(), Code::kNotFound);
  ASSERT_TRUE(templates_->AddUser(me_, by_key->tmpl.id, "", "Other@Example.com").ok());
  auto shared = templates_->Get(them_, by_key->tmpl.id);
  ASSERT_TRUE(shared.ok());
  EXPECT_FALSE(shared->is_creator);
  EXPECT_FALSE(shared->can_edit);
  EXPECT_EQ(templates_->Delete(them_, by_key->tmpl.id).code(), Code::kPermissionDenied);
  auto listed = templates_->List(them_, ListInput{}, "");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total, 1);
  ASSERT_TRUE(templates_->RemoveUser(me_, by_key->tmpl.id, theirs_.account.id, "").ok());
  EXPECT_EQ(templates_->Get(them_, by_key->tmpl.id).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace countersign
