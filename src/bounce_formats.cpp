#include "bounce_formats.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <utility>
#include "text_util.h"

namespace bouncediag::detail {

std::string stated_command(std::string_view text);

namespace {

std::string to_lower_copy(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

re2::StringPiece piece(std::string_view s) {
    return re2::StringPiece(s.data(), s.size());
}
std::string_view view(re2::StringPiece s) {
    return std::string_view(s.data(), s.size());
}

// RE2's \s.
bool is_re2_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

// The first character of `s` that RE2's \s does not match; '\0' when there is none. Lines that
// a "^\s*X" pattern needs start with X after these.
char first_after_re2_space(std::string_view s) {
    for (char c : s)
        if (!is_re2_space(c)) return c;
    return '\0';
}

// RE2 asked for captures of an anchored pattern ("^...") skips its DFA and runs a matcher
// whose setup costs in proportion to the text, even on lines that fail at their first byte. A
// capture-free match (the DFA alone) first decides; only matching lines pay for the captures.
bool partial_match_n(std::string_view text, const RE2& re, const RE2::Arg* const args[], int n) {
    return RE2::PartialMatch(piece(text), re) && RE2::PartialMatchN(piece(text), re, args, n);
}

template <typename... Args>
bool partial_match(std::string_view text, const RE2& re, Args&&... args) {
    return RE2::PartialMatch(piece(text), re) &&
           RE2::PartialMatch(piece(text), re, std::forward<Args>(args)...);
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) eol = text.size();
        lines.push_back(text.substr(pos, eol - pos));
        pos = eol + 1;
    }
    return lines;
}

// A human-readable bounce format, as data. The generic shapes (k_generic_recipient and the
// Sendmail summary) are tried first: they cover Postfix, Exim, qmail, Sendmail, Gmail, Courier,
// OpenSMTPD, Exchange and most gateways. When they find no recipient, these formats are tried
// in order; the first whose `detect` pattern (if any) matches the subject, From or text and
// whose recipient pattern finds a recipient reads the email. Every format shares the
// end-of-report markers (end_marker) and the reply extraction (diagnostic_of).
struct FormatSpec {
    const char* name;
    const char* detect;       // RE2 on "Subject: ...\nFrom: ...\n\n<text>"; null: always
    const char* begin;        // RE2 on a line: the failure section starts after it; null: at once
    const char* end;          // RE2 on a line: the failure section ends before it; null: generic
    const char* recipient;    // RE2 on a line, capture 1 = address, 2 = rest of the line
    bool text_first = false;  // captures swapped: 1 = the error text, 2 = the address
    bool local_part = false;  // recipients may be bare local parts (no '@')
};

// Address forms accepted inside recipient patterns. The domain may hold non-ASCII labels
// (SMTPUTF8: "用户@例子.example") but ends with an ASCII letter or digit, so that text written
// right after it ("a@b.example的邮件") is not taken for part of it.
#define ADDR_LOCAL "[^<>\\s\"(),;:\\[\\]]+"
#define ADDR_DOMAIN \
    "[A-Za-z0-9\\[\\x{80}-\\x{10ffff}][A-Za-z0-9.:\\]\\x{80}-\\x{10ffff}-]*[A-Za-z0-9\\]]"
#define ADDR "(" ADDR_LOCAL "@" ADDR_DOMAIN ")"

// The shapes nearly every MTA uses for the recipient line of its failure list.
const char* const k_generic_recipient =
    // <a@b>: text / <a@b>... text / <a@b> (expanded from <c@d>): text / a@b: text / a@b
    // 'a@b' on DATE (Exchange 2003 and its look-alikes quote addresses typed in full)
    // 550 <a@b>... text (Sendmail's summary lines)
    "^\\s*(?:[-*]\\s+)?[<\"']?" ADDR
    "[>\"']?(?:<mailto:[^>]*>)?(?:\\s*\\(expanded from[^)]*\\)?)?"
    "(?:\\s*(?:[:;,]+|\\.\\.\\.|\\.(?:\\s|$))\\s*(.*)|\\s*$|\\s+(.*))";

// Sendmail's per-recipient summary after a transcript: "550 5.1.1 <a@b>... User unknown".
const char* const k_sendmail_summary =
    "^\\s*[245][0-9][0-9][ -](?:[245]\\.[0-9]{1,3}\\.[0-9]{1,3}\\s+)?<?" ADDR
    ">?\\.\\.\\.\\s*(.*)$";

// Whether `line` can start the way k_generic_recipient needs: blanks, an optional "-" or "*"
// bullet and blanks, an optional '<' or '"', then a run of address characters with an '@'
// after its first one. Most lines fail at once and need no regex.
bool may_be_generic_recipient(std::string_view line) {
    auto excluded = [](char c) {
        return c == '<' || c == '>' || is_re2_space(c) || c == '"' || c == '(' || c == ')' ||
               c == ',' || c == ';' || c == ':' || c == '[' || c == ']';
    };
    auto address_at = [&](std::size_t p) {
        if (p < line.size() && (line[p] == '<' || line[p] == '"')) ++p;
        for (std::size_t start = p; p < line.size() && !excluded(line[p]); ++p)
            if (line[p] == '@' && p > start) return true;
        return false;
    };
    std::size_t i = 0;
    while (i < line.size() && is_re2_space(line[i])) ++i;
    if (address_at(i)) return true;
    if (i + 1 < line.size() && (line[i] == '-' || line[i] == '*') && is_re2_space(line[i + 1])) {
        std::size_t j = i + 1;
        while (j < line.size() && is_re2_space(line[j])) ++j;
        return address_at(j);
    }
    return false;
}

// A line holding nothing but a recipient's display name and bracketed address, as Exchange
// lists them: "Rob Stone (rob@example.com)<mailto:rob@example.com>", "Rob Stone <rob@...>".
const char* const k_named_recipient =
    "^\\s*[^<>@():;,\"\\[\\]\\s0-9][^<>@():;,\"\\[\\]]{0,63}?\\s[(<]" ADDR
    "[)>](?:<mailto:[^>]*>)?\\s*$";

// Whether `line` can be a k_named_recipient line: holding an '@', ending with ')' or '>'.
bool may_be_named_recipient(std::string_view line) {
    std::string_view t = trim(line);
    return !t.empty() && (t.back() == ')' || t.back() == '>') &&
           t.find('@') != std::string_view::npos;
}

// Whether `line` starts like k_sendmail_summary: blanks, then a reply code and ' ' or '-'.
bool may_be_sendmail_summary(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && is_re2_space(line[i])) ++i;
    return i + 3 < line.size() && (line[i] == '2' || line[i] == '4' || line[i] == '5') &&
           is_digit(line[i + 1]) && is_digit(line[i + 2]) &&
           (line[i + 3] == ' ' || line[i + 3] == '-');
}

const FormatSpec k_formats[] = {
    // Exim lists each failed address indented by two spaces under its heading; local
    // deliveries name a bare local part or a pipe/file ("save to ..." is not an address).
    {"exim-local", "(?i)the following address\\(es\\) failed",
     "(?i)the following address\\(es\\) failed", nullptr, "^  ([^\\s<>@()]+)\\s*$", false, true},
    // Exim deliveries that a filter generated ("save to /path", "|command") name the address
    // that generated them on the next line: "generated by jane@example.com" or a local part.
    {"exim-generated", "(?i)the following address\\(es\\) failed",
     "(?i)the following address\\(es\\) failed", nullptr,
     "^\\s+generated by\\s+<?([^\\s<>()]+?)>?\\s*$", false, true},
    // SMTP session transcripts: the recipient is the RCPT TO argument and the reply follows
    // (Postfix "In:/Out:", Sendmail ">>>/<<<", InterScan "Sent <<<"/"Received >>>", MDaemon
    // "Fri 2024-03-15 10:00:01.460: -->" after a timestamp).
    {"smtp-transcript", nullptr, nullptr, nullptr,
     "(?i)^\\s*(?:[a-z]{3} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+:\\s*)?(?:In:|>>>|-->|Sent "
     "<<<)\\s*RCPT TO:\\s*<?" ADDR ">?\\s*(.*)$"},
    // Labelled recipient lines: "Recipient address: a@b", "Failed recipient: <a@b>",
    // "Original-Recipient: rfc822;a@b" (inline DSN text), "Invalid recipient: ...", and the
    // Chinese, Japanese and Korean labels with a full-width colon ("收件人： a@b", QQ, NetEase),
    // and MailEnable's "Recipient: [SMTP:a@b]".
    {"labelled", nullptr, nullptr, nullptr,
     "(?i)^\\s*[\\[(]?(?:[^<>@\\n]*?[,;]\\s*)?(?:(?:original|final|failed|invalid|unknown|bad|"
     "intended)[- ])?(?:recipient|"
     "address|addressee|rcpt to|e-?mail address|destinataire|empfänger|收件人|收信人|受信者|宛先|"
     "수신자|받는 사람)(?:\\(s\\)| "
     "address(?:es)?)?\\s*(?:[:=]|：)\\s*(?:rfc822;\\s*|\\[?smtp:)?<?" ADDR ">?\\s*(.*)$"},
    // The reason first, then the address: "User's mailbox is full: <a@b>", "Delivery failed 20
    // attempts: a@b".
    {"text-first", nullptr, nullptr, nullptr,
     "^\\s*([A-Za-z][^<>@:]*? [^<>@:]*?)\\s*:\\s*<?" ADDR ">?\\.?\\s*$", true},
    // "Your message to <a@b> ..." and "Delivery to a@b failed" style sentences.
    {"sentence", nullptr, nullptr, nullptr,
     "(?i)^\\s*(?:.*?\\b)?(?:your (?:message|mail|e-?mail) (?:to|for)|delivery to(?: the "
     "following recipients?)?|(?:could not|unable to|failed to) deliver (?:your )?(?:mail|"
     "message|e-?mail) to|failed to deliver to|(?:error|failure) delivering (?:your )?(?:mail|"
     "message|e-?mail) to|(?:(?:could not|cannot|can't|couldn't) be|wasn't|was not|weren't|were "
     "not) delivered to|message to|mail to|undeliverable to|delivery has failed to these "
     "recipients or groups:?|(?:rejected|refused|unknown|invalid) recipient|the following "
     "(?:recipient|address)(?:e?s|\\(e?s\\))?[^:@]*:|did not reach the following "
     "recipients?(?:\\(s\\))?:?)\\s*:?\\s*['\"]?<?" ADDR ">?\\s*(.*)$"},
};

// Lines that start the returned message (or its headers) inside the text. Written for one line
// at a time, with "[\t\f\r ]" (RE2's \s without the newline) where the line may hold blanks, so
// that the same pattern in multi-line mode finds the first such line of a whole text in one
// pass: no match can reach across a line end.
const char* const k_end_marker =
    "(?i)^[\\t\\f\\r ]*\\|?(?:[-=_*#>]{2,}.*\\b(?:original|copy of|unsent|undelivered message|"
    "message (?:text )?follows|headers? follow|below this line|returned message|rejected "
    "message|message "
    "headers|header of|original message|text of the message|attached message)|(?:-+ ?)?"
    "below this line is a copy|original (?:mail|message) as follows|original message(?: "
    "headers| follows|:?[\\t\\f\\r ]*$)|content-type: "
    "message/rfc822|-{2,}[\\t\\f\\r ]*end[\\t\\f\\r ]+(?:of[\\t\\f\\r ]+)?(?:session[\\t\\f\\r "
    "]+)?transcript|------ this is a copy|\\*\\*\\* original message|the header of the "
    "original message|message headers follow|--- the header)";

// Offset of the first line of `text` that starts the returned message (text.size() if none).
std::size_t end_marker_offset(std::string_view text) {
    // The reader, the command finder and the transcript ask about the same report text several
    // times per email: the last answer is kept, with a copy of the text it is for (comparing
    // costs far less than the search).
    thread_local std::string last_text;
    thread_local std::size_t last_offset = std::string::npos;
    if (last_offset != std::string::npos && text == last_text) return last_offset;
    static const RE2 re(std::string("(?m)") + k_end_marker);
    re2::StringPiece m;
    std::size_t offset = text.size();
    if (re.Match(piece(text), 0, text.size(), RE2::UNANCHORED, &m, 1))
        offset = static_cast<std::size_t>(m.data() - text.data());
    last_text.assign(text);
    last_offset = offset;
    return offset;
}

const RE2& header_line() {
    static const RE2 re(
        "(?i)^(?:Return-Path|Received|DKIM-Signature|Message-I[Dd]|X-[A-Za-z0-9-]+|From|To|"
        "Subject|Date|MIME-Version|Delivered-To|Reply-To|Content-Type|Sender|References|"
        "Authentication-Results|ARC-[A-Za-z-]+):\\s");
    return re;
}

bool is_header_continuation(std::string_view line) {
    return !line.empty() && (line.front() == ' ' || line.front() == '\t');
}

// Exchange opens its reply with a '#' before both codes and closes it with "##": "#550 5.1.1
// RESOLVER.ADR.RecipNotFound; not found ##".
#define EXCHANGE_HASH_CODES "#[45][0-9][0-9] [45]\\.[0-9]{1,3}\\.[0-9]{1,3}(?:[^0-9.]|$)|"

// Lines carrying an SMTP reply code: basic (RFC 5321) or enhanced (RFC 3463).
const RE2& code_re() {
    static const RE2 re(
        "(?:^|[^0-9A-Za-z.#/=-])(" EXCHANGE_HASH_CODES
        "[45][0-9][0-9](?:[ ,:-]|$)|#?[45]\\.[0-9]{1,3}\\.[0-9]{1,3}(?:[^0-9.]|$))");
    return re;
}

// A basic reply code alone: the line that carries one is the reply itself, while an enhanced
// code alone is often a reference in explanatory text ("see DSN 5.1.10").
const RE2& basic_code_re() {
    static const RE2 re("(?:^|[^0-9A-Za-z.#/=-])(" EXCHANGE_HASH_CODES
                        "[45][0-9][0-9](?:[ ,:-]|$))");
    return re;
}

// The quote pairs a reply is quoted in: ASCII quotes, English and Chinese curly quotes, German
// and Czech low-high quotes, guillemets, Japanese corner brackets.
constexpr std::pair<std::string_view, std::string_view> k_quote_pairs[] = {
    {"'", "'"},           {"\"", "\""},         {"\u201c", "\u201d"},
    {"\u201e", "\u201c"}, {"\u00ab", "\u00bb"}, {"\u300c", "\u300d"},
};

// The closing quote for a quote that ends `before` ("returned '"); empty when it ends with none.
std::string_view closing_quote_for(std::string_view before) {
    for (auto [open, close] : k_quote_pairs)
        if (before.ends_with(open)) return close;
    return {};
}

// Where `quote`, closing the quote that opened before `reply`, stands in it: its last
// occurrence, when the sentence's words follow it ("'550 ...' zurückgegeben", "'550 ...'을(를)
// 반환했습니다"), not letters of the reply ("user's mailbox"); npos when it does not close on
// this line.
std::size_t closing_quote(std::string_view reply, std::string_view quote) {
    std::size_t at = reply.rfind(quote);
    if (at == std::string_view::npos || at < 4) return std::string_view::npos;
    std::string_view after = reply.substr(at + quote.size());
    auto ends_words = [](char c) {
        return is_re2_space(c) || c == '.' || c == ',' || c == ')' ||
               static_cast<unsigned char>(c) >= 0x80;
    };
    if (after.size() > 80 || (!after.empty() && !ends_words(after.front())))
        return std::string_view::npos;
    // The words after it are the sentence's, never a reply of their own.
    if (RE2::PartialMatch(piece(after), code_re())) return std::string_view::npos;
    return at;
}

// The reply of a line ends where the text that encloses it closes: a quote that opened before
// it (Exchange: "Remote Server returned '550 5.1.1 ...'", localized: "Remoteserver hat '550
// ...' zurückgegeben.", "远程服务器返回“550 ...”"; Axigen "replied \"550 ...\" after RCPT TO
// command"), Exchange's "#550 ... ##", a parenthesis or angle bracket left open before it
// (Sendmail: "(reason: 550 5.1.1 <a@b>... User unknown)", Exchange 2003: "<host #5.1.1
// smtp;550 5.1.1 User unknown>"). `before` is the line up to the reply, `reply` the rest of the
// line. Returns whether a quote or "##" closed it: it does not go on to the next line.
bool strip_enclosing(std::string_view before, std::string& reply) {
    auto drop_suffix = [&](std::size_t n) {
        reply.resize(reply.size() - n);
        while (!reply.empty() && is_re2_space(reply.back())) reply.pop_back();
        return true;
    };
    while (!reply.empty() && is_re2_space(reply.back())) reply.pop_back();
    if (reply.empty()) return false;
    if (before.empty()) before = " ";
    if (std::string_view close = closing_quote_for(before); !close.empty()) {
        if (reply.size() > close.size() && reply.ends_with(close)) return drop_suffix(close.size());
        if (std::size_t at = closing_quote(reply, close); at != std::string_view::npos)
            return drop_suffix(reply.size() - at);
    }
    if (reply.starts_with('#') && reply.ends_with("##")) return drop_suffix(2);
    // Outlook's own reports close Exchange's "#< #5.1.1 smtp;550 ...> #SMTP#" with the
    // transport's name; the angle bracket before it closes the reply.
    if (reply.ends_with("#SMTP#")) drop_suffix(6);
    for (auto [o, c] : {std::pair{'(', ')'}, std::pair{'<', '>'}}) {
        if (reply.back() == c &&
            std::count(before.begin(), before.end(), o) >
                std::count(before.begin(), before.end(), c) &&
            std::count(reply.begin(), reply.end(), c) > std::count(reply.begin(), reply.end(), o)) {
            // A parenthesis may close the sentence only (qmail's "... (#4.4.1)"), which the
            // next line may go on from.
            drop_suffix(1);
            return false;
        }
    }
    return false;
}

// Whether `s` holds a '4' or a '5', which every code of code_re and basic_code_re starts with:
// most lines have neither and need no regex.
bool may_carry_code(std::string_view s) {
    return !s.empty() &&
           (std::memchr(s.data(), '4', s.size()) || std::memchr(s.data(), '5', s.size()));
}

bool carries_code(std::string_view s) {
    return may_carry_code(s) && RE2::PartialMatch(piece(s), code_re());
}

const RE2& remote_host_re() {
    static const RE2 re(
        "(?i)(?:remote host|host|server|mx)\\s+\\[?([A-Za-z0-9][A-Za-z0-9.-]*\\.[A-Za-z0-9-]+)\\]?"
        "(?:\\s*\\[[0-9A-Fa-f.:]+\\])?\\s*(?:said|:|\\(|$)");
    return re;
}

// Addresses that never are the failed recipient.
bool is_system_address(std::string_view addr) {
    // Every name below starts with one of these letters (which no other character folds to).
    if (addr.empty() || !std::strchr("mpnbdMPNBD", addr.front())) return false;
    static const RE2 re(
        "(?i)^(?:mailer-daemon|postmaster|mail-daemon|maildaemon|noreply|"
        "no-reply|bounces?|double-bounce)@");
    return RE2::PartialMatch(piece(addr), re);
}

struct Block {
    std::string address;
    std::vector<std::string_view> lines;
    // The address was listed again after its reason (see end_indented_reason).
    bool relisted = false;
};

// Shortens to at most `max` bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& s, std::size_t max) {
    if (s.size() <= max) return;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
}

// Joins lines into one text with single spaces.
std::string join(const std::vector<std::string_view>& lines, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to && i < lines.size(); ++i) {
        std::string_view l = trim(lines[i]);
        if (l.empty()) continue;
        if (!out.empty()) out.push_back(' ');
        out.append(l);
    }
    return out;
}

// Whether `rest`, what follows a recipient on its line, is only the date Exchange resolved it on
// ("a@b on 4/29/2007 4:51 PM", "Bob Remote on 3/15/2024 10:00 AM"): no part of the reason.
bool is_exchange_date(std::string_view rest) {
    static const RE2 re("^\\s*on\\s[^\\n]*[0-9][0-9]?:[0-9][0-9]");
    return RE2::PartialMatch(piece(rest), re);
}

// A line of dashes, equals signs, underscores or asterisks alone: a separator that may open
// the returned message's headers without a blank line (au's "-----...-----" then "Received:").
bool is_separator_line(std::string_view line) {
    std::string_view t = trim(line);
    return t.size() >= 5 && t.find_first_not_of(t.front()) == std::string_view::npos &&
           (t.front() == '-' || t.front() == '=' || t.front() == '_' || t.front() == '*');
}

// The labels of the lines that follow a reply in a report's table of details and are no part
// of it: Office 365's "Reported error: 550 ..." is followed by "DSN generated by: host" and
// "Remote server: host" in the same paragraph, Sun/Oracle Messaging Server's "Diagnostic
// code: smtp;550 ..." by "Remote system: dns;host".
const char* const k_report_labels =
    "(?i)^\\s*(?:(?:dsn generated by|remote server|remote system|remote mta|reporting mta|original "
    "message details)\\s*:|(?:message hops|original message headers)\\s*:?\\s*$)";

bool is_report_label(std::string_view line) {
    // Every label starts with one of these letters, after the blanks.
    char c = ascii_lower(first_after_re2_space(line));
    if (c != 'd' && c != 'r' && c != 'o' && c != 'm') return false;
    static const RE2 re(k_report_labels);
    return RE2::PartialMatch(piece(line), re);
}

// The reply text of a block: from the first reply code to the end of its paragraph, or the
// block's own words when it carries no code.
std::string diagnostic_of(const std::vector<std::string_view>& lines) {
    std::size_t first_basic = lines.size();
    for (std::size_t i = 0; i < lines.size() && first_basic == lines.size(); ++i)
        if (may_carry_code(lines[i]) && RE2::PartialMatch(piece(lines[i]), basic_code_re()))
            first_basic = i;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        re2::StringPiece m;
        if (first_basic < lines.size() && i < first_basic) continue;
        if (!may_carry_code(lines[i]) || !RE2::PartialMatch(piece(lines[i]), code_re(), &m))
            continue;
        // The reply runs to the end of its paragraph; a line with its own code only continues
        // a multi-line reply ("550-5.7.1 ..." then "550 5.7.1 ...").
        static const RE2 k_code_start("^\\s*(?:<<<\\s*|Out:\\s*)?([245][0-9][0-9])([ -]|$)");
        static const RE2 k_transcript("^\\s*(?:>>>|<<<|In:|Out:)");
        // Both patterns need one of a few characters after the leading blanks.
        auto transcript_line = [](std::string_view l) {
            char c = first_after_re2_space(l);
            return (c == '>' || c == '<' || c == 'I' || c == 'O') &&
                   RE2::PartialMatch(piece(l), k_transcript);
        };
        auto may_start_code = [](std::string_view l) {
            char c = first_after_re2_space(l);
            return c == '<' || c == 'O' || c == '2' || c == '4' || c == '5';
        };
        // The reply's own first line opens a multi-line reply when its code is followed by '-',
        // wherever the code stands ("Remote host said: 550-5.7.26 ...").
        const bool opens_multiline =
            m.size() > 3 && m.data()[3] == '-' && m.data()[0] != '#' && m.data()[1] != '.';
        std::size_t end = i + 1;
        while (end < lines.size() && !trim(lines[end]).empty() && !transcript_line(lines[end]) &&
               !is_report_label(lines[end])) {
            std::string prev_sep;
            bool continues = end == i + 1 ? opens_multiline
                                          : may_start_code(lines[end - 1]) &&
                                                partial_match(lines[end - 1], k_code_start, nullptr,
                                                              &prev_sep) &&
                                                prev_sep == "-";
            std::string code;
            if (!continues && may_start_code(lines[end]) &&
                partial_match(lines[end], k_code_start, &code)) {
                // Postfix joins a multi-line reply into one and wraps it anywhere, so a wrapped
                // line may start with the reply's own code ("...requires all senders to\n
                // 550-5.7.26 authenticate ..."): that continues the reply it opened.
                if (!opens_multiline || code != std::string_view(m.data(), 3)) break;
            }
            ++end;
        }
        // A paragraph of codes alone ("Status code: 550 5.1.1", Office 365) sums up a reply
        // that a later line of the block quotes with its words: that line is the reply.
        static const RE2 k_codes_only("^\\s*(?:#?[45]\\.[0-9]{1,3}\\.[0-9]{1,3})?[\\s).:;-]*$");
        auto has_words_after_code = [](std::string_view l) {
            re2::StringPiece c;
            return may_carry_code(l) && RE2::PartialMatch(piece(l), basic_code_re(), &c) &&
                   !RE2::FullMatch(
                       piece(l.substr(static_cast<std::size_t>(c.data() + c.size() - l.data()))),
                       k_codes_only);
        };
        if (end == i + 1 &&
            RE2::FullMatch(piece(lines[i].substr(
                               static_cast<std::size_t>(m.data() + m.size() - lines[i].data()))),
                           k_codes_only) &&
            std::any_of(lines.begin() + static_cast<std::ptrdiff_t>(i) + 1, lines.end(),
                        has_words_after_code))
            continue;
        std::string first(m.data(), lines[i].data() + lines[i].size() - m.data());
        // A reply closed on its line by what enclosed it ends there (Exchange's "Server at
        // host returned '400 4.4.7 Message delayed'" is followed by its history lines).
        const bool closed = strip_enclosing(
            lines[i].substr(0, static_cast<std::size_t>(m.data() - lines[i].data())), first);
        // qmail ends its sentence with the code: "Sorry, no mailbox here by that name.
        // (#5.1.1)". A code that closes its line, or its sentence in qmail's "(#...)" form,
        // keeps the whole line as the reply.
        bool qmail_form =
            m.data() > lines[i].data() + 1 && first.starts_with("#") && m.data()[-1] == '(';
        if (qmail_form || trim(std::string_view(first).substr(std::min(first.size(), m.size())))
                                  .find_first_not_of(")") == std::string_view::npos)
            first = std::string(trim(lines[i]));
        else if (!first.empty() && first.front() == '#')
            first.erase(0, 1);
        std::string rest = closed ? std::string() : join(lines, i + 1, end);
        if (!rest.empty()) first += " " + rest;
        // Exchange 2003 closes its explanation with the server and status alone,
        // "<host.example.com #5.1.1>": the explanation before it is the reason.
        static const RE2 k_host_status("^\\s*<[^<>\\s]+\\s+#[45]\\.[0-9]{1,3}\\.[0-9]{1,3}>\\s*$");
        if (i > 0 && rest.empty() && RE2::FullMatch(piece(lines[i]), k_host_status)) {
            std::vector<std::string_view> said;
            for (std::size_t j = 0; j < i; ++j)
                if (j > 0 || !is_exchange_date(lines[j])) said.push_back(lines[j]);
            std::string before = join(said, 0, said.size());
            if (!before.empty() && !carries_code(before))
                return before + " " + std::string(trim(lines[i]));
        }
        // Sendmail's "554 5.0.0 Service unavailable" only says that a mailer failed
        // (EX_UNAVAILABLE); the mailer's own words come before it ("mail.local: unknown user:
        // jane").
        static const RE2 k_unavailable(
            "(?i)^[45][0-9][0-9](?:\\s+[45]\\.[0-9]{1,3}\\.[0-9]{1,3})?\\s+"
            "(?:<[^>]*>\\.\\.\\.\\s*)?service unavailable\\.?$");
        if (i > 0 && RE2::FullMatch(trim(first), k_unavailable)) {
            static const RE2 k_heading("^\\s*-{3,}.*-{3,}\\s*$");  // "--- Transcript ... ---"
            std::vector<std::string_view> said;
            for (std::size_t j = 0; j < i; ++j)
                if (!RE2::FullMatch(piece(lines[j]), k_heading)) said.push_back(lines[j]);
            std::string before = join(said, 0, said.size());
            if (!before.empty() && !carries_code(before)) first += " " + before;
        }
        return std::string(trim(first));
    }
    // A one-word heading before the words ("because:", Domino's, "Reason:") is no part of them.
    static const RE2 k_heading("^\\s*[^\\s:]+:\\s*$");
    std::size_t from = 0;
    while (from < lines.size() &&
           (trim(lines[from]).empty() || (lines[from].find(':') != std::string_view::npos &&
                                          RE2::FullMatch(piece(lines[from]), k_heading))))
        ++from;
    // Separator lines ("-----", "*****") frame the words; they are none of them.
    std::vector<std::string_view> words;
    for (std::size_t i = from < lines.size() ? from : 0; i < lines.size(); ++i)
        if (!is_separator_line(lines[i])) words.push_back(lines[i]);
    std::string all = join(words, 0, words.size());
    truncate_utf8(all, 1000);
    return all;
}

// qmail appends "I'm not going to try again; this message has been in the queue too long." to
// the last reply when a message outlived its queue lifetime. After a temporary failure (a
// timeout, a 4xx reply) that is the verdict: the retries ran out. After a permanent reply
// (5xx, 5.x.x) the reply says why, so the sentence is dropped. `storage` keeps the rewritten
// text the returned lines point into.
std::vector<std::string_view> drop_give_up(const std::vector<std::string_view>& lines,
                                           std::string& storage) {
    for (std::string_view l : lines) storage.append(l).push_back('\n');
    // The sentence's fixed words (no letter of them has a non-ASCII case variant) tell first,
    // before the pattern is even compiled.
    if (ifind(storage, "not going to try again;") == std::string_view::npos) return lines;
    static const RE2 k_give_up(
        "(?i)I'm not going to try again;\\s+this\\s+message\\s+has\\s+been\\s+in\\s+"
        "the\\s+queue\\s+too\\s+long\\.?");
    if (!RE2::Replace(&storage, k_give_up, "\n")) return lines;
    static const RE2 k_permanent(
        "(?:^|[^0-9A-Za-z.#/=-])(?:5[0-9][0-9](?:[ ,:-]|$)|#?5\\.[0-9]{1,3}\\.[0-9]{1,3})");
    if (!RE2::PartialMatch(storage, k_permanent)) return lines;
    return split_lines(storage);
}

std::string remote_of(const std::vector<std::string_view>& lines) {
    for (std::string_view l : lines) {
        std::string host;
        if (RE2::PartialMatch(piece(l), remote_host_re(), &host) &&
            host.find('.') != std::string::npos)
            return host;
    }
    return {};
}

// Whether `line` is a header field line (header_line); the colon check spares most lines the
// regex.
bool is_header_line(std::string_view line) {
    return line.find(':') != std::string_view::npos &&
           RE2::PartialMatch(piece(line), header_line());
}

// Index of the first line of the returned message (or the number of lines). `lines` are the
// lines of `text` (split_lines).
std::size_t report_end(std::string_view text, const std::vector<std::string_view>& lines) {
    const std::size_t marker = end_marker_offset(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view line = lines[i];
        if (static_cast<std::size_t>(line.data() - text.data()) >= marker) return i;
        if (line.empty()) continue;
        // An unannounced header block after a blank line: a trace or message header field
        // followed by more fields, or a run of four fields. Short "Subject:/Date:" summaries
        // of the returned message inside the report do not end it.
        if ((i == 0 || trim(lines[i - 1]).empty() || is_separator_line(lines[i - 1])) &&
            is_header_line(line)) {
            static const RE2 k_strong(
                "(?i)^(?:Return-Path|Received|DKIM-Signature|Message-I[Dd]|MIME-Version|"
                "Delivered-To|X-[A-Za-z0-9-]+|Authentication-Results|ARC-[A-Za-z-]+):");
            std::size_t run = 1;
            while (i + run < lines.size() &&
                   (is_header_line(lines[i + run]) || is_header_continuation(lines[i + run])) &&
                   run < 4)
                ++run;
            if ((run >= 2 && RE2::PartialMatch(piece(line), k_strong)) || run >= 4) return i;
        }
    }
    return lines.size();
}

// Lines an MTA adds to a recipient's entry that say nothing about the failure: qmail's
// "Giving up on 192.0.2.1." after the remote reply, Exim's "(generated from info@example.com)"
// and Sendmail's "(expanded from: <info@example.com>)" naming the alias the address came from.
bool is_annotation(std::string_view line) {
    char c = first_after_re2_space(line);
    if (c != 'G' && c != '(') return false;
    static const RE2 re(
        "^\\s*(?:Giving up on \\S+|\\((?:generated|expanded) from:? [^()]*\\))\\s*$");
    return RE2::FullMatch(piece(line), re);
}

// Exim lists a failed delivery to a file or a pipe that a filter or alias generated by the
// file or pipe ("  save to /home/vic/archive", "  pipe to |/usr/bin/handler", "  /var/mail/x")
// and names the address that generated it on the next line ("    generated by vic@example.com").
// Among other entries, that line starts an entry of its own; `generator` receives the address.
bool generated_delivery(std::string_view previous, std::string_view line, std::string& generator) {
    if (first_after_re2_space(line) != 'g' || line.find('@') == std::string_view::npos)
        return false;
    static const RE2 k_generated("^\\s+generated by\\s+<?([^\\s<>()]+@[^\\s<>()]+?)>?\\s*$");
    static const RE2 k_delivery("^  (?:save to |pipe to |/|\\|)\\S");
    return RE2::PartialMatch(piece(previous), k_delivery) &&
           RE2::FullMatch(piece(line), k_generated, &generator);
}

// A reason without a reply code, indented under an address that the report lists again (Exim
// "  a@b\n    Unrouteable address" in mail.ru's Russian list, then its English copy), ends
// with its paragraph when the report's own text follows at the margin (mail.ru's advice and
// English preamble). Reasons written at the margin themselves (Gmail's "Technical details of
// permanent failure:" paragraphs) keep them all.
void end_indented_reason(std::vector<std::string_view>& lines) {
    auto blank = [](std::string_view l) { return trim(l).empty(); };
    auto first = std::find_if_not(lines.begin(), lines.end(), blank);
    if (first == lines.end() || !is_re2_space(first->front()) ||
        std::any_of(lines.begin(), lines.end(), carries_code))
        return;
    auto end = std::find_if(first, lines.end(), blank);
    bool margin_text_after = std::any_of(end, lines.end(), [&](std::string_view l) {
        return !blank(l) && !is_re2_space(l.front());
    });
    if (margin_text_after) lines.erase(end, lines.end());
}

// A necessary condition for a line pattern, checked before it.
using LineFilter = bool (*)(std::string_view line);

class Reader {
  public:
    Reader(const TextContext& ctx, const std::vector<std::string_view>& lines,
           std::size_t report_end, const RE2& recipient, const RE2* begin, const RE2* end,
           bool text_first = false, const RE2* alternative = nullptr, bool local_part = false,
           LineFilter recipient_filter = nullptr, LineFilter alternative_filter = nullptr)
        : m_ctx(ctx),
          m_lines(lines),
          m_report_end(report_end),
          m_recipient(recipient),
          m_alternative(alternative),
          m_begin(begin),
          m_end(end),
          m_text_first(text_first),
          m_local_part(local_part),
          m_recipient_filter(recipient_filter),
          m_alternative_filter(alternative_filter) {}

    // Also reads lines that name a recipient by display name and bracketed address.
    void also_named(const RE2* named) { m_named = named; }

    std::vector<TextRecipient> read() {
        const std::vector<std::string_view>& lines = m_lines;
        std::size_t start = 0;
        if (m_begin) {
            start = lines.size();
            for (std::size_t i = 0; i < lines.size(); ++i)
                if (RE2::PartialMatch(piece(lines[i]), *m_begin)) {
                    start = i + 1;
                    break;
                }
        }
        std::vector<Block> blocks;
        std::vector<std::string_view> preamble;
        std::string sender = clean_address(m_ctx.from);
        // The sender of the returned message is named in many reports ("A message sent by
        // <a@b> could not be delivered"); it never is the failed recipient.
        std::string returned_sender = clean_address(m_ctx.returned_from);
        std::string envelope_sender = clean_address(m_ctx.returned_return_path);
        std::string_view server_reply;  // the last "<<< NNN" line of a Sendmail transcript
        for (std::size_t i = start; i < lines.size(); ++i) {
            std::string_view line = lines[i];
            if (i >= m_report_end || (m_end && RE2::PartialMatch(piece(line), *m_end))) break;
            if (std::string generator; m_current != k_none && i > start &&
                                       generated_delivery(lines[i - 1], line, generator)) {
                // The file or pipe line just read belongs to this new entry, not the last one.
                std::vector<std::string_view>& last = blocks[m_current].lines;
                if (!last.empty() && last.back().data() == lines[i - 1].data()) last.pop_back();
                blocks.push_back({generator, {}, false});
                m_current = blocks.size() - 1;
                continue;
            }
            re2::StringPiece addr, rest1, rest2;
            RE2::Arg args[3] = {&addr, &rest1, &rest2};
            const RE2::Arg* argv[3] = {&args[0], &args[1], &args[2]};
            int n = std::min(3, m_recipient.NumberOfCapturingGroups());
            bool matched = (m_local_part || line.find('@') != std::string_view::npos) &&
                           (!m_recipient_filter || m_recipient_filter(line)) &&
                           partial_match_n(line, m_recipient, argv, n);
            bool named = false;
            if (!matched && m_named && may_be_named_recipient(line))
                named = matched = partial_match_n(line, *m_named, argv, 1);
            bool summary = false;
            if (!matched && m_alternative && line.find('@') != std::string_view::npos &&
                (!m_alternative_filter || m_alternative_filter(line)))
                summary = matched =
                    partial_match_n(line, *m_alternative, argv,
                                    std::min(3, m_alternative->NumberOfCapturingGroups()));
            if (matched) {
                if (m_text_first) std::swap(addr, rest1);
                std::string a = clean_address(view(addr));
                // A named line only introduces a recipient: one already listed is followed by
                // its reason, which may end with the address ("unknown user <a@b>").
                auto listed = [&] {
                    return std::any_of(blocks.begin(), blocks.end(),
                                       [&](const Block& b) { return iequals(b.address, a); });
                };
                if (!a.empty() && !is_system_address(a) && !iequals(a, sender) &&
                    (returned_sender.empty() || !iequals(a, returned_sender)) &&
                    (envelope_sender.empty() || !iequals(a, envelope_sender)) &&
                    !(named && listed())) {
                    Block* b = nullptr;
                    for (Block& existing : blocks)
                        if (iequals(existing.address, a)) b = &existing;
                    if (!b) {
                        blocks.push_back({a, {}, false});
                        b = &blocks.back();
                    } else if (!b->lines.empty()) {
                        b->relisted = true;
                    }
                    std::string_view rest = view(rest1).empty() ? view(rest2) : view(rest1);
                    static const RE2 k_starts_code("^\\s*[245][0-9][0-9][ -]");
                    static const RE2 k_code_prefix("^[245][0-9][0-9]([ -]|$)");
                    // "550 <a@b>... User unknown": keep the leading code with the text.
                    std::string_view code_prefix =
                        trim(line.substr(0, view(addr).data() - line.data()));
                    if (!code_prefix.empty() && code_prefix.back() == '<')
                        code_prefix = trim(code_prefix.substr(0, code_prefix.size() - 1));
                    if (!rest.empty() && code_prefix.size() >= 3 &&
                        !RE2::PartialMatch(piece(rest), k_starts_code) &&
                        RE2::PartialMatch(piece(code_prefix), k_code_prefix)) {
                        m_owned.push_back(std::string(code_prefix) + " " + std::string(rest));
                        rest = m_owned.back();
                    }
                    // Sendmail: the server's own reply ("<<< 550 ...") precedes the summary
                    // line "554 <a@b>... Remote protocol error"; it is the better diagnostic.
                    if (summary && !server_reply.empty()) b->lines.push_back(server_reply);
                    server_reply = {};
                    if (!trim(rest).empty() && !is_exchange_date(rest)) b->lines.push_back(rest);
                    m_current = b - blocks.data();
                    continue;
                }
            }
            static const RE2 k_server_reply("^\\s*<<<\\s*[45][0-9][0-9][ -]");
            if (first_after_re2_space(line) == '<' &&
                RE2::PartialMatch(piece(line), k_server_reply))
                server_reply = trim(line).substr(3);
            if (m_current == k_none) {
                preamble.push_back(line);
            } else if (!is_annotation(line)) {
                blocks[m_current].lines.push_back(line);
            }
        }
        // Recipients listed one after another share the reason that follows the list (Domino:
        // "was not delivered to:", the addresses, "because:", the reason).
        auto is_blank = [](std::string_view l) { return trim(l).empty(); };
        for (std::size_t k = blocks.size(); k-- > 1;) {
            std::vector<std::string_view>& own = blocks[k - 1].lines;
            const std::vector<std::string_view>& next = blocks[k].lines;
            if (std::all_of(own.begin(), own.end(), is_blank) &&
                !std::all_of(next.begin(), next.end(), is_blank))
                own = next;
        }
        std::vector<TextRecipient> out;
        for (Block& b : blocks) {
            TextRecipient r;
            r.address = b.address;
            std::string without_give_up;
            std::vector<std::string_view> reason_lines = drop_give_up(b.lines, without_give_up);
            // A reason in parentheses after the address, without a reply code ("a@b (user not
            // found)", GroupWise) ends with its paragraph: what follows is the report's advice.
            std::string_view own =
                reason_lines.empty() ? std::string_view() : trim(reason_lines[0]);
            if (own.size() > 2 && own.front() == '(' && own.back() == ')' &&
                std::none_of(reason_lines.begin(), reason_lines.end(), carries_code)) {
                auto blank = std::find_if(reason_lines.begin(), reason_lines.end(),
                                          [](std::string_view l) { return trim(l).empty(); });
                reason_lines.erase(blank, reason_lines.end());
            }
            if (b.relisted) end_indented_reason(reason_lines);
            r.diagnostic = diagnostic_of(reason_lines);
            if (r.diagnostic.empty() || !carries_code(r.diagnostic)) {
                // The reason is sometimes stated once, before the list of addresses.
                std::string pre = diagnostic_of(preamble);
                if (carries_code(pre) || r.diagnostic.empty())
                    r.diagnostic = r.diagnostic.empty() ? pre : r.diagnostic + " " + pre;
            }
            // au (EZweb) notices open with their verdict on the listed addresses ("The user(s)
            // account is disabled.", "... is temporarily over quota."); the server's reply that
            // follows ("550 user unknown") is the generic part.
            for (std::string_view l : preamble) {
                if (l.find("The user(s) account is ") == std::string_view::npos) continue;
                static const RE2 k_au_verdict("^\\s*The user\\(s\\) account is [^.]{1,80}\\.\\s*$");
                if (RE2::FullMatch(piece(l), k_au_verdict) &&
                    r.diagnostic.find(trim(l)) == std::string::npos)
                    r.diagnostic += " " + std::string(trim(l));
            }
            r.remote_mta = remote_of(b.lines);
            // Lines kept apart: some wordings end with their line ("hMailServer sent: .").
            std::string said;
            for (std::string_view l : b.lines) said.append(trim(l)).push_back('\n');
            r.smtp_command = stated_command(said);
            if (r.smtp_command.empty()) {
                if (!m_transcript) m_transcript.emplace(report_section(m_ctx.text));
                r.smtp_command = m_transcript->command_for(r.address, r.diagnostic);
            }
            out.push_back(std::move(r));
        }
        return out;
    }

  private:
    static constexpr std::size_t k_none = static_cast<std::size_t>(-1);

    const TextContext& m_ctx;
    const std::vector<std::string_view>& m_lines;
    std::size_t m_report_end;
    const RE2& m_recipient;
    const RE2* m_alternative;
    const RE2* m_named = nullptr;  // see also_named
    const RE2* m_begin;
    const RE2* m_end;
    bool m_text_first;
    bool m_local_part;
    // Cheap checks that every line the recipient (alternative) pattern matches passes.
    LineFilter m_recipient_filter;
    LineFilter m_alternative_filter;
    std::size_t m_current = k_none;
    std::deque<std::string> m_owned;         // rewritten lines the blocks point into
    std::optional<Transcript> m_transcript;  // read on first need
};

struct CompiledFormat {
    const FormatSpec* spec;
    std::unique_ptr<RE2> detect, begin, end, recipient;
};

const std::vector<CompiledFormat>& compiled_formats() {
    static const std::vector<CompiledFormat> formats = [] {
        std::vector<CompiledFormat> v;
        for (const FormatSpec& f : k_formats) {
            CompiledFormat c;
            c.spec = &f;
            if (f.detect) c.detect = std::make_unique<RE2>(f.detect);
            if (f.begin) c.begin = std::make_unique<RE2>(f.begin);
            if (f.end) c.end = std::make_unique<RE2>(f.end);
            c.recipient = std::make_unique<RE2>(f.recipient);
            v.push_back(std::move(c));
        }
        return v;
    }();
    return formats;
}

}  // namespace

std::string clean_address(std::string_view value) {
    // Hand-written instead of a regex: this runs for every candidate line. The address is the
    // first "local@domain" whose local part has no separators and whose domain is a host name
    // or an address literal.
    auto local_char = [](char c) {
        return static_cast<unsigned char>(c) > 32 && c != '<' && c != '>' && c != '"' && c != '(' &&
               c != ')' && c != ',' && c != ';' && c != ':' && c != '[' && c != ']' && c != 127;
    };
    auto domain_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']' ||
               static_cast<unsigned char>(c) >= 0x80;
    };
    // Full-width punctuation and the ideographic space separate words in Chinese, Japanese
    // and Korean text ("收件人：a@b"); they are no part of an address.
    auto after_wide_separator = [&](std::size_t end) {
        for (std::string_view sep : {"\uff1a", "\uff0c", "\u3001", "\uff1b", "\uff08", "\uff09",
                                     "\u3000", "\uff1c", "\uff1e", "\u300c", "\u300d"})
            if (value.substr(0, end).ends_with(sep)) return true;
        return false;
    };
    std::size_t at = value.find('@');
    while (at != std::string_view::npos) {
        std::size_t begin = at;
        while (
            begin > 0 && local_char(value[begin - 1]) &&
            (static_cast<unsigned char>(value[begin - 1]) < 0x80 || !after_wide_separator(begin)))
            --begin;
        std::size_t end = at + 1;
        while (end < value.size() && domain_char(value[end])) ++end;
        std::string_view local = value.substr(begin, at - begin);
        std::string_view domain = value.substr(at + 1, end - at - 1);
        // Non-ASCII text right after the domain's last ASCII label is the sentence's
        // ("a@b.example的邮件"); non-ASCII labels before it are the domain's own.
        if (std::size_t last_ascii = domain.find_last_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789]");
            last_ascii != std::string_view::npos && last_ascii + 1 < domain.size() &&
            domain.find('.', last_ascii) == std::string_view::npos &&
            static_cast<unsigned char>(domain[last_ascii + 1]) >= 0x80)
            domain = domain.substr(0, last_ascii + 1);
        // Trailing dots and unbalanced brackets belong to the sentence, not the address.
        while (!domain.empty() && (domain.back() == '.' || domain.back() == ':' ||
                                   (domain.back() == ']' && domain.front() != '[')))
            domain.remove_suffix(1);
        if (!domain.empty() && domain.front() == '[' && domain.back() != ']')
            domain.remove_prefix(1);
        while (!local.empty() && (local.front() == '\'' || local.front() == '`'))
            local.remove_prefix(1);
        if (!local.empty() && !domain.empty())
            return std::string(local) + "@" + std::string(domain);
        at = value.find('@', at + 1);
    }
    // Local-only recipients ("rfc822; user") are still recipients.
    std::string_view v = trim(value);
    if (!v.empty() && v.front() == '<') v.remove_prefix(1);
    if (!v.empty() && v.back() == '>') v.remove_suffix(1);
    if (v.find_first_of(" \t<>") != std::string_view::npos) return {};
    return std::string(v);
}

std::string report_diagnostic(std::string_view text) {
    std::string_view report = report_section(text);
    std::vector<std::string_view> lines = split_lines(report);
    std::string d = diagnostic_of(lines);
    // Without a reply code, only a short statement is a usable diagnostic.
    if (!carries_code(d)) truncate_utf8(d, 300);
    return d;
}

bool has_reply_code(std::string_view text) {
    return carries_code(text);
}

bool has_basic_code(std::string_view text) {
    return may_carry_code(text) && RE2::PartialMatch(piece(text), basic_code_re());
}

std::string text_near(std::string_view text, std::string_view address) {
    if (address.empty()) return {};
    std::string_view report = report_section(text);
    std::vector<std::string_view> lines = split_lines(report);
    std::string codeless;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view line = lines[i];
        bool found = false;
        for (std::size_t p = 0; p + address.size() <= line.size() && !found; ++p)
            found = iequals(line.substr(p, address.size()), address);
        if (!found) continue;
        std::size_t end = i + 1;
        while (end < lines.size() && end < i + 12 && !trim(lines[end]).empty()) ++end;
        std::vector<std::string_view> block(lines.begin() + static_cast<std::ptrdiff_t>(i),
                                            lines.begin() + static_cast<std::ptrdiff_t>(end));
        // The paragraph with the reply code wins over a mere mention of the address.
        std::string d = diagnostic_of(block);
        if (carries_code(d)) return d;
        if (codeless.empty()) codeless = std::move(d);
    }
    return codeless;
}

namespace {

// One entry of an address list ("Bob Remote" <bob@example.com>): its display name, if any,
// and its address.
struct ListedAddress {
    std::string name, address;
};

// Splits an address list header at the commas outside quotes and angle brackets.
std::vector<ListedAddress> address_list(std::string_view value) {
    std::vector<ListedAddress> out;
    auto add = [&](std::string_view entry) {
        ListedAddress a;
        a.address = clean_address(entry);
        if (a.address.empty() || a.address.find('@') == std::string::npos) return;
        if (std::size_t lt = entry.find('<'); lt != std::string_view::npos) {
            std::string_view name = trim(entry.substr(0, lt));
            if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
                name = trim(name.substr(1, name.size() - 2));
            if (name.find('@') == std::string_view::npos) a.name = std::string(name);
        }
        out.push_back(std::move(a));
    };
    bool quoted = false;
    int angle = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '<') ++angle;
        if (c == '>' && angle > 0) --angle;
        if (c == ',' && angle == 0) {
            add(value.substr(start, i - start));
            start = i + 1;
        }
    }
    add(value.substr(start));
    return out;
}

// Lines that quote the returned message's own address fields ("To: a@b, c@d") in a report
// name every recipient, failed or not.
bool is_address_field_line(std::string_view line) {
    static const RE2 re("(?i)^\\s*(?:to|cc|bcc)\\s*:");
    return line.find(':') != std::string_view::npos && RE2::PartialMatch(piece(line), re);
}

}  // namespace

namespace {

// The reason under the line that `name` opens (followed by the end of the line or a blank):
// the rest of its paragraph. Empty when no line opens with the name. `dated` tells whether a
// date follows the name on its line, as Exchange writes it ("Bob Remote on 3/15/2024 10:00").
std::optional<std::string> reason_under_name(const std::vector<std::string_view>& lines,
                                             std::string_view name, bool* dated) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view t = trim(lines[i]);
        if (t.size() < name.size() || !iequals(t.substr(0, name.size()), name) ||
            (t.size() > name.size() && !is_re2_space(t[name.size()])))
            continue;
        std::size_t end = i + 1;
        while (end < lines.size() && end < i + 12 && !trim(lines[end]).empty()) ++end;
        std::vector<std::string_view> reason(lines.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                             lines.begin() + static_cast<std::ptrdiff_t>(end));
        *dated = is_exchange_date(t.substr(name.size()));
        return diagnostic_of(reason);
    }
    return std::nullopt;
}

}  // namespace

std::vector<NamedRecipient> returned_recipients_named(std::string_view text, std::string_view to) {
    std::vector<NamedRecipient> out;
    std::vector<ListedAddress> listed = address_list(to);
    if (listed.empty()) return out;
    std::vector<std::string_view> lines = split_lines(report_section(text));
    for (const ListedAddress& a : listed) {
        bool by_address = std::any_of(lines.begin(), lines.end(), [&](std::string_view l) {
            return ifind(l, a.address) != std::string_view::npos && !is_address_field_line(l);
        });
        if (by_address) {
            out.push_back({a.address, text_near(text, a.address)});
        } else if (a.name.size() >= 3) {
            bool dated = false;
            if (std::optional<std::string> reason = reason_under_name(lines, a.name, &dated))
                out.push_back({a.address, std::move(*reason), dated});
        }
    }
    return out;
}

namespace {

// The reply parser's spelling (Reply::smtp_command) of a command as reports name it.
std::string command_name(std::string_view said) {
    std::string c;
    for (char ch : said) {
        char l = (ch == '\n' || ch == '\t') ? ' ' : ascii_lower(ch);
        if (l == ' ' && (c.empty() || c.back() == ' ')) continue;
        c.push_back(l);
    }
    while (!c.empty() && c.back() == ' ') c.pop_back();
    if (c.empty()) return {};
    if (c.starts_with("rcpt")) return "RCPT TO";
    if (c.starts_with("mail")) return "MAIL FROM";
    // "." ends the message data (transcripts show it as the command the last reply answers).
    if (c == "end of data" || c == "data" || c == ".") return "DATA";
    if (c == "helo" || c == "ehlo" || c == "lhlo") return "EHLO";
    if (c == "starttls") return "STARTTLS";
    if (c == "message body") return "DATA";
    if (c.starts_with("initial") || c == "connect" || c == "greeting") return "CONNECT";
    return {};
}

}  // namespace

namespace {

// One line of an SMTP session transcript: a command the client sent or a reply it received.
struct TranscriptLine {
    enum Kind { none, command, reply } kind = none;
    std::string_view rest;  // the command or the reply, without the arrows
};

// Reads the arrows transcripts mark their lines with: Sendmail and Courier ">>> RCPT TO:<a@b>"
// / "<<< 550 ...", MDaemon "Fri 2024-03-15 10:00:01.460: --> RCPT To:<a@b>" / "... <-- 550
// ...", InterScan "Sent <<< RCPT TO:<a@b>" / "Received >>> 550 ..." (its arrows point the
// other way, its words say which is which).
TranscriptLine transcript_line(std::string_view line) {
    // The blanks before the arrows are RE2's (no vertical tab), as everywhere in the reader.
    std::size_t first = 0;
    while (first < line.size() && is_re2_space(line[first])) ++first;
    std::string_view t = line.substr(first);
    // MDaemon's timestamp ("Fri 2024-03-15 10:00:01.460: ") before its arrows.
    if (t.size() > 20 && is_digit(t[4]) && t[8] == '-') {
        static const RE2 k_timestamp("^[A-Za-z]{3} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+:\\s*");
        re2::StringPiece input = piece(t);
        if (RE2::Consume(&input, k_timestamp)) t = view(input);
    }
    struct Marker {
        std::string_view text;
        TranscriptLine::Kind kind;
    };
    static constexpr Marker k_markers[] = {
        {">>>", TranscriptLine::command},      {"<<<", TranscriptLine::reply},
        {"-->", TranscriptLine::command},      {"<--", TranscriptLine::reply},
        {"Sent <<<", TranscriptLine::command}, {"Received >>>", TranscriptLine::reply},
    };
    for (const Marker& m : k_markers)
        if (t.starts_with(m.text)) return {m.kind, trim(t.substr(m.text.size()))};
    return {};
}

}  // namespace

// Pairs the replies of a Sendmail-style transcript with their commands. With pipelining
// (RFC 2920) the client sends MAIL, RCPT and DATA together and the replies come back in the
// order the commands were sent, after the last one; Sendmail then shows only that last command
// (">>> DATA") before all the replies. So within a run of commands followed by replies, the
// replies are aligned from the end: the last reply answers the last command shown, and surplus
// earlier replies answer commands the transcript did not show (a "550 User unknown" before
// "503 Need RCPT" answered RCPT, not DATA).
Transcript::Transcript(std::string_view text) {
    static const RE2 k_command("^([A-Za-z]+(?:\\s+(?:TO|FROM))?|\\.)(?:[\\s:]|$)");
    static const RE2 k_reply("^([2-5][0-9][0-9])([ -]|$)");
    std::vector<Reply>& out = m_replies;
    std::vector<std::pair<std::string, std::string_view>> commands;
    std::vector<Reply> replies;
    auto flush = [&]() {
        std::size_t shown = std::min(commands.size(), replies.size());
        std::size_t unshown = replies.size() - shown;
        // When the first command shown is DATA, the unshown ones were MAIL FROM and RCPT TO.
        bool data_first = shown > 0 && commands[commands.size() - shown].first == "DATA";
        for (std::size_t i = 0; i < replies.size(); ++i) {
            if (i >= unshown) {
                const auto& c = commands[commands.size() - shown + (i - unshown)];
                replies[i].command = c.first;
                replies[i].command_line = c.second;
            } else {
                replies[i].before_data = data_first;
            }
            out.push_back(std::move(replies[i]));
        }
        commands.clear();
        replies.clear();
    };
    // Most texts show no transcript at all.
    if (text.find(">>>") == std::string_view::npos && text.find("<<<") == std::string_view::npos &&
        text.find("-->") == std::string_view::npos && text.find("<--") == std::string_view::npos)
        return;
    std::string previous_code;  // of a multi-line reply still open ("550-...")
    for (std::string_view line : split_lines(text)) {
        // Every marker has a '>' or a '<': other lines need no further look.
        if (line.find_first_of("<>") == std::string_view::npos) continue;
        TranscriptLine l = transcript_line(line);
        std::string word, code, sep;
        if (l.kind == TranscriptLine::command && partial_match(l.rest, k_command, &word)) {
            if (!replies.empty()) flush();
            commands.emplace_back(command_name(word), line);
            previous_code.clear();
        } else if (l.kind == TranscriptLine::reply && partial_match(l.rest, k_reply, &code, &sep)) {
            // The lines of one multi-line reply ("550-...", "550 ...") are one reply.
            if (previous_code != code) replies.push_back({l.rest, {}, {}, false});
            previous_code = sep == "-" ? code : std::string();
        }
    }
    flush();
}

namespace {

// The wordings stated_command reads, in the order it tries them.

// Postfix "(in reply to RCPT TO command)", Exim "after RCPT TO:<a@b>", "after pipelined
// MAIL FROM:<a@b>", "after end of data", "SMTP error from remote server after RCPT command",
// "... remote server for RCPT TO command", qmail "most progress was RCPT TO response",
// DragonFly "did not like our RCPT TO", Exim "Remote host closed connection in response to end
// of data", Postfix's lost connections and timeouts "while sending
// RCPT TO", "while sending end of data", "while sending message body", "while receiving the
// initial server greeting", "while performing the EHLO handshake".
const char* const k_stated_reply =
    "(?i)(?:in\\s+(?:reply|response)\\s+to\\s+(?:the\\s+)?|after\\s+(?:the\\s+|pipelined\\s+)?|"
    "progress\\s+"
    "was\\s+|remote\\s+server\\s+for\\s+|"
    "error\\s+following\\s+|did\\s+not\\s+like\\s+our\\s+|while\\s+(?:sending|receiving|"
    "performing)\\s+(?:the\\s+)?)(rcpt\\s+to|rcpt(?:\\s+command)|mail\\s+from|end\\s+of\\s+data|"
    "message\\s+body|data|helo|ehlo|lhlo|starttls|initial\\s+(?:server\\s+)?(?:connection|greeting)"
    "|"
    "connect|greeting)\\b";
// The client's own line before the server's reply: hMailServer "hMailServer sent: RCPT
// TO:<a@b>" or "... sent: ." (the end of the message data), then "Remote server replied: 550
// ...".
const char* const k_stated_sent =
    "(?im)\\bsent:[ \\t]+(rcpt\\s+to|mail\\s+from|data|helo|ehlo|lhlo|starttls|\\.)[ \\t]*(?::|$)";
// Failures to connect at all: Postfix "connect to mx.example.com[192.0.2.1]:25: Connection
// timed out" (or "...[private/dovecot-lmtp]: No such file or directory"), Sendmail
// "Deferred: Connection timed out with mx.example.com." and "Connection refused by ...".
const char* const k_stated_connect =
    "(?i)(?:\\bconnect\\s+to\\s+[^\\s\\[\\]]+\\[[^\\]\\s]+\\](?::[0-9]+)?:|\\bconnection (?:timed "
    "out "
    "with|refused by) [A-Za-z0-9])";
// A section naming the command on its own line ("SMTP command" heading, then "DATA").
const char* const k_stated_section =
    "(?im)(?:^[-=\\s]*|[-=]{3,}\\s*)smtp command:?\\s+(rcpt\\s+to|mail\\s+from|data|helo|ehlo|"
    "lhlo)\\b";
// qmail-remote names the stage in its own sentences: "Connected to 192.0.2.1 but greeting
// failed.", "... but my name was rejected." (HELO), "... but sender was rejected.", "mx
// does not like recipient.", "mx failed on DATA command.", "mx failed after I sent the
// message."
const char* const k_stated_qmail =
    "(?i)(but greeting failed|but my name was rejected|but sender was rejected|does not "
    "like recipient|failed on DATA command|failed after I sent the message)";
// Yahoo's outbound notices label the stage after the remote reply: "550 5.1.1 <a@b>... User
// Unknown [RCPT_TO]", or "[RCPT_TO]" on the line after it.
const char* const k_stated_yahoo = "(?im)\\[(rcpt_to|mail_from|data)\\][ \\t]*$";
// Gmail's relay notices end the remote reply with the state its SMTP client was in:
// "550 550 <a@b>: User unknown (state 14)." is the answer to RCPT TO; states 15, 17 and 18
// are the answers to DATA and to the end of the message data.
const char* const k_stated_gmail = "\\(state (14|15|17|18)\\)";

// Any of the wordings above anywhere in the text: one pass without captures tells whether the
// passes that find the command are needed at all (most texts state none). The Yahoo and Gmail
// labels are read in the report section only, a prefix of the text: a match there is a match
// in the text too.
const RE2& any_stated_command() {
    static const RE2 re([] {
        std::string all;
        for (const char* p : {k_stated_reply, k_stated_section, k_stated_qmail, k_stated_sent,
                              k_stated_connect, k_stated_yahoo, k_stated_gmail})
            all += (all.empty() ? "(?:" : "|(?:") + std::string(p) + ")";
        return all;
    }());
    return re;
}

}  // namespace

std::string stated_command(std::string_view text) {
    if (!RE2::PartialMatch(piece(text), any_stated_command())) return {};
    static const RE2 re(k_stated_reply);
    re2::StringPiece input = piece(text);
    std::string command, last;
    // The last mention wins: a report walks through the commands in order.
    while (RE2::FindAndConsume(&input, re, &command)) last = command;
    if (!last.empty()) return command_name(last);
    static const RE2 k_section(k_stated_section);
    if (RE2::PartialMatch(piece(text), k_section, &command)) return command_name(command);
    static const RE2 k_qmail(k_stated_qmail);
    if (RE2::PartialMatch(piece(text), k_qmail, &command)) {
        std::string c = to_lower_copy(command);
        if (c.find("greeting") != std::string::npos) return "CONNECT";
        if (c.find("name") != std::string::npos) return "EHLO";
        if (c.find("sender") != std::string::npos) return "MAIL FROM";
        if (c.find("recipient") != std::string::npos) return "RCPT TO";
        return "DATA";
    }
    static const RE2 k_sent(k_stated_sent);
    if (RE2::PartialMatch(piece(text), k_sent, &command)) return command_name(command);
    static const RE2 k_connect(k_stated_connect);
    if (RE2::PartialMatch(piece(text), k_connect)) return "CONNECT";
    // The two stage labels below are read in the notice itself, never in the returned
    // message that follows it.
    re2::StringPiece notice = piece(report_section(text));
    static const RE2 k_yahoo_stage(k_stated_yahoo);
    if (RE2::PartialMatch(notice, k_yahoo_stage, &command)) {
        std::string c = to_lower_copy(command);
        return c == "rcpt_to" ? "RCPT TO" : c == "mail_from" ? "MAIL FROM" : "DATA";
    }
    static const RE2 k_gmail_state(k_stated_gmail);
    std::string state;
    if (RE2::PartialMatch(notice, k_gmail_state, &state)) return state == "14" ? "RCPT TO" : "DATA";
    return {};
}

std::string smtp_command_of(std::string_view text) {
    std::string stated = stated_command(text);
    return stated.empty() ? Transcript(text).command_for({}) : stated;
}

std::string Transcript::command_for(std::string_view address, std::string_view reply) const {
    auto names = [&](std::string_view line) {
        return !address.empty() && ifind(line, address) != std::string_view::npos;
    };
    // Only failure replies count: a "250 OK" to the recipient's RCPT TO answered nothing that
    // failed.
    std::vector<const Reply*> failures;
    for (const Reply& r : m_replies)
        if (r.line.starts_with('4') || r.line.starts_with('5')) failures.push_back(&r);
    auto command_of = [](const Reply& r) {
        // An unshown reply of a pipelined batch answered its RCPT TO (the MAIL FROM reply
        // names the sender, if anyone).
        return r.command.empty() && r.before_data ? std::string("RCPT TO") : r.command;
    };
    // The reply to the command that names the recipient ("RCPT To:<a@b>"), else the reply that
    // names it, else the reply the report quotes for it, else the only failure reply.
    for (const Reply* r : failures)
        if (names(r->command_line)) return r->command;
    for (const Reply* r : failures)
        if (names(r->line)) return command_of(*r);
    reply = trim(reply);
    if (reply.size() >= 5)
        for (const Reply* r : failures) {
            std::string_view said = trim(r->line);
            std::size_t n = std::min(said.size(), reply.size());
            if (iequals(said.substr(0, n), reply.substr(0, n))) return command_of(*r);
        }
    return failures.size() == 1 ? failures.front()->command : std::string();
}

std::string_view report_section(std::string_view text) {
    return text.substr(0, end_marker_offset(text));
}

std::string sendmail_transcript_summary(std::string_view text) {
    static const RE2 k_heading("(?i)^\\s*-{3,}\\s*transcript of session follows\\s*-{3,}");
    static const RE2 k_summary("^\\s*([45][0-9][0-9] [45]\\.[0-9]{1,3}\\.[0-9]{1,3} .*\\S)\\s*$");
    bool inside = false;
    std::string found, line_summary;
    int count = 0;
    for (std::string_view line : split_lines(report_section(text))) {
        if (!inside) {
            inside = RE2::PartialMatch(piece(line), k_heading);
            continue;
        }
        // The transcript ends at the next "----- ... -----" heading or MIME boundary.
        if (trim(line).starts_with("--")) break;
        if (RE2::FullMatch(piece(line), k_summary) &&
            RE2::FullMatch(piece(line), k_summary, &line_summary)) {
            found = line_summary;
            ++count;
        }
    }
    return count == 1 ? found : std::string();
}

// "Undeliverable" in the subjects and bodies of Exchange's and Outlook's non-delivery reports
// in other languages (German, French, Spanish, Italian, Dutch, Portuguese, Polish, Chinese,
// Swedish, Danish and Norwegian, Finnish, Czech and Slovak, Hungarian, Romanian, Russian,
// Ukrainian, Turkish, Korean).
#define LOCALIZED_UNDELIVERABLE                                                                                                                                  \
    "unzustellbar|non remis|no se puede entregar|non recapitabile|onbestelbaar|não é possível "                                                               \
    "entregar|nie można dostarczyć|无法投递|无法传递|無法傳遞|ej levererbart|kan inte levereras|"                                                  \
    "kan ikke leveres|toimittamaton|nedoručiteľné|nedoručitelné|kézbesíthetetlen|nelivrabil|"                                                             \
    "невозможно доставить|не удалось доставить|недоставленное|не вдалося доставити|teslim " \
    "edilemedi|배달 못 함|배달하지 못했습니다"

namespace {

// The wording of delay warnings in a report's own text.
bool has_delay_wording(const TextContext& ctx) {
    static const RE2 k_text(
        "(?i)(this is a warning(?: message)? only|you do not need to resend your message|"
        "delivery is delayed to these recipients|this message hasn't been delivered yet|"
        "has not yet been delivered to one or more|will retry for [0-9]+ more hours|delivery "
        "attempts will continue|there was a temporary problem delivering your message)");
    return RE2::PartialMatch(piece(report_section(ctx.text).substr(0, 20000)), k_text);
}

// Whether the subject says delivery is delayed ("Delivery Status Notification (Delay)",
// "Warning: message X delayed 24 hours", "Delayed Mail (still being retried)").
bool has_delay_subject(const TextContext& ctx) {
    static const RE2 k_subject(
        "(?i)(delivery (?:status notification \\(delay\\)|delayed|delay)|delayed mail|"
        "warning: message \\S+ delayed|warning: could not send message|still being retried)");
    return RE2::PartialMatch(piece(ctx.subject), k_subject);
}

}  // namespace

bool looks_like_delay_notice(const TextContext& ctx) {
    return has_delay_subject(ctx) || has_delay_wording(ctx);
}

bool looks_like_failure_report(const TextContext& ctx) {
    // A delay warning says so in its subject and its text: shops title parcel notices
    // "Delivery delayed" too, and the text's wording alone may be quoted anywhere.
    if (looks_like_failure_text(ctx) || (has_delay_subject(ctx) && has_delay_wording(ctx)))
        return true;
    static const RE2 k_sender(
        "(?i)(mailer-daemon|postmaster|mail delivery|mail administrator|"
        "mail system|delivery subsystem|\\bmta\\b|ndr)");
    if (RE2::PartialMatch(piece(ctx.from), k_sender)) return true;
    static const RE2 k_body(
        "(?i)(could not be delivered|couldn't be delivered|cannot be delivered|undeliver|"
        "delivery (?:has |to the following )?(?:failed|failure)|permanent(?: fatal)? error|"
        "failed permanently|unable to deliver|not be delivered|the following (?:address|"
        "recipient)|smtp error|user unknown|no such user|mailbox (?:is )?full|"
        "delivery status|returned mail|error delivering|did not reach|was not delivered|"
        "message was rejected|failed recipient|not a member|rejected|refused|transcript of "
        "session|配信|送信できません|" LOCALIZED_UNDELIVERABLE
        // The opening lines of Exchange's and Outlook's reports in those languages.
        "|zustellung an folgende|la remise a échoué|error en la entrega|recapito non riuscito|"
        "bezorging is mislukt|a entrega falhou|det gick inte att leverera|levering til (?:disse|"
        "følgende) (?:modtagere|mottakere)|toimitus epäonnistui|doručení .{0,60}se nezdařilo|"
        "kézbesítés sikertelen|livrarea .{0,40}nu a reușit|teslim başarısız)");
    std::string_view report = report_section(ctx.text);
    return RE2::PartialMatch(piece(report.substr(0, 20000)), k_body);
}

bool looks_like_failure_text(const TextContext& ctx) {
    static const RE2 re(
        "(?i)(undeliver|delivery (status notification|failure|failed|has failed|problem)|"
        "returned mail|failure notice|mail delivery|non-?deliver|could not be delivered|"
        "not be delivered|permanent error|delivery error|rejected|mail system error|"
        "échec|配信|" LOCALIZED_UNDELIVERABLE ")");
    return RE2::PartialMatch(piece(ctx.subject), re) || RE2::PartialMatch(piece(ctx.from), re);
}

std::vector<TextRecipient> read_text_bounce(const TextContext& ctx, std::string& format) {
    std::string head = "Subject: " + std::string(ctx.subject) + "\nFrom: " + std::string(ctx.from);
    std::vector<std::string_view> lines = split_lines(ctx.text);
    std::size_t end = report_end(ctx.text, lines);
    static const RE2 generic(k_generic_recipient);
    {
        static const RE2 summary(k_sendmail_summary);
        static const RE2 named(k_named_recipient);
        Reader reader(ctx, lines, end, generic, nullptr, nullptr, false, &summary, false,
                      may_be_generic_recipient, may_be_sendmail_summary);
        reader.also_named(&named);
        std::vector<TextRecipient> found = reader.read();
        if (!found.empty()) {
            format = "generic";
            return found;
        }
    }
    // Formats of one MTA share their detect pattern: each distinct one is searched once.
    const char* last_detect = nullptr;
    bool last_detected = false;
    for (const CompiledFormat& f : compiled_formats()) {
        if (f.detect) {
            if (!last_detect || std::strcmp(last_detect, f.spec->detect) != 0) {
                last_detect = f.spec->detect;
                last_detected = RE2::PartialMatch(piece(head), *f.detect) ||
                                RE2::PartialMatch(piece(ctx.text), *f.detect);
            }
            if (!last_detected) continue;
        }
        Reader reader(ctx, lines, end, *f.recipient, f.begin.get(), f.end.get(), f.spec->text_first,
                      nullptr, f.spec->local_part);
        std::vector<TextRecipient> found = reader.read();
        if (!found.empty()) {
            format = f.spec->name;
            return found;
        }
    }
    return {};
}

}  // namespace bouncediag::detail
