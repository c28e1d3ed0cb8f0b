// `bouncediag explain`: what a basic code, an enhanced code or a pair means, from the rule
// table's code rules, with the provider wordings that carry that code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bouncediag/classifier.h"
#include "bouncediag/reply.h"
#include "bouncediag/rule_table.h"

namespace bouncediag {

struct Explanation {
    Reply codes;                        // the code(s) asked about
    const Rule* best = nullptr;         // what the codes together say
    const Rule* basic = nullptr;        // the basic code alone
    const Rule* enhanced = nullptr;     // the enhanced code alone
    const Rule* subject = nullptr;      // the enhanced code's subject ("5.7.*")
    const Rule* klass = nullptr;        // the class ("5.*.*" or "5xx")
    std::vector<const Rule*> wordings;  // text rules for exactly this enhanced or basic code
};

// Parses "550", "5.7.26" or "550 5.7.26" and explains it. Throws Error for anything else.
Explanation explain_code(std::string_view code, const RuleTable& table,
                         const Classifier& classifier);

}  // namespace bouncediag
