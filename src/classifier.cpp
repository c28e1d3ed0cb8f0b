#include "bouncediag/classifier.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <mutex>

#include "bouncediag/error.h"

namespace bouncediag {
namespace {

RE2::Options pattern_options() {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    options.set_max_mem(64 << 20);
    return options;
}

// One rule's alternatives as a single pattern for the set: "(?:a)|(?:b)".
std::string joined_pattern(const Rule& rule) {
    std::string joined;
    for (const std::string& p : rule.text) {
        if (!joined.empty()) joined += '|';
        joined += "(?:" + p + ")";
    }
    return joined;
}

// A reply's codes as numbers, split once per classification rather than once per rule.
struct ReplyCodes {
    int basic = 0;
    bool has_enhanced = false;
    int parts[3] = {0, 0, 0};

    explicit ReplyCodes(const Reply& reply) : basic(reply.basic_code) {
        if (!is_enhanced_code(reply.enhanced_code)) return;
        has_enhanced = true;
        int part = 0;
        for (char c : reply.enhanced_code) {
            if (c == '.') {
                ++part;
            } else {
                parts[part] = parts[part] * 10 + (c - '0');
            }
        }
    }
};

bool codes_match(const Rule& rule, const ReplyCodes& codes) {
    if (!rule.basic.empty()) {
        if (codes.basic == 0) return false;
        bool any = false;
        for (const auto& p : rule.basic) any = any || p.matches(codes.basic);
        if (!any) return false;
    }
    if (!rule.enhanced.empty()) {
        if (!codes.has_enhanced) return false;
        bool any = false;
        for (const auto& p : rule.enhanced)
            any = any || p.matches(codes.parts[0], codes.parts[1], codes.parts[2]);
        if (!any) return false;
    }
    return true;
}

}  // namespace

struct Classifier::Impl {
    const RuleTable* table = nullptr;
    RE2::Set text_set{pattern_options(), RE2::UNANCHORED};
    std::vector<std::size_t> set_to_rule;  // set index -> rule index
    // Per rule, compiled on first use (only the winning rule's evidence needs it).
    mutable std::vector<std::unique_ptr<RE2>> rule_text;
    std::unique_ptr<std::once_flag[]> rule_text_once;
    std::vector<std::unique_ptr<RE2>> rule_host;  // per rule, null without remote_host
    std::vector<int> specificity;                 // per rule

    // The indices of the text rules whose pattern matches `text`.
    std::vector<int> matching_text_rules(std::string_view text) const {
        std::vector<int> hits;
        if (set_to_rule.empty()) return hits;
        RE2::Set::ErrorInfo info;
        if (!text_set.Match(text, &hits, &info) && info.kind != RE2::Set::kNoError) {
            // The set's DFA ran out of memory on this text: test each rule on its own.
            hits.clear();
            for (std::size_t i = 0; i < set_to_rule.size(); ++i) {
                if (RE2::PartialMatch(text, text_pattern(set_to_rule[i]))) hits.push_back(int(i));
            }
        }
        for (int& h : hits) h = int(set_to_rule[std::size_t(h)]);
        return hits;
    }

    const RE2& text_pattern(std::size_t rule_index) const {
        std::call_once(rule_text_once[rule_index], [&] {
            rule_text[rule_index] = std::make_unique<RE2>(
                joined_pattern(table->rules()[rule_index]), pattern_options());
        });
        return *rule_text[rule_index];
    }

    bool host_matches(std::size_t rule_index, const Reply& reply) const {
        const RE2* re = rule_host[rule_index].get();
        return re == nullptr ||
               (!reply.remote_host.empty() && RE2::PartialMatch(reply.remote_host, *re));
    }

    // Higher specificity wins, then higher priority, then the earlier rule.
    bool better(std::size_t a, std::size_t b) const {
        const auto& rules = table->rules();
        if (specificity[a] != specificity[b]) return specificity[a] > specificity[b];
        if (rules[a].priority != rules[b].priority) return rules[a].priority > rules[b].priority;
        return a < b;
    }
};

Classifier::Classifier(const RuleTable& table) : m_impl(std::make_unique<Impl>()) {
    m_impl->table = &table;
    const auto& rules = table.rules();
    m_impl->rule_text.resize(rules.size());
    m_impl->rule_text_once = std::make_unique<std::once_flag[]>(rules.size());
    m_impl->rule_host.resize(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const Rule& rule = rules[i];
        m_impl->specificity.push_back(rule.specificity());
        if (rule.is_text_rule()) {
            std::string error;
            if (m_impl->text_set.Add(joined_pattern(rule), &error) < 0) {
                throw Error(rule.origin + ": rule \"" + rule.id +
                            "\": invalid text pattern: " + error);
            }
            m_impl->set_to_rule.push_back(i);
        }
        if (!rule.remote_host.empty()) {
            auto re = std::make_unique<RE2>(rule.remote_host, pattern_options());
            if (!re->ok()) {
                throw Error(rule.origin + ": rule \"" + rule.id +
                            "\": invalid remote_host pattern: " + re->error());
            }
            m_impl->rule_host[i] = std::move(re);
        }
    }
    if (!m_impl->set_to_rule.empty() && !m_impl->text_set.Compile()) {
        throw Error("the rule table's text patterns are too large to compile together");
    }
}

Classifier::~Classifier() = default;

const Rule* Classifier::best_rule(const Reply& reply, bool codes_only) const {
    const auto& rules = m_impl->table->rules();
    std::vector<char> text_hit(rules.size(), 0);
    if (!codes_only) {
        for (int i : m_impl->matching_text_rules(reply.text)) text_hit[std::size_t(i)] = 1;
    }

    const ReplyCodes codes(reply);
    std::size_t best = rules.size();
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const Rule& rule = rules[i];
        if (rule.is_text_rule() && !text_hit[i]) continue;
        if (codes_only && !rule.remote_host.empty()) continue;
        if (!codes_match(rule, codes) || !m_impl->host_matches(i, reply)) continue;
        if (!rule.command.empty() && std::find(rule.command.begin(), rule.command.end(),
                                               reply.smtp_command) == rule.command.end())
            continue;
        if (best == rules.size() || m_impl->better(i, best)) best = i;
    }
    return best == rules.size() ? nullptr : &rules[best];
}

namespace {

// "User unknown" said in reply to DATA (RFC 5321 section 3.3) comes after the server accepted
// the recipient at RCPT TO: a content or policy filter is speaking in user-unknown words
// (sisimai calls it "filtered"), and the address must not be dropped on it.
bool refused_after_data(const Reply& reply) {
    return reply.smtp_command == "DATA";
}

}  // namespace

Diagnosis Classifier::classify(const Reply& reply) const {
    Diagnosis d;
    std::string_view code_type = reply.code_class_type();
    const Rule* rule = best_rule(reply);
    if (rule == nullptr) {
        if (!code_type.empty()) d.type = std::string(code_type);
        return d;
    }
    d.rule = rule;
    d.reason = rule->reason;
    d.cause = rule->cause;
    d.action = rule->action;
    d.meaning = rule->meaning;
    d.fix = rule->fix;
    d.provider = rule->provider;
    d.blocklist = rule->blocklist;
    // The reply's own codes say permanent or temporary (docs/rules.md, "Type and action").
    if (rule->type == "none" || code_type.empty()) {
        d.type = rule->type;
    } else {
        d.type = std::string(code_type);
    }
    if (d.reason == "userunknown" && refused_after_data(reply)) {
        d.reason = "filtered";
        d.cause = "policy";
        d.action = "contact-recipient";
        d.meaning =
            "The server accepted the recipient, then refused the message after DATA with "
            "user-unknown wording: a filter's verdict, so the address is not proven "
            "dead. (" +
            d.meaning + ")";
        d.fix =
            "Do not remove the address on this reply alone; check with the recipient or watch "
            "for a bounce that names the recipient (RCPT TO, status 5.1.1).";
    }
    if (d.action == "suppress" && d.type != "hard") d.action = "retry";
    if (rule->is_text_rule()) {
        const RE2& re = m_impl->text_pattern(std::size_t(rule - m_impl->table->rules().data()));
        re2::StringPiece match;
        if (re.Match(reply.text, 0, reply.text.size(), RE2::UNANCHORED, &match, 1)) {
            d.matched_text = std::string(match.data(), match.size());
        }
    }
    return d;
}

}  // namespace bouncediag
