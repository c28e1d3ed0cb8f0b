// What the classifier looks up to find a reply's rule, for one rule table: which text patterns
// a reply's atoms make candidates, and the rules in precedence order. Built at run time for a
// table loaded from files, and at build time for the embedded table (tools/embed_rule_table
// writes it as static data), so that a one-reply run builds nothing.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string_view>
#include <vector>

#include "bouncediag/rule_table.h"
#include "prefilter.h"

namespace bouncediag {

// Text patterns have ids 0..n-1: the patterns of each rule, rules in precedence order.
// Lists per atom or per pattern are flattened: the entries of atom `a` are
// triggers[trigger_start[a]] .. triggers[trigger_start[a + 1] - 1].
struct ClassifierIndex {
    AtomLookup atoms;
    std::span<const std::uint32_t> trigger_start;  // per atom: the patterns it makes candidates
    std::span<const std::uint32_t> triggers;
    std::span<const std::uint32_t> required_start;  // per pattern: the atoms it also requires
    std::span<const std::uint32_t> required;
    std::span<const std::uint32_t> rank;          // per rule: its place in precedence order
    std::span<const std::uint32_t> pattern_rule;  // per pattern: its rule
    std::span<const std::uint32_t> pattern_item;  // per pattern: its place in the rule's text
    // Per pattern, for a plain literal ("relay access denied"): its folded text in atoms.text
    // (offset, length), else length 0. Such a pattern matches where its atom occurs, so the
    // classifier finds it in the folded reply instead of compiling and running it.
    std::span<const std::uint32_t> literal_offset;
    std::span<const std::uint32_t> literal_length;
    std::span<const std::uint32_t> always_tried;     // patterns without atoms
    std::span<const std::uint32_t> tried_non_ascii;  // the same, for texts with a non-ASCII byte
    std::span<const std::uint32_t> without_text;     // rules without text, by rank
};

// A ClassifierIndex built for a table, with the storage it points into.
class BuiltClassifierIndex {
  public:
    // Throws Error when a rule's pattern does not compile.
    explicit BuiltClassifierIndex(const RuleTable& table);
    BuiltClassifierIndex(const BuiltClassifierIndex&) = delete;  // (the index points into it)
    BuiltClassifierIndex& operator=(const BuiltClassifierIndex&) = delete;

    const ClassifierIndex& index() const { return m_index; }

  private:
    void add_patterns(const Rule& rule, std::uint32_t rule_index);
    template <typename Atoms>
    void add_prefilter(std::uint32_t id, const Atoms& any_of, const Atoms& all_of,
                       bool needs_non_ascii);
    void finish_atoms();

    AtomIndex m_atoms;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_atom_pattern;  // until finish_atoms
    std::vector<std::uint32_t> m_trigger_start, m_triggers;
    std::vector<std::uint32_t> m_required_start{0}, m_required;
    std::vector<std::uint32_t> m_rank, m_pattern_rule, m_pattern_item;
    std::vector<std::uint32_t> m_literal_atom;  // per pattern, until finish_atoms
    std::vector<std::uint32_t> m_literal_offset, m_literal_length;
    std::vector<std::uint32_t> m_always_tried, m_tried_non_ascii, m_without_text;
    std::deque<PatternPrefilter> m_prefilters;  // per pattern (the atoms are views into them)
    ClassifierIndex m_index;
};

}  // namespace bouncediag
