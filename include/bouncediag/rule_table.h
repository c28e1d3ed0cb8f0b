// The rule table: rules loaded from JSON (docs/rules.md), each mapping codes and text patterns
// to a diagnosis. Loading validates everything and reports errors as FILE:LINE:COL: message.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
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

// What a text pattern needs to be worth running on a reply (src/prefilter.h).
struct PatternPrefilter {
    // Lowercase strings of at least 3 bytes, one of which occurs in the folded form
    // (fold_for_atoms) of every text the pattern matches. Empty: no such list exists.
    std::vector<std::string> atoms;
    // Atoms that every text the pattern matches contains (each alone suffices as `atoms`).
    std::vector<std::string> required;
    // Without atoms: every text the pattern matches has a byte >= 0x80 (the pattern needs a
    // non-ASCII letter, e.g. Cyrillic, whose case variants an atom cannot express).
    bool needs_non_ascii = false;
};

struct Rule {
    std::string id;
    // Match: every constraint present must hold; a constraint on a code the reply lacks fails.
    std::vector<BasicCodePattern> basic;
    std::vector<EnhancedCodePattern> enhanced;
    std::vector<std::string> text;     // RE2 patterns, case-insensitive; any one may match
    std::string remote_host;           // RE2 pattern on the replying host (provider scope)
    std::vector<std::string> command;  // SMTP stages (Reply::smtp_command); any one may match
    int priority = 0;                  // tie-breaker among rules of equal specificity
    // Outcome.
    std::string type;  // hard, soft, none, unknown
    std::string reason;
    std::string cause;
    std::string action;
    std::string meaning;
    std::string fix;
    std::string provider;
    std::string blocklist;
    std::vector<std::string> examples;  // replies this rule must classify (checked by rules check)
    std::string origin;                 // "FILE:LINE:COL" of the rule, for messages
    // The prefilter of each text pattern, once known: computed at build time for the
    // embedded table, else by the classifier.
    std::vector<PatternPrefilter> prefilters;

    bool is_text_rule() const { return !text.empty(); }
    // Precedence: text beats codes; exact enhanced beats wildcard; then priority (docs/rules.md).
    int specificity() const;
};

class RuleTable {
  public:
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

    const std::vector<Rule>& rules() const { return m_rules; }
    const Rule* find(std::string_view id) const;
    // Every invalid or too costly text pattern, one message each (rules check).
    std::vector<std::string> pattern_problems() const;
    // Adds one rule at the end (the caller checks its id is new).
    void add(Rule rule);
    // Makes room for `count` rules.
    void reserve(std::size_t count);

  private:
    std::vector<Rule> m_rules;
    std::unordered_map<std::string, std::size_t> m_index;  // id -> position in m_rules
};

}  // namespace bouncediag
