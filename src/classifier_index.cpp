#include "classifier_index.h"

#include <algorithm>
#include <string>

#include "bouncediag/error.h"

namespace bouncediag {
namespace {

// Higher specificity wins, then higher priority, then the earlier rule (docs/rules.md).
std::vector<std::uint32_t> precedence_order(const RuleTable::Rules& rules) {
    std::vector<int> specificity;
    specificity.reserve(rules.size());
    for (const Rule& rule : rules) specificity.push_back(rule.specificity());
    std::vector<std::uint32_t> order(rules.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = std::uint32_t(i);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (specificity[a] != specificity[b]) return specificity[a] > specificity[b];
        return rules[a].priority > rules[b].priority;
    });
    return order;
}

constexpr std::uint32_t k_not_literal = ~std::uint32_t(0);

// Whether the pattern is plain printable ASCII text without a metacharacter: it then matches,
// case-insensitively, exactly where its lowercase form occurs in the folded text
// (fold_for_atoms).
bool is_plain_literal(std::string_view pattern) {
    static constexpr std::string_view k_metacharacters = "\\.[](){}*+?|^$";
    return std::all_of(pattern.begin(), pattern.end(), [](char c) {
        return c >= 0x20 && c < 0x7F && k_metacharacters.find(c) == std::string_view::npos;
    });
}

}  // namespace

BuiltClassifierIndex::BuiltClassifierIndex(const RuleTable& table) {
    const RuleTable::Rules rules = table.rules();
    m_rank.resize(rules.size());
    std::vector<std::uint32_t> order = precedence_order(rules);
    for (std::size_t r = 0; r < order.size(); ++r) m_rank[order[r]] = std::uint32_t(r);
    for (std::uint32_t i : order) {
        if (rules[i].is_text_rule()) {
            add_patterns(rules[i], i);
        } else {
            m_without_text.push_back(i);
        }
    }
    finish_atoms();
    m_index = ClassifierIndex{m_atoms.lookup(), m_trigger_start,  m_triggers,     m_required_start,
                              m_required,       m_rank,           m_pattern_rule, m_pattern_item,
                              m_literal_offset, m_literal_length, m_always_tried, m_tried_non_ascii,
                              m_without_text};
}

void BuiltClassifierIndex::add_patterns(const Rule& rule, std::uint32_t rule_index) {
    for (std::size_t k = 0; k < rule.text.size(); ++k) {
        auto id = std::uint32_t(m_pattern_rule.size());
        m_pattern_rule.push_back(rule_index);
        m_pattern_item.push_back(std::uint32_t(k));
        try {
            m_prefilters.push_back(prefilter_of(rule.text[k]));
        } catch (const Error& e) {
            throw Error(std::string(rule.origin) + ": rule \"" + std::string(rule.id) +
                        "\": match.text[" + std::to_string(k) + "]: " + e.what());
        }
        const PatternPrefilter& p = m_prefilters.back();
        add_prefilter(id, p.atoms, p.required, p.needs_non_ascii);
        // A plain literal's prefilter is the literal itself, when it is long enough to be one.
        std::uint32_t literal = k_not_literal;
        if (is_plain_literal(rule.text[k]) && p.atoms.size() == 1) {
            std::string folded;
            fold_for_atoms(rule.text[k], folded);
            if (p.atoms[0] == folded) literal = m_atoms.intern(p.atoms[0]);
        }
        m_literal_atom.push_back(literal);
    }
}

template <typename Atoms>
void BuiltClassifierIndex::add_prefilter(std::uint32_t id, const Atoms& any_of, const Atoms& all_of,
                                         bool needs_non_ascii) {
    for (std::string_view atom : any_of) m_atom_pattern.emplace_back(m_atoms.intern(atom), id);
    if (!any_of.empty()) {
        for (std::string_view atom : all_of) m_required.push_back(m_atoms.intern(atom));
    }
    m_required_start.push_back(std::uint32_t(m_required.size()));
    if (any_of.empty()) (needs_non_ascii ? m_tried_non_ascii : m_always_tried).push_back(id);
}

void BuiltClassifierIndex::finish_atoms() {
    m_atoms.finish();
    // A counting sort into one flat array (a vector per atom meant thousands of allocations).
    m_trigger_start.assign(m_atoms.size() + 1, 0);
    for (const auto& [atom, id] : m_atom_pattern) ++m_trigger_start[atom + 1];
    for (std::size_t a = 0; a < m_atoms.size(); ++a) m_trigger_start[a + 1] += m_trigger_start[a];
    m_triggers.resize(m_atom_pattern.size());
    std::vector<std::uint32_t> next(m_trigger_start.begin(), m_trigger_start.end() - 1);
    for (const auto& [atom, id] : m_atom_pattern) m_triggers[next[atom]++] = id;
    m_atom_pattern = {};
    for (std::uint32_t atom : m_literal_atom) {
        if (atom == k_not_literal) {
            m_literal_offset.push_back(0);
            m_literal_length.push_back(0);
        } else {
            m_literal_offset.push_back(m_atoms.offset_of(atom));
            m_literal_length.push_back(std::uint32_t(m_atoms.atom(atom).size()));
        }
    }
    m_literal_atom = {};
}

}  // namespace bouncediag
