#include "core/json_dump.h"

namespace countersign {

namespace {

void Append(const nlohmann::json& v, std::string& out) {
  switch (v.type()) {
    case nlohmann::json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(it.key(), out);
        out.push_back(':');
        Append(it.value(), out);
      }
      out.push_back('}');
      break;
    }
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v) {
        if (!first) out.push_back(',');
        first = false;
        Append(item, out);
      }
      out.push_back(']');
      break;
    }
    case nlohmann::json::value_t::string:
      AppendJsonString(v.get_ref<const std::string&>(), out);
      break;
    case nlohmann::json::value_t::boolean:
      out.append(v.get<bool>() ? "true" : "false");
      break;
    case nlohmann::json::value_t::null:
      out.append("null");
      break;
    case nlohmann::json::value_t::number_integer:
      out.append(std::to_string(v.get<int64_t>()));
      break;
    case nlohmann::json::value_t::number_unsigned:
      out.append(std::to_string(v.get<uint64_t>()));
      break;
    case nlohmann::json::value_t::number_float:
      AppendJsonNumber(v.get<double>(), out);
      break;
    default:  // binary, discarded: nlohmann's own formatting
      out.append(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      break;
  }
}

}  // namespace

std::string DumpJson(const nlohmann::json& value) {
  std::string out;
  out.reserve(512);
  Append(value, out);
  return out;
}

}  // namespace countersign
