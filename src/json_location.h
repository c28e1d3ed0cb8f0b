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

// Byte offsets of every element of the array at `path`, in one pass.
std::vector<std::size_t> json_array_offsets(std::string_view json, const JsonPath& path);

// "LINE:COL" (both 1-based) of a byte offset.
std::string line_column(std::string_view text, std::size_t offset);

// Line starts of a text, for many offset-to-"LINE:COL" conversions without rescanning.
class LineIndex {
  public:
    explicit LineIndex(std::string_view text);
    std::string line_column(std::size_t offset) const;

  private:
    std::vector<std::size_t> m_line_starts;
};

// "rules[3].match.text[0]" for messages.
std::string json_path_string(const JsonPath& path);

}  // namespace bouncediag
