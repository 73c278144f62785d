// SqlTemplateStore: TemplateStore over the templates, template_files and template_shares tables
// (migration 0015). Every method is one transaction. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/sql/sql_database.h"
#include "store/template_store.h"

namespace countersign {

class SqlTemplateStore : public TemplateStore {
 public:
  explicit SqlTemplateStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  Status Create(const Template& t, const std::vector<EventRecord>& events) override;
  StatusOr<Template> Get(const std::string& id) override;
  // Ties on created_at are broken by id, descending, so pages are stable.
  StatusOr<TemplatePage> List(const TemplateListFilter& filter) override;
  Status Update(const Template& t) override;
  Status Delete(const std::string& id) override;
  StatusOr<bool> AddShare(const std::string& template_id, const std::string& account_id,
                          int64_t now) override;
  StatusOr<bool> RemoveShare(const std::string& template_id,
                             const std::string& account_id) override;

 private:
  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
