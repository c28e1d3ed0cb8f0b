// The default rule table as static data: data/rules/*.json loaded, checked and prefiltered at
// build time by tools/embed_rule_table, so a run starts without parsing JSON or compiling a
// pattern (a one-reply call used to spend ~16 ms on the JSON and ~90 ms on the patterns).
#pragma once

#include <span>
#include <string_view>

#include "bouncediag/rule_table.h"

namespace bouncediag {

// One PatternPrefilter.
struct CompiledPrefilter {
    std::span<const std::string_view> atoms;
    std::span<const std::string_view> required;
    bool needs_non_ascii;
};

// One Rule, with every string and list pointing into the binary's read-only data.
struct CompiledRule {
    std::string_view id;
    std::span<const BasicCodePattern> basic;
    std::span<const EnhancedCodePattern> enhanced;
    std::span<const std::string_view> text;
    std::string_view remote_host;
    std::span<const std::string_view> command;
    int priority;
    std::string_view type;
    std::string_view reason;
    std::string_view cause;
    std::string_view action;
    std::string_view meaning;
    std::string_view fix;
    std::string_view provider;
    std::string_view blocklist;
    std::span<const std::string_view> examples;
    std::string_view origin;
    std::span<const CompiledPrefilter> prefilters;  // one per text pattern
};

// Defined in the generated compiled_rules.cpp.
std::span<const CompiledRule> compiled_rules();

}  // namespace bouncediag
