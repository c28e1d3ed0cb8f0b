#include "bouncediag/classifier.h"

#include <re2/re2.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "bouncediag/error.h"
#include "classifier_index.h"
#include "cold_pattern.h"
#include "prefilter.h"

namespace bouncediag {
namespace {

// A reply's codes as numbers, split once per classification rather than once per rule.
struct ReplyCodes {
    int basic = 0;
    int parts[3] = {0, 0, 0};  // (before has_enhanced, which fills it)
    bool has_enhanced = false;

    explicit ReplyCodes(const Reply& reply)
        : basic(reply.basic_code), has_enhanced(enhanced_code_parts(reply.enhanced_code, parts)) {}
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

bool command_matches(const Rule& rule, const Reply& reply) {
    return rule.command.empty() || std::find(rule.command.begin(), rule.command.end(),
                                             reply.smtp_command) != rule.command.end();
}

// A pattern compiled on first use, so a run compiles only the rules its replies reach.
class LazyPattern {
  public:
    const RE2& get(std::string_view pattern) const {
        std::call_once(m_once, [&] { m_re = std::make_unique<RE2>(pattern, pattern_options()); });
        return *m_re;
    }

  private:
    mutable std::once_flag m_once;
    mutable std::unique_ptr<RE2> m_re;
};

// A pattern's cold form (cold_pattern.h), compiled on first use; null if it has none.
class LazyColdPattern {
  public:
    const ColdPattern* get(std::string_view pattern) const {
        std::call_once(m_once, [&] {
            auto cold = std::make_unique<ColdPattern>(pattern);
            if (cold->ok()) m_cold = std::move(cold);
        });
        return m_cold.get();
    }

  private:
    mutable std::once_flag m_once;
    mutable std::unique_ptr<ColdPattern> m_cold;
};

// How many searches a pattern makes in its cold form before it is compiled for a DFA. A pattern
// that turns out hot is compiled twice, a fixed cost per process: 30 MB of generated bounces at
// -j 1 run +5.4 % instructions at 4 searches, +6.1 % at 8, +9.3 % at 32 (callgrind; less the
// longer the run). The 758 corpus files run -1.3 %, -7.3 % and -8.8 %, and lose most of their
// page faults from the first searches on. 8 keeps most of that gain at two thirds of 32's cost.
// Line workers at -j N never use the cold form.
constexpr std::uint32_t k_cold_searches = 8;

// The longest text searched in the cold form. RE2 runs its backtracker only on a text short
// enough for its bitmap (256 K bits shared by the text's bytes and the program's instruction
// lists: the larger the pattern, the shorter the text); on a longer one the cold form costs a DFA
// pass and then an NFA over the match, far slower than the DFA form on a large text (a 100 MB
// line: 6.5 s became 8 s). 99 % of the corpus's replies are under 400 bytes.
constexpr std::size_t k_cold_text_limit = 512;

// Threads that classify many replies side by side (Classifier::use_own_patterns_on_this_thread)
// compile their own copy of each pattern they need: RE2 keeps one DFA cache per pattern behind
// a reader-writer lock, and two threads searching the same patterns spent ~40 % more CPU on
// that lock's cache line than on the work. Keyed by classifier id (never reused).
thread_local bool t_own_patterns = false;
thread_local std::unordered_map<std::uint64_t, std::vector<std::unique_ptr<RE2>>> t_patterns;
std::atomic<std::uint64_t> g_next_classifier_id{1};

// Per-thread buffers of best_match(), so classifying allocates nothing once warm.
struct Scratch {
    std::string folded;
    std::vector<std::uint32_t> atoms;        // atoms found in the reply
    std::vector<std::uint8_t> atom_found;    // per atom id
    std::vector<std::uint32_t> patterns;     // candidate pattern ids
    std::vector<std::uint8_t> pattern_seen;  // per pattern id
};

bool has_non_ascii(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

constexpr std::uint32_t k_no_pattern = ~std::uint32_t(0);

}  // namespace

// Finding the best rule: each text pattern has an id; the prefilter names the patterns whose
// atoms the reply contains. Those, the patterns without atoms and the rules without text are
// tried in precedence order, and the first rule whose every constraint holds wins. Patterns
// run last, and only on the way down, so a reply usually runs one to three of them.
struct Classifier::Impl {
    struct Match {
        std::uint32_t rule;
        std::uint32_t pattern;  // k_no_pattern for a rule without text
        std::string_view span;  // what the pattern matched in the reply's text
    };

    const RuleTable* table = nullptr;
    const std::uint64_t classifier_id = g_next_classifier_id++;
    std::unique_ptr<BuiltClassifierIndex> built;  // unless the table came with its index
    ClassifierIndex index;
    std::size_t pattern_count = 0;
    std::unique_ptr<LazyPattern[]> text_patterns;      // per pattern id
    std::unique_ptr<LazyColdPattern[]> cold_patterns;  // per pattern id
    // Per pattern id, the searches made in its cold form: counted loosely (a load and a
    // store, no locked increment), since a few more or fewer change nothing but speed.
    std::unique_ptr<std::atomic<std::uint32_t>[]> cold_searches;
    std::unique_ptr<LazyPattern[]> host_patterns;  // per rule
    // Per rule, its first pattern id (k_no_pattern without text): made on evidence()'s first use.
    mutable std::once_flag first_pattern_made;
    mutable std::vector<std::uint32_t> first_pattern;

    // Per rule, the meaning of its user-unknown words when a filter speaks them after DATA
    // (classify()), made on first use.
    std::unique_ptr<std::once_flag[]> filter_meaning_made;
    std::unique_ptr<std::string[]> filter_meanings;

    std::string_view filter_meaning(std::size_t rule_index) const {
        std::call_once(filter_meaning_made[rule_index], [&] {
            filter_meanings[rule_index] =
                "The server accepted the recipient, then refused the message after DATA with "
                "user-unknown wording: a filter's verdict, so the address is not proven dead. (" +
                std::string(table->rules()[rule_index].meaning) + ")";
        });
        return filter_meanings[rule_index];
    }

    std::string_view pattern(std::uint32_t id) const {
        return table->rules()[index.pattern_rule[id]].text[index.pattern_item[id]];
    }

    const RE2& text_pattern(std::uint32_t id) const {
        if (!t_own_patterns) return text_patterns[id].get(pattern(id));
        std::vector<std::unique_ptr<RE2>>& own = t_patterns[classifier_id];
        if (own.size() < pattern_count) own.resize(pattern_count);
        if (!own[id]) own[id] = std::make_unique<RE2>(pattern(id), pattern_options());
        return *own[id];
    }

    // The pattern's cold form while it has made fewer than k_cold_searches searches, else null.
    // Threads with their own patterns run many replies, so they always use DFAs.
    const ColdPattern* cold_pattern(std::uint32_t id) const {
        if (t_own_patterns) return nullptr;
        std::atomic<std::uint32_t>& searches = cold_searches[id];
        const std::uint32_t n = searches.load(std::memory_order_relaxed);
        if (n >= k_cold_searches) return nullptr;
        searches.store(n + 1, std::memory_order_relaxed);
        return cold_patterns[id].get(pattern(id));
    }

    bool host_matches(std::size_t rule_index, const Reply& reply) const {
        const Rule& rule = table->rules()[rule_index];
        if (rule.remote_host.empty()) return true;
        if (reply.remote_host.empty()) return false;
        return RE2::PartialMatch(reply.remote_host,
                                 host_patterns[rule_index].get(rule.remote_host));
    }

    // Every constraint of the rule but its text, cheapest first.
    bool constraints_hold(std::size_t i, const Reply& reply, const ReplyCodes& codes,
                          bool codes_only) const {
        const Rule& rule = table->rules()[i];
        if (codes_only && !rule.remote_host.empty()) return false;
        return codes_match(rule, codes) && command_matches(rule, reply) && host_matches(i, reply);
    }

    // Whether the pattern matches the reply's text, and where (one search does both).
    bool text_matches(std::uint32_t id, const Reply& reply, std::string_view folded,
                      std::string_view& span) const {
        // A plain literal is found in the folded text; its span maps back one to one unless
        // folding shortened the text (a KELVIN SIGN or LONG S), where RE2 decides.
        if (std::uint32_t length = index.literal_length[id];
            length != 0 && folded.size() == reply.text.size()) {
            std::size_t at = folded.find(index.atoms.text.substr(index.literal_offset[id], length));
            if (at == std::string_view::npos) return false;
            span = std::string_view(reply.text).substr(at, length);
            return true;
        }
        if (const ColdPattern* cold =
                reply.text.size() <= k_cold_text_limit ? cold_pattern(id) : nullptr)
            return cold->search(reply.text, span);
        const RE2& re = text_pattern(id);
        re2::StringPiece found;
        if (!re.ok() || !re.Match(reply.text, 0, reply.text.size(), RE2::UNANCHORED, &found, 1))
            return false;
        span = std::string_view(found.data(), found.size());
        return true;
    }

    // Appends the patterns whose atoms the reply contains to scratch.patterns.
    void find_candidates(const Reply& reply, Scratch& scratch) const {
        fold_for_atoms(reply.text, scratch.folded);
        scratch.atoms.clear();
        index.atoms.find(scratch.folded, scratch.atoms, scratch.atom_found);
        const auto& trigger_start = index.trigger_start;
        const auto& triggers = index.triggers;
        const auto& required_start = index.required_start;
        std::vector<std::uint8_t>& seen = scratch.pattern_seen;
        if (seen.size() < pattern_count) seen.resize(pattern_count, 0);
        for (std::uint32_t a : scratch.atoms) {
            for (std::uint32_t k = trigger_start[a]; k < trigger_start[a + 1]; ++k) {
                std::uint32_t id = triggers[k];
                if (seen[id]) continue;
                seen[id] = 1;
                bool all_required = true;
                for (std::uint32_t r = required_start[id]; r < required_start[id + 1]; ++r)
                    all_required = all_required && scratch.atom_found[index.required[r]];
                if (all_required) scratch.patterns.push_back(id);
            }
        }
        for (std::uint32_t a : scratch.atoms) {
            for (std::uint32_t k = trigger_start[a]; k < trigger_start[a + 1]; ++k)
                seen[triggers[k]] = 0;
        }
        for (std::uint32_t a : scratch.atoms) scratch.atom_found[a] = 0;
    }

    std::optional<Match> best_match(const Reply& reply, bool codes_only) const {
        thread_local Scratch scratch;
        std::vector<std::uint32_t>& ids = scratch.patterns;
        ids.clear();
        if (!codes_only) {
            find_candidates(reply, scratch);
            ids.insert(ids.end(), index.always_tried.begin(), index.always_tried.end());
            if (has_non_ascii(reply.text))
                ids.insert(ids.end(), index.tried_non_ascii.begin(), index.tried_non_ascii.end());
            std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) {
                std::uint32_t ra = index.rank[index.pattern_rule[a]];
                std::uint32_t rb = index.rank[index.pattern_rule[b]];
                return ra != rb ? ra < rb : a < b;
            });
        }

        // Both lists are in precedence order: walk them as one.
        const auto& rank = index.rank;
        const auto& pattern_rule = index.pattern_rule;
        const auto& without_text = index.without_text;
        const ReplyCodes codes(reply);
        std::size_t t = 0;
        std::size_t w = 0;
        while (t < ids.size() || w < without_text.size()) {
            bool take_text = w == without_text.size() ||
                             (t < ids.size() && rank[pattern_rule[ids[t]]] < rank[without_text[w]]);
            if (!take_text) {
                std::uint32_t i = without_text[w++];
                if (constraints_hold(i, reply, codes, codes_only))
                    return Match{i, k_no_pattern, {}};
                continue;
            }
            // The rule's candidate patterns are next to each other, in their listed order.
            std::uint32_t i = pattern_rule[ids[t]];
            std::size_t end = t;
            while (end < ids.size() && pattern_rule[ids[end]] == i) ++end;
            if (constraints_hold(i, reply, codes, codes_only)) {
                std::string_view span;
                for (; t < end; ++t)
                    if (text_matches(ids[t], reply, scratch.folded, span))
                        return Match{i, ids[t], span};
            }
            t = end;
        }
        return std::nullopt;
    }
};

Classifier::Classifier(const RuleTable& table) : m_impl(std::make_unique<Impl>()) {
    Impl& impl = *m_impl;
    impl.table = &table;
    if (const ClassifierIndex* prebuilt = table.prebuilt_index()) {
        impl.index = *prebuilt;
    } else {
        impl.built = std::make_unique<BuiltClassifierIndex>(table);
        impl.index = impl.built->index();
    }
    impl.pattern_count = impl.index.pattern_rule.size();
    impl.text_patterns = std::make_unique<LazyPattern[]>(impl.pattern_count);
    impl.cold_patterns = std::make_unique<LazyColdPattern[]>(impl.pattern_count);
    impl.cold_searches = std::make_unique<std::atomic<std::uint32_t>[]>(impl.pattern_count);
    impl.host_patterns = std::make_unique<LazyPattern[]>(table.rules().size());
    impl.filter_meaning_made = std::make_unique<std::once_flag[]>(table.rules().size());
    impl.filter_meanings = std::make_unique<std::string[]>(table.rules().size());
}

Classifier::~Classifier() {
    t_patterns.erase(m_impl->classifier_id);  // (other threads' copies end with the threads)
}

void Classifier::use_own_patterns_on_this_thread() {
    t_own_patterns = true;
}

const Rule* Classifier::best_rule(const Reply& reply, bool codes_only) const {
    std::optional<Impl::Match> m = m_impl->best_match(reply, codes_only);
    return m ? &m_impl->table->rules()[m->rule] : nullptr;
}

namespace {

// "User unknown" said in reply to DATA (RFC 5321 section 3.3) comes after the server accepted
// the recipient at RCPT TO: a content or policy filter is speaking in user-unknown words
// (sisimai calls it "filtered"), and the address must not be dropped on it. Not so when the
// enhanced code itself says the mailbox does not exist (X.1.1, RFC 3463), or when the rule
// that decided knows its provider refuses unknown users only after DATA (match.command).
bool filter_speaking_after_data(const Reply& reply, const Rule& rule) {
    if (reply.smtp_command != "DATA") return false;
    if (reply.enhanced_code.size() >= 5 &&
        reply.enhanced_code.compare(1, std::string::npos, ".1.1") == 0)
        return false;
    return std::find(rule.command.begin(), rule.command.end(), "DATA") == rule.command.end();
}

}  // namespace

Diagnosis Classifier::classify(const Reply& reply) const {
    std::size_t rule_index = k_no_rule;
    return classify(reply, rule_index);
}

std::optional<std::string_view> Classifier::evidence(std::size_t rule_index,
                                                     const Reply& reply) const {
    const Impl& impl = *m_impl;
    std::call_once(impl.first_pattern_made, [&impl] {
        // A rule's patterns have consecutive ids (the index numbers them in precedence order).
        impl.first_pattern.assign(impl.table->size(), k_no_pattern);
        for (std::uint32_t id = std::uint32_t(impl.pattern_count); id-- > 0;)
            impl.first_pattern[impl.index.pattern_rule[id]] = id;
    });
    thread_local std::string folded;
    folded.clear();
    const std::uint32_t first = impl.first_pattern[rule_index];
    if (first == k_no_pattern) return std::nullopt;
    for (std::uint32_t id = first;
         id < impl.pattern_count && impl.index.pattern_rule[id] == rule_index; ++id) {
        if (impl.index.literal_length[id] != 0 && folded.empty())
            fold_for_atoms(reply.text, folded);
        std::string_view span;
        if (impl.text_matches(id, reply, folded, span)) return span;
    }
    return std::nullopt;
}

Diagnosis Classifier::classify(const Reply& reply, std::size_t& rule_index) const {
    Diagnosis d;
    rule_index = k_no_rule;
    std::string_view code_type = reply.code_class_type();
    std::optional<Impl::Match> match = m_impl->best_match(reply, false);
    const Rule* rule = match ? &m_impl->table->rules()[match->rule] : nullptr;
    if (rule == nullptr) {
        if (!code_type.empty()) d.type = code_type;
        return d;
    }
    d.rule = rule;
    rule_index = match->rule;
    d.reason = rule->reason;
    d.cause = rule->cause;
    d.action = rule->action;
    d.meaning = rule->meaning;
    d.fix = rule->fix;
    d.provider = rule->provider;
    d.blocklist = rule->blocklist;
    // The reply's own codes say permanent or temporary (docs/rules.md, "Type and action").
    d.type = rule->type == "none" || code_type.empty() ? rule->type : code_type;
    if (d.reason == "userunknown" && filter_speaking_after_data(reply, *rule)) {
        d.reason = "filtered";
        d.cause = "policy";
        d.action = "contact-recipient";
        d.meaning = m_impl->filter_meaning(rule_index);
        d.fix =
            "Do not remove the address on this reply alone; check with the recipient or watch "
            "for a bounce that names the recipient (RCPT TO, status 5.1.1).";
    }
    if (d.action == "suppress" && d.type != "hard") d.action = "retry";
    if (match->pattern != k_no_pattern) d.matched_text = std::string(match->span);
    return d;
}

}  // namespace bouncediag
