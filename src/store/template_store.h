// TemplateStore: persistence of templates with their documents and shares (migration 0015; the
// documents' page sizes, 0018). Each method is one transaction. Documents are rows naming blobs;
// the blobs are never deleted here, so requests sent from a template keep their copies whatever
// happens to it later.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/event_records.h"
#include "model/template_records.h"

namespace countersign {

class TemplateStore {
 public:
  virtual ~TemplateStore() = default;

  // Stores the template, its files and shares, and records `events` with it. kConflict when
  // the id exists.
  virtual Status Create(const Template& t, const std::vector<EventRecord>& events) = 0;

  // The template with files (in position order, with their page sizes) and shares. kNotFound
  // when absent.
  virtual StatusOr<Template> Get(const std::string& id) = 0;

  // The account's own templates and those shared with it (filter), newest first; `total`
  // counts every match.
  virtual StatusOr<TemplatePage> List(const TemplateListFilter& filter) = 0;

  // Replaces every mutable column of `t` (all but id, account_id, client ids and created_at)
  // and its files. Shares are left as they are. kNotFound when absent.
  virtual Status Update(const Template& t) = 0;

  // Deletes the template, its file rows and shares. kNotFound when absent.
  virtual Status Delete(const std::string& id) = 0;

  // Shares the template with `account_id` at `now`; true when it was not shared with it yet.
  // kNotFound when the template is absent.
  virtual StatusOr<bool> AddShare(const std::string& template_id, const std::string& account_id,
                                  int64_t now) = 0;
  // Stops sharing it; true when it was shared.
  virtual StatusOr<bool> RemoveShare(const std::string& template_id,
                                     const std::string& account_id) = 0;
};

}  // namespace countersign
