#include "service/text_tag_fields.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/json_dump.h"
#include "service/form_fields.h"

namespace countersign {

namespace {

using nlohmann::json;

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string WithoutSpaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t') out += c;
  }
  return out;
}

// The parts of "[a|b|c]": {"a", "b", "c"}. The label (the fourth) is trimmed; the others lose
// every space, since text extraction may see a gap between two glyphs of one word.
std::vector<std::string> Parts(const std::string& tag) {
  std::vector<std::string> parts;
  std::string inner = tag.substr(1, tag.size() >= 2 ? tag.size() - 2 : 0);
  size_t start = 0;
  while (true) {
    size_t bar = inner.find('|', start);
    std::string part = inner.substr(start, bar == std::string::npos ? bar : bar - start);
    parts.push_back(parts.size() == 3 ? Trim(part) : WithoutSpaces(part));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return parts;
}

const std::map<std::string, std::string>& TagTypes() {
  static const std::map<std::string, std::string> kTypes = {{"sig", "signature"},
                                                            {"initial", "initials"},
                                                            {"text", "text"},
                                                            {"date", "date_signed"},
                                                            {"check", "checkbox"},
                                                            {"text-merge", "text-merge"},
                                                            {"checkbox-merge", "checkbox-merge"}};
  return kTypes;
}

std::string Describe(const TextTag& tag) {
  return "Text tag \"" + tag.text + "\" on page " + std::to_string(tag.page);
}

double Round2(double v) { return std::round(v * 100) / 100; }

// What the tags of one document became, for error messages about their fields.
struct TagOrigin {
  const TextTag* tag;
  std::string path;
};

// `status` (about form_fields_per_document[i]) told about the tag it concerns, when i is one.
Status AboutTag(const Status& status, size_t form_field_count,
                const std::vector<TagOrigin>& origins) {
  const std::string& path = status.path();
  const std::string prefix = "form_fields_per_document[";
  if (path.rfind(prefix, 0) != 0) return status;
  size_t index = 0;
  const char* begin = path.data() + prefix.size();
  auto [end, ec] = std::from_chars(begin, path.data() + path.size(), index);
  if (ec != std::errc() || index < form_field_count || index - form_field_count >= origins.size()) {
    return status;
  }
  const TagOrigin& origin = origins[index - form_field_count];
  return InvalidArgument(Describe(*origin.tag) + ": " + status.message(), origin.path);
}

}  // namespace

StatusOr<json> TextTagFieldJson(const TextTag& tag, int document_index, int ordinal,
                                size_t signer_count, const std::string& path) {
  const std::vector<std::string> parts = Parts(tag.text);
  auto bad = [&](const std::string& why) {
    return InvalidArgument(Describe(tag) + ": " + why, path);
  };
  if (parts.size() < 3 || parts.size() > 6) {
    return bad("a tag has 3 to 6 parts ([type|req|signerN|label|api_id|validation]), not " +
               std::to_string(parts.size()));
  }
  auto type = TagTypes().find(Lower(parts[0]));
  if (type == TagTypes().end()) {
    return bad("unknown type \"" + parts[0] +
               "\" (one of sig, initial, text, date, check, text-merge, checkbox-merge)");
  }
  const bool merge = type->second == "text-merge" || type->second == "checkbox-merge";
  const std::string who = Lower(parts[2]);
  std::string signer;
  if (who == "sender" && merge) {
    signer = "sender";
  } else {
    int n = 0;
    const char* digits = who.data() + 6;
    auto [end, ec] = who.rfind("signer", 0) == 0 && who.size() > 6
                         ? std::from_chars(digits, who.data() + who.size(), n)
                         : std::from_chars_result{digits, std::errc::invalid_argument};
    if (ec != std::errc() || end != who.data() + who.size() || n < 1) {
      return bad("the third part must be signerN (signer1 is the first signer)" +
                 std::string(merge ? " or sender" : "") + ", not \"" + parts[2] + "\"");
    }
    if (static_cast<size_t>(n) > signer_count) {
      return bad(parts[2] + " is not one of the " + std::to_string(signer_count) + " signers");
    }
    signer = std::to_string(n - 1);
  }
  json f = json::object();
  f["document_index"] = document_index;
  f["api_id"] = parts.size() > 4 && !parts[4].empty()
                    ? parts[4]
                    : "texttag_" + std::to_string(document_index) + "_" + std::to_string(ordinal);
  f["name"] = parts.size() > 3 ? parts[3] : "";
  f["type"] = type->second;
  f["required"] = Lower(parts[1]) != "noreq";
  f["signer"] = signer;
  f["page"] = tag.page;
  f["x"] = Round2(tag.x);
  f["y"] = Round2(tag.y);
  f["width"] = std::max(1.0, Round2(tag.width));
  f["height"] = std::max(1.0, Round2(tag.height));
  if (parts.size() > 5 && !parts[5].empty()) {
    if (type->second != "text") return bad("only text tags take a validation type");
    if (parts[5] == "custom_regex") return bad("custom_regex cannot be given in a text tag");
    f["validation_type"] = parts[5];
  }
  // The shape rules of form_fields_per_document (api_id length, validation type, sizes).
  StatusOr<std::vector<FormField>> parsed = ParseFormFields(json::array({f}));
  if (!parsed.ok()) return bad(parsed.status().message());
  return f;
}

StatusOr<std::string> ApplyTextTags(BlobStore& blobs, std::vector<RequestFile>& files,
                                    const std::vector<std::string>& document_paths,
                                    const std::vector<FormField>& form_fields,
                                    const std::string& form_fields_json, size_t signer_count,
                                    const std::vector<std::vector<PageBox>>& pages, bool hide) {
  std::vector<std::vector<TextTag>> tags(files.size());
  std::vector<std::string> blob_paths(files.size());
  std::vector<TagOrigin> origins;
  std::vector<FormField> fields = form_fields;
  json tag_entries = json::array();
  for (size_t d = 0; d < files.size(); ++d) {
    CS_ASSIGN_OR_RETURN(blob_paths[d], blobs.PathOf(files[d].sha256));
    auto found = FindTextTags(blob_paths[d]);
    if (!found.ok()) return InvalidArgument(found.status().message(), document_paths[d]);
    tags[d] = std::move(found).value();
    for (size_t t = 0; t < tags[d].size(); ++t) {
      CS_ASSIGN_OR_RETURN(json entry,
                          TextTagFieldJson(tags[d][t], static_cast<int>(d), static_cast<int>(t + 1),
                                           signer_count, document_paths[d]));
      CS_ASSIGN_OR_RETURN(std::vector<FormField> parsed, ParseFormFields(json::array({entry})));
      parsed[0].index = static_cast<int>(fields.size());
      fields.push_back(std::move(parsed[0]));
      origins.push_back({&tags[d][t], document_paths[d]});
      tag_entries.push_back(std::move(entry));
    }
  }
  if (tag_entries.empty()) return form_fields_json;
  CS_RETURN_IF_ERROR(
      AboutTag(CheckFieldTargets(fields, signer_count, files.size()), form_fields.size(), origins));
  CS_RETURN_IF_ERROR(AboutTag(CheckFieldPlacement(fields, pages), form_fields.size(), origins));

  for (size_t d = 0; hide && d < files.size(); ++d) {
    if (tags[d].empty()) continue;
    const std::string temp = blobs.NewTempPath();
    Status hidden = HideTextTags(blob_paths[d], temp, tags[d]);
    if (!hidden.ok()) {
      std::error_code ec;
      std::filesystem::remove(temp, ec);
      return InvalidArgument(hidden.message(), document_paths[d]);
    }
    CS_ASSIGN_OR_RETURN(BlobInfo blob, blobs.PutFile(temp));
    files[d].sha256 = blob.sha256;
    files[d].size = blob.size;
  }
  json all =
      form_fields_json.empty() ? json::array() : json::parse(form_fields_json, nullptr, false);
  if (!all.is_array()) return Internal("form_fields_per_document is not an array");
  for (json& entry : tag_entries) all.push_back(std::move(entry));
  return DumpJson(all);
}

}  // namespace countersign
