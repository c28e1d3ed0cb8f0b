// libFuzzer target: a text pattern's cold form (src/cold_pattern.h) against the pattern itself.
// Input: a pattern, a newline, then a text. Whenever both forms compile, the cold search must
// find what an unanchored search of the pattern finds, at the same offsets; a difference
// aborts (reported as a crash).
#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "cold_pattern.h"
#include "prefilter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bouncediag;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    if (newline == std::string_view::npos || newline > 512) return 0;
    const std::string_view pattern = input.substr(0, newline);
    const std::string_view text = input.substr(newline + 1);
    const RE2 re(pattern, pattern_options());
    if (!re.ok()) return 0;
    const ColdPattern cold(pattern);
    if (!cold.ok()) return 0;
    re2::StringPiece found;
    const bool want = re.Match(text, 0, text.size(), RE2::UNANCHORED, &found, 1);
    std::string_view span;
    const bool got = cold.search(text, span);
    if (want != got || (want && (found.data() != span.data() || found.size() != span.size()))) {
        std::fprintf(stderr, "cold form differs: pattern [%.*s] rewritten [%s]\n",
                     int(pattern.size()), pattern.data(),
                     without_capturing_groups(pattern).c_str());
        std::abort();
    }
    return 0;
}
