#include "bouncediag/explain.h"

#include <algorithm>

#include "bouncediag/error.h"
#include "text_util.h"

namespace bouncediag {
namespace {

// The code-only rule whose single enhanced pattern is exactly `wanted` (a wildcard form).
const Rule* code_rule_with_pattern(const RuleTable& table, const EnhancedCodePattern& wanted) {
    for (const Rule& rule : table.rules()) {
        if (rule.is_text_rule() || !rule.remote_host.empty() || !rule.basic.empty()) continue;
        if (rule.enhanced.size() != 1) continue;
        const EnhancedCodePattern& p = rule.enhanced.front();
        if (p.klass == wanted.klass && p.subject == wanted.subject && p.detail == wanted.detail)
            return &rule;
    }
    return nullptr;
}

bool names_code_exactly(const Rule& rule, const Reply& codes) {
    bool enhanced = !codes.enhanced_code.empty() &&
                    std::any_of(rule.enhanced.begin(), rule.enhanced.end(), [&](const auto& p) {
                        return p.detail != -1 && p.matches(codes.enhanced_code);
                    });
    bool basic = codes.enhanced_code.empty() && codes.basic_code != 0 &&
                 std::any_of(rule.basic.begin(), rule.basic.end(), [&](const auto& p) {
                     return p.low == p.high && p.matches(codes.basic_code);
                 });
    return enhanced || basic;
}

}  // namespace

Explanation explain_code(std::string_view code, const RuleTable& table,
                         const Classifier& classifier) {
    Explanation ex;
    ex.codes = parse_reply(code);
    std::string_view rest = trim(ex.codes.text);
    if (!ex.codes.has_code() || !rest.empty()) {
        throw Error("explain: \"" + std::string(code) +
                    "\" is not a reply code (expected like 550, 5.7.26 or \"550 5.7.26\")");
    }
    ex.best = classifier.best_rule(ex.codes, true);
    if (ex.codes.basic_code != 0) {
        Reply basic_only;
        basic_only.basic_code = ex.codes.basic_code;
        ex.basic = classifier.best_rule(basic_only, true);
    }
    if (!ex.codes.enhanced_code.empty()) {
        Reply enhanced_only;
        enhanced_only.enhanced_code = ex.codes.enhanced_code;
        ex.enhanced = classifier.best_rule(enhanced_only, true);
        EnhancedCodePattern p;
        p.klass = ex.codes.enhanced_code[0] - '0';
        p.subject = std::stoi(ex.codes.enhanced_code.substr(2));
        ex.subject = code_rule_with_pattern(table, p);
        p.subject = -1;
        ex.klass = code_rule_with_pattern(table, p);
    }
    for (const Rule& rule : table.rules()) {
        if (rule.is_text_rule() && names_code_exactly(rule, ex.codes)) ex.wordings.push_back(&rule);
    }
    return ex;
}

}  // namespace bouncediag
