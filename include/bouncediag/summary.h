// Summaries of many diagnoses (counts and shares by type, cause, reason, action, provider,
// recipient domain, blocklist and rule) and suppression lists (unique dead addresses).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bouncediag/diagnose.h"

namespace bouncediag {

// What a summary counts of one result; empty strings are "not known".
struct SummaryItem {
    std::string type;
    std::string cause;
    std::string reason;
    std::string action;
    std::string provider;
    std::string receiving_provider;
    std::string recipient;  // the recipient domain is derived from it
    std::string blocklist;
    std::string rule;  // the deciding rule's id, empty when no rule matched
};

// What a summary counts of a diagnosed result: its diagnosis, recipient and deciding rule.
SummaryItem summary_item(const Result& result);

// True when `result` names a recipient whose address is dead (action "suppress"): what
// `bouncediag suppress` lists. Policy, authentication and reputation blocks never qualify.
bool should_suppress(const Result& result);

// The dimensions a summary counts, in the order it reports them.
enum class SummaryDimension {
    type,
    cause,
    reason,
    action,
    provider,
    receiving_provider,
    recipient_domain,
    blocklist,
    rule
};
inline constexpr std::size_t k_summary_dimensions = 9;

// One value of a dimension and how many results had it.
struct SummaryCount {
    std::string value;
    std::uint64_t count = 0;
};

// Accumulates results; memory grows with the number of distinct values, not of results.
class Summary {
  public:
    void add(const SummaryItem& item);
    void add_input() { ++m_inputs; }
    void add_skipped(std::uint64_t lines = 1) { m_skipped += lines; }

    std::uint64_t results() const { return m_results; }
    std::uint64_t inputs() const { return m_inputs; }
    std::uint64_t skipped() const { return m_skipped; }

    // The values of one dimension, most frequent first (ties by value); empty values left out.
    std::vector<SummaryCount> counts(SummaryDimension dimension) const;
    // How many results had no value for the dimension (no provider, no rule, ...).
    std::uint64_t missing(SummaryDimension dimension) const;

  private:
    std::array<std::unordered_map<std::string, std::uint64_t>, k_summary_dimensions> m_counts;
    std::array<std::uint64_t, k_summary_dimensions> m_missing{};
    std::uint64_t m_results = 0;
    std::uint64_t m_inputs = 0;
    std::uint64_t m_skipped = 0;
};

// "Recipient domain", "Rule", ...: the heading of a dimension in text output.
std::string_view summary_dimension_title(SummaryDimension dimension);
// "recipient_domain", "rule", ...: the key of a dimension in JSON output.
std::string_view summary_dimension_key(SummaryDimension dimension);

// Aligned tables with counts, percentages of all results and a bar per value, one table per
// dimension; long tables (providers, receiving providers, domains, blocklists, rules) show their
// top 10. `width` is the terminal width (<= 0: 80); `color` adds ANSI colours.
std::string render_summary_text(const Summary& summary, bool color, int width);

// One JSON document (with a trailing newline):
// {"inputs":N,"lines_skipped":N,"results":N,
//  "type":{"hard":12,"soft":8},"cause":{...},"reason":{...},"action":{...},"provider":{...},
//  "receiving_provider":{...},
//  "recipient_domain":{...},"blocklist":{...},"rule":{...},
//  "without":{"provider":N,"receiving_provider":N,"recipient_domain":N,"blocklist":N,"rule":N}}
// Each object lists every value, most frequent first; "without" counts results with no value.
std::string render_summary_json(const Summary& summary);

// The lower-cased domain of an address ("John@Example.COM" -> "example.com"), empty without '@'.
std::string recipient_domain(std::string_view address);

// An address as a suppression list writes it: brackets, "rfc822;" and blanks removed, domain
// lower-cased, local part kept as written. Empty when `address` is no address (no '@', blanks).
std::string normalize_address(std::string_view address);

// Unique addresses in first-seen order; addresses that differ only in case are one address.
class SuppressionList {
  public:
    // Adds `address` (normalized); true when it is new, so a caller can print it at once.
    bool add(std::string_view address);
    const std::vector<std::string>& addresses() const { return m_addresses; }
    std::size_t size() const { return m_addresses.size(); }

  private:
    std::unordered_set<std::string> m_seen;  // lower-cased addresses
    std::vector<std::string> m_addresses;
};

}  // namespace bouncediag
