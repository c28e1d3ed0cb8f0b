#include "bouncediag/reply.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>
#include <vector>

#include "text_util.h"

namespace bouncediag {
namespace {

// A code found in a line: where it starts and ends.
struct Found {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// RFC 5321 section 4.2: the first digit is 2, 3, 4 or 5. The second should be 0 to 5, but real
// servers also send 571 (Exchange), 498 and 599, so any second digit is accepted. A success or
// intermediate code (2xx, 3xx) is only taken at the very start of a reply (`at_start`): inside a
// text "Size (in bytes): 222" is a number.
bool is_basic_code(std::string_view s, bool at_start) {
    return s.size() == 3 &&
           (s[0] == '4' || s[0] == '5' || (at_start && (s[0] == '2' || s[0] == '3'))) &&
           is_digit(s[1]) && is_digit(s[2]);
}

bool basic_code_boundary_before(std::string_view line, std::size_t at) {
    if (at == 0) return true;
    const char c = line[at - 1];
    if (c == ':') {
        // "relay=mx[192.0.2.1]:465" is a port, not a reply.
        return at < 2 || (line[at - 2] != ']' && !is_digit(line[at - 2]));
    }
    return c == ' ' || c == '\t' || c == ';' || c == '\'' || c == '"' || c == '(' || c == '[' ||
           c == '<' || c == '=' || c == '>';
}

bool basic_code_boundary_after(std::string_view line, std::size_t at) {
    if (at >= line.size()) return true;
    const char c = line[at];
    if (c == ':') return at + 1 >= line.size() || !is_digit(line[at + 1]);
    return c == ' ' || c == '\t' || c == '-' || c == ';' || c == ',' || c == '\'' || c == '"' ||
           c == ')';
}

std::size_t enhanced_code_length(std::string_view line, std::size_t at);

// Exchange opens its reply with a '#' and closes it with "##": "#550 5.1.1
// RESOLVER.ADR.RecipNotFound; not found ##". A '#' that starts a word before a basic code
// followed by an enhanced code is that opening.
bool exchange_hash_before(std::string_view line, std::size_t at) {
    return at > 0 && line[at - 1] == '#' && (at == 1 || is_space(line[at - 2])) &&
           at + 4 < line.size() && line[at + 3] == ' ' && enhanced_code_length(line, at + 4) > 0;
}

// The first basic reply code in `line` at or after `from`.
std::optional<Found> find_basic_code(std::string_view line, std::size_t from = 0) {
    for (std::size_t i = from; i + 3 <= line.size(); ++i) {
        if (!is_digit(line[i])) continue;
        if (is_basic_code(line.substr(i, 3), i == 0) &&
            (basic_code_boundary_before(line, i) || exchange_hash_before(line, i)) &&
            basic_code_boundary_after(line, i + 3)) {
            return Found{i, i + 3};
        }
        while (i < line.size() && is_digit(line[i])) ++i;  // skip the rest of a longer number
    }
    return std::nullopt;
}

// Length of an enhanced status code starting at `at` (RFC 3463: class "." 1*3digit "." 1*3digit),
// or 0. A longer dotted number (an IP address, a version) is not a code.
std::size_t enhanced_code_length(std::string_view line, std::size_t at) {
    std::size_t i = at;
    if (i >= line.size() || !(line[i] == '2' || line[i] == '4' || line[i] == '5')) return 0;
    ++i;
    for (int part = 0; part < 2; ++part) {
        if (i >= line.size() || line[i] != '.') return 0;
        ++i;
        std::size_t digits = 0;
        while (i < line.size() && is_digit(line[i])) ++i, ++digits;
        if (digits == 0 || digits > 3) return 0;
    }
    if (i < line.size() && (is_digit(line[i]) || line[i] == '.') && i + 1 < line.size() &&
        is_digit(line[i + 1])) {
        return 0;
    }
    if (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_'))
        return 0;
    return i - at;
}

bool enhanced_code_boundary_before(std::string_view line, std::size_t at) {
    if (at == 0) return true;
    const char c = line[at - 1];
    return c == ' ' || c == '\t' || c == '#' || c == '(' || c == '[' || c == '=' || c == '"' ||
           c == '\'' || c == ':' || c == ';' || c == '-' || c == '<' || c == '{';
}

// The first enhanced code in `line` at or after `from`. Class 2 codes only count where
// `allow_success` is set: "2.0.1" elsewhere is too often a version number.
std::optional<Found> find_enhanced_code(std::string_view line, std::size_t from,
                                        bool allow_success) {
    for (std::size_t i = from; i < line.size(); ++i) {
        if (!is_digit(line[i])) continue;
        if (enhanced_code_boundary_before(line, i) && (allow_success || line[i] != '2')) {
            if (std::size_t n = enhanced_code_length(line, i)) return Found{i, i + n};
        }
        while (i < line.size() && (is_digit(line[i]) || line[i] == '.')) ++i;
    }
    return std::nullopt;
}

// Wrappers that put a reply inside other text. Each marker is searched case-insensitively; the
// reply starts after it.
struct Wrapper {
    std::string_view marker;
    std::string_view name;
};

constexpr std::array k_wrappers = {
    Wrapper{"diagnostic-code:", "diagnostic-code"},
    Wrapper{"remote server returned '", "exchange"},
    Wrapper{"remote server returned \"", "exchange"},
    Wrapper{"smtp error from remote mail server after ", "exim"},
    Wrapper{"smtp error from remote server for ", "exim"},
    Wrapper{"the response from the remote server was:", "gmail"},
    Wrapper{"the error that the other server returned was:", "gmail"},
    Wrapper{"the response was:", "gmail"},
    Wrapper{" said: ", "said"},
    Wrapper{" refused to talk to me: ", "said"},
    Wrapper{"status:", "status"},
};

struct LineParse {
    int basic_code = 0;
    std::string enhanced_code;
    std::string text;
    std::string remote_host;
    std::string smtp_command;
    std::string wrapper;
    bool starts_with_code = false;  // a multi-line reply's continuation ("550-5.7.1 ...")
};

// "host mx.example.com[192.0.2.1] said:" -> "mx.example.com".
std::string host_before_said(std::string_view before) {
    std::size_t host_at = ifind(before, "host ");
    if (host_at == std::string_view::npos) return {};
    std::string_view host = before.substr(host_at + 5);
    std::size_t end = host.find_first_of("[ (");
    return std::string(trim(host.substr(0, end)));
}

// Exim: "SMTP error from remote mail server after RCPT TO:<a@b>: host mx [ip]: 550 ..." and the
// newer "SMTP error from remote server for RCPT TO command, host: mx (ip) reason: 550 ...".
std::string_view strip_exim_wrapper(std::string_view rest, LineParse& out) {
    static constexpr std::array k_commands = {
        std::string_view("RCPT TO"),
        std::string_view("MAIL FROM"),
        std::string_view("DATA"),
        std::string_view("end of data"),
        std::string_view("initial connection"),
        std::string_view("EHLO"),
        std::string_view("HELO"),
        std::string_view("STARTTLS"),
        std::string_view("pipelined"),
    };
    // "after pipelined RCPT TO:<a@b>": the reply still answers the command that follows.
    std::string_view said = rest;
    if (istarts_with(said, "pipelined ")) said = trim(said.substr(10));
    for (std::string_view command : k_commands) {
        if (istarts_with(said, command)) {
            out.smtp_command = command == "end of data"          ? "DATA"
                               : command == "initial connection" ? "CONNECT"
                                                                 : std::string(command);
            if (out.smtp_command == "pipelined") out.smtp_command.clear();
            break;
        }
    }
    if (std::size_t reason = ifind(rest, "reason: "); reason != std::string_view::npos) {
        if (std::size_t host = ifind(rest, "host: "); host != std::string_view::npos) {
            std::string_view h = rest.substr(host + 6);
            out.remote_host = std::string(trim(h.substr(0, h.find_first_of(" ("))));
        }
        return rest.substr(reason + 8);
    }
    // Skip "RCPT TO:<a@b>:" up to the ':' that ends the command, then an optional "host X [ip]:".
    std::size_t close = rest.find('>');
    std::size_t colon = rest.find(':', close == std::string_view::npos ? 0 : close);
    if (colon != std::string_view::npos && (close != std::string_view::npos || colon < 24)) {
        rest = trim(rest.substr(colon + 1));
    }
    if (istarts_with(rest, "host ")) {
        std::string_view h = rest.substr(5);
        std::size_t end = h.find_first_of(" [");
        out.remote_host = std::string(trim(h.substr(0, end)));
        std::size_t after = rest.find("]:");
        if (after != std::string_view::npos) rest = rest.substr(after + 2);
    }
    return rest;
}

// Whether `marker` (lower case) stands in `line` at `at`, compared without case.
bool marker_at(std::string_view line, std::size_t at, std::string_view marker) {
    if (at > line.size() || line.size() - at < marker.size()) return false;
    for (std::size_t k = 0; k < marker.size(); ++k)
        if (ascii_lower(line[at + k]) != marker[k]) return false;
    return true;
}

// Calls `visit(i)` for every position of `c` in `line`, in order, until it returns false.
template <typename Visit>
void for_each_byte(std::string_view line, char c, Visit visit) {
    for (std::size_t i = line.find(c); i != std::string_view::npos && visit(i);
         i = line.find(c, i + 1)) {
    }
}

// Where each wrapper's marker first stands in `line` (npos when absent). Each marker but
// Exim's two holds a ':' or a quote ("anchor"); only the anchors of the line are looked at,
// found with memchr (a scan of every byte cost ~7,600 instructions a log reply). Anchors come
// in order, so the first match of a marker is its first occurrence.
// Per wrapper, where its anchor stands in its marker (npos: none, Exim's).
constexpr std::array<std::size_t, k_wrappers.size()> anchor_offsets() {
    std::array<std::size_t, k_wrappers.size()> offsets{};
    for (std::size_t w = 0; w < k_wrappers.size(); ++w)
        offsets[w] = k_wrappers[w].marker.find_first_of(":'\"");
    return offsets;
}

std::array<std::size_t, k_wrappers.size()> find_markers(std::string_view line) {
    constexpr std::size_t n = k_wrappers.size();
    static constexpr std::array<std::size_t, n> k_anchor = anchor_offsets();
    std::array<std::size_t, n> at;
    at.fill(std::string_view::npos);
    for (char anchor : {':', '\'', '"'}) {
        for_each_byte(line, anchor, [&](std::size_t i) {
            // (the byte before the anchor rules out most markers without a call)
            const char before = i > 0 ? ascii_lower(line[i - 1]) : '\0';
            bool missing = false;
            for (std::size_t w = 0; w < n; ++w) {
                if (at[w] != std::string_view::npos) continue;
                std::string_view marker = k_wrappers[w].marker;
                std::size_t offset = k_anchor[w];
                if (offset == std::string_view::npos || marker[offset] != anchor) continue;
                missing = true;
                if (i >= offset && offset > 0 && marker[offset - 1] == before &&
                    marker_at(line, i - offset, marker))
                    at[w] = i - offset;
            }
            return missing;
        });
    }
    // Exim's "SMTP error from remote mail server after " / "... remote server for ".
    static constexpr std::string_view k_exim = "smtp error from remote ";
    for (char first : {'s', 'S'}) {
        for_each_byte(line, first, [&](std::size_t i) {
            if (i + 1 < line.size() && ascii_lower(line[i + 1]) == 'm' &&
                marker_at(line, i, k_exim)) {
                for (std::size_t w = 0; w < n; ++w) {
                    std::string_view marker = k_wrappers[w].marker;
                    if (k_anchor[w] == std::string_view::npos && i < at[w] &&
                        marker_at(line, i, marker))
                        at[w] = i;
                }
            }
            return true;
        });
    }
    return at;
}

// Finds the wrapper that encloses the reply, records what it says and returns the reply part.
std::string_view strip_wrapper(std::string_view line, LineParse& out) {
    // A line that starts with a reply code is the reply itself, whatever it quotes later
    // (Postfix: "450 4.1.1 <a@b>: Recipient address rejected: unverified address: host X said:").
    // (find_basic_code's first candidate is the start: checked there alone.)
    if (line.size() >= 3 && is_basic_code(line.substr(0, 3), true) &&
        basic_code_boundary_after(line, 3))
        return line;
    const std::array<std::size_t, k_wrappers.size()> found = find_markers(line);
    for (std::size_t k = 0; k < k_wrappers.size(); ++k) {
        const Wrapper& w = k_wrappers[k];
        std::size_t at = found[k];
        if (at == std::string_view::npos) continue;
        // Field names only count at the start of a line ("Status:" inside a text is prose).
        if ((w.name == "status" || w.name == "diagnostic-code") &&
            !trim(line.substr(0, at)).empty())
            continue;
        out.wrapper = std::string(w.name);
        std::string_view before = line.substr(0, at);
        std::string_view rest = line.substr(at + w.marker.size());
        if (w.name == "said") {
            out.remote_host = host_before_said(before);
        } else if (w.name == "exim") {
            rest = strip_exim_wrapper(trim(rest), out);
        } else if (w.name == "exchange") {
            char quote = w.marker.back();
            std::size_t close = rest.rfind(quote);
            if (close != std::string_view::npos) rest = rest.substr(0, close);
        } else if (w.name == "diagnostic-code") {
            // "Diagnostic-Code: smtp; 550 ..." (RFC 3464 section 2.3.6: diagnostic-type ";").
            std::size_t semicolon = rest.find(';');
            if (semicolon != std::string_view::npos && semicolon < 24) {
                rest = rest.substr(semicolon + 1);
            }
        }
        return trim(rest);
    }
    return line;
}

// Removes leading and trailing white space without a new string.
void trim_in_place(std::string& s) {
    std::size_t end = s.size();
    while (end > 0 && is_space(s[end - 1])) --end;
    s.resize(end);
    std::size_t begin = 0;
    while (begin < s.size() && is_space(s[begin])) ++begin;
    s.erase(0, begin);
}

// "(in reply to RCPT TO command)" (Postfix) at the end of a text: remove it, keep the command.
void strip_command_trailer(std::string& text, std::string& command) {
    static constexpr std::string_view k_open = "(in reply to ";
    std::size_t at = ifind(text, k_open);
    if (at == std::string::npos) return;
    std::size_t close = text.find(')', at);
    if (close == std::string::npos) return;
    std::string_view inner =
        std::string_view(text).substr(at + k_open.size(), close - at - k_open.size());
    if (iends_with(inner, " command")) inner.remove_suffix(8);
    if (command.empty()) {
        command = iequals(inner, "end of DATA") ? "DATA" : std::string(inner);
    }
    text.erase(at, close + 1 - at);
    trim_in_place(text);
}

// Removes the code token [begin, end) and decoration around it ("#", "(#...)") from `text`.
std::string remove_span(std::string_view text, std::size_t begin, std::size_t end) {
    if (begin > 0 && text[begin - 1] == '#') --begin;
    if (begin > 0 && end < text.size() && text[begin - 1] == '(' && text[end] == ')') {
        --begin;
        ++end;
    }
    std::string out(trim(text.substr(0, begin)));
    std::string_view tail = trim(text.substr(end));
    if (!out.empty() && !tail.empty()) out += ' ';
    out += tail;
    return out;
}

// A multi-line reply folded into one line (a Diagnostic-Code field unfolded) keeps each line's
// code: "550-5.2.1 The user is receiving mail at a rate that 550-5.2.1 prevents ...". Those
// repeats of the reply's own codes are removed from the text.
std::string strip_repeated_codes(std::string text, int basic, const std::string& enhanced) {
    const std::string code = std::to_string(basic);
    std::size_t at = 0;
    while ((at = text.find(code, at)) != std::string::npos) {
        std::size_t end = at + code.size();
        bool boundary = (at == 0 || text[at - 1] == ' ') && end < text.size() &&
                        (text[end] == '-' || text[end] == ' ');
        if (!boundary) {
            at = end;
            continue;
        }
        std::size_t next = end + 1;
        if (!enhanced.empty() && text.compare(next, enhanced.size(), enhanced) == 0 &&
            (next + enhanced.size() == text.size() || text[next + enhanced.size()] == ' ')) {
            end = next + enhanced.size();
        } else if (text[end] == ' ') {
            at = end;  // "550 bytes": a lone number followed by a space is text
            continue;
        } else {
            end = next;  // "550-in your mail client"
        }
        while (end < text.size() && text[end] == ' ') ++end;
        text.erase(at, end - at);
    }
    return std::string(trim(text));
}

LineParse parse_line(std::string_view raw) {
    LineParse out;
    std::string_view line = strip_wrapper(trim(raw), out);

    // The reply proper: "550 5.1.1 text", "550-5.7.1 text", "550 #5.1.0 text", "5.1.1 text".
    std::optional<Found> basic = find_basic_code(line);
    if (basic && (line[basic->begin] == '2' || line[basic->begin] == '3')) {
        // A greeting banner before the real reply ("220-mx.example.com 421 4.2.1 Service
        // refused"): the failure is the later 4xx or 5xx code.
        if (std::optional<Found> failure = find_basic_code(line, basic->end)) basic = failure;
    }
    std::size_t text_from = 0;
    if (basic) {
        out.basic_code = (line[basic->begin] - '0') * 100 + (line[basic->begin + 1] - '0') * 10 +
                         (line[basic->begin + 2] - '0');
        out.starts_with_code = basic->begin == 0;
        text_from = basic->end;
        // The enhanced code normally follows the basic code (RFC 3463 section 3).
        std::size_t i = basic->end;
        char quote = '\0';  // a quote opened between the two codes ("550-'5.1.1 ...'")
        while (i < line.size() && (line[i] == ' ' || line[i] == '-' || line[i] == '#' ||
                                   line[i] == '(' || line[i] == '\'' || line[i] == '"')) {
            if (line[i] == '\'' || line[i] == '"') quote = line[i];
            ++i;
        }
        if (std::size_t n = enhanced_code_length(line, i)) {
            out.enhanced_code = std::string(line.substr(i, n));
            text_from = i + n;
            if (text_from < line.size() && line[text_from] == ')') ++text_from;
            // The quote closes at the end of the reply: it is no part of the text.
            std::string_view tail = trim(line.substr(text_from));
            if (quote && tail.size() > 1 && tail.back() == quote)
                line = line.substr(0, static_cast<std::size_t>(&tail.back() - line.data()));
        }
    }
    std::string text(trim(line.substr(text_from)));
    if (basic && basic->begin > 0 && out.enhanced_code.empty()) {
        // An enhanced code leading the line, the basic code quoted later (Amazon SES: "5.3.0 -
        // Other mail system problem 550-'Unknown user ...'"): the leading code is the reply's,
        // and the words between the two codes belong to the text.
        std::size_t n = enhanced_code_length(line, 0);
        if (n != 0 && line[0] != '2') {
            out.enhanced_code = std::string(line.substr(0, n));
            std::size_t end = basic->end;
            if (end < line.size() && line[end] == '-') ++end;  // "550-'...'"
            text = remove_span(line.substr(n), basic->begin - n, end - n);
        }
    }
    // "550 : User unknown": the server printed an empty address before the colon (KDDI au does
    // when the recipient's reception filter refused the sender); the colon stays in the text.
    std::string_view separators = line.substr(std::min(text_from, line.size()));
    separators = separators.substr(0, separators.find_first_not_of(" \t:-"));
    bool empty_address = basic && separators.find(" :") != std::string_view::npos;
    while (!text.empty() && (text.front() == '-' || text.front() == ':'))
        text = std::string(trim(std::string_view(text).substr(1)));
    if (empty_address && !text.empty()) text = ": " + text;
    if (out.enhanced_code.empty()) {
        // Elsewhere: "Sorry, no mailbox here by that name. (#5.1.1)", "dsn=5.1.1", a lone
        // "5.2.2" (Status: field).
        bool success_ok = out.wrapper == "status" || (out.basic_code / 100) == 2;
        std::string_view search = basic ? std::string_view(text) : line;
        if (auto e = find_enhanced_code(search, 0, success_ok)) {
            out.enhanced_code = std::string(search.substr(e->begin, e->end - e->begin));
            text = remove_span(search, e->begin, e->end);
        } else if (!basic) {
            text = std::string(line);
        }
    }
    // Exchange's closing "##" (see exchange_hash_before) is no part of the text.
    if (basic && exchange_hash_before(line, basic->begin) && text.ends_with("##"))
        text = std::string(trim(std::string_view(text).substr(0, text.size() - 2)));
    // Only a reply that starts as a multi-line one ("550-...") can carry folded continuations.
    if (basic && basic->end < line.size() && line[basic->end] == '-')
        text = strip_repeated_codes(std::move(text), out.basic_code, out.enhanced_code);
    out.text = std::move(text);
    return out;
}

// An MTA's expiry notice that quotes the remote server's last reply in angle brackets at its
// end (Amazon SES and WorkMail: "554 4.4.7 Message expired: unable to deliver in 840
// minutes.<421 4.4.2 Connection timed out>"): the quoted reply's codes say what went wrong.
void adopt_quoted_reply(Reply& reply) {
    std::string_view text = reply.text;
    if (text.empty() || text.back() != '>') return;
    std::size_t open = text.rfind('<');
    if (open == std::string_view::npos || open == 0) return;
    LineParse inner = parse_line(text.substr(open + 1, text.size() - open - 2));
    if (!inner.starts_with_code || inner.basic_code < 400 || inner.enhanced_code.empty()) return;
    reply.basic_code = inner.basic_code;
    reply.enhanced_code = inner.enhanced_code;
}

// Calls `each` with every non-empty line of `input`, trimmed (CR, LF and CRLF end a line).
template <typename Each>
void for_each_line(std::string_view input, Each&& each) {
    if (input.find('\n') == std::string_view::npos && input.find('\r') == std::string_view::npos) {
        // One line, the common case: found by two memchr() scans.
        std::string_view line = trim(input);
        if (!line.empty()) each(line);
        return;
    }
    std::size_t start = 0;
    for (std::size_t i = 0; i <= input.size(); ++i) {
        if (i == input.size() || input[i] == '\n' || input[i] == '\r') {
            std::string_view line = trim(input.substr(start, i - start));
            if (!line.empty()) each(line);
            if (i < input.size() && input[i] == '\r' && i + 1 < input.size() &&
                input[i + 1] == '\n')
                ++i;
            start = i + 1;
        }
    }
}

void append_text(std::string& text, std::string_view more) {
    if (more.empty()) return;
    if (!text.empty()) text += ' ';
    text += more;
}

}  // namespace

std::string_view Reply::code_class_type() const {
    int klass =
        basic_code != 0 ? basic_code / 100 : (enhanced_code.empty() ? 0 : enhanced_code[0] - '0');
    switch (klass) {
        case 2:
        case 3:
            return "none";
        case 4:
            return "soft";
        case 5:
            return "hard";
        default:
            return "";
    }
}

bool is_enhanced_code(std::string_view code) {
    return !code.empty() && enhanced_code_length(code, 0) == code.size();
}

bool enhanced_code_parts(std::string_view code, int (&parts)[3]) {
    if (!is_enhanced_code(code)) return false;
    int split[3] = {0, 0, 0};
    int part = 0;
    for (char c : code) {
        if (c == '.') {
            ++part;
        } else {
            split[part] = split[part] * 10 + (c - '0');
        }
    }
    std::copy(std::begin(split), std::end(split), std::begin(parts));
    return true;
}

Reply parse_reply(std::string_view input) {
    Reply reply;
    std::string text;
    std::size_t n = 0;
    for_each_line(input, [&](std::string_view raw) {
        LineParse line = parse_line(raw);
        bool continuation = n > 0 && line.starts_with_code && line.wrapper.empty();
        if (n == 0) {
            // (the common case, one line: its strings move)
            reply.basic_code = line.basic_code;
            reply.enhanced_code = std::move(line.enhanced_code);
            text = std::move(line.text);
        } else if (!reply.has_code() || continuation) {
            // The final line's codes win in a multi-line reply (RFC 5321 section 4.2.1).
            if (line.basic_code != 0) reply.basic_code = line.basic_code;
            if (!line.enhanced_code.empty()) reply.enhanced_code = line.enhanced_code;
            append_text(text, line.text);
        } else {
            append_text(text, raw);
        }
        if (reply.wrapper.empty()) reply.wrapper = std::move(line.wrapper);
        if (reply.remote_host.empty()) reply.remote_host = std::move(line.remote_host);
        if (reply.smtp_command.empty()) reply.smtp_command = std::move(line.smtp_command);
        ++n;
    });
    strip_command_trailer(text, reply.smtp_command);
    reply.text = std::move(text);
    adopt_quoted_reply(reply);
    if (reply.wrapper.empty()) reply.wrapper = "bare";
    if (reply.basic_code != 0 && !reply.enhanced_code.empty()) {
        reply.codes_inconsistent = reply.basic_code / 100 != reply.enhanced_code[0] - '0';
    }
    return reply;
}

}  // namespace bouncediag
