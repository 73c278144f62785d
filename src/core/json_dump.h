// Fast JSON serialisation for responses. Produces the same compact text as
// nlohmann::json::dump() (invalid UTF-8 replaced by U+FFFD), but copies plain ASCII strings in
// one step instead of escaping them byte by byte, which halves the cost of a typical API
// response. Thread-safe (pure).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace countersign {

std::string DumpJson(const nlohmann::json& value);

// Appends `s` as a JSON string exactly as DumpJson writes string values (for code that writes
// JSON text directly).
void AppendJsonString(std::string_view s, std::string& out);

}  // namespace countersign
