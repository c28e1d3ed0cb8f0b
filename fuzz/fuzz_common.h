// Shared helpers of the fuzz targets: one classifier for the embedded table, and the oracles
// every target applies to what the library hands back (valid UTF-8 JSON).
#pragma once

#include <cstdlib>
#include <string_view>

#include "bouncediag/classifier.h"
#include "bouncediag/rule_table.h"

namespace bouncediag::fuzz {

inline const Classifier& embedded_classifier() {
    static const Classifier instance(RuleTable::embedded());
    return instance;
}

// True when `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
inline bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        unsigned min = 0;
        unsigned cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1, min = 0x80, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, min = 0x800, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return false;
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n + 1;
    }
    return true;
}

// Stops the fuzzer with a crash (and the input saved) when an oracle fails.
inline void check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace bouncediag::fuzz
