#include "service/list_query.h"

#include <vector>

#include "service/validation.h"

namespace countersign {

namespace {

// Splits on spaces, keeping "quoted phrases" (and field:"quoted value") together.
std::vector<std::string> Terms(const std::string& query) {
  std::vector<std::string> out;
  std::string current;
  bool quoted = false;
  for (char c : query) {
    if (c == '"') {
      quoted = !quoted;
    } else if ((c == ' ' || c == '\t') && !quoted) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

}  // namespace

Status ParseListQuery(const std::string& query, RequestListFilter& filter) {
  std::vector<std::string> terms = Terms(query);
  if (terms.size() > 20) return InvalidArgument("query has too many terms", "query");
  for (const std::string& term : terms) {
    if (term == "AND" || term == "and") continue;
    size_t colon = term.find(':');
    std::string field = colon == std::string::npos ? "" : ToLower(term.substr(0, colon));
    std::string value = colon == std::string::npos ? term : term.substr(colon + 1);
    if (field == "title") {
      if (value.empty()) return InvalidArgument("title: needs a value", "query");
      filter.title_terms.push_back(value);
    } else if (field == "to") {
      if (value.empty()) return InvalidArgument("to: needs an email address", "query");
      filter.to_emails.push_back(ToLower(value));
    } else if (field == "from") {
      if (value.empty()) return InvalidArgument("from: needs an email address", "query");
      filter.from_emails.push_back(ToLower(value));
    } else {
      filter.words.push_back(term);
    }
  }
  return Status::Ok();
}

}  // namespace countersign
