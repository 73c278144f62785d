#include "store/sql/sql_connection.h"

namespace countersign {

bool IsUniqueViolation(const Status& status, std::string_view index_name) {
  if (status.code() != Code::kConflict) return false;
  std::string needle = "(constraint ";
  needle.append(index_name);
  needle.push_back(')');
  return status.message().find(needle) != std::string::npos;
}

}  // namespace countersign
