#include "reply_cache.h"

#include <array>
#include <atomic>
#include <cstring>
#include <mutex>
#include <unordered_map>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "prefilter.h"
#include "text_util.h"

namespace bouncediag {
namespace {

// Beyond this many templates the table starts over (a log of endlessly varied texts would
// otherwise grow it without bound; ~60 bytes a template, 4 MiB at most). The benchmark log has
// ~19,000 templates: a limit of 16,384 made it learn 9,000 of them twice.
constexpr std::size_t k_max_entries = 1 << 16;
// Longer texts are classified directly, never cached.
constexpr std::size_t k_max_template_length = 1 << 16;
// Uses of a new template classified afresh and compared before the cache answers for it.
constexpr std::uint8_t k_checks = 2;

// Characters of an address's local part as logs write them (RFC 5321 dot-string, in practice).
bool is_local_part(char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '=';
}

// Length of an IPv4 address at `at` (four dot-separated numbers of 1 to 3 digits, not part of
// a longer dotted number or word), or 0.
std::size_t ipv4_length(std::string_view s, std::size_t at) {
    if (at > 0 && (is_alnum(s[at - 1]) || s[at - 1] == '.')) return 0;
    std::size_t i = at;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (i >= s.size() || s[i] != '.') return 0;
            ++i;
        }
        std::size_t digits = 0;
        while (i < s.size() && is_digit(s[i]) && digits < 4) ++i, ++digits;
        if (digits == 0 || digits > 3) return 0;
    }
    if (i < s.size() && (is_alnum(s[i]) || (s[i] == '.' && i + 1 < s.size() && is_digit(s[i + 1]))))
        return 0;
    return i - at;
}

// Byte classes for the masking scan: letters and digits (ASCII), 0 for the rest.
constexpr unsigned char k_letter = 1;
constexpr unsigned char k_digit = 2;
constexpr std::array<unsigned char, 256> k_char_class = [] {
    std::array<unsigned char, 256> table{};
    for (int c = 'a'; c <= 'z'; ++c) table[std::size_t(c)] = k_letter;
    for (int c = 'A'; c <= 'Z'; ++c) table[std::size_t(c)] = k_letter;
    for (int c = '0'; c <= '9'; ++c) table[std::size_t(c)] = k_digit;
    return table;
}();

// The position of the first ASCII digit of `text` at or after `from`, or text.size().
std::size_t next_digit(std::string_view text, std::size_t from) {
    std::size_t i = from;
#if defined(__SSE2__)
    // (as signed bytes, '0' - 1 < c < '9' + 1 holds for digits only: bytes from 0x80 are
    // negative)
    const __m128i below = _mm_set1_epi8('0' - 1);
    const __m128i above = _mm_set1_epi8('9' + 1);
    for (; i + 16 <= text.size(); i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
        const __m128i digits = _mm_and_si128(_mm_cmpgt_epi8(v, below), _mm_cmplt_epi8(v, above));
        if (const int bits = _mm_movemask_epi8(digits); bits != 0)
            return i + std::size_t(__builtin_ctz(unsigned(bits)));
    }
#endif
    while (i < text.size() && !is_digit(text[i])) ++i;
    return i;
}

void fill(std::string& out, std::size_t from, std::size_t to, char c) {
    for (std::size_t i = from; i < to; ++i) out[i] = c;
}

// Two independent 64-bit hashes of `s`, 8 bytes at a time: the table keeps this fingerprint
// rather than the key (~250 bytes), so that it stays small; two different keys share one with
// a probability of about 2^-128.
Fingerprint fingerprint(std::string_view s) {
    std::uint64_t a = 0x9E3779B97F4A7C15ull ^ s.size();
    std::uint64_t b = 0xC2B2AE3D27D4EB4Full + s.size();
    auto mix = [](std::uint64_t h, std::uint64_t v, std::uint64_t k, int shift) {
        h = (h ^ v) * k;
        return h ^ (h >> shift);
    };
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t v;
        std::memcpy(&v, s.data() + i, 8);
        a = mix(a, v, 0xFF51AFD7ED558CCDull, 33);
        b = mix(b, v, 0x94D049BB133111EBull, 31);
    }
    std::uint64_t last = 0;
    std::memcpy(&last, s.data() + i, s.size() - i);
    a = mix(mix(a, last, 0xFF51AFD7ED558CCDull, 33), a, 0xC4CEB9FE1A85EC53ull, 29);
    b = mix(mix(b, last, 0x94D049BB133111EBull, 31), b, 0xBF58476D1CE4E5B9ull, 27);
    return {a, b};
}

bool same_outcome(const Diagnosis& a, const Diagnosis& b) {
    return a.rule == b.rule && a.type == b.type && a.reason == b.reason && a.cause == b.cause &&
           a.action == b.action && a.meaning == b.meaning && a.fix == b.fix &&
           a.provider == b.provider && a.blocklist == b.blocklist &&
           a.matched_text == b.matched_text;
}

}  // namespace

// Templates by masked key. A table that threads share is used under one lock (held only to
// look up and record, never while classifying); one thread's own table takes none (a lock per
// reply cost -j 1 about 1 %).
class ReplyCache::Templates {
  public:
    explicit Templates(bool shared) : m_shared(shared) {}

    struct Entry {
        std::uint32_t outcome = 0;  // index into m_outcomes
        std::uint8_t checks = 0;    // uses classified afresh so far
        bool varies = false;        // the outcome varied with the masked tokens
    };
    // What the table knows of a key, copied out under the lock.
    struct Known {
        bool found = false;
        bool varies = false;
        std::uint8_t checks = 0;
        std::shared_ptr<const Outcome> outcome;  // null if `varies`
    };

    Known look_up(const Fingerprint& key) {
        const std::unique_lock lock = guard();
        Known known;
        const Entry* entry = m_entries.find(key);
        if (entry == nullptr) return known;
        known.found = true;
        known.varies = entry->varies;
        known.checks = entry->checks;
        if (!known.varies) known.outcome = m_outcomes[entry->outcome];
        return known;
    }

    // A new key and its outcome; `context` is the key's part before the text.
    void add(const Fingerprint& key, std::string_view context, const Diagnosis& d,
             std::size_t rule_index) {
        const std::unique_lock lock = guard();
        if (m_entries.size() >= k_max_entries) {
            m_entries.clear();
            m_outcomes.clear();
            m_outcome_index.clear();
        }
        bool added = false;
        Entry& entry = m_entries.emplace(key, added);
        if (!added) return;  // (another thread was first)
        entry.outcome = remember(context, d, rule_index);
    }

    // One more use classified afresh; `varied` when its outcome was not the table's.
    void checked(const Fingerprint& key, bool varied, std::size_t& varied_count) {
        const std::unique_lock lock = guard();
        Entry* found = m_entries.find(key);
        if (found == nullptr) return;
        Entry& entry = *found;
        if (entry.checks < k_checks) ++entry.checks;
        if (varied && !entry.varies) {
            entry.varies = true;
            ++varied_count;
            // (with two threads checking at once, a template can vary after it settled)
            m_varied_epoch.fetch_add(1, std::memory_order_release);
        }
    }

    // Changes whenever a template is found to vary: the threads' settled maps are then stale.
    std::uint64_t varied_epoch() const { return m_varied_epoch.load(std::memory_order_acquire); }

  private:
    // Outcomes shared by the keys of one rule in one context (codes, command, host).
    std::uint32_t remember(std::string_view context, const Diagnosis& d, std::size_t rule_index) {
        std::string key(context);
        key.append(reinterpret_cast<const char*>(&d.rule), sizeof d.rule);
        auto [it, added] = m_outcome_index.try_emplace(std::move(key), std::uint32_t(0));
        if (added) {
            it->second = std::uint32_t(m_outcomes.size());
            auto outcome = std::make_shared<Outcome>(Outcome{d, rule_index});
            outcome->diagnosis.matched_text.clear();
            m_outcomes.push_back(std::move(outcome));
        }
        return it->second;
    }

    std::unique_lock<std::mutex> guard() {
        return m_shared ? std::unique_lock(m_mutex) : std::unique_lock<std::mutex>();
    }

    const bool m_shared;
    std::mutex m_mutex;
    std::atomic<std::uint64_t> m_varied_epoch{0};
    FingerprintMap<Entry> m_entries;  // by masked key
    // (shared with the threads' settled maps: the copy for a hit is made outside the lock)
    std::vector<std::shared_ptr<const Outcome>> m_outcomes;
    std::unordered_map<std::string, std::uint32_t> m_outcome_index;
};

ReplyCache::ReplyCache(const Classifier& classifier, bool verify_every_hit)
    : m_classifier(classifier),
      m_verify_every_hit(verify_every_hit),
      m_templates(std::make_shared<Templates>(false)) {}

ReplyCache::ReplyCache(const Classifier& classifier, std::shared_ptr<Templates> shared)
    : m_classifier(classifier),
      m_verify_every_hit(false),
      m_templates(std::move(shared)),
      m_shared(true) {}

std::shared_ptr<ReplyCache::Templates> ReplyCache::make_templates() {
    return std::make_shared<Templates>(true);
}

ReplyCache::~ReplyCache() = default;

void ReplyCache::mask(std::string_view text, std::string& out) {
    const std::size_t base = out.size();
    out.append(text);
    // Local parts: "<priya561@gmail.com>" -> "<xxxxxxxx@gmail.com>", "<m.rossi@..>" stays.
    for (std::size_t at = text.find('@'); at != std::string_view::npos;
         at = text.find('@', at + 1)) {
        std::size_t start = at;
        while (start > 0 && is_local_part(text[start - 1])) --start;
        for (std::size_t i = start; i < at;) {
            if (!is_alnum(text[i])) {
                ++i;
                continue;
            }
            std::size_t end = i;
            bool digit = false;
            for (; end < at && is_alnum(text[end]); ++end) digit = digit || is_digit(text[end]);
            if (digit) fill(out, base + i, base + end, 'x');
            i = end;
        }
    }
    // Only a run of letters and digits that holds a digit can be masked: the scan goes from
    // digit to digit (16 bytes at a time) and reads each such run whole, from its start.
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    std::size_t done = 0;  // the runs before this are settled (text[done] is no letter or digit)
    for (std::size_t d = next_digit(text, 0); d < size; d = next_digit(text, done)) {
        std::size_t i = d;
        while (i > 0 && k_char_class[bytes[i - 1]] != 0) --i;
        if (k_char_class[bytes[i]] == k_digit) {
            if (std::size_t n = ipv4_length(text, i); n > 0) {
                if (text.substr(i, 4) != "127.") {
                    for (std::size_t k = i; k < i + n; ++k)
                        if (is_digit(text[k])) out[base + k] = '0';
                }
                done = i + n;
                continue;
            }
        }
        std::size_t end = i;
        unsigned char seen = 0;
        for (unsigned char c; end < size && (c = k_char_class[bytes[end]]) != 0; ++end) seen |= c;
        if (seen == (k_digit | k_letter) && end - i >= 10) fill(out, base + i, base + end, 'x');
        done = end;
    }
}

Diagnosis ReplyCache::classify(const Reply& reply) {
    // A text this long is no template a log repeats: masking and hashing it would only cost
    // another copy of it (a 100 MB line).
    if (reply.text.size() > k_max_template_length) {
        ++m_misses;
        return m_classifier.classify(reply);
    }
    // The context: all the classifier reads besides the text.
    m_key.clear();
    m_key += std::to_string(reply.basic_code);
    m_key += '\x1f';
    m_key += reply.enhanced_code;
    m_key += '\x1f';
    m_key += reply.smtp_command;
    m_key += '\x1f';
    m_key += reply.remote_host;
    m_key += '\x1f';
    const std::size_t context_size = m_key.size();
    mask(reply.text, m_key);

    const Fingerprint key = fingerprint(m_key);
    // A settled template's outcome is read through this thread's map without touching its
    // reference count: the threads of -j 2 serving the same templates made those counts'
    // cache lines bounce between their cores at every reply.
    const Outcome* outcome = nullptr;
    std::shared_ptr<const Outcome> held;  // an outcome from the shared table
    std::uint8_t checks = k_checks;
    if (m_shared) {
        if (const std::uint64_t epoch = m_templates->varied_epoch(); epoch != m_settled_epoch) {
            m_settled.clear();
            m_settled_epoch = epoch;
        }
    }
    if (const std::shared_ptr<const Outcome>* settled = m_settled.find(key)) {
        outcome = settled->get();
    } else {
        Templates::Known known = m_templates->look_up(key);
        if (!known.found) {
            ++m_misses;
            std::size_t rule_index = Classifier::k_no_rule;
            Diagnosis d = m_classifier.classify(reply, rule_index);
            m_templates->add(key, std::string_view(m_key).substr(0, context_size), d, rule_index);
            return d;
        }
        if (known.varies) {
            ++m_misses;
            return m_classifier.classify(reply);
        }
        held = std::move(known.outcome);
        outcome = held.get();
        checks = known.checks;
        if (m_shared && checks >= k_checks) {
            if (m_settled.size() >= k_max_entries) m_settled.clear();
            bool added = false;
            m_settled.emplace(key, added) = held;
        }
    }
    // What the cache says.
    Diagnosis cached = outcome->diagnosis;
    bool found = true;
    if (cached.rule != nullptr && !cached.rule->text.empty()) {
        std::optional<std::string_view> span = m_classifier.evidence(outcome->rule_index, reply);
        found = span.has_value();
        if (found) cached.matched_text = std::string(*span);
    }
    if (checks < k_checks || m_verify_every_hit) {
        ++m_misses;
        Diagnosis d = m_classifier.classify(reply);
        m_templates->checked(key, !found || !same_outcome(d, cached), m_varied);
        return d;
    }
    if (!found) {
        ++m_misses;
        return m_classifier.classify(reply);
    }
    ++m_hits;
    return cached;
}

}  // namespace bouncediag
