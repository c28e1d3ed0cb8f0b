// Output formats: JSON lines and TSV for scripts, coloured text for people. Each function
// returns the text of one result; the caller writes it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bouncediag/diagnose.h"

namespace bouncediag {

// One JSON object (no trailing newline) with stable snake_case keys; absent values are null;
// always valid UTF-8 (invalid bytes become U+FFFD).
std::string format_json(const Result& result);
// The same, appended to `out` (no new string per result).
void append_json(std::string& out, const Result& result);

// The TSV columns a result can give, in their default order.
const std::vector<std::string>& tsv_field_names();
// Default TSV columns.
const std::vector<std::string>& default_tsv_fields();
// Throws Error naming the first unknown field.
void check_tsv_fields(const std::vector<std::string>& fields);
std::string format_tsv_header(const std::vector<std::string>& fields);
// Tabs and newlines inside values become spaces.
std::string format_tsv(const Result& result, const std::vector<std::string>& fields);

// A block of text for a person; `color` adds ANSI colours.
std::string format_text(const Result& result, bool color);

// What each recommended action asks of the sender, in a few words.
std::string_view action_advice(std::string_view action);

}  // namespace bouncediag
