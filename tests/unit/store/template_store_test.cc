// TemplateStore contract tests, run against every backend (store_test_fixture.h): every field
// round-trips (the files' page sizes too), lists show own and shared templates (per creating
// app), search and paging agree across backends, and updates, shares and deletes change only
// what they say.
#include "store/template_store.h"

#include <gtest/gtest.h>

#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class TemplateStoreTest : public StoreTest {
 protected:
  TemplateStore& store() { return *stores_.templates; }

  static Template Make(const std::string& id, const std::string& owner, int64_t created_at) {
    Template t;
    t.id = id;
    t.account_id = owner;
    t.client_id = "client-given";
    t.created_by_client_id = "";
    t.title = "Mutual NDA " + id;
    t.subject = "Please sign";
    t.message = "Hej Världen \"quoted\"";
    t.metadata_json = R"({"k":"v"})";
    t.test_mode = true;
    t.allow_reassign = true;
    t.signer_roles = {{"Client", 0}, {"Witness", std::nullopt}};
    t.cc_roles = {"Manager", "Accounting"};
    t.merge_fields = {{"Full Name", "text"}, {"Is Registered?", "checkbox"}};
    t.form_fields_json = R"([{"api_id":"a","signer":"0"}])";
    t.form_field_groups_json = R"([{"group_id":"g"}])";
    t.form_field_rules_json = R"([{"id":"r"}])";
    t.field_options_json = R"({"date_format":"DD - MM - YYYY"})";
    t.files = {{"a.pdf", std::string(64, 'a'), 1234, 2, {{612, 792}, {842, 595}}},
               {"b.pdf", std::string(64, 'b'), 99, 1, {}}};
    t.created_at = created_at;
    t.updated_at = created_at + 5;
    return t;
  }

  static std::vector<std::string> Ids(const TemplatePage& page) {
    std::vector<std::string> ids;
    for (const Template& t : page.templates) ids.push_back(t.id);
    return ids;
  }
};

void ExpectSame(const Template& a, const Template& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.account_id, b.account_id);
  EXPECT_EQ(a.client_id, b.client_id);
  EXPECT_EQ(a.created_by_client_id, b.created_by_client_id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.subject, b.subject);
  EXPECT_EQ(a.message, b.message);
  EXPECT_EQ(a.metadata_json, b.metadata_json);
  EXPECT_EQ(a.test_mode, b.test_mode);
  EXPECT_EQ(a.allow_reassign, b.allow_reassign);
  ASSERT_EQ(a.signer_roles.size(), b.signer_roles.size());
  for (size_t i = 0; i < a.signer_roles.size(); ++i) {
    EXPECT_EQ(a.signer_roles[i].name, b.signer_roles[i].name);
    EXPECT_EQ(a.signer_roles[i].order, b.signer_roles[i].order);
  }
  EXPECT_EQ(a.cc_roles, b.cc_roles);
  ASSERT_EQ(a.merge_fields.size(), b.merge_fields.size());
  for (size_t i = 0; i < a.merge_fields.size(); ++i) {
    EXPECT_EQ(a.merge_fields[i].name, b.merge_fields[i].name);
    EXPECT_EQ(a.merge_fields[i].type, b.merge_fields[i].type);
  }
  EXPECT_EQ(a.form_fields_json, b.form_fields_json);
  EXPECT_EQ(a.form_field_groups_json, b.form_field_groups_json);
  EXPECT_EQ(a.form_field_rules_json, b.form_field_rules_json);
  EXPECT_EQ(a.field_options_json, b.field_options_json);
  ASSERT_EQ(a.files.size(), b.files.size());
  for (size_t i = 0; i < a.files.size(); ++i) {
    EXPECT_EQ(a.files[i].name, b.files[i].name);
    EXPECT_EQ(a.files[i].sha256, b.files[i].sha256);
    EXPECT_EQ(a.files[i].size, b.files[i].size);
    EXPECT_EQ(a.files[i].page_count, b.files[i].page_count);
    ASSERT_EQ(a.files[i].page_sizes.size(), b.files[i].page_sizes.size());
    for (size_t p = 0; p < a.files[i].page_sizes.size(); ++p) {
      EXPECT_DOUBLE_EQ(a.files[i].page_sizes[p].width, b.files[i].page_sizes[p].width);
      EXPECT_DOUBLE_EQ(a.files[i].page_sizes[p].height, b.files[i].page_sizes[p].height);
    }
  }
  EXPECT_EQ(a.shared_account_ids, b.shared_account_ids);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

TEST_P(TemplateStoreTest, CreateThenGetRoundTripsEveryField) {
  Template t = Make("t1", "owner", 100);
  t.shared_account_ids = {"friend"};
  ASSERT_TRUE(store().Create(t, {}).ok());
  StatusOr<Template> found = store().Get("t1");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ExpectSame(*found, t);
}

TEST_P(TemplateStoreTest, EmptyListsRoundTrip) {
  Template t = Make("t1", "owner", 100);
  t.signer_roles = {};
  t.cc_roles = {};
  t.merge_fields = {};
  t.form_fields_json = "";
  t.files = {};
  ASSERT_TRUE(store().Create(t, {}).ok());
  ExpectSame(*store().Get("t1"), t);
}

TEST_P(TemplateStoreTest, FilesKeepTheirPageSizesThroughCreateAndUpdate) {
  Template t = Make("t1", "owner", 100);
  // A4 landscape then a fractional portrait page; the second file's sizes are unknown.
  t.files[0].page_sizes = {{842, 595}, {595.5, 842.25}};
  t.files[1].page_sizes = {};
  ASSERT_TRUE(store().Create(t, {}).ok());
  StatusOr<Template> found = store().Get("t1");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->files.size(), 2u);
  ASSERT_EQ(found->files[0].page_sizes.size(), 2u);
  EXPECT_DOUBLE_EQ(found->files[0].page_sizes[0].width, 842);
  EXPECT_DOUBLE_EQ(found->files[0].page_sizes[0].height, 595);
  EXPECT_DOUBLE_EQ(found->files[0].page_sizes[1].width, 595.5);
  EXPECT_DOUBLE_EQ(found->files[0].page_sizes[1].height, 842.25);
  EXPECT_TRUE(found->files[1].page_sizes.empty()) << "unknown stays unknown (read as Letter)";

  t.files = {{"wide.pdf", std::string(64, 'w'), 10, 1, {{1224, 792}}}};
  ASSERT_TRUE(store().Update(t).ok());
  found = store().Get("t1");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->files.size(), 1u);
  ASSERT_EQ(found->files[0].page_sizes.size(), 1u);
  EXPECT_DOUBLE_EQ(found->files[0].page_sizes[0].width, 1224);
  EXPECT_DOUBLE_EQ(found->files[0].page_sizes[0].height, 792);
}

TEST_P(TemplateStoreTest, UnknownIsNotFoundAndDuplicateIsConflict) {
  EXPECT_EQ(store().Get("nope").status().code(), Code::kNotFound);
  EXPECT_EQ(store().Update(Make("nope", "owner", 1)).code(), Code::kNotFound);
  EXPECT_EQ(store().Delete("nope").code(), Code::kNotFound);
  EXPECT_EQ(store().AddShare("nope", "friend", 1).status().code(), Code::kNotFound);
  ASSERT_TRUE(store().Create(Make("t1", "owner", 100), {}).ok());
  EXPECT_EQ(store().Create(Make("t1", "other", 200), {}).code(), Code::kConflict);
}

TEST_P(TemplateStoreTest, ListShowsOwnAndSharedNewestFirstWithTotals) {
  ASSERT_TRUE(store().Create(Make("t1", "owner", 100), {}).ok());
  ASSERT_TRUE(store().Create(Make("t2", "owner", 200), {}).ok());
  ASSERT_TRUE(store().Create(Make("t3", "other", 300), {}).ok());
  ASSERT_TRUE(store().Create(Make("t4", "other", 400), {}).ok());
  ASSERT_TRUE(*store().AddShare("t3", "owner", 500));

  TemplateListFilter filter;
  filter.account_id = "owner";
  StatusOr<TemplatePage> page = store().List(filter);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"t3", "t2", "t1"}));
  EXPECT_EQ(page->total, 3);

  filter.limit = 2;
  filter.offset = 2;
  page = store().List(filter);
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"t1"}));
  EXPECT_EQ(page->total, 3);
}

TEST_P(TemplateStoreTest, AnAppListsOnlyWhatItCreatedPlusShared) {
  Template mine = Make("t1", "owner", 100);
  mine.created_by_client_id = "app-a";
  ASSERT_TRUE(store().Create(mine, {}).ok());
  ASSERT_TRUE(store().Create(Make("t2", "owner", 200), {}).ok());  // API key
  Template other_app = Make("t3", "owner", 300);
  other_app.created_by_client_id = "app-b";
  ASSERT_TRUE(store().Create(other_app, {}).ok());
  ASSERT_TRUE(store().Create(Make("t4", "someone", 400), {}).ok());
  ASSERT_TRUE(*store().AddShare("t4", "owner", 500));

  TemplateListFilter filter;
  filter.account_id = "owner";
  filter.created_by_client_id = "app-a";
  StatusOr<TemplatePage> page = store().List(filter);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"t4", "t1"}));
  EXPECT_EQ(page->total, 2);
}

TEST_P(TemplateStoreTest, SearchMatchesTitleWordsIgnoringCaseAndWildcards) {
  Template a = Make("t1", "owner", 100);
  a.title = "Purchase Order";
  Template b = Make("t2", "owner", 200);
  b.title = "100% NDA";
  ASSERT_TRUE(store().Create(a, {}).ok());
  ASSERT_TRUE(store().Create(b, {}).ok());
  TemplateListFilter filter;
  filter.account_id = "owner";
  filter.title_words = {"purchase", "ORDER"};
  StatusOr<TemplatePage> page = store().List(filter);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"t1"}));
  EXPECT_EQ(page->total, 1);
  filter.title_words = {"0%"};
  EXPECT_EQ(Ids(*store().List(filter)), (std::vector<std::string>{"t2"}));
  filter.title_words = {"_"};
  EXPECT_TRUE(Ids(*store().List(filter)).empty());
}

TEST_P(TemplateStoreTest, UpdateReplacesMutableColumnsAndFilesButKeepsShares) {
  ASSERT_TRUE(store().Create(Make("t1", "owner", 100), {}).ok());
  ASSERT_TRUE(*store().AddShare("t1", "friend", 150));
  Template changed = Make("t1", "owner", 100);
  changed.title = "New title";
  changed.subject = "New subject";
  changed.message = "";
  changed.cc_roles = {"Lawyer"};
  changed.merge_fields = {{"Cost", "text"}};
  changed.signer_roles = {{"Buyer", std::nullopt}};
  changed.form_fields_json = "[]";
  changed.test_mode = false;
  changed.files = {{"c.pdf", std::string(64, 'c'), 7, 3, {}}};
  changed.updated_at = 999;
  ASSERT_TRUE(store().Update(changed).ok());
  changed.shared_account_ids = {"friend"};
  ExpectSame(*store().Get("t1"), changed);
}

TEST_P(TemplateStoreTest, SharesAreAddedOnceAndRemoved) {
  ASSERT_TRUE(store().Create(Make("t1", "owner", 100), {}).ok());
  EXPECT_TRUE(*store().AddShare("t1", "friend", 200));
  EXPECT_FALSE(*store().AddShare("t1", "friend", 300));
  EXPECT_TRUE(*store().AddShare("t1", "other", 400));
  EXPECT_EQ(store().Get("t1")->shared_account_ids, (std::vector<std::string>{"friend", "other"}));
  EXPECT_TRUE(*store().RemoveShare("t1", "friend"));
  EXPECT_FALSE(*store().RemoveShare("t1", "friend"));
  EXPECT_EQ(store().Get("t1")->shared_account_ids, (std::vector<std::string>{"other"}));
  TemplateListFilter filter;
  filter.account_id = "friend";
  EXPECT_TRUE(Ids(*store().List(filter)).empty());
}

TEST_P(TemplateStoreTest, DeleteRemovesTheTemplateItsFilesAndShares) {
  ASSERT_TRUE(store().Create(Make("t1", "owner", 100), {}).ok());
  ASSERT_TRUE(store().Create(Make("t2", "owner", 200), {}).ok());
  ASSERT_TRUE(*store().AddShare("t1", "friend", 200));
  ASSERT_TRUE(store().Delete("t1").ok());
  EXPECT_EQ(store().Get("t1").status().code(), Code::kNotFound);
  TemplateListFilter filter;
  filter.account_id = "friend";
  EXPECT_TRUE(Ids(*store().List(filter)).empty());
  filter.account_id = "owner";
  EXPECT_EQ(Ids(*store().List(filter)), (std::vector<std::string>{"t2"}));
  EXPECT_EQ(store().Get("t2")->files.size(), 2u);
  // The same id can be used again: nothing of the old template is left behind.
  ASSERT_TRUE(store().Create(Make("t1", "owner", 300), {}).ok());
  EXPECT_TRUE(store().Get("t1")->shared_account_ids.empty());
}

CS_INSTANTIATE_STORE_TESTS(TemplateStoreTest);

}  // namespace
}  // namespace countersign::testing_store
