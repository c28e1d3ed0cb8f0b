#include "bouncediag/output.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <variant>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bouncediag/error.h"

namespace bouncediag {
namespace {

// A field's value: absent (null), text, number or flag.
using Value = std::variant<std::monostate, std::string_view, long long, bool>;

Value text(std::string_view s) {
    return s.empty() ? Value() : Value(s);
}
Value number(std::size_t n) {
    return n == 0 ? Value() : Value(static_cast<long long>(n));
}

struct Field {
    std::string name;
    std::function<Value(const Result&)> get;
};

// The one list of output fields: JSON keys and TSV columns, in order. A public contract:
// extend it, never rename.
const std::vector<Field>& fields() {
    static const std::vector<Field> k_fields = {
        {"input", [](const Result& r) { return text(r.input); }},
        {"line", [](const Result& r) { return number(r.line); }},
        {"message", [](const Result& r) { return number(r.message); }},
        {"recipient", [](const Result& r) { return text(r.recipient); }},
        {"original_recipient", [](const Result& r) { return text(r.original_recipient); }},
        {"basic_code",
         [](const Result& r) { return number(static_cast<std::size_t>(r.reply.basic_code)); }},
        {"enhanced_code", [](const Result& r) { return text(r.reply.enhanced_code); }},
        {"text", [](const Result& r) { return text(r.reply.text); }},
        {"type", [](const Result& r) { return text(r.diagnosis.type); }},
        {"reason", [](const Result& r) { return text(r.diagnosis.reason); }},
        {"cause", [](const Result& r) { return text(r.diagnosis.cause); }},
        {"action", [](const Result& r) { return text(r.diagnosis.action); }},
        {"provider", [](const Result& r) { return text(r.diagnosis.provider); }},
        {"receiving_provider", [](const Result& r) { return text(r.receiving_provider); }},
        {"blocklist", [](const Result& r) { return text(r.diagnosis.blocklist); }},
        {"rule",
         [](const Result& r) {
             return r.diagnosis.rule ? Value(std::string_view(r.diagnosis.rule->id)) : Value();
         }},
        {"matched", [](const Result& r) { return text(r.diagnosis.matched_text); }},
        {"meaning", [](const Result& r) { return text(r.diagnosis.meaning); }},
        {"fix", [](const Result& r) { return text(r.diagnosis.fix); }},
        {"codes_inconsistent", [](const Result& r) { return Value(r.reply.codes_inconsistent); }},
        {"remote_host", [](const Result& r) { return text(r.reply.remote_host); }},
        {"smtp_command", [](const Result& r) { return text(r.reply.smtp_command); }},
        {"format", [](const Result& r) { return text(r.format); }},
        {"dsn_action", [](const Result& r) { return text(r.dsn_action); }},
        {"dsn_status", [](const Result& r) { return text(r.dsn_status); }},
        {"reporting_mta", [](const Result& r) { return text(r.reporting_mta); }},
        {"remote_mta", [](const Result& r) { return text(r.remote_mta); }},
        {"last_attempt_date", [](const Result& r) { return text(r.last_attempt_date); }},
        {"queue_id", [](const Result& r) { return text(r.queue_id); }},
        {"timestamp", [](const Result& r) { return text(r.timestamp); }},
        {"feedback_type", [](const Result& r) { return text(r.feedback_type); }},
        {"original_message_id", [](const Result& r) { return text(r.original.message_id); }},
        {"original_from", [](const Result& r) { return text(r.original.from); }},
        {"original_to", [](const Result& r) { return text(r.original.to); }},
        {"original_subject", [](const Result& r) { return text(r.original.subject); }},
        {"original_date", [](const Result& r) { return text(r.original.date); }},
    };
    return k_fields;
}

const Field& field_named(std::string_view name) {
    for (const Field& f : fields())
        if (f.name == name) return f;
    throw Error(fmt::format("unknown field \"{}\"", name));
}

std::string tsv_value(const Value& v) {
    if (std::holds_alternative<std::monostate>(v)) return {};
    if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (const long long* n = std::get_if<long long>(&v)) return std::to_string(*n);
    std::string s(std::get<std::string_view>(v));
    for (char& c : s)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
}

// ANSI colour, or nothing when colour is off.
struct Paint {
    bool on;
    std::string operator()(std::string_view code, std::string_view s) const {
        return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
    }
};

std::string_view type_colour(std::string_view type) {
    if (type == "hard") return "1;31";
    if (type == "soft") return "1;33";
    if (type == "none") return "1;32";
    return "1;35";
}

std::string_view type_title(std::string_view type) {
    if (type == "hard") return "Hard bounce (permanent failure)";
    if (type == "soft") return "Soft bounce (temporary failure)";
    if (type == "none") return "Not a failure";
    return "Not recognised";
}

// RFC 8259 section 7: quotation mark, reverse solidus and control characters are escaped.
template <typename Out>
void append_json_ascii(Out& out, char c) {
    switch (c) {
        case '"':
            out += "\\\"";
            return;
        case '\\':
            out += "\\\\";
            return;
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default:
            break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
        out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
    } else {
        out += c;
    }
}

// The valid range of the byte after `lead` in a UTF-8 sequence (RFC 3629 section 4: no
// overlong forms, no surrogates, nothing above U+10FFFF); later bytes are 80..BF.
std::pair<unsigned char, unsigned char> second_byte_range(unsigned char lead) {
    if (lead == 0xE0) return {0xA0, 0xBF};
    if (lead == 0xED) return {0x80, 0x9F};
    if (lead == 0xF0) return {0x90, 0xBF};
    if (lead == 0xF4) return {0x80, 0x8F};
    return {0x80, 0xBF};
}

std::size_t utf8_length_of_lead(unsigned char lead) {
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

// How many bytes of `s` from `i` form a valid sequence, or how many precede the byte that
// breaks it (at least 1); `valid` says which.
std::size_t utf8_scan(std::string_view s, std::size_t i, bool& valid) {
    auto lead = static_cast<unsigned char>(s[i]);
    std::size_t length = utf8_length_of_lead(lead);
    valid = false;
    if (length == 0) return 1;
    for (std::size_t k = 1; k < length; ++k) {
        if (i + k >= s.size()) return s.size() - i;  // cut short: the rest goes
        auto c = static_cast<unsigned char>(s[i + k]);
        auto [low, high] =
            k == 1 ? second_byte_range(lead) : std::pair<unsigned char, unsigned char>{0x80, 0xBF};
        if (c < low || c > high) return k;
    }
    valid = true;
    return length;
}

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    bool valid = false;
    std::size_t n = utf8_scan(s, i, valid);
    return valid ? n : 0;
}

std::size_t utf8_broken_prefix(std::string_view s, std::size_t i) {
    bool valid = false;
    return utf8_scan(s, i, valid);
}

// ASCII that JSON strings hold as it is, by byte.
constexpr std::array<bool, 256> k_plain_json_byte = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c) plain[std::size_t(c)] = c != '"' && c != '\\';
    return plain;
}();

// Whether the 8 bytes at `p` are all plain, tested at once (a reply is mostly plain ASCII):
// no byte below 0x20 or from 0x80, no '"' (0x22), no '\\' (0x5C).
bool plain_json_word(const char* p) {
    constexpr std::uint64_t k_ones = 0x0101010101010101ull;
    constexpr std::uint64_t k_highs = 0x8080808080808080ull;
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    auto has_zero = [](std::uint64_t x) { return (x - k_ones) & ~x & k_highs; };
    const std::uint64_t below_space = (v - 0x20 * k_ones) & ~v & k_highs;
    return ((v & k_highs) | below_space | has_zero(v ^ (0x22 * k_ones)) |
            has_zero(v ^ (0x5C * k_ones))) == 0;
}

// Where the run of plain bytes of `s` that starts at `i` ends.
std::size_t plain_json_run_end(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
    // 16 bytes at a time: as signed bytes, those below 0x20 and those from 0x80 (negative) are
    // both less than 0x20; '"' and '\\' are compared for equality.
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    while (i + 16 <= s.size()) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
        const __m128i special =
            _mm_or_si128(_mm_cmplt_epi8(v, space),
                         _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        if (const int bits = _mm_movemask_epi8(special); bits != 0)
            return i + std::size_t(__builtin_ctz(unsigned(bits)));
        i += 16;
    }
#endif
    while (i + 8 <= s.size() && plain_json_word(s.data() + i)) i += 8;
    while (i < s.size() && k_plain_json_byte[static_cast<unsigned char>(s[i])]) ++i;
    return i;
}

template <typename Out>
[[gnu::noinline]] void append_json_string(Out& out, std::string_view s) {
    out += '"';
    std::size_t i = 0;
    while (i < s.size()) {
        // Plain ASCII goes out in runs (the common case: a whole reply).
        const std::size_t plain = plain_json_run_end(s, i);
        out.append(s.data() + i, plain - i);
        i = plain;
        if (i == s.size()) break;
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            append_json_ascii(out, char(c));
            ++i;
            continue;
        }
        std::size_t valid = utf8_sequence_length(s, i);
        if (valid > 0) {
            out.append(s.substr(i, valid));
            i += valid;
            continue;
        }
        // Invalid UTF-8 becomes U+FFFD, as nlohmann::json's "replace" handler wrote it before
        // (JSON lines must stay valid UTF-8): a bad lead byte is skipped; a sequence broken by
        // a later byte is dropped and that byte read again, since it may start a new one.
        out += "\xEF\xBF\xBD";
        i += utf8_broken_prefix(s, i);
    }
    out += '"';
}

// Writes into memory reserved beforehand (a result's JSON is ~40 short appends: through
// std::string each paid its own capacity check and call, most of format_json's time).
struct RawOut {
    char* p;

    void append(const char* s, std::size_t n) {
        std::memcpy(p, s, n);
        p += n;
    }
    void append(std::string_view s) { append(s.data(), s.size()); }
    RawOut& operator+=(std::string_view s) {
        append(s);
        return *this;
    }
    RawOut& operator+=(char c) {
        *p++ = c;
        return *this;
    }
};

// Counts what a JSON object of these fields can take at most: 6 bytes per byte of text
// ("\u0001"), a few for each key's quotes and separators, and 20 for a number.
struct JsonBound {
    std::size_t bytes = 2;

    void text(std::string_view key, std::string_view value) {
        bytes += key.size() + 8 + 6 * value.size();
    }
    void number(std::string_view key, std::size_t) { bytes += key.size() + 24; }
    void flag(std::string_view key, bool) { bytes += key.size() + 10; }
};

// Writes one JSON object, key by key.
class JsonObject {
  public:
    explicit JsonObject(RawOut& out) : m_out(out) {}

    // (inlined into json_fields, so that each key's length is a constant: a result is three
    // dozen fields, and the calls and variable-length copies were a tenth of its JSON's cost)
    [[gnu::always_inline]] void text(std::string_view key, std::string_view value) {
        name(key);
        if (value.empty()) {
            m_out.append("null", 4);
        } else {
            append_json_string(m_out, value);
        }
    }
    [[gnu::always_inline]] void number(std::string_view key, std::size_t value) {
        name(key);
        if (value == 0) {
            m_out += "null";
            return;
        }
        auto [end, ec] = std::to_chars(m_out.p, m_out.p + 24, value);
        m_out.p = end;
    }
    [[gnu::always_inline]] void flag(std::string_view key, bool value) {
        name(key);
        m_out += value ? "true" : "false";
    }
    void close() { m_out += m_first ? "{}" : "}"; }

  private:
    [[gnu::always_inline]] void name(std::string_view key) {
        m_out += m_first ? '{' : ',';
        m_first = false;
        m_out += '"';
        m_out += key;
        m_out += '"';
        m_out += ':';
    }

    RawOut& m_out;
    bool m_first = true;
};

// Hands every JSON field of `r` to `to`, in the order of fields().
template <typename To>
void json_fields(const Result& r, To& to) {
    const Reply& reply = r.reply;
    const Diagnosis& d = r.diagnosis;
    to.text("input", r.input);
    to.number("line", r.line);
    to.number("message", r.message);
    to.text("recipient", r.recipient);
    to.text("original_recipient", r.original_recipient);
    to.number("basic_code", static_cast<std::size_t>(reply.basic_code));
    to.text("enhanced_code", reply.enhanced_code);
    to.text("text", reply.text);
    to.text("type", d.type);
    to.text("reason", d.reason);
    to.text("cause", d.cause);
    to.text("action", d.action);
    to.text("provider", d.provider);
    to.text("receiving_provider", r.receiving_provider);
    to.text("blocklist", d.blocklist);
    to.text("rule", d.rule ? std::string_view(d.rule->id) : std::string_view());
    to.text("matched", d.matched_text);
    to.text("meaning", d.meaning);
    to.text("fix", d.fix);
    to.flag("codes_inconsistent", reply.codes_inconsistent);
    to.text("remote_host", reply.remote_host);
    to.text("smtp_command", reply.smtp_command);
    to.text("format", r.format);
    to.text("dsn_action", r.dsn_action);
    to.text("dsn_status", r.dsn_status);
    to.text("reporting_mta", r.reporting_mta);
    to.text("remote_mta", r.remote_mta);
    to.text("last_attempt_date", r.last_attempt_date);
    to.text("queue_id", r.queue_id);
    to.text("timestamp", r.timestamp);
    to.text("feedback_type", r.feedback_type);
    to.text("original_message_id", r.original.message_id);
    to.text("original_from", r.original.from);
    to.text("original_to", r.original.to);
    to.text("original_subject", r.original.subject);
    to.text("original_date", r.original.date);
}

}  // namespace

// append_json's buffer is kept for the next result up to this size.
constexpr std::size_t k_kept_json_buffer = std::size_t(1) << 20;

// Written by hand rather than through nlohmann::json: building and dumping a JSON object per
// result was ~35 % of the time of a log run. The keys are those of fields(), in its order
// (tests/output_test.cpp checks), written without a std::function and a variant per field into
// a per-thread buffer large enough for the worst case, then appended at once.
void append_json(std::string& out, const Result& r) {
    JsonBound bound;
    json_fields(r, bound);
    thread_local std::unique_ptr<char[]> buffer;
    thread_local std::size_t capacity = 0;
    if (capacity < bound.bytes) {
        capacity = std::max(bound.bytes, std::size_t(1) << 14);
        // (not zero-filled: the bound is six times the text, and zeroing a 100 MB reply's
        // 600 MB made all of it resident)
        buffer = std::make_unique_for_overwrite<char[]>(capacity);
    }
    RawOut raw{buffer.get()};
    JsonObject o(raw);
    json_fields(r, o);
    o.close();
    out.append(buffer.get(), std::size_t(raw.p - buffer.get()));
    if (capacity > k_kept_json_buffer) {  // (a huge result's buffer is not kept)
        buffer.reset();
        capacity = 0;
    }
}

std::string format_json(const Result& result) {
    std::string out;
    append_json(out, result);
    return out;
}

const std::vector<std::string>& tsv_field_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const Field& f : fields()) out.push_back(f.name);
        return out;
    }();
    return names;
}

const std::vector<std::string>& default_tsv_fields() {
    static const std::vector<std::string> k_default = {
        "input",  "line",  "message", "recipient", "basic_code", "enhanced_code", "type",
        "reason", "cause", "action",  "provider",  "blocklist",  "rule",          "text"};
    return k_default;
}

void check_tsv_fields(const std::vector<std::string>& names) {
    for (const std::string& name : names) {
        try {
            field_named(name);
        } catch (const Error&) {
            throw Error(fmt::format("unknown field \"{}\" (known fields: {})", name,
                                    fmt::join(tsv_field_names(), ", ")));
        }
    }
}

std::string format_tsv_header(const std::vector<std::string>& names) {
    return fmt::format("{}", fmt::join(names, "\t"));
}

std::string format_tsv(const Result& result, const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += '\t';
        out += tsv_value(field_named(names[i]).get(result));
    }
    return out;
}

std::string_view action_advice(std::string_view action) {
    if (action == "suppress") return "remove this address from your list: it does not exist";
    if (action == "retry") return "keep the address; a later attempt may succeed";
    if (action == "slow-down") return "send more slowly to this receiver, then retry";
    if (action == "fix-authentication")
        return "do not retry until authentication is fixed; keep the address";
    if (action == "request-delisting") return "get your IP or domain delisted; keep the address";
    if (action == "improve-reputation")
        return "improve your sending reputation before retrying; keep the address";
    if (action == "reduce-size") return "send a smaller message";
    if (action == "review-content") return "change the message content before resending";
    if (action == "fix-configuration") return "fix the sending configuration, then resend";
    if (action == "contact-recipient") return "reach the recipient another way";
    return "nothing to do";
}

std::string format_text(const Result& r, bool color) {
    const Paint paint{color};
    const Diagnosis& d = r.diagnosis;
    std::string out;
    std::string origin = r.input;
    if (r.line != 0) origin += fmt::format(":{}", r.line);
    if (r.message != 0) origin += fmt::format(" message {}", r.message);
    if (!r.recipient.empty()) origin += fmt::format(" <{}>", r.recipient);
    out += paint("2", origin) + "\n";

    std::string headline(type_title(d.type));
    if (d.matched() || d.reason != "undefined") {
        headline += fmt::format(": {} ({})", d.reason, d.cause);
    }
    out += paint(type_colour(d.type), headline) + "\n";

    auto row = [&](std::string_view label, std::string_view value) {
        if (value.empty()) return;
        out += fmt::format("  {} {}\n", paint("1", fmt::format("{:<10}", label)), value);
    };
    std::string codes;
    if (r.reply.basic_code != 0) codes = std::to_string(r.reply.basic_code);
    if (!r.reply.enhanced_code.empty()) codes += (codes.empty() ? "" : " ") + r.reply.enhanced_code;
    if (codes.empty()) codes = "(no reply code found)";
    if (r.reply.codes_inconsistent)
        codes += "  (basic and enhanced codes disagree; the basic code decides)";
    row("codes", codes);
    row("reply", r.reply.text);
    row("meaning", d.meaning);
    row("action", d.matched() || d.reason != "undefined"
                      ? fmt::format("{}: {}", d.action, action_advice(d.action))
                      : std::string());
    row("fix", d.fix);
    row("provider", d.provider);
    if (r.receiving_provider != d.provider) row("receiver", r.receiving_provider);
    row("blocklist", d.blocklist);
    if (d.rule != nullptr) {
        row("rule", d.matched_text.empty()
                        ? d.rule->id
                        : fmt::format("{} (matched \"{}\")", d.rule->id, d.matched_text));
    }
    if (!d.matched() && d.reason == "undefined") {
        row("note", r.reply.has_code() ? "no rule explains this reply"
                                       : "this text carries no SMTP reply code");
    }
    return out;
}

}  // namespace bouncediag
