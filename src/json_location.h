// Maps JSON values back to where they stand in the source text, so that rule-file errors can
// say FILE:LINE:COL (nlohmann_json keeps no positions after parsing).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bouncediag {

// One step of a path into a JSON document: an object key or an array index.
using JsonPathStep = std::variant<std::string, std::size_t>;
using JsonPath = std::vector<JsonPathStep>;

// Byte offset of the value at `path` in `json`, or of the deepest enclosing value found.
std::size_t json_value_offset(std::string_view json, const JsonPath& path);

// "LINE:COL" (both 1-based) of a byte offset.
std::string line_column(std::string_view text, std::size_t offset);

// "rules[3].match.text[0]" for messages.
std::string json_path_string(const JsonPath& path);

}  // namespace bouncediag
