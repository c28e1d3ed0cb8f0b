// Shared helpers of the fuzz targets: one classifier for the embedded table, and the oracles
// every target applies to what the library hands back (valid UTF-8 JSON).
#pragma once

#include <cstdlib>
#include <string_view>

#include "../tests/utf8_check.h"
#include "bouncediag/classifier.h"
#include "bouncediag/rule_table.h"

namespace bouncediag::fuzz {

inline const Classifier& embedded_classifier() {
    static const Classifier instance(RuleTable::embedded());
    return instance;
}

using testing_support::valid_utf8;  // (tests/utf8_check.h)

// Stops the fuzzer with a crash (and the input saved) when an oracle fails.
inline void check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace bouncediag::fuzz
