// The rule table: rules loaded from JSON (docs/rules.md), each mapping codes and text patterns
// to a diagnosis. Loading validates everything and reports errors as FILE:LINE:COL: message.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bouncediag {

// A basic-code constraint: "550" (exact), "55x" or "5xx" (ranges).
struct BasicCodePattern {
    int low = 0;
    int high = 0;
    bool matches(int code) const { return code >= low && code <= high; }
    int specificity() const;
};

// An enhanced-code constraint: "5.7.26", "5.7.*", "5.*.*" or "*.1.1"; -1 is a wildcard part.
struct EnhancedCodePattern {
    int klass = -1;
    int subject = -1;
    int detail = -1;
    bool matches(std::string_view code) const;
    // The same for a code already split into its three parts.
    bool matches(int code_class, int code_subject, int code_detail) const {
        return (klass == -1 || klass == code_class) && (subject == -1 || subject == code_subject) &&
               (detail == -1 || detail == code_detail);
    }
    int specificity() const;
};

// A rule holds views: its strings and lists live in static data (the embedded table) or in
// storage its RuleTable keeps alive (tables loaded at run time), so that building the default
// table of ~1,000 rules allocates nothing per rule (a one-reply call is mostly start-up).
struct Rule {
    std::string_view id;
    // Match: every constraint present must hold; a constraint on a code the reply lacks fails.
    std::span<const BasicCodePattern> basic;
    std::span<const EnhancedCodePattern> enhanced;
    std::span<const std::string_view> text;     // RE2 patterns, case-insensitive; any one may match
    std::string_view remote_host;               // RE2 pattern on the replying host (provider scope)
    std::span<const std::string_view> command;  // SMTP stages (Reply::smtp_command); any may match
    int priority = 0;                           // tie-breaker among rules of equal specificity
    // Outcome.
    std::string_view type;  // hard, soft, none, unknown
    std::string_view reason;
    std::string_view cause;
    std::string_view action;
    std::string_view meaning;
    std::string_view fix;
    std::string_view provider;
    std::string_view blocklist;
    std::span<const std::string_view> examples;  // replies this rule must classify (rules check)
    std::string_view origin;                     // "FILE:LINE:COL" of the rule, for messages

    bool is_text_rule() const { return !text.empty(); }
    // Precedence: text beats codes; exact enhanced beats wildcard; then priority (docs/rules.md).
    int specificity() const;
};

struct ClassifierIndex;  // (src/classifier_index.h)

class RuleTable {
  public:
    // Rules made on first use, for a table of static data (the embedded one): a one-reply run
    // reads a handful of its ~1,000 rules, and building them all cost it ~70 page faults.
    class LazyRules {
      public:
        virtual ~LazyRules() = default;
        virtual std::size_t size() const = 0;
        // Safe to call from several threads; the rule stays where it is.
        virtual const Rule& get(std::size_t index) const = 0;
    };

    // The rules in table order.
    class Rules {
      public:
        class Iterator {
          public:
            using iterator_category = std::forward_iterator_tag;
            using value_type = Rule;
            using difference_type = std::ptrdiff_t;
            using pointer = const Rule*;
            using reference = const Rule&;
            Iterator(const RuleTable* table, std::size_t index) : m_table(table), m_index(index) {}
            const Rule& operator*() const { return m_table->rule(m_index); }
            const Rule* operator->() const { return &m_table->rule(m_index); }
            Iterator& operator++() {
                ++m_index;
                return *this;
            }
            Iterator operator++(int) {
                Iterator before = *this;
                ++m_index;
                return before;
            }
            bool operator==(const Iterator& other) const { return m_index == other.m_index; }

          private:
            const RuleTable* m_table;
            std::size_t m_index;
        };
        explicit Rules(const RuleTable* table) : m_table(table) {}
        std::size_t size() const { return m_table->size(); }
        bool empty() const { return size() == 0; }
        const Rule& operator[](std::size_t index) const { return m_table->rule(index); }
        Iterator begin() const { return Iterator(m_table, 0); }
        Iterator end() const { return Iterator(m_table, size()); }

      private:
        const RuleTable* m_table;
    };

    // Parses one rule file. `name` is used in error messages. Throws Error on any problem;
    // `check_patterns` also compiles every pattern and rejects invalid or too costly ones.
    static RuleTable parse(std::string_view json_text, const std::string& name,
                           bool check_patterns = true);
    // Reads and parses a file from disk.
    static RuleTable load_file(const std::string& path);
    // The table embedded in the binary (all data/rules/*.json, compiled into static data at
    // build time: src/embedded/embedded_table.cpp), built once on first use.
    static const RuleTable& embedded();
    // The embedded files parsed anew, optionally with every pattern checked (rules check).
    static RuleTable embedded_files(bool check_patterns);

    // Adds every rule of `other`; a rule whose id exists already replaces it (--extra-rules).
    void layer(const RuleTable& other);
    // Adds every rule of `other`; a rule whose id exists already is an error (one table, many
    // files).
    void append(const RuleTable& other);

    Rules rules() const { return Rules(this); }
    std::size_t size() const { return m_lazy ? m_lazy->size() : m_rules.size(); }
    const Rule& rule(std::size_t index) const {
        return m_lazy ? m_lazy->get(index) : m_rules[index];
    }
    const Rule* find(std::string_view id) const;
    // Every invalid or too costly text pattern, one message each (rules check).
    std::vector<std::string> pattern_problems() const;
    // Adds one rule at the end (the caller checks its id is new). What the rule points into
    // must outlive the table: static data, or storage handed to keep().
    void add(const Rule& rule);
    // Keeps `storage` alive as long as this table or a table built from it (layer, append).
    void keep(std::shared_ptr<const void> storage);
    // Makes room for `count` rules.
    void reserve(std::size_t count);
    // Makes the table's rules `lazy`'s (the table must be empty).
    void set_lazy_rules(std::shared_ptr<const LazyRules> lazy);

    // The classifier's index for this table exactly as it is, when one was built with it (the
    // embedded table's, at build time), else null. Any change to the table drops it.
    const ClassifierIndex* prebuilt_index() const { return m_prebuilt_index; }
    void set_prebuilt_index(const ClassifierIndex* index) { m_prebuilt_index = index; }

  private:
    // Adds `rules`; an id already in the table is an error.
    void append_rules(const Rules& rules);
    // Turns lazy rules into stored ones, before a change.
    void materialize();

    std::vector<Rule> m_rules;                // unless m_lazy
    std::shared_ptr<const LazyRules> m_lazy;  // (also kept in m_storage)
    std::vector<std::shared_ptr<const void>> m_storage;
    const ClassifierIndex* m_prebuilt_index = nullptr;
};

}  // namespace bouncediag
