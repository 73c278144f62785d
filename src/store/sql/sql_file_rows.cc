#include "store/sql/sql_file_rows.h"

#include <nlohmann/json.hpp>

namespace countersign {

std::string PageSizesJson(const std::vector<DisplayedPageSize>& sizes) {
  if (sizes.empty()) return "";
  nlohmann::json out = nlohmann::json::array();
  for (const DisplayedPageSize& p : sizes) out.push_back({p.width, p.height});
  return out.dump();
}

std::vector<DisplayedPageSize> PageSizesFromJson(const std::string& text) {
  std::vector<DisplayedPageSize> out;
  if (text.empty()) return out;
  nlohmann::json sizes = nlohmann::json::parse(text, nullptr, false);
  if (!sizes.is_array()) return out;
  for (const nlohmann::json& p : sizes) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) return {};
    out.push_back({p[0].get<double>(), p[1].get<double>()});
  }
  return out;
}

Status InsertFileRows(SqlConnection& connection, const FileTable& t, const std::string& owner_id,
                      const std::vector<RequestFile>& files) {
  if (files.empty()) return Status::Ok();
  CS_ASSIGN_OR_RETURN(
      auto stmt, connection.Prepare(std::string("INSERT INTO ") + t.table + " (" + t.owner_column +
                                    ", position, name, sha256, size, page_count, "
                                    "page_sizes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  for (size_t i = 0; i < files.size(); ++i) {
    const RequestFile& f = files[i];
    stmt.Bind(1, owner_id)
        .Bind(2, static_cast<int>(i))
        .Bind(3, f.name)
        .Bind(4, f.sha256)
        .Bind(5, f.size)
        .Bind(6, f.page_count)
        .Bind(7, PageSizesJson(f.page_sizes));
    CS_RETURN_IF_ERROR(stmt.Run());
  }
  return Status::Ok();
}

StatusOr<std::vector<RequestFile>> LoadFileRows(SqlConnection& connection, const FileTable& t,
                                                const std::string& owner_id) {
  CS_ASSIGN_OR_RETURN(
      auto stmt,
      connection.Prepare(std::string("SELECT name, sha256, size, page_count, "
                                     "page_sizes FROM ") +
                         t.table + " WHERE " + t.owner_column + " = ?1 ORDER BY position"));
  stmt.Bind(1, owner_id);
  std::vector<RequestFile> files;
  while (true) {
    CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    files.push_back({stmt.Text(0), stmt.Text(1), stmt.Int(2), static_cast<int>(stmt.Int(3)),
                     PageSizesFromJson(stmt.Text(4))});
  }
  return files;
}

}  // namespace countersign
