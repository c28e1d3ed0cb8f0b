// Small ASCII string helpers shared by the library's modules (no locale, no allocation).
#pragma once

#include <cctype>
#include <string_view>

namespace bouncediag {

inline char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

inline bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool is_alnum(char c) {
    return is_digit(c) || is_alpha(c);
}

inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

inline bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

inline bool iends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// Case-insensitive find of an ASCII needle; npos when absent. Candidates are found by memchr:
// the places of the needle's first byte that is neither a letter nor a space (the ':' of
// "reason: ", rarer in replies than any letter), else of its first byte in either case (a byte
// loop cost Exim's wrapper parsing 5 % of a log run).
inline std::size_t ifind(std::string_view haystack, std::string_view needle, std::size_t from = 0) {
    constexpr std::size_t npos = std::string_view::npos;
    if (needle.empty()) return from <= haystack.size() ? from : npos;
    if (haystack.size() < needle.size() || from > haystack.size() - needle.size()) return npos;
    const std::size_t last = haystack.size() - needle.size();  // the last possible start
    for (std::size_t k = 0; k < needle.size(); ++k) {
        if (is_alpha(needle[k]) || needle[k] == ' ') continue;
        // Every occurrence has this byte at k: candidates in order, so the first is leftmost.
        for (std::size_t at = haystack.find(needle[k], from + k); at != npos;
             at = haystack.find(needle[k], at + 1)) {
            if (at - k > last) return npos;
            if (iequals(haystack.substr(at - k, needle.size()), needle)) return at - k;
        }
        return npos;
    }
    const char lower = ascii_lower(needle[0]);
    const char upper = is_alpha(lower) ? char(lower - 'a' + 'A') : lower;
    // The next place of each case of the first byte at or after `at`, npos past `last`.
    auto next = [&](char c, std::size_t at) { return haystack.substr(0, last + 1).find(c, at); };
    std::size_t at_lower = next(lower, from);
    std::size_t at_upper = upper == lower ? npos : next(upper, from);
    while (at_lower != npos || at_upper != npos) {
        const std::size_t i = at_lower < at_upper ? at_lower : at_upper;
        if (iequals(haystack.substr(i + 1, needle.size() - 1), needle.substr(1))) return i;
        if (i == at_lower) at_lower = next(lower, i + 1);
        if (i == at_upper) at_upper = next(upper, i + 1);
    }
    return npos;
}

}  // namespace bouncediag
