// DraftStore: persistence of drafts with their documents (migration 0017). Each method is one
// transaction; the conditional ones (Claim, SetPageSecret, MarkSent) decide a single winner
// among concurrent callers by the row they change. Documents are rows naming blobs; blobs are
// never deleted here. Stores hold no rules beyond those conditions. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/draft_records.h"

namespace countersign {

class DraftStore {
 public:
  virtual ~DraftStore() = default;

  // Stores the draft and its files. kConflict when the id exists.
  virtual Status Insert(const Draft& draft) = 0;

  // The draft with its files in order. kNotFound when absent.
  virtual StatusOr<Draft> Get(const std::string& id) = 0;
  // The draft whose claim_token_hash is `hash` (never matches ""). kNotFound when none.
  virtual StatusOr<Draft> FindByClaimHash(const std::string& hash) = 0;

  // Claims the draft with claim_token_hash `hash` for `account_id`: only when it is not
  // claimed, not sent, not embedded-opened, and expires after `now`. True for the one winner.
  virtual StatusOr<bool> Claim(const std::string& hash, const std::string& account_id,
                               int64_t now) = 0;

  // Opens an embedded draft once: sets page_secret_hash and claims it for its creator, only
  // when it is not claimed, has no secret yet, is not sent and expires after `now`. True for
  // the one winner.
  virtual StatusOr<bool> SetPageSecret(const std::string& id, const std::string& secret_hash,
                                       int64_t now) = 0;

  // Replaces body_json and test_mode of a draft not sent yet. kNotFound otherwise.
  virtual Status UpdateBody(const std::string& id, const std::string& body_json,
                            bool test_mode) = 0;

  // Marks the draft sent at `now`; true only for the first call.
  virtual StatusOr<bool> MarkSent(const std::string& id, int64_t now) = 0;

  // Up to `limit` drafts, sent or not, whose body_json contains `text` (SQLite ignores ASCII
  // case there), with ids after `after_id` in id order: only their id and body_json are set.
  // A scan of the table, for rare maintenance passes.
  virtual StatusOr<std::vector<Draft>> FindBodiesContaining(const std::string& text,
                                                            const std::string& after_id,
                                                            int limit) = 0;
  // Replaces body_json of draft `id`, sent or not, only while it still is `expected`. True
  // when it did.
  virtual StatusOr<bool> ReplaceBody(const std::string& id, const std::string& expected,
                                     const std::string& body_json) = 0;
};

}  // namespace countersign
