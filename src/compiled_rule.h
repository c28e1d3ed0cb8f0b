// The default rule table as static data: data/rules/*.json loaded, checked and indexed for the
// classifier at build time by tools/embed_rule_table, so a run starts without parsing JSON or
// compiling a pattern (a one-reply call used to spend ~16 ms on the JSON and ~90 ms on the
// patterns).
//
// The rules hold no pointers, only offsets into a few arrays: pointers in static data must be
// relocated by the loader at every start of a position-independent binary, which touched every
// page of the table (~130 page faults, expensive on virtual machines). Only the table's own
// spans and the classifier index's (a few dozen pointers, one page) are relocated.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "bouncediag/rule_table.h"
#include "classifier_index.h"

namespace bouncediag {

// A string: `length` bytes at `offset` in CompiledTable::text.
struct StringRef {
    std::uint32_t offset;
    std::uint32_t length;
};

// A list: `count` entries from `first` in one of CompiledTable's arrays.
struct ListRef {
    std::uint32_t first;
    std::uint32_t count;
};

// One Rule.
struct CompiledRule {
    StringRef id;
    ListRef basic;     // in CompiledTable::basic
    ListRef enhanced;  // in CompiledTable::enhanced
    ListRef text;      // in CompiledTable::strings
    StringRef remote_host;
    ListRef command;  // in CompiledTable::strings
    int priority;
    StringRef type;
    StringRef reason;
    StringRef cause;
    StringRef action;
    StringRef meaning;
    StringRef fix;
    StringRef provider;
    StringRef blocklist;
    ListRef examples;  // in CompiledTable::strings
    StringRef origin;
};

struct CompiledTable {
    std::string_view text;               // every string, one after another
    std::span<const StringRef> strings;  // the items of string lists
    std::span<const BasicCodePattern> basic;
    std::span<const EnhancedCodePattern> enhanced;
    std::span<const CompiledRule> rules;
    ClassifierIndex classifier_index;  // for the rules as they are (a handful of pointers)
};

// Defined in the generated compiled_rules.cpp.
const CompiledTable& compiled_table();

}  // namespace bouncediag
