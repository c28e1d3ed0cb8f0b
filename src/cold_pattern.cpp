#include "cold_pattern.h"

#include "prefilter.h"

namespace bouncediag {

std::string without_capturing_groups(std::string_view pattern) {
    std::string out;
    out.reserve(pattern.size() + 16);
    bool in_class = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        out += c;
        if (c == '\\' && i + 1 < pattern.size() && pattern[i + 1] == 'Q') {
            // \Q...\E quotes literally: copied through its \E (or the end).
            std::size_t end = pattern.find("\\E", i + 2);
            end = end == std::string_view::npos ? pattern.size() : end + 2;
            out.append(pattern.substr(i + 1, end - i - 1));
            i = end - 1;
        } else if (c == '\\' && i + 1 < pattern.size()) {
            out += pattern[++i];
        } else if (in_class && c == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {
            // A named class inside a class ("[[:alpha:](]"): its ']' does not end the class.
            std::size_t end = pattern.find(":]", i + 2);
            if (end != std::string_view::npos) {
                out.append(pattern.substr(i + 1, end + 1 - i));
                i = end + 1;
            }
        } else if (in_class) {
            in_class = c != ']';
        } else if (c == '[') {
            in_class = true;
            // A ']' first in a class (after an optional '^') is a literal, not its end.
            if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
        } else if (c == '(' && (i + 1 == pattern.size() || pattern[i + 1] != '?')) {
            out += "?:";
        }
    }
    return out;
}

namespace {

RE2::Options cold_options() {
    RE2::Options options = pattern_options();
    options.set_never_capture(false);  // (the one group is the point)
    return options;
}

}  // namespace

// \C is any byte, so the lazy prefix crosses invalid UTF-8 as an unanchored search does.
ColdPattern::ColdPattern(std::string_view pattern)
    : m_re(std::make_unique<RE2>("\\C*?(" + without_capturing_groups(pattern) + ")",
                                 cold_options())) {}

bool ColdPattern::search(std::string_view text, std::string_view& span) const {
    re2::StringPiece groups[2];
    if (!m_re->Match(text, 0, text.size(), RE2::ANCHOR_START, groups, 2)) return false;
    span = std::string_view(groups[1].data(), groups[1].size());
    return true;
}

}  // namespace bouncediag
