// SqlDraftStore: DraftStore over the drafts and draft_files tables (migration 0017). Every
// method is one transaction; the conditional updates decide their winner by the row count of
// one UPDATE. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "store/draft_store.h"
#include "store/sql/sql_database.h"

namespace countersign {

class SqlDraftStore : public DraftStore {
 public:
  explicit SqlDraftStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  Status Insert(const Draft& draft) override;
  StatusOr<Draft> Get(const std::string& id) override;
  StatusOr<Draft> FindByClaimHash(const std::string& hash) override;
  StatusOr<bool> Claim(const std::string& hash, const std::string& account_id,
                       int64_t now) override;
  StatusOr<bool> SetPageSecret(const std::string& id, const std::string& secret_hash,
                               int64_t now) override;
  Status UpdateBody(const std::string& id, const std::string& body_json, bool test_mode) override;
  StatusOr<bool> MarkSent(const std::string& id, int64_t now) override;
  StatusOr<std::vector<Draft>> FindBodiesContaining(const std::string& text,
                                                    const std::string& after_id,
                                                    int limit) override;
  StatusOr<bool> ReplaceBody(const std::string& id, const std::string& expected,
                             const std::string& body_json) override;

 private:
  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
