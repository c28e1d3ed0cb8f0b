#include "bouncediag/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace bouncediag {

namespace {

constexpr std::array<SummaryDimension, k_summary_dimensions> k_dimensions = {
    SummaryDimension::type,
    SummaryDimension::cause,
    SummaryDimension::reason,
    SummaryDimension::action,
    SummaryDimension::provider,
    SummaryDimension::receiving_provider,
    SummaryDimension::recipient_domain,
    SummaryDimension::blocklist,
    SummaryDimension::rule};

// Tables that can grow long show only their most frequent values in text.
constexpr std::size_t k_top = 10;

char to_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

std::string_view strip(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

std::size_t index_of(SummaryDimension d) {
    return static_cast<std::size_t>(d);
}

bool is_long_table(SummaryDimension d) {
    return d == SummaryDimension::provider || d == SummaryDimension::receiving_provider ||
           d == SummaryDimension::recipient_domain || d == SummaryDimension::blocklist ||
           d == SummaryDimension::rule;
}

// Columns on a terminal: UTF-8 continuation bytes take none.
std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

// At most `width` columns, the cut marked with an ellipsis.
std::string fit(std::string_view s, std::size_t width) {
    if (display_width(s) <= width) return std::string(s);
    std::string out;
    std::size_t cols = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool starts_char = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
        if (starts_char) {
            if (cols + 1 >= width) break;
            ++cols;
        }
        out.push_back(s[i]);
    }
    return out + "\u2026";
}

// A horizontal bar of `cells` columns, eighths included for a smooth end.
std::string bar(double fraction, std::size_t cells) {
    static const char* const k_eighths[] = {"",       "\u258F", "\u258E", "\u258D",
                                            "\u258C", "\u258B", "\u258A", "\u2589"};
    if (fraction <= 0) return {};
    const auto total = static_cast<std::size_t>(fraction * static_cast<double>(cells) * 8 + 0.5);
    std::string out;
    for (std::size_t i = 0; i < total / 8; ++i) out += "\u2588";
    out += k_eighths[total % 8];
    if (out.empty()) out = k_eighths[1];  // a value that exists always shows
    return out;
}

const char* k_reset = "\033[0m";
const char* k_bold = "\033[1m";
const char* k_dim = "\033[2m";

const char* bar_color(SummaryDimension d, std::string_view value) {
    if (d == SummaryDimension::type) {
        if (value == "hard") return "\033[31m";
        if (value == "soft") return "\033[33m";
        if (value == "none") return "\033[32m";
        return k_dim;
    }
    if (d == SummaryDimension::action && value == "suppress") return "\033[31m";
    return "\033[36m";
}

double percent(std::uint64_t part, std::uint64_t whole) {
    return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

SummaryItem summary_item(const Result& result) {
    const Diagnosis& d = result.diagnosis;
    SummaryItem item;
    item.type = d.type;
    item.cause = d.cause;
    item.reason = d.reason;
    item.action = d.action;
    item.provider = d.provider;
    item.receiving_provider = result.receiving_provider;
    item.recipient = result.recipient;
    item.blocklist = d.blocklist;
    if (d.rule != nullptr) item.rule = d.rule->id;
    return item;
}

bool should_suppress(const Result& result) {
    return result.diagnosis.action == "suppress" && !normalize_address(result.recipient).empty();
}

void Summary::add(const SummaryItem& item) {
    ++m_results;
    const std::array<std::string, k_summary_dimensions> values = {item.type,
                                                                  item.cause,
                                                                  item.reason,
                                                                  item.action,
                                                                  item.provider,
                                                                  item.receiving_provider,
                                                                  recipient_domain(item.recipient),
                                                                  item.blocklist,
                                                                  item.rule};
    for (std::size_t i = 0; i < k_summary_dimensions; ++i) {
        if (values[i].empty())
            ++m_missing[i];
        else
            ++m_counts[i][values[i]];
    }
}

std::vector<SummaryCount> Summary::counts(SummaryDimension dimension) const {
    const auto& map = m_counts[index_of(dimension)];
    std::vector<SummaryCount> out;
    out.reserve(map.size());
    for (const auto& [value, count] : map) out.push_back({value, count});
    std::sort(out.begin(), out.end(), [](const SummaryCount& a, const SummaryCount& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    return out;
}

std::uint64_t Summary::missing(SummaryDimension dimension) const {
    return m_missing[index_of(dimension)];
}

std::string_view summary_dimension_title(SummaryDimension dimension) {
    switch (dimension) {
        case SummaryDimension::type:
            return "Type";
        case SummaryDimension::cause:
            return "Cause";
        case SummaryDimension::reason:
            return "Reason";
        case SummaryDimension::action:
            return "Action";
        case SummaryDimension::provider:
            return "Provider";
        case SummaryDimension::receiving_provider:
            return "Receiving provider";
        case SummaryDimension::recipient_domain:
            return "Recipient domain";
        case SummaryDimension::blocklist:
            return "Blocklist";
        case SummaryDimension::rule:
            return "Rule";
    }
    return "";
}

std::string_view summary_dimension_key(SummaryDimension dimension) {
    switch (dimension) {
        case SummaryDimension::type:
            return "type";
        case SummaryDimension::cause:
            return "cause";
        case SummaryDimension::reason:
            return "reason";
        case SummaryDimension::action:
            return "action";
        case SummaryDimension::provider:
            return "provider";
        case SummaryDimension::receiving_provider:
            return "receiving_provider";
        case SummaryDimension::recipient_domain:
            return "recipient_domain";
        case SummaryDimension::blocklist:
            return "blocklist";
        case SummaryDimension::rule:
            return "rule";
    }
    return "";
}

std::string render_summary_text(const Summary& summary, bool color, int width) {
    const std::size_t columns = width <= 0 ? 80 : static_cast<std::size_t>(width);
    const std::uint64_t total = summary.results();
    auto paint = [color](const char* code, const std::string& text) {
        return color ? std::string(code) + text + k_reset : text;
    };

    std::string out;
    const std::string inputs =
        fmt::format("{} input{}", summary.inputs(), summary.inputs() == 1 ? "" : "s");
    const std::string skipped = fmt::format("{} line{} without a failure skipped",
                                            summary.skipped(), summary.skipped() == 1 ? "" : "s");
    if (total == 0) {
        out += fmt::format("No delivery failures found ({}, {}).\n", inputs, skipped);
        return out;
    }
    out += paint(k_bold, fmt::format("{} result{} from {}", total, total == 1 ? "" : "s", inputs));
    out += fmt::format(" ({})\n", skipped);

    // Rows per dimension, with the "(none)" rows that carry information: results no rule
    // explained, results without a recipient.
    struct Row {
        std::string label;
        std::uint64_t count;
        bool none;
    };
    struct Table {
        SummaryDimension dimension;
        std::vector<Row> rows;
        std::size_t shown_values = 0;
        std::size_t more_values = 0;
        std::uint64_t more_count = 0;
    };
    std::vector<Table> tables;
    std::uint64_t max_count = 0;
    std::size_t label_width = 6;
    for (SummaryDimension d : k_dimensions) {
        Table t{d, {}};
        std::vector<SummaryCount> counts = summary.counts(d);
        const std::size_t shown = is_long_table(d) ? std::min(counts.size(), k_top) : counts.size();
        t.shown_values = shown;
        for (std::size_t i = 0; i < counts.size(); ++i) {
            if (i < shown) {
                t.rows.push_back({counts[i].value, counts[i].count, false});
            } else {
                ++t.more_values;
                t.more_count += counts[i].count;
            }
        }
        const std::uint64_t missing = summary.missing(d);
        if (missing > 0 && d == SummaryDimension::rule)
            t.rows.push_back({"(no rule matched)", missing, true});
        if (missing > 0 && d == SummaryDimension::recipient_domain)
            t.rows.push_back({"(no recipient)", missing, true});
        for (const Row& r : t.rows) {
            max_count = std::max(max_count, r.count);
            label_width = std::max(label_width, display_width(r.label));
        }
        tables.push_back(std::move(t));
    }
    label_width = std::min<std::size_t>(label_width, 32);
    const std::size_t count_width = std::max<std::size_t>(5, fmt::formatted_size("{}", max_count));
    // "  label  count  100.0%  bar"
    const std::size_t fixed = 2 + label_width + 2 + count_width + 2 + 6 + 2;
    const std::size_t bar_width =
        columns > fixed + 10 ? std::min<std::size_t>(columns - fixed, 50) : 10;

    for (const Table& t : tables) {
        out += "\n";
        std::string title(summary_dimension_title(t.dimension));
        if (is_long_table(t.dimension) && t.more_values > 0)
            title += fmt::format(" (top {} of {})", t.shown_values, t.shown_values + t.more_values);
        out += paint(k_bold, title) + "\n";
        if (t.rows.empty()) {
            out += paint(k_dim, "  (none)") + "\n";
            continue;
        }
        std::uint64_t table_max = 0;
        for (const Row& r : t.rows) table_max = std::max(table_max, r.count);
        for (const Row& r : t.rows) {
            const std::string label = fit(r.label, label_width);
            const std::size_t pad = label_width - display_width(label);
            out += "  ";
            out += r.none ? paint(k_dim, label) : label;
            out += std::string(pad, ' ');
            out +=
                fmt::format("  {:>{}}  {:>5.1f}%  ", r.count, count_width, percent(r.count, total));
            const double fraction = static_cast<double>(r.count) / static_cast<double>(table_max);
            out +=
                paint(r.none ? k_dim : bar_color(t.dimension, r.label), bar(fraction, bar_width));
            out += "\n";
        }
        if (t.more_values > 0) {
            out += paint(k_dim, fmt::format("  \u2026 {} more with {} result{}", t.more_values,
                                            t.more_count, t.more_count == 1 ? "" : "s"));
            out += "\n";
        }
    }
    return out;
}

std::string render_summary_json(const Summary& summary) {
    nlohmann::ordered_json doc;
    doc["inputs"] = summary.inputs();
    doc["lines_skipped"] = summary.skipped();
    doc["results"] = summary.results();
    for (SummaryDimension d : k_dimensions) {
        nlohmann::ordered_json values = nlohmann::ordered_json::object();
        for (const SummaryCount& c : summary.counts(d)) values[c.value] = c.count;
        doc[std::string(summary_dimension_key(d))] = std::move(values);
    }
    nlohmann::ordered_json without = nlohmann::ordered_json::object();
    for (SummaryDimension d :
         {SummaryDimension::provider, SummaryDimension::receiving_provider,
          SummaryDimension::recipient_domain, SummaryDimension::blocklist, SummaryDimension::rule})
        without[std::string(summary_dimension_key(d))] = summary.missing(d);
    doc["without"] = std::move(without);
    // Values come from logs and rule files: replace invalid UTF-8 rather than throw.
    return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string recipient_domain(std::string_view address) {
    const std::string normalized = normalize_address(address);
    const std::size_t at = normalized.rfind('@');
    if (at == std::string::npos) return {};
    return normalized.substr(at + 1);
}

std::string normalize_address(std::string_view address) {
    std::string_view s = strip(address);
    if (s.size() >= 7) {
        std::string head(s.substr(0, 7));
        for (char& c : head) c = to_lower(c);
        if (head == "rfc822;") s = strip(s.substr(7));
    }
    if (!s.empty() && s.front() == '<') s.remove_prefix(1);
    if (!s.empty() && s.back() == '>') s.remove_suffix(1);
    s = strip(s);
    const std::size_t at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return {};
    for (char c : s)
        if (c == ' ' || c == '\t' || c == '<' || c == '>' || c == ',') return {};
    std::string out(s);
    for (std::size_t i = at + 1; i < out.size(); ++i) out[i] = to_lower(out[i]);
    // A trailing dot on the domain (absolute DNS name) names the same domain.
    while (!out.empty() && out.back() == '.') out.pop_back();
    return out;
}

bool SuppressionList::add(std::string_view address) {
    std::string normalized = normalize_address(address);
    if (normalized.empty()) return false;
    std::string key = normalized;
    for (char& c : key) c = to_lower(c);
    if (!m_seen.insert(std::move(key)).second) return false;
    m_addresses.push_back(std::move(normalized));
    return true;
}

}  // namespace bouncediag
