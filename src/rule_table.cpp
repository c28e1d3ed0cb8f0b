#include "bouncediag/rule_table.h"

#include <re2/re2.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "bouncediag/embedded_rules.h"
#include "bouncediag/error.h"
#include "bouncediag/reply.h"
#include "bouncediag/vocabulary.h"
#include "json_location.h"
#include "prefilter.h"
#include "text_util.h"

namespace bouncediag {
namespace {

using nlohmann::json;

// The largest compiled pattern a rule may have, in RE2 instructions (RE2::ProgramSize()).
constexpr int k_max_pattern_size = 1000;

bool is_non_ascii(char c) {
    return static_cast<unsigned char>(c) >= 0x80;
}

// One piece of a pattern's text, as far as BoundaryCheck needs to know.
struct PatternToken {
    enum Kind { other, open, close, alternation, class_, escape } kind;
    std::size_t begin;
    std::size_t end;
};

std::vector<PatternToken> tokenize(std::string_view p) {
    std::vector<PatternToken> tokens;
    for (std::size_t i = 0; i < p.size();) {
        std::size_t begin = i;
        PatternToken::Kind kind = PatternToken::other;
        if (p[i] == '\\') {
            kind = PatternToken::escape;
            i = std::min(p.size(), i + 2);
        } else if (p[i] == '[') {
            kind = PatternToken::class_;
            ++i;
            if (i < p.size() && p[i] == '^') ++i;
            if (i < p.size() && p[i] == ']') ++i;  // "[]...]": a literal ']' first
            while (i < p.size() && p[i] != ']') i += p[i] == '\\' ? 2 : 1;
            i = std::min(p.size(), i + 1);
        } else {
            kind = p[i] == '('   ? PatternToken::open
                   : p[i] == ')' ? PatternToken::close
                   : p[i] == '|' ? PatternToken::alternation
                                 : PatternToken::other;
            ++i;
        }
        tokens.push_back({kind, begin, i});
    }
    return tokens;
}

// Whether `\b` stands next to a non-ASCII letter: "przydział\b", "\bürgen", "(ü|ue)\b",
// "[ée]\b". RE2's \b is an ASCII word boundary, so beside "ł" it holds only where an ASCII
// letter or digit follows, and never where the word ends: always a mistake.
class BoundaryCheck {
  public:
    explicit BoundaryCheck(std::string_view pattern)
        : m_p(pattern), m_tokens(tokenize(pattern)), m_match(m_tokens.size(), m_tokens.size()) {
        std::vector<std::size_t> opens;
        for (std::size_t k = 0; k < m_tokens.size(); ++k) {
            if (m_tokens[k].kind == PatternToken::open) opens.push_back(k);
            if (m_tokens[k].kind == PatternToken::close && !opens.empty()) {
                m_match[k] = opens.back();
                m_match[opens.back()] = k;
                opens.pop_back();
            }
        }
    }

    bool boundary_beside_non_ascii() const {
        for (std::size_t k = 0; k < m_tokens.size(); ++k) {
            const PatternToken& t = m_tokens[k];
            if (t.kind != PatternToken::escape || text(t) != "\\b") continue;
            if (k > 0 && edge_non_ascii(k - 1, true)) return true;
            if (k + 1 < m_tokens.size() && edge_non_ascii(k + 1, false)) return true;
        }
        return false;
    }

  private:
    std::string_view text(const PatternToken& t) const {
        return m_p.substr(t.begin, t.end - t.begin);
    }

    // Whether token k, or for a group any of its alternatives, ends (at_end) or begins with a
    // non-ASCII character.
    bool edge_non_ascii(std::size_t k, bool at_end) const {
        const PatternToken& t = m_tokens[k];
        const bool group = t.kind == (at_end ? PatternToken::close : PatternToken::open) &&
                           m_match[k] < m_tokens.size();
        if (!group) {
            std::string_view s = text(t);
            return std::any_of(s.begin(), s.end(), is_non_ascii);
        }
        const std::size_t open = at_end ? m_match[k] : k;
        const std::size_t close = at_end ? k : m_match[k];
        std::size_t alt_begin = open + 1;
        // "(?:" and "(?i:" open a group with flags: its first alternative begins after ':'.
        if (alt_begin < close && text(m_tokens[alt_begin]) == "?") {
            while (alt_begin < close && text(m_tokens[alt_begin]) != ":") ++alt_begin;
            ++alt_begin;
        }
        for (std::size_t j = alt_begin; j <= close; ++j) {
            if (m_tokens[j].kind == PatternToken::open) {
                j = m_match[j] < m_tokens.size() ? m_match[j] : j;  // (skip nested groups)
                continue;
            }
            if (m_tokens[j].kind != PatternToken::alternation && j != close) continue;
            if (j > alt_begin && edge_non_ascii(at_end ? j - 1 : alt_begin, at_end)) return true;
            alt_begin = j + 1;
        }
        return false;
    }

    std::string_view m_p;
    std::vector<PatternToken> m_tokens;
    std::vector<std::size_t> m_match;  // the matching parenthesis of each open or close
};

// What is wrong with one text pattern, or "" when nothing is.
std::string pattern_problem(std::string_view pattern) {
    RE2 re(pattern, pattern_options());
    if (!re.ok()) return "invalid pattern: " + re.error();
    if (BoundaryCheck(pattern).boundary_beside_non_ascii()) {
        return "\\b next to a non-ASCII letter: RE2's \\b is an ASCII word boundary and never "
               "holds where such a word ends; write \\s, a space or nothing there";
    }
    // A costly pattern slows every reply that reaches it, first to compile, then to run (a
    // bounded repeat like [\s\S]{0,300} alone is ~2,500 instructions).
    if (re.ProgramSize() > k_max_pattern_size) {
        return "pattern too costly (" + std::to_string(re.ProgramSize()) +
               " RE2 instructions, limit " + std::to_string(k_max_pattern_size) +
               "): shorten bounded repeats such as .{0,300}; the parser already removes "
               "continuation codes and wrappers, and remote_host scopes a rule to a provider's "
               "hosts";
    }
    return "";
}

int digit(char c) {
    return c - '0';
}

// The strings and lists of rules read from a file: the rules point into it, and their table
// keeps it alive (RuleTable::keep). Deques, because growing them moves no element.
class RuleStorage {
  public:
    std::string_view keep(std::string s) { return m_strings.emplace_back(std::move(s)); }
    std::span<const std::string_view> keep(std::vector<std::string> items) {
        std::vector<std::string_view>& views = m_views.emplace_back();
        views.reserve(items.size());
        for (std::string& s : items) views.push_back(keep(std::move(s)));
        return views;
    }
    std::span<const BasicCodePattern> keep(std::vector<BasicCodePattern> items) {
        return m_basic.emplace_back(std::move(items));
    }
    std::span<const EnhancedCodePattern> keep(std::vector<EnhancedCodePattern> items) {
        return m_enhanced.emplace_back(std::move(items));
    }

  private:
    std::deque<std::string> m_strings;
    std::deque<std::vector<std::string_view>> m_views;
    std::deque<std::vector<BasicCodePattern>> m_basic;
    std::deque<std::vector<EnhancedCodePattern>> m_enhanced;
};

std::string quoted(std::string_view s) {
    // (appended piece by piece: GCC 12 at -O3 warns falsely on "literal" + std::string,
    // -Wrestrict, bug 105329)
    std::string out = "\"";
    out += s;
    out += '"';
    return out;
}

// Turns a schema violation into "NAME:LINE:COL: PATH: message".
class RuleFileReader {
  public:
    RuleFileReader(std::string_view text, std::string name, bool check_patterns)
        : m_check_patterns(check_patterns), m_text(text), m_name(std::move(name)) {}

    [[noreturn]] void fail(const JsonPath& path, const std::string& message) const {
        std::string where = line_column(m_text, json_value_offset(m_text, path));
        std::string label = json_path_string(path);
        throw Error(m_name + ":" + where + ": " + (label.empty() ? "" : label + ": ") + message);
    }

    RuleTable read() {
        json doc;
        try {
            doc = json::parse(m_text.begin(), m_text.end());
        } catch (const json::parse_error& e) {
            // nlohmann reports a byte offset (1-based, just past the error).
            std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
            std::string what = e.what();
            std::size_t colon = what.find("syntax error");
            throw Error(m_name + ":" + line_column(m_text, offset) + ": invalid JSON: " +
                        (colon == std::string::npos ? what : what.substr(colon)));
        } catch (const json::exception& e) {
            // Other parse failures (a number too large, ...) carry no position.
            std::string what = e.what();
            std::size_t bracket = what.find("] ");
            throw Error(m_name + ": invalid JSON: " +
                        (bracket == std::string::npos ? what : what.substr(bracket + 2)));
        }
        if (!doc.is_object())
            fail({}, "a rule file is a JSON object with \"schema\" and \"rules\"");
        for (const auto& [key, value] : doc.items()) {
            if (key != "schema" && key != "rules" && key != "comment")
                fail({key}, "unknown field (expected schema, rules)");
        }
        if (!doc.contains("schema")) fail({}, "missing field \"schema\" (it must be 1)");
        if (doc["schema"] != 1)
            fail({"schema"}, "unsupported schema version (this bouncediag reads 1)");
        if (!doc.contains("rules") || !doc["rules"].is_array())
            fail({"rules"}, "\"rules\" must be an array of rules");
        const json& rules = doc["rules"];
        // Every rule's position, found in one pass (for its origin "FILE:LINE:COL").
        m_rule_offsets = json_array_offsets(m_text, {std::string("rules")});
        m_lines = std::make_unique<LineIndex>(m_text);
        for (std::size_t i = 0; i < rules.size(); ++i) m_table.push_back(read_rule(rules[i], i));
        return make_table();
    }

  private:
    RuleTable make_table();

    // Moves `value` (a string or a list) into the storage the rules point into.
    template <typename T>
    auto keep(T value) const {
        return m_storage->keep(std::move(value));
    }

    std::string string_field(const json& obj, const JsonPath& path, const char* key,
                             bool required) const {
        JsonPath here = path;
        here.push_back(std::string(key));
        if (!obj.contains(key) || obj[key].is_null()) {
            if (required) fail(path, std::string("missing field \"") + key + "\"");
            return {};
        }
        if (!obj[key].is_string()) fail(here, "must be a string");
        std::string value = obj[key].get<std::string>();
        if (required && value.empty()) fail(here, "must not be empty");
        return value;
    }

    std::vector<std::string> string_list(const json& obj, const JsonPath& path,
                                         const char* key) const {
        JsonPath here = path;
        here.push_back(std::string(key));
        std::vector<std::string> out;
        if (!obj.contains(key)) return out;
        const json& list = obj[key];
        if (!list.is_array()) fail(here, "must be an array of strings");
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonPath item = here;
            item.push_back(i);
            if (!list[i].is_string()) fail(item, "must be a string");
            if (list[i].get<std::string>().empty()) fail(item, "must not be empty");
            out.push_back(list[i].get<std::string>());
        }
        return out;
    }

    BasicCodePattern basic_pattern(const json& value, const JsonPath& path) const {
        std::string s = value.is_number_integer() ? std::to_string(value.get<long long>())
                        : value.is_string()       ? value.get<std::string>()
                                                  : std::string();
        bool ok = s.size() == 3 && (s[0] == '2' || s[0] == '3' || s[0] == '4' || s[0] == '5');
        BasicCodePattern p;
        if (ok && is_digit(s[1]) && is_digit(s[2])) {
            p.low = p.high = std::stoi(s);
        } else if (ok && is_digit(s[1]) && s[2] == 'x') {
            p.low = digit(s[0]) * 100 + digit(s[1]) * 10;
            p.high = p.low + 9;
        } else if (ok && s[1] == 'x' && s[2] == 'x') {
            p.low = digit(s[0]) * 100;
            p.high = p.low + 99;
        } else {
            fail(path, "invalid basic code pattern \"" + s +
                           "\" (expected like \"550\", \"55x\", \"5xx\")");
        }
        return p;
    }

    EnhancedCodePattern enhanced_pattern(const json& value, const JsonPath& path) const {
        std::string s = value.is_string() ? value.get<std::string>() : std::string();
        auto bad = [&]() {
            fail(path, "invalid enhanced code pattern \"" + s +
                           "\" (expected like \"5.7.26\", \"5.7.*\", \"5.*.*\", \"*.1.1\")");
        };
        std::vector<std::string> parts;
        std::stringstream in(s);
        for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
        if (parts.size() != 3 || s.back() == '.') bad();
        EnhancedCodePattern p;
        int* fields[3] = {&p.klass, &p.subject, &p.detail};
        for (int i = 0; i < 3; ++i) {
            const std::string& part = parts[i];
            if (part == "*") continue;
            if (part.empty() || part.size() > 3 || !std::all_of(part.begin(), part.end(), is_digit))
                bad();
            *fields[i] = std::stoi(part);
        }
        if (p.klass != -1 && p.klass != 2 && p.klass != 4 && p.klass != 5) bad();
        // Wildcards run from the right: "5.*.1" says nothing useful.
        if ((p.subject == -1 && p.detail != -1 && p.klass != -1) ||
            (p.klass == -1 && p.subject == -1))
            bad();
        return p;
    }

    void check_vocabulary(const JsonPath& path, std::string_view value,
                          bool (*valid)(std::string_view), const char* what) const {
        if (!valid(value)) fail(path, std::string("unknown ") + what + " " + quoted(value));
    }

    Rule read_rule(const json& obj, std::size_t index) const {
        JsonPath path{std::string("rules"), index};
        if (!obj.is_object()) fail(path, "a rule must be an object");
        static const char* const k_fields[] = {
            "id",      "match", "priority", "type",      "reason",   "cause",  "action",
            "meaning", "fix",   "provider", "blocklist", "examples", "comment"};
        for (const auto& item : obj.items()) {
            // (a named copy: clang 14 cannot capture a structured binding in a lambda)
            const std::string& key = item.key();
            if (std::none_of(std::begin(k_fields), std::end(k_fields),
                             [&](const char* f) { return key == f; })) {
                JsonPath here = path;
                here.push_back(key);
                fail(here, "unknown field");
            }
        }
        Rule rule;
        std::size_t offset = index < m_rule_offsets.size() ? m_rule_offsets[index] : 0;
        rule.origin = keep(m_name + ":" + m_lines->line_column(offset));
        rule.id = keep(string_field(obj, path, "id", true));
        auto field_path = [&](const char* key) {
            JsonPath p = path;
            p.push_back(std::string(key));
            return p;
        };
        if (!std::all_of(rule.id.begin(), rule.id.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '_' || c == '-';
            }))
            fail(field_path("id"),
                 "invalid id " + quoted(rule.id) + " (use a-z, 0-9, '.', '_', '-')");

        read_match(obj, path, rule);
        if (obj.contains("priority")) {
            if (!obj["priority"].is_number_integer())
                fail(field_path("priority"), "must be an integer");
            rule.priority = obj["priority"].get<int>();
        }
        rule.type = keep(string_field(obj, path, "type", true));
        check_vocabulary(field_path("type"), rule.type, is_bounce_type, "bounce type");
        rule.reason = keep(string_field(obj, path, "reason", true));
        check_vocabulary(field_path("reason"), rule.reason, is_reason, "reason");
        rule.cause = keep(string_field(obj, path, "cause", true));
        check_vocabulary(field_path("cause"), rule.cause, is_cause, "cause");
        rule.action = keep(string_field(obj, path, "action", true));
        check_vocabulary(field_path("action"), rule.action, is_action, "action");
        rule.meaning = keep(string_field(obj, path, "meaning", true));
        rule.fix = keep(string_field(obj, path, "fix", true));
        rule.provider = keep(string_field(obj, path, "provider", false));
        rule.blocklist = keep(string_field(obj, path, "blocklist", false));
        rule.examples = keep(string_list(obj, path, "examples"));
        if (rule.examples.empty())
            fail(path, "missing field \"examples\" (at least one reply this rule must match)");
        return rule;
    }

    // Calls `read` on every element of match[key], a non-empty array, when present.
    template <typename Read>
    void read_code_patterns(const json& match, const JsonPath& mpath, const char* key,
                            Read read) const {
        if (!match.contains(key)) return;
        JsonPath here = mpath;
        here.push_back(std::string(key));
        const json& list = match[key];
        if (!list.is_array() || list.empty()) fail(here, "must be a non-empty array");
        for (std::size_t i = 0; i < list.size(); ++i) {
            JsonPath item = here;
            item.push_back(i);
            read(list[i], item);
        }
    }

    void read_match(const json& obj, const JsonPath& path, Rule& rule) const {
        JsonPath mpath = path;
        mpath.push_back(std::string("match"));
        if (!obj.contains("match")) fail(path, "missing field \"match\"");
        const json& match = obj["match"];
        if (!match.is_object()) fail(mpath, "must be an object");
        for (const auto& [key, value] : match.items()) {
            if (key != "basic" && key != "enhanced" && key != "text" && key != "remote_host" &&
                key != "command") {
                JsonPath here = mpath;
                here.push_back(key);
                fail(here, "unknown field (expected basic, enhanced, text, remote_host, command)");
            }
        }
        std::vector<BasicCodePattern> basic;
        read_code_patterns(match, mpath, "basic", [&](const json& v, const JsonPath& at) {
            basic.push_back(basic_pattern(v, at));
        });
        rule.basic = keep(std::move(basic));
        std::vector<EnhancedCodePattern> enhanced;
        read_code_patterns(match, mpath, "enhanced", [&](const json& v, const JsonPath& at) {
            enhanced.push_back(enhanced_pattern(v, at));
        });
        rule.enhanced = keep(std::move(enhanced));
        rule.text = keep(string_list(match, mpath, "text"));
        rule.remote_host = keep(string_field(match, mpath, "remote_host", false));
        rule.command = keep(string_list(match, mpath, "command"));
        static const char* const k_commands[] = {"CONNECT",   "EHLO",    "HELO", "STARTTLS",
                                                 "MAIL FROM", "RCPT TO", "DATA"};
        for (std::size_t i = 0; i < rule.command.size(); ++i) {
            if (std::none_of(std::begin(k_commands), std::end(k_commands),
                             [&](const char* c) { return rule.command[i] == c; })) {
                JsonPath item = mpath;
                item.push_back(std::string("command"));
                item.push_back(i);
                fail(item,
                     "unknown SMTP stage " + quoted(rule.command[i]) +
                         " (expected CONNECT, EHLO, HELO, STARTTLS, MAIL FROM, RCPT TO, DATA)");
            }
        }
        if (rule.basic.empty() && rule.enhanced.empty() && rule.text.empty() &&
            rule.remote_host.empty() && rule.command.empty())
            fail(mpath,
                 "a match needs at least one of basic, enhanced, text, remote_host, command");
        if (m_check_patterns) check_patterns(mpath, rule);
    }

    void check_patterns(const JsonPath& mpath, const Rule& rule) const {
        for (std::size_t i = 0; i < rule.text.size(); ++i) {
            std::string problem = pattern_problem(rule.text[i]);
            if (problem.empty()) continue;
            JsonPath item = mpath;
            item.push_back(std::string("text"));
            item.push_back(i);
            fail(item, problem);
        }
        if (!rule.remote_host.empty()) {
            RE2 re(rule.remote_host, pattern_options());
            if (!re.ok()) {
                JsonPath item = mpath;
                item.push_back(std::string("remote_host"));
                fail(item, "invalid pattern: " + re.error());
            }
        }
    }

    bool m_check_patterns;
    std::shared_ptr<RuleStorage> m_storage = std::make_shared<RuleStorage>();
    std::vector<std::size_t> m_rule_offsets;
    std::unique_ptr<LineIndex> m_lines;
    std::string_view m_text;
    std::string m_name;
    std::vector<Rule> m_table;
};

}  // namespace

int BasicCodePattern::specificity() const {
    int width = high - low;
    return width == 0 ? 30 : width < 10 ? 20 : 10;
}

bool EnhancedCodePattern::matches(std::string_view code) const {
    int parts[3];
    return enhanced_code_parts(code, parts) && matches(parts[0], parts[1], parts[2]);
}

int EnhancedCodePattern::specificity() const {
    if (detail != -1) return klass == -1 ? 280 : 300;
    return subject != -1 ? 200 : 100;
}

int Rule::specificity() const {
    int score = 0;
    if (!text.empty()) score += 1000;
    if (!remote_host.empty()) score += 400;
    if (!command.empty()) score += 500;
    // When a rule lists several codes, the least specific one counts.
    if (!enhanced.empty()) {
        int least = 1000;
        for (const auto& p : enhanced) least = std::min(least, p.specificity());
        score += least;
    }
    if (!basic.empty()) {
        int least = 1000;
        for (const auto& p : basic) least = std::min(least, p.specificity());
        score += least;
    }
    return score;
}

// "FILE:LINE:COL: rule id "X" is already used at FILE:LINE:COL".
Error duplicate_id(const Rule& rule, const Rule& existing) {
    return Error(std::string(rule.origin) + ": rule id " + quoted(rule.id) +
                 " is already used at " + std::string(existing.origin));
}

RuleTable RuleFileReader::make_table() {
    RuleTable read;
    read.keep(m_storage);
    for (const Rule& rule : m_table) read.add(rule);
    RuleTable table;
    table.append(read);  // (which rejects a repeated id)
    return table;
}

RuleTable RuleTable::parse(std::string_view json_text, const std::string& name,
                           bool check_patterns) {
    return RuleFileReader(json_text, name, check_patterns).read();
}

RuleTable RuleTable::load_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot read rule file: " + std::strerror(errno));
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) throw Error(path + ": cannot read rule file: " + std::strerror(errno));
    return parse(content.str(), path);
}

RuleTable RuleTable::embedded_files(bool check_patterns) {
    RuleTable all;
    for (const EmbeddedFile& file : embedded_rule_files()) {
        all.append(parse(file.content, std::string(file.name), check_patterns));
    }
    return all;
}

void RuleTable::reserve(std::size_t count) {
    m_rules.reserve(count);
}

void RuleTable::set_lazy_rules(std::shared_ptr<const LazyRules> lazy) {
    if (!m_rules.empty() || m_lazy) throw Error("internal error: lazy rules for a filled table");
    m_storage.push_back(lazy);  // (rules copied out of it point into it)
    m_lazy = std::move(lazy);
}

void RuleTable::materialize() {
    if (!m_lazy) return;
    std::vector<Rule> made(rules().begin(), rules().end());
    m_lazy = nullptr;
    m_rules = std::move(made);
}

void RuleTable::add(const Rule& rule) {
    materialize();
    m_prebuilt_index = nullptr;
    m_rules.push_back(rule);
}

void RuleTable::keep(std::shared_ptr<const void> storage) {
    m_storage.push_back(std::move(storage));
}

void RuleTable::layer(const RuleTable& other) {
    materialize();
    m_prebuilt_index = nullptr;
    m_storage.insert(m_storage.end(), other.m_storage.begin(), other.m_storage.end());
    std::unordered_map<std::string_view, std::size_t> index;
    for (std::size_t i = 0; i < m_rules.size(); ++i) index.emplace(m_rules[i].id, i);
    for (const Rule& rule : other.rules()) {
        auto [it, is_new] = index.emplace(rule.id, m_rules.size());
        if (is_new) {
            m_rules.push_back(rule);
        } else {
            m_rules[it->second] = rule;
        }
    }
}

void RuleTable::append(const RuleTable& other) {
    materialize();
    m_prebuilt_index = nullptr;
    m_storage.insert(m_storage.end(), other.m_storage.begin(), other.m_storage.end());
    append_rules(other.rules());
}

void RuleTable::append_rules(const Rules& rules) {
    std::unordered_map<std::string_view, std::size_t> index;
    for (std::size_t i = 0; i < m_rules.size(); ++i) index.emplace(m_rules[i].id, i);
    m_rules.reserve(m_rules.size() + rules.size());
    for (const Rule& rule : rules) {
        auto [it, is_new] = index.emplace(rule.id, m_rules.size());
        if (!is_new) throw duplicate_id(rule, m_rules[it->second]);
        m_rules.push_back(rule);
    }
}

std::vector<std::string> RuleTable::pattern_problems() const {
    std::vector<std::string> problems;
    for (const Rule& rule : rules()) {
        for (std::size_t i = 0; i < rule.text.size(); ++i) {
            std::string problem = pattern_problem(rule.text[i]);
            if (!problem.empty()) {
                problems.push_back(std::string(rule.origin) + ": rule " + quoted(rule.id) +
                                   ": match.text[" + std::to_string(i) + "]: " + problem);
            }
        }
    }
    return problems;
}

// A linear search: the table is looked up by id only by `rules show` and tests, and an index
// would cost every run ~1,000 allocations at start.
const Rule* RuleTable::find(std::string_view id) const {
    for (const Rule& rule : rules())
        if (rule.id == id) return &rule;
    return nullptr;
}

}  // namespace bouncediag
