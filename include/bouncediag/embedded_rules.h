// The default rule table, embedded in the binary at build time from data/rules/*.json.
#pragma once

#include <span>
#include <string_view>

namespace bouncediag {

struct EmbeddedFile {
    std::string_view name;     // path relative to the source tree, e.g. "data/rules/00-rfc.json"
    std::string_view content;  // the file's bytes
};

std::span<const EmbeddedFile> embedded_rule_files();

}  // namespace bouncediag
