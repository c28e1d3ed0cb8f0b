// Classification: picks the rule that best explains a parsed reply and derives the diagnosis
// (type, reason, cause, action, fix, provider, blocklist) with its evidence.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bouncediag/reply.h"
#include "bouncediag/rule_table.h"

namespace bouncediag {

// What a reply means. The words are views into the rule table, the classifier (a composed
// meaning) or static text: the table and the classifier must outlive the diagnosis, as the
// table must for `rule`. (A line-mode run copied the rule's meaning and fix into every result,
// a few percent of its work.)
struct Diagnosis {
    std::string_view type = "unknown";  // hard, soft, none, unknown
    std::string_view reason = "undefined";
    std::string_view cause = "unknown";
    std::string_view action = "none";
    std::string_view meaning;
    std::string_view fix;
    std::string_view provider;
    std::string_view blocklist;
    const Rule* rule = nullptr;  // the rule that decided, null when none matched
    std::string matched_text;    // the text span the rule's pattern matched, if any

    bool matched() const { return rule != nullptr; }
};

class Classifier {
  public:
    // The table must outlive the classifier. Throws Error if a pattern does not compile.
    explicit Classifier(const RuleTable& table);
    ~Classifier();
    Classifier(const Classifier&) = delete;
    Classifier& operator=(const Classifier&) = delete;

    Diagnosis classify(const Reply& reply) const;

    // For caches of classifications (line mode). classify(), also giving the index of the rule
    // that won (k_no_rule when none did):
    static constexpr std::size_t k_no_rule = ~std::size_t(0);
    Diagnosis classify(const Reply& reply, std::size_t& rule_index) const;
    // and the evidence classify() gives when rule `rule_index` wins: where the first of its text
    // patterns that matches does so in the reply's text (nullopt when none matches).
    std::optional<std::string_view> evidence(std::size_t rule_index, const Reply& reply) const;

    // From now on, this thread compiles its own copy of each pattern it uses instead of sharing
    // the classifier's (for worker threads that classify many replies side by side: RE2 guards
    // each pattern's DFA cache with a lock whose contention costs more than a second compile).
    static void use_own_patterns_on_this_thread();
    // The rule that wins for `reply`, or null. With `codes_only`, rules with text or host
    // patterns are left out (what the codes alone say: `bouncediag explain`).
    const Rule* best_rule(const Reply& reply, bool codes_only = false) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace bouncediag
