#include "bouncediag/log_line.h"

#include <re2/re2.h>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

#include "text_util.h"

// Speed matters here: a day of mail logs is millions of lines and almost none records a failure.
// Every reader first looks at fixed positions and searches for a short literal (memchr-based
// string_view::find) and returns before anything is allocated; RE2 and the JSON parser only
// see lines that passed those checks.

namespace bouncediag {

namespace {

using std::string_view;
constexpr std::size_t npos = string_view::npos;

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
char to_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

string_view strip(string_view s) {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

bool starts_with(string_view s, string_view p) {
    return s.substr(0, p.size()) == p;
}

bool contains(string_view s, string_view p) {
    return s.find(p) != npos;
}

std::string lower(string_view s) {
    std::string out(s);
    for (char& c : out) c = to_lower(c);
    return out;
}

bool all_digits(string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

// Position of `key` (e.g. "to=") where it starts a field: at the start or after a space or
// comma, so "to=" does not match inside "orig_to=".
std::size_t find_key(string_view s, string_view key, std::size_t from = 0) {
    for (std::size_t pos = s.find(key, from); pos != npos; pos = s.find(key, pos + 1)) {
        if (pos == 0 || s[pos - 1] == ' ' || s[pos - 1] == ',') return pos;
    }
    return npos;
}

// The value of `key` up to `stop` (or the end). A value in angle brackets runs to the '>'.
string_view key_value(string_view s, string_view key, string_view stop = ",") {
    const std::size_t pos = find_key(s, key);
    if (pos == npos) return {};
    string_view v = s.substr(pos + key.size());
    if (!v.empty() && v.front() == '<') {
        const std::size_t close = v.find('>');
        return close == npos ? v : v.substr(0, close + 1);
    }
    return v.substr(0, v.find(stop));
}

// A quoted value: key="..." (no escapes in the logs that write these).
string_view quoted_value(string_view s, string_view key) {
    const std::size_t pos = find_key(s, key);
    if (pos == npos) return {};
    string_view v = s.substr(pos + key.size());
    if (v.empty() || v.front() != '"') return v.substr(0, v.find(' '));
    v.remove_prefix(1);
    return v.substr(0, v.find('"'));
}

// "<a@b>", "rfc822; a@b", " a@b " -> "a@b".
std::string bare_address(string_view s) {
    s = strip(s);
    if (s.size() >= 7 && lower(s.substr(0, 7)) == "rfc822;") s = strip(s.substr(7));
    if (!s.empty() && s.front() == '<') s.remove_prefix(1);
    if (!s.empty() && s.back() == '>') s.remove_suffix(1);
    return std::string(strip(s));
}

// "smtp; 550 ..." (a Diagnostic-Code value without its field name) -> "550 ...".
std::string strip_smtp_prefix(string_view s) {
    s = strip(s);
    if (s.size() >= 5 && lower(s.substr(0, 5)) == "smtp;") s = strip(s.substr(5));
    return std::string(s);
}

bool looks_like_ip(string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c) && c != '.' && c != ':' && !(to_lower(c) >= 'a' && to_lower(c) <= 'f'))
            return false;
    return contains(s, ".") || contains(s, ":");
}

// The remote host name out of the ways logs write it: "mx.example.com[192.0.2.1]:25"
// (Postfix), "mx.example.com. [192.0.2.1]" (Sendmail), "mx.example.com [192.0.2.1]" (Exim),
// "192.0.2.1 (mx.example.com)" (OpenSMTPD), "mx.example.com (192.0.2.1)" (PowerMTA). The name
// wins over the address because rules scope providers by host name.
std::string relay_host(string_view s) {
    s = strip(s);
    if (s.empty() || s == "none") return {};
    string_view name = s;
    string_view addr;
    if (const std::size_t open = s.find('['); open != npos) {
        name = strip(s.substr(0, open));
        string_view rest = s.substr(open + 1);
        addr = rest.substr(0, rest.find(']'));
    } else if (const std::size_t paren = s.find('('); paren != npos) {
        string_view a = strip(s.substr(0, paren));
        string_view rest = s.substr(paren + 1);
        string_view b = strip(rest.substr(0, rest.find(')')));
        if (looks_like_ip(a)) {
            name = b;
            addr = a;
        } else {
            name = a;
            addr = b;
        }
    } else {
        name = s.substr(0, s.find(' '));
    }
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (name.empty() || name == "unknown") name = addr;
    return lower(name);
}

// ---------------------------------------------------------------------------------------------
// Line shapes

// A syslog line: "Jan 15 10:23:45 host tag[pid]: message" or with an RFC 3339 timestamp
// ("2024-01-15T10:23:45.123456+00:00 host tag[pid]: message", rsyslog and journalctl -o
// short-iso).
struct SyslogLine {
    string_view timestamp;
    string_view host;
    string_view program;  // tag without [pid]
    string_view message;
};

bool parse_syslog(string_view line, SyslogLine& out) {
    std::size_t i = 0;
    if (line.size() > 16 && is_alpha(line[0]) && is_alpha(line[1]) && is_alpha(line[2]) &&
        line[3] == ' ') {
        i = 4;
        if (line[i] == ' ') ++i;  // day padded with a space
        const std::size_t day = i;
        while (i < line.size() && is_digit(line[i])) ++i;
        if (i == day || i - day > 2 || i + 9 > line.size() || line[i] != ' ') return false;
        ++i;
        if (!is_digit(line[i]) || !is_digit(line[i + 1]) || line[i + 2] != ':' ||
            line[i + 5] != ':')
            return false;
        i += 8;
        if (i < line.size() && line[i] == '.')
            for (++i; i < line.size() && is_digit(line[i]);) ++i;
    } else if (line.size() > 20 && is_digit(line[0]) && is_digit(line[3]) && line[4] == '-' &&
               line[7] == '-' && line[10] == 'T' && line[13] == ':') {
        i = line.find(' ');
        if (i == npos) return false;
    } else {
        return false;
    }
    out.timestamp = line.substr(0, i);
    if (i >= line.size() || line[i] != ' ') return false;
    ++i;
    const std::size_t host_end = line.find(' ', i);
    if (host_end == npos) return false;
    out.host = line.substr(i, host_end - i);
    i = host_end + 1;
    // The tag runs to the first ':' and holds no space.
    const std::size_t space = line.find(' ', i);
    const std::size_t colon = line.substr(0, space).find(':', i);
    if (colon == npos || colon == i) return false;
    string_view tag = line.substr(i, colon - i);
    out.program = tag.substr(0, tag.find('['));
    out.message = strip(line.substr(colon + 1));
    return !out.program.empty();
}

// Daemons found in mail logs whose lines never record an outbound delivery failure.
bool is_mail_noise_program(string_view p) {
    static constexpr std::array<string_view, 24> k_programs = {
        "dovecot",     "opendkim", "opendmarc",     "amavis",       "amavisd",
        "amavisd-new", "spamd",    "spamc",         "clamd",        "freshclam",
        "policyd-spf", "postgrey", "rspamd",        "saslauthd",    "milter-greylist",
        "imapd",       "pop3d",    "courierpop3d",  "courierimapd", "authdaemond",
        "sqlgrey",     "kumod",    "clamav-milter", "spf"};
    for (string_view k : k_programs)
        if (p == k) return true;
    return false;
}

// ---------------------------------------------------------------------------------------------
// Context shared by the readers of one call.

struct Sink {
    std::vector<LogEvent>& events;
    bool first_only;  // extract_log_event: one event is enough

    bool full() const { return first_only && !events.empty(); }
    LogEvent& add(std::string format) {
        events.emplace_back();
        events.back().format = std::move(format);
        return events.back();
    }
};

// The CSV columns a reader needs, by index; -1 when absent.
struct PowerMtaColumns {
    int type = 0, time_logged = 1, rcpt = 4, dsn_status = 7, dsn_diag = 8, dsn_mta = 9, job_id = 19,
        env_id = 20;
};

struct ExchangeColumns {
    int date_time = 0, event_id = 8, message_id = 10, recipient = 12, status = 13;
};

}  // namespace

struct LogReaderState {
    bool have_powermta_header = false;
    PowerMtaColumns powermta;
    bool have_exchange_header = false;
    ExchangeColumns exchange;
    struct QmailDelivery {
        std::string recipient;
        std::string message;
    };
    // qmail "starting delivery N" lines not yet closed by their "delivery N:" result.
    std::unordered_map<std::uint64_t, QmailDelivery> qmail;
    std::vector<string_view> fields;  // reused CSV split buffer
};

namespace {

using State = LogReaderState;

// ---------------------------------------------------------------------------------------------
// Postfix

// "to=<a@b>, relay=..., dsn=5.1.1, status=bounced (host ... said: 550 ...)".
LogLineKind read_postfix(string_view timestamp, string_view program, string_view msg, Sink& sink) {
    string_view queue_id;
    string_view rest = msg;
    if (const std::size_t colon = msg.find(": "); colon != npos && colon <= 24) {
        string_view id = msg.substr(0, colon);
        bool ok = !id.empty();
        for (char c : id) ok = ok && is_alnum(c);
        if (ok) {
            queue_id = id;
            rest = msg.substr(colon + 2);
        }
    }
    const std::size_t slash = program.rfind('/');
    const string_view daemon = slash == npos ? program : program.substr(slash + 1);

    const std::size_t st = find_key(rest, "status=");
    if (st == npos) {
        // cleanup(8) header/body checks and milters reject a queued message: its sender gets a
        // bounce. smtpd(8) "NOQUEUE: reject" lines are inbound policy, not our deliveries.
        const bool reject = starts_with(rest, "reject: ");
        const bool milter = starts_with(rest, "milter-reject: ");
        if (daemon != "cleanup" || (!reject && !milter)) return LogLineKind::no_failure;
        const std::size_t from = rest.find("; from=<");
        if (from == npos) return LogLineKind::no_failure;
        std::string reply;
        if (milter) {
            // "milter-reject: END-OF-MESSAGE from host[ip]: 5.7.1 text; from=<..> to=<..> ..."
            string_view head = rest.substr(0, from);
            std::size_t said = head.find("]: ");
            reply = std::string(said == npos ? head : head.substr(said + 3));
        } else {
            // "reject: header Subject: x from host[ip]; from=<..> to=<..> proto=P helo=<h>: text"
            string_view tail = rest.substr(from + 2);
            std::size_t i = 0;
            while (i < tail.size()) {
                // Skip one "key=value" field: <...> values may hold spaces, others do not.
                std::size_t eq = tail.find('=', i);
                if (eq == npos) break;
                std::size_t end = eq + 1;
                if (end < tail.size() && tail[end] == '<') {
                    end = tail.find('>', end);
                    if (end == npos) break;
                    ++end;
                } else {
                    while (end < tail.size() && tail[end] != ' ' && tail[end] != ':') ++end;
                }
                if (starts_with(tail.substr(end), ": ")) {
                    reply = std::string(strip(tail.substr(end + 2)));
                    break;
                }
                if (end >= tail.size() || tail[end] != ' ') break;
                i = end + 1;
            }
        }
        if (reply.empty()) return LogLineKind::no_failure;
        LogEvent& e = sink.add("postfix");
        e.recipient = bare_address(key_value(rest.substr(from), "to=", " "));
        e.reply = std::move(reply);
        e.status = "reject";
        e.queue_id = std::string(queue_id);
        e.timestamp = std::string(timestamp);
        return LogLineKind::failure;
    }

    string_view after = rest.substr(st + 7);
    std::size_t wend = 0;
    while (wend < after.size() && (is_alnum(after[wend]) || after[wend] == '-')) ++wend;
    const string_view word = after.substr(0, wend);
    std::string kind;
    if (word == "bounced" || word == "undeliverable" || word == "expired") {
        kind = "bounce";
    } else if (word == "deferred" || word == "SOFTBOUNCE") {
        kind = "deferral";
    } else {
        return LogLineKind::no_failure;  // sent, deliverable, forwarded, ...
    }

    string_view text = strip(after.substr(wend));
    if (!text.empty() && text.front() == '(') {
        // The reason runs to the line's last ')': it nests "(in reply to RCPT TO command)".
        const std::size_t close = text.rfind(')');
        text = close == 0 ? text.substr(1) : text.substr(1, close - 1);
    } else if (!text.empty() && text.front() == ',') {
        text = strip(text.substr(1));  // qmgr: "status=expired, returned to sender"
    }
    const string_view dsn = key_value(rest, "dsn=");

    LogEvent& e = sink.add("postfix");
    e.recipient = bare_address(key_value(rest, "to="));
    e.reply = std::string(strip(text));
    // qmgr's "status=expired, returned to sender": the word is the reason, keep it.
    if (word == "expired") e.reply = e.reply.empty() ? "expired" : "expired, " + e.reply;
    e.status = std::string(dsn.empty() ? word : dsn);
    e.queue_id = std::string(queue_id);
    e.timestamp = std::string(timestamp);
    e.relay = relay_host(key_value(rest, "relay="));
    if (e.relay == "local" && daemon != "local") e.relay.clear();
    e.kind = std::move(kind);
    return LogLineKind::failure;
}

// ---------------------------------------------------------------------------------------------
// Sendmail

// "QID: to=<a@b>,<c@d>, delay=.., mailer=esmtp, relay=mx. [ip], dsn=5.1.1, stat=User unknown".
LogLineKind read_sendmail(string_view timestamp, string_view msg, Sink& sink) {
    const std::size_t stat_pos = find_key(msg, "stat=");
    if (stat_pos == npos) return LogLineKind::no_failure;
    const std::size_t to_pos = find_key(msg, "to=");
    if (to_pos == npos) return LogLineKind::no_failure;
    string_view stat = strip(msg.substr(stat_pos + 5));
    if (starts_with(stat, "Sent") || starts_with(stat, "queued") || starts_with(stat, "Queued"))
        return LogLineKind::no_failure;

    string_view queue_id;
    if (const std::size_t colon = msg.find(": "); colon != npos && colon < to_pos)
        queue_id = msg.substr(0, colon);
    // The to= list ends at the next ", key=" field.
    string_view to_list = msg.substr(to_pos + 3);
    for (std::size_t i = to_list.find(", "); i != npos; i = to_list.find(", ", i + 1)) {
        std::size_t k = i + 2;
        while (k < to_list.size() && (is_alpha(to_list[k]) || to_list[k] == '_')) ++k;
        if (k > i + 2 && k < to_list.size() && to_list[k] == '=') {
            to_list = to_list.substr(0, i);
            break;
        }
    }
    const string_view dsn = key_value(msg, "dsn=");
    const string_view relay = key_value(msg, "relay=", ", ");
    std::string reply(stat);
    // "Deferred: 451 4.7.1 ..." carries the remote reply after sendmail's own word.
    if (starts_with(stat, "Deferred: ") && stat.size() > 10 && is_digit(stat[10]))
        reply = std::string(stat.substr(10));
    const bool deferral = starts_with(stat, "Deferred") || starts_with(dsn, "4.");

    std::size_t start = 0;
    while (start <= to_list.size() && !sink.full()) {
        std::size_t comma = to_list.find(',', start);
        if (comma == npos) comma = to_list.size();
        std::string rcpt = bare_address(to_list.substr(start, comma - start));
        if (!rcpt.empty()) {
            LogEvent& e = sink.add("sendmail");
            e.recipient = std::move(rcpt);
            e.reply = reply;
            e.status = std::string(dsn.empty() ? stat.substr(0, stat.find(':')) : dsn);
            e.queue_id = std::string(queue_id);
            e.timestamp = std::string(timestamp);
            e.relay = relay_host(relay);
            e.kind = deferral ? "deferral" : "bounce";
        }
        start = comma + 1;
    }
    return LogLineKind::failure;
}

// ---------------------------------------------------------------------------------------------
// OpenSMTPD

// OpenSMTPD 6+: "<sid> mta delivery evpid=<id> from=<..> to=<..> rcpt=<..> source=".."
// relay="ip (name)" delay=2s result="PermFail" stat="550 5.1.1 ...". Older releases:
// "delivery: TempFail for <evpid>: from=<..>, to=<..>, ..., relay=..., stat=...".
LogLineKind read_opensmtpd(string_view timestamp, string_view msg, Sink& sink) {
    if (const std::size_t r = msg.find("result=\""); r != npos) {
        const string_view result = quoted_value(msg, "result=");
        std::string kind;
        if (result == "PermFail" || result == "Loop") {
            kind = "bounce";
        } else if (result == "TempFail") {
            kind = "deferral";
        } else {
            return LogLineKind::no_failure;
        }
        string_view stat;
        if (const std::size_t s = find_key(msg, "stat=\""); s != npos) {
            stat = msg.substr(s + 6);
            if (!stat.empty() && stat.back() == '"') stat.remove_suffix(1);
        }
        LogEvent& e = sink.add("opensmtpd");
        e.recipient = bare_address(key_value(msg, "to=", " "));
        e.reply = std::string(strip(stat));
        e.status = std::string(result);
        e.queue_id = std::string(key_value(msg, "evpid=", " "));
        e.timestamp = std::string(timestamp);
        e.relay = relay_host(quoted_value(msg, "relay="));
        e.kind = std::move(kind);
        return LogLineKind::failure;
    }
    const std::size_t d = msg.find("delivery: ");
    if (d == npos) return LogLineKind::no_failure;
    string_view rest = msg.substr(d + 10);
    std::string kind;
    if (starts_with(rest, "PermFail") || starts_with(rest, "Loop")) {
        kind = "bounce";
    } else if (starts_with(rest, "TempFail")) {
        kind = "deferral";
    } else {
        return LogLineKind::no_failure;
    }
    string_view id;
    if (const std::size_t f = rest.find(" for "); f != npos) {
        id = rest.substr(f + 5);
        id = id.substr(0, id.find(':'));
    }
    const std::size_t s = find_key(rest, "stat=");
    LogEvent& e = sink.add("opensmtpd");
    e.recipient = bare_address(key_value(rest, "to="));
    e.reply = s == npos ? std::string() : std::string(strip(rest.substr(s + 5)));
    e.status = std::string(rest.substr(0, rest.find(' ')));
    e.queue_id = std::string(id);
    e.timestamp = std::string(timestamp);
    e.relay = relay_host(key_value(rest, "relay="));
    e.kind = std::move(kind);
    return LogLineKind::failure;
}

// ---------------------------------------------------------------------------------------------
// Exim

bool is_exim_id(string_view s) {
    // Classic ids are 6-6-2 base-62 characters ("1rPqXY-0001Ab-Cd"), Exim 4.97+ 6-11-4.
    const std::size_t d1 = s.find('-');
    if (d1 != 6) return false;
    const std::size_t d2 = s.find('-', d1 + 1);
    if (d2 == npos) return false;
    const std::size_t mid = d2 - d1 - 1;
    const std::size_t last = s.size() - d2 - 1;
    if ((mid != 6 || last != 2) && (mid != 11 || last != 4)) return false;
    for (char c : s)
        if (!is_alnum(c) && c != '-') return false;
    return true;
}

// The part of an Exim main-log line after its timestamp (and [pid]): "<id> ** a@b R=.. T=..:
// error" for a failure, "<id> == a@b ... defer (-44) ...: error" for a deferral.
LogLineKind read_exim_body(string_view timestamp, string_view body, Sink& sink) {
    const std::size_t sp = body.find(' ');
    if (sp == npos || !is_exim_id(body.substr(0, sp))) {
        // A line without a message id (connections, queue runs): no failure, unless it is
        // really a reply written after a timestamp.
        if (!body.empty() && is_digit(body.front())) return LogLineKind::other;
        return LogLineKind::no_failure;
    }
    const string_view id = body.substr(0, sp);
    string_view rest = body.substr(sp + 1);
    std::string kind;
    if (starts_with(rest, "** ")) {
        kind = "bounce";
    } else if (starts_with(rest, "== ")) {
        kind = "deferral";
    } else {
        return LogLineKind::no_failure;  // <= arrival, => -> *> delivery, Completed, ...
    }
    rest = rest.substr(3);
    std::size_t aend = 0;
    while (aend < rest.size() && rest[aend] != ' ' &&
           !(rest[aend] == ':' && (aend + 1 == rest.size() || rest[aend + 1] == ' ')))
        ++aend;
    const string_view address = rest.substr(0, aend);
    string_view fields = rest.substr(aend);
    string_view error;
    if (const std::size_t smtp = fields.find("SMTP error from remote mail"); smtp != npos) {
        error = fields.substr(smtp);
        fields = fields.substr(0, smtp);
    } else if (const std::size_t colon = fields.find(": "); colon != npos) {
        error = fields.substr(colon + 2);
        fields = fields.substr(0, colon);
    } else if (starts_with(fields, ":")) {
        error = fields.substr(1);
        fields = {};
    }
    std::string relay;
    if (const std::size_t h = find_key(fields, "H="); h != npos) {
        string_view v = fields.substr(h + 2);
        // "H=mx.example.com [192.0.2.1]:25" -> up to the address's ']'.
        const std::size_t close = v.find(']');
        const std::size_t space = v.find(' ');
        if (close != npos && (space == npos || close < v.find(' ', space + 1)))
            v = v.substr(0, close + 1);
        else
            v = v.substr(0, space);
        relay = relay_host(v);
    } else if (const std::size_t host = error.find(": host "); host != npos) {
        // Older Exim: "SMTP error from remote mail server after RCPT TO:<a@b>: host mx [ip]: 550"
        string_view v = error.substr(host + 7);
        relay = relay_host(v.substr(0, v.find(']') == npos ? v.find(' ') : v.find(']') + 1));
    }
    LogEvent& e = sink.add("exim");
    e.recipient = bare_address(address);
    e.reply = std::string(strip(error));
    e.status = kind == "bounce" ? "**" : "==";
    e.queue_id = std::string(id);
    e.timestamp = std::string(timestamp);
    e.relay = std::move(relay);
    e.kind = std::move(kind);
    return LogLineKind::failure;
}

// "2024-01-15 10:23:45[.123][ +0100][ [pid]] " -> length of that prefix, 0 when absent.
std::size_t exim_timestamp_length(string_view line, std::size_t& stamp_end) {
    if (line.size() < 21) return 0;
    // "dddd-dd-dd dd:dd:dd": the separators first, a cheap test that rejects the other lines
    // that start with a digit (ISO syslog stamps, CSV records), then the digits.
    static constexpr string_view k_shape = "dddd-dd-dd dd:dd:dd";
    if (line[4] != '-' || line[7] != '-' || line[10] != ' ' || line[13] != ':' || line[16] != ':')
        return 0;
    for (std::size_t i = 0; i < k_shape.size(); ++i) {
        if (k_shape[i] == 'd' && !is_digit(line[i])) return 0;
    }
    std::size_t i = k_shape.size();
    if (line[i] == '.')
        for (++i; i < line.size() && is_digit(line[i]);) ++i;
    if (i + 6 < line.size() && line[i] == ' ' && (line[i + 1] == '+' || line[i + 1] == '-') &&
        all_digits(line.substr(i + 2, 4)))
        i += 6;
    stamp_end = i;
    if (i >= line.size() || line[i] != ' ') return 0;
    ++i;
    if (i < line.size() && line[i] == '[') {  // log_selector +pid
        const std::size_t close = line.find("] ", i);
        if (close == npos) return 0;
        i = close + 2;
    }
    return i;
}

// ---------------------------------------------------------------------------------------------
// qmail

// qmail writes spaces as '_' and line breaks as '/' in its delivery reports.
std::string qmail_text(string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '_') {
            c = ' ';
        } else if (c == '/' && (i + 1 == s.size() || s[i + 1] == '_' || is_digit(s[i + 1]) ||
                                (s[i + 1] >= 'A' && s[i + 1] <= 'Z'))) {
            c = ' ';
        }
        if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
        out.push_back(c);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// The qmail-send part of a line, after its timestamp: "delivery 42: failure: text",
// "starting delivery 42: msg 12345 to remote a@b", "status: ...", "new msg ...".
bool is_qmail_send_message(string_view s) {
    return starts_with(s, "delivery ") || starts_with(s, "starting delivery ") ||
           starts_with(s, "status: ") || starts_with(s, "new msg ") ||
           starts_with(s, "info msg ") || starts_with(s, "end msg ") ||
           starts_with(s, "bounce msg ") || starts_with(s, "triple bounce") ||
           starts_with(s, "warning: ") || starts_with(s, "alert: ");
}

LogLineKind read_qmail(string_view timestamp, string_view s, State* state, Sink& sink) {
    if (starts_with(s, "starting delivery ")) {
        if (!state) return LogLineKind::no_failure;
        string_view rest = s.substr(18);
        const std::size_t colon = rest.find(": msg ");
        if (colon == npos || !all_digits(rest.substr(0, colon))) return LogLineKind::no_failure;
        const std::uint64_t n = std::stoull(std::string(rest.substr(0, colon)));
        rest = rest.substr(colon + 6);
        const std::size_t to = rest.find(" to ");
        if (to == npos) return LogLineKind::no_failure;
        string_view msgid = rest.substr(0, to);
        string_view where = rest.substr(to + 4);  // "remote a@b" or "local a@b"
        const std::size_t sp = where.find(' ');
        if (sp == npos) return LogLineKind::no_failure;
        // Bounded memory: a log that never closes its deliveries must not grow us forever.
        if (state->qmail.size() >= 100000) state->qmail.clear();
        state->qmail[n] =
            State::QmailDelivery{std::string(strip(where.substr(sp + 1))), std::string(msgid)};
        return LogLineKind::no_failure;
    }
    if (!starts_with(s, "delivery ")) return LogLineKind::no_failure;
    string_view rest = s.substr(9);
    const std::size_t colon = rest.find(": ");
    if (colon == npos || !all_digits(rest.substr(0, colon))) return LogLineKind::no_failure;
    const string_view number = rest.substr(0, colon);
    rest = rest.substr(colon + 2);
    std::string kind;
    if (starts_with(rest, "failure: ")) {
        kind = "bounce";
        rest = rest.substr(9);
    } else if (starts_with(rest, "deferral: ")) {
        kind = "deferral";
        rest = rest.substr(10);
    } else {
        if (state && starts_with(rest, "success: ") && number.size() < 20)
            state->qmail.erase(std::stoull(std::string(number)));
        return LogLineKind::no_failure;
    }
    LogEvent& e = sink.add("qmail");
    e.reply = qmail_text(rest);
    e.status = kind == "bounce" ? "failure" : "deferral";
    e.timestamp = std::string(timestamp);
    e.kind = std::move(kind);
    if (state && number.size() < 20) {
        const std::uint64_t n = std::stoull(std::string(number));
        if (auto it = state->qmail.find(n); it != state->qmail.end()) {
            e.recipient = std::move(it->second.recipient);
            e.queue_id = std::move(it->second.message);
            state->qmail.erase(it);
        }
    }
    if (e.queue_id.empty()) e.queue_id = "delivery " + std::string(number);
    // "203.0.113.5_does_not_like_recipient." / "Connected_to_203.0.113.5_but_..."
    static const RE2 k_ip(R"((?:^|_)(\d{1,3}(?:\.\d{1,3}){3})(?:_|$))");
    std::string ip;
    if (RE2::PartialMatch(re2::StringPiece(rest.data(), rest.size()), k_ip, &ip))
        e.relay = std::move(ip);
    return LogLineKind::failure;
}

// multilog "@4000000065a4c8f1..." (TAI64N) or splogger "1705312345.123456" timestamps.
std::size_t qmail_timestamp_length(string_view line) {
    if (line.size() > 26 && line[0] == '@' && starts_with(line, "@4000") && line[25] == ' ')
        return 25;
    std::size_t i = 0;
    while (i < line.size() && is_digit(line[i])) ++i;
    if (i < 9 || i >= line.size() || line[i] != '.') return 0;
    const std::size_t frac = ++i;
    while (i < line.size() && is_digit(line[i])) ++i;
    if (i == frac || i >= line.size() || line[i] != ' ') return 0;
    return i;
}

// ---------------------------------------------------------------------------------------------
// Haraka

// "[NOTICE] [<uuid>.1.1] [outbound] recipient <a@b> rejected: 550 5.1.1 ..." and "deferred:",
// "bouncing mail: <reason>" and "Temp failing <file> for N seconds: <reason>".
LogLineKind read_haraka(string_view timestamp, string_view line, Sink& sink) {
    const std::size_t ob = line.find("[outbound] ");
    if (ob == npos) return LogLineKind::no_failure;
    string_view msg = line.substr(ob + 11);
    string_view uuid;
    if (ob >= 2 && line[ob - 1] == ' ' && line[ob - 2] == ']') {
        const std::size_t open = line.rfind('[', ob - 2);
        if (open != npos) uuid = line.substr(open + 1, ob - 3 - open);
    }
    std::string kind;
    std::string recipient;
    string_view reply;
    if (starts_with(msg, "recipient ")) {
        string_view rest = msg.substr(10);
        const std::size_t rj = rest.find(" rejected: ");
        const std::size_t df = rest.find(" deferred: ");
        if (rj != npos && (df == npos || rj < df)) {
            kind = "bounce";
            recipient = bare_address(rest.substr(0, rj));
            reply = rest.substr(rj + 11);
        } else if (df != npos) {
            kind = "deferral";
            recipient = bare_address(rest.substr(0, df));
            reply = rest.substr(df + 11);
        } else {
            return LogLineKind::no_failure;
        }
    } else if (starts_with(msg, "bouncing mail: ")) {
        reply = msg.substr(15);
        // Per-recipient rejections were logged on their own lines already.
        if (starts_with(reply, "Some recipients failed")) return LogLineKind::no_failure;
        kind = "bounce";
    } else if (starts_with(msg, "Temp failing ")) {
        const std::size_t sec = msg.find(" seconds: ");
        if (sec == npos) return LogLineKind::no_failure;
        reply = msg.substr(sec + 10);
        if (starts_with(reply, "Some recipients temp failed")) return LogLineKind::no_failure;
        kind = "deferral";
    } else {
        return LogLineKind::no_failure;
    }
    LogEvent& e = sink.add("haraka");
    e.recipient = std::move(recipient);
    e.reply = std::string(strip(reply));
    e.status = kind == "bounce" ? "rejected" : "deferred";
    e.queue_id = std::string(uuid);
    e.timestamp = std::string(timestamp);
    e.kind = std::move(kind);
    return LogLineKind::failure;
}

bool is_haraka_level(string_view s) {
    static constexpr std::array<string_view, 10> k_levels = {
        "[DATA]", "[PROTOCOL]", "[DEBUG]", "[INFO]",  "[NOTICE]",
        "[WARN]", "[ERROR]",    "[CRIT]",  "[ALERT]", "[EMERG]"};
    for (string_view l : k_levels)
        if (starts_with(s, l)) return true;
    return false;
}

// ---------------------------------------------------------------------------------------------
// CSV: PowerMTA accounting, Exchange message tracking

// Splits one CSV record (RFC 4180 quoting) into raw fields, quotes kept.
void split_csv(string_view line, std::vector<string_view>& fields) {
    fields.clear();
    std::size_t start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.push_back(line.substr(start, i - start));
            start = i + 1;
        }
    }
    fields.push_back(line.substr(start));
}

std::string csv_value(const std::vector<string_view>& fields, int index) {
    if (index < 0 || static_cast<std::size_t>(index) >= fields.size()) return {};
    string_view f = strip(fields[static_cast<std::size_t>(index)]);
    if (f.size() < 2 || f.front() != '"' || f.back() != '"') return std::string(f);
    f = f.substr(1, f.size() - 2);
    std::string out;
    out.reserve(f.size());
    for (std::size_t i = 0; i < f.size(); ++i) {
        out.push_back(f[i]);
        if (f[i] == '"' && i + 1 < f.size() && f[i + 1] == '"') ++i;
    }
    return out;
}

// Header names compared without case, quotes, dashes or spaces ("recipient-status",
// "RecipientStatus").
std::string header_key(string_view s) {
    std::string out;
    for (char c : s)
        if (c != '"' && c != '-' && c != ' ' && c != '_' && c != '\r') out.push_back(to_lower(c));
    return out;
}

int column_of(const std::vector<string_view>& fields, std::initializer_list<string_view> names) {
    for (string_view name : names)
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (header_key(fields[i]) == name) return static_cast<int>(i);
    return -1;
}

bool is_powermta_type(string_view t) {
    return t == "d" || t == "b" || t == "t" || t == "tq" || t == "r" || t == "rb" || t == "rs" ||
           t == "f" || t == "tr";
}

// "b,2024-01-15 10:23:45-0500,..." (record type, then timeLogged).
bool looks_like_powermta_record(string_view line) {
    const std::size_t comma = line.find(',');
    if (comma == npos || comma > 2 || !is_powermta_type(line.substr(0, comma))) return false;
    string_view next = line.substr(comma + 1);
    if (!next.empty() && next.front() == '"') next.remove_prefix(1);
    return next.size() > 5 && is_digit(next[0]) && is_digit(next[3]) && next[4] == '-';
}

LogLineKind read_powermta(string_view line, State* state, std::vector<string_view>& fields,
                          Sink& sink) {
    const string_view type = line.substr(0, line.find(','));
    std::string kind;
    if (type == "b" || type == "rb") {
        kind = "bounce";
    } else if (type == "t" || type == "tq") {
        kind = "deferral";
    } else {
        return LogLineKind::no_failure;
    }
    const PowerMtaColumns cols =
        state && state->have_powermta_header ? state->powermta : PowerMtaColumns{};
    split_csv(line, fields);
    std::string rcpt = bare_address(csv_value(fields, cols.rcpt));
    std::string diag = strip_smtp_prefix(csv_value(fields, cols.dsn_diag));
    std::string status = csv_value(fields, cols.dsn_status);
    LogEvent& e = sink.add("powermta");
    e.recipient = std::move(rcpt);
    e.reply = diag.empty() ? status : std::move(diag);
    e.status = status.substr(0, status.find(' '));
    e.queue_id = csv_value(fields, cols.env_id);
    if (e.queue_id.empty()) e.queue_id = csv_value(fields, cols.job_id);
    e.timestamp = csv_value(fields, cols.time_logged);
    e.relay = relay_host(csv_value(fields, cols.dsn_mta));
    e.kind = std::move(kind);
    return LogLineKind::failure;
}

void read_powermta_header(string_view line, State& state) {
    split_csv(line, state.fields);
    const auto& f = state.fields;
    PowerMtaColumns c;
    c.type = column_of(f, {"type"});
    c.time_logged = column_of(f, {"timelogged"});
    c.rcpt = column_of(f, {"rcpt"});
    c.dsn_status = column_of(f, {"dsnstatus"});
    c.dsn_diag = column_of(f, {"dsndiag"});
    c.dsn_mta = column_of(f, {"dsnmta"});
    c.job_id = column_of(f, {"jobid"});
    c.env_id = column_of(f, {"envid"});
    state.powermta = c;
    state.have_powermta_header = true;
}

bool read_exchange_header(string_view fields_text, State& state) {
    split_csv(fields_text, state.fields);
    const auto& f = state.fields;
    ExchangeColumns c;
    c.date_time = column_of(f, {"datetime", "timestamp"});
    c.event_id = column_of(f, {"eventid"});
    c.message_id = column_of(f, {"messageid", "internalmessageid"});
    c.recipient = column_of(f, {"recipientaddress", "recipients"});
    c.status = column_of(f, {"recipientstatus"});
    if (c.event_id < 0 || c.recipient < 0) return false;
    state.exchange = c;
    state.have_exchange_header = true;
    return true;
}

// "2024-01-15T10:23:45.123Z," — a tracking-log record (the ISO date-time field comes first).
bool looks_like_exchange_record(string_view line) {
    if (line.size() > 21 && line[0] == '"') line.remove_prefix(1);
    if (line.size() < 21 || !is_digit(line[0]) || line[4] != '-' || line[10] != 'T') return false;
    const std::size_t comma = line.find(',');
    return comma != npos && comma >= 19 && comma <= 35 &&
           line.substr(11, comma - 11).find(' ') == npos;
}

// One status per recipient: "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found;550 ..." holds
// ';' inside a status too, so split only where a new status starts.
std::vector<std::string> split_exchange_statuses(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != ';') continue;
        string_view next(s.data() + i + 1, s.size() - i - 1);
        const bool new_status = (next.size() > 3 && is_digit(next[0]) && is_digit(next[1]) &&
                                 is_digit(next[2]) && next[3] == ' ') ||
                                starts_with(next, "[{");
        if (new_status) {
            out.emplace_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    out.emplace_back(s.substr(start));
    return out;
}

// "[{LRT=};{LED=550 5.1.1 RESOLVER.ADR.RecipNotFound; not found};{FQDN=};{IP=}]" -> LED value.
std::string exchange_reply(string_view s) {
    const std::size_t led = s.find("{LED=");
    if (led == npos) return std::string(strip(s));
    string_view v = s.substr(led + 5);
    std::size_t end = v.find("};");
    if (end == npos) end = v.find('}');
    return std::string(strip(v.substr(0, end)));
}

LogLineKind read_exchange(string_view line, State* state, std::vector<string_view>& fields,
                          Sink& sink) {
    // Only FAIL and DEFER events are failures; the cheap test spares the split.
    if (!contains(line, ",FAIL,") && !contains(line, ",DEFER,") && !contains(line, "\"FAIL\"") &&
        !contains(line, "\"DEFER\""))
        return LogLineKind::no_failure;
    split_csv(line, fields);
    ExchangeColumns cols =
        state && state->have_exchange_header ? state->exchange : ExchangeColumns{};
    if (!(state && state->have_exchange_header) &&
        csv_value(fields, cols.recipient).find('@') == npos) {
        // Exchange 2010 has no network-message-id column: everything after it moves left.
        cols.recipient = 11;
        cols.status = 12;
    }
    const std::string event = csv_value(fields, cols.event_id);
    std::string kind;
    if (event == "FAIL") {
        kind = "bounce";
    } else if (event == "DEFER") {
        kind = "deferral";
    } else {
        return LogLineKind::no_failure;
    }
    const std::string recipients = csv_value(fields, cols.recipient);
    const std::string status_text = csv_value(fields, cols.status);
    std::vector<std::string> statuses = split_exchange_statuses(status_text);
    std::vector<string_view> rcpts;
    string_view all(recipients);
    for (std::size_t start = 0; start <= all.size();) {
        std::size_t semi = all.find(';', start);
        if (semi == npos) semi = all.size();
        if (!strip(all.substr(start, semi - start)).empty())
            rcpts.push_back(all.substr(start, semi - start));
        start = semi + 1;
    }
    if (rcpts.empty()) rcpts.push_back({});
    const std::string message_id = csv_value(fields, cols.message_id);
    const std::string timestamp = csv_value(fields, cols.date_time);
    for (std::size_t i = 0; i < rcpts.size() && !sink.full(); ++i) {
        const std::string& st = statuses.size() == rcpts.size() ? statuses[i] : status_text;
        LogEvent& e = sink.add("exchange");
        e.recipient = bare_address(rcpts[i]);
        e.reply = exchange_reply(st);
        e.status = event;
        e.queue_id = message_id;
        e.timestamp = timestamp;
        e.kind = kind;
    }
    return LogLineKind::failure;
}

// ---------------------------------------------------------------------------------------------
// JSON: KumoMTA log records, Amazon SES, SendGrid, Mailgun, Postmark

using Json = nlohmann::json;

std::string jstr(const Json& j, const char* key) {
    if (!j.is_object()) return {};
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    if (it->is_number() || it->is_boolean()) return it->dump();
    return {};
}

const Json* jobj(const Json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    const auto it = j.find(key);
    return it == j.end() || it->is_null() ? nullptr : &*it;
}

// Where an ESP's event record keeps the fields every LogEvent has.
struct EventKeys {
    const char* recipient;
    const char* queue_id;
    const char* timestamp;
};

// A new event of `format` and `kind`, with recipient, queue id and timestamp from `j`.
LogEvent& add_event(Sink& sink, const char* format, const Json& j, const EventKeys& keys,
                    std::string kind) {
    LogEvent& e = sink.add(format);
    e.recipient = bare_address(jstr(j, keys.recipient));
    e.queue_id = jstr(j, keys.queue_id);
    e.timestamp = jstr(j, keys.timestamp);
    e.kind = std::move(kind);
    return e;
}

// "550 5.1.1 text" from a provider's separate fields: the basic code when it is an SMTP one
// (Mailgun's own 605, "not delivering to a previously bounced address", is not), then the
// enhanced code unless the text already starts with it.
std::string compose_reply(const std::string& code, const std::string& enhanced, string_view text) {
    text = strip(text);
    std::string reply;
    if (code.size() == 3 && code[0] >= '2' && code[0] <= '5') reply = code + " ";
    if (!enhanced.empty() && !starts_with(text, enhanced)) reply += enhanced + " ";
    reply += std::string(text);
    return std::string(strip(reply));
}

LogLineKind read_ses(const Json& j, Sink& sink) {
    std::string type = jstr(j, "notificationType");
    if (type.empty()) type = jstr(j, "eventType");
    const Json* mail = jobj(j, "mail");
    const std::string message_id = mail ? jstr(*mail, "messageId") : std::string();
    if (type == "Bounce") {
        const Json* b = jobj(j, "bounce");
        if (!b) return LogLineKind::no_failure;
        const std::string bounce_type = jstr(*b, "bounceType");
        const std::string sub_type = jstr(*b, "bounceSubType");
        const Json* list = jobj(*b, "bouncedRecipients");
        if (!list || !list->is_array()) return LogLineKind::no_failure;
        for (const Json& r : *list) {
            if (sink.full()) break;
            LogEvent& e = sink.add("ses");
            e.recipient = bare_address(jstr(r, "emailAddress"));
            e.reply = strip_smtp_prefix(jstr(r, "diagnosticCode"));
            if (sub_type == "Suppressed" || sub_type == "OnAccountSuppressionList") {
                // SES did not send at all (its status 5.1.1 repeats an older bounce): say so.
                e.reply = "Amazon SES did not send to this address: it is on a suppression list (" +
                          sub_type + ")";
            }
            // SES reports some other bounces with no diagnostic code at all.
            if (e.reply.empty()) e.reply = bounce_type + " bounce (" + sub_type + ")";
            e.status = jstr(r, "status");
            if (e.status.empty()) e.status = bounce_type + "/" + sub_type;
            e.queue_id = message_id;
            e.timestamp = jstr(*b, "timestamp");
            e.relay = jstr(*b, "remoteMtaIp");
            e.kind = bounce_type == "Transient" ? "deferral" : "bounce";
        }
        return LogLineKind::failure;
    }
    if (type == "DeliveryDelay") {
        const Json* d = jobj(j, "deliveryDelay");
        if (!d) return LogLineKind::no_failure;
        const Json* list = jobj(*d, "delayedRecipients");
        if (!list || !list->is_array()) return LogLineKind::no_failure;
        for (const Json& r : *list) {
            if (sink.full()) break;
            LogEvent& e = sink.add("ses");
            e.recipient = bare_address(jstr(r, "emailAddress"));
            e.reply = strip_smtp_prefix(jstr(r, "diagnosticCode"));
            if (e.reply.empty()) e.reply = jstr(*d, "delayType");
            e.status = jstr(r, "status");
            if (e.status.empty()) e.status = jstr(*d, "delayType");
            e.queue_id = message_id;
            e.timestamp = jstr(*d, "timestamp");
            e.kind = "deferral";
        }
        return LogLineKind::failure;
    }
    if (type == "Complaint") {
        const Json* c = jobj(j, "complaint");
        if (!c) return LogLineKind::no_failure;
        const Json* list = jobj(*c, "complainedRecipients");
        if (!list || !list->is_array()) return LogLineKind::no_failure;
        std::string feedback = jstr(*c, "complaintFeedbackType");
        if (feedback.empty()) feedback = "complaint";
        for (const Json& r : *list) {
            if (sink.full()) break;
            LogEvent& e = sink.add("ses");
            e.recipient = bare_address(jstr(r, "emailAddress"));
            e.reply = feedback;
            e.status = feedback;
            e.queue_id = message_id;
            e.timestamp = jstr(*c, "timestamp");
            e.kind = "complaint";
        }
        return LogLineKind::failure;
    }
    return LogLineKind::no_failure;  // Send, Delivery, Open, Click, Reject, ...
}

LogLineKind read_sendgrid(const Json& j, Sink& sink) {
    const std::string event = jstr(j, "event");
    std::string kind;
    std::string reply;
    if (event == "bounce" || event == "dropped") {
        kind = "bounce";
        reply = jstr(j, "reason");
    } else if (event == "deferred") {
        kind = "deferral";
        reply = jstr(j, "response");
        if (reply.empty()) reply = jstr(j, "reason");
    } else if (event == "spamreport") {
        kind = "complaint";
        reply = "abuse";
    } else {
        return LogLineKind::no_failure;  // processed, delivered, open, click, ...
    }
    LogEvent& e =
        add_event(sink, "sendgrid", j, {"email", "sg_message_id", "timestamp"}, std::move(kind));
    e.reply = strip_smtp_prefix(reply);
    e.status = jstr(j, "status");
    if (e.status.empty()) e.status = event;
    return LogLineKind::failure;
}

LogLineKind read_mailgun(const Json& j, Sink& sink) {
    const std::string event = jstr(j, "event");
    std::string kind;
    if (event == "failed") {
        kind = jstr(j, "severity") == "temporary" ? "deferral" : "bounce";
    } else if (event == "bounced" || event == "dropped") {
        kind = "bounce";
    } else if (event == "complained") {
        kind = "complaint";
    } else {
        return LogLineKind::no_failure;  // accepted, delivered, opened, ...
    }
    LogEvent& e = add_event(sink, "mailgun", j, {"recipient", "id", "timestamp"}, kind);
    if (const Json* msg = jobj(j, "message")) {
        if (const Json* headers = jobj(*msg, "headers")) {
            std::string message_id = jstr(*headers, "message-id");
            if (!message_id.empty()) e.queue_id = std::move(message_id);
        }
    }
    if (kind == "complaint") {
        e.reply = "abuse";
        e.status = "complained";
        return LogLineKind::failure;
    }
    const Json* ds = jobj(j, "delivery-status");
    std::string code, message, description, enhanced;
    if (ds) {
        code = jstr(*ds, "code");
        message = strip(jstr(*ds, "message")) == "" ? std::string() : jstr(*ds, "message");
        description = jstr(*ds, "description");
        enhanced = jstr(*ds, "enhanced-code");
        e.relay = lower(jstr(*ds, "mx-host"));
    }
    e.reply = compose_reply(code, enhanced, !message.empty() ? message : description);
    e.status = !enhanced.empty() ? enhanced : jstr(j, "reason");
    return LogLineKind::failure;
}

LogLineKind read_postmark(const Json& j, Sink& sink) {
    const std::string record = jstr(j, "RecordType");
    const std::string type = jstr(j, "Type");
    std::string kind;
    if (record == "SpamComplaint" || type == "SpamComplaint") {
        kind = "complaint";
    } else if (record == "Bounce" || (record.empty() && !type.empty())) {
        static constexpr std::array<string_view, 5> k_soft = {"SoftBounce", "Transient", "DnsError",
                                                              "SMTPApiError", "InboundError"};
        static constexpr std::array<string_view, 9> k_not_failures = {
            "AutoResponder", "Subscribe",           "Unsubscribe",
            "AddressChange", "OpenRelayTest",       "ChallengeVerification",
            "Unconfirmed",   "ManuallyDeactivated", "TemplateRenderingFailed"};
        for (string_view n : k_not_failures)
            if (type == n) return LogLineKind::no_failure;
        kind = "bounce";
        for (string_view s : k_soft)
            if (type == s) kind = "deferral";
    } else {
        return LogLineKind::no_failure;  // Delivery, Open, Click, SubscriptionChange
    }
    const bool complaint = kind == "complaint";
    LogEvent& e =
        add_event(sink, "postmark", j, {"Email", "MessageID", "BouncedAt"}, std::move(kind));
    if (complaint) {
        e.reply = "abuse";
    } else {
        e.reply = strip_smtp_prefix(jstr(j, "Details"));
        if (e.reply.empty()) e.reply = jstr(j, "Description");
    }
    e.status = type.empty() ? record : type;
    return LogLineKind::failure;
}

LogLineKind read_kumomta(const Json& j, Sink& sink) {
    const std::string type = jstr(j, "type");
    std::string kind;
    if (type == "Bounce" || type == "AdminBounce" || type == "OOB" || type == "Expiration") {
        kind = "bounce";
    } else if (type == "TransientFailure") {
        kind = "deferral";
    } else if (type == "Feedback") {
        kind = "complaint";
    } else {
        return LogLineKind::no_failure;  // Reception, Delivery, Rejection (inbound), ...
    }
    LogEvent& e = add_event(sink, "kumomta", j, {"recipient", "id", "timestamp"}, kind);
    if (const Json* peer = jobj(j, "peer_address")) {
        e.relay = lower(jstr(*peer, "name"));
        if (e.relay.empty()) e.relay = jstr(*peer, "addr");
    }
    if (kind == "complaint") {
        e.reply = "abuse";
        e.status = "Feedback";
        return LogLineKind::failure;
    }
    std::string enhanced;
    std::string code;
    std::string content;
    if (const Json* r = jobj(j, "response")) {
        code = jstr(*r, "code");
        content = jstr(*r, "content");
        if (const Json* ec = jobj(*r, "enhanced_code"); ec && ec->is_object()) {
            const std::string c = jstr(*ec, "class"), s = jstr(*ec, "subject"),
                              d = jstr(*ec, "detail");
            if (!c.empty() && !s.empty() && !d.empty()) enhanced = c + "." + s + "." + d;
        }
    }
    e.reply = compose_reply(code, enhanced, content);
    e.status = !enhanced.empty() ? enhanced : type;
    return LogLineKind::failure;
}

LogLineKind read_json_value(const Json& j, Sink& sink, int depth) {
    if (!j.is_object()) return LogLineKind::other;
    // An SNS envelope carries the SES notification as a JSON string.
    if (depth == 0 && j.contains("Message") && jstr(j, "Type") == "Notification") {
        const Json inner = Json::parse(jstr(j, "Message"), nullptr, false);
        if (inner.is_discarded()) return LogLineKind::no_failure;
        return read_json_value(inner, sink, depth + 1);
    }
    if (j.contains("notificationType") || j.contains("eventType")) return read_ses(j, sink);
    if (const Json* data = jobj(j, "event-data")) return read_mailgun(*data, sink);
    if (j.contains("event") && j.contains("delivery-status")) return read_mailgun(j, sink);
    if (j.contains("RecordType")) return read_postmark(j, sink);
    if (j.contains("event") && (j.contains("sg_event_id") || j.contains("email")))
        return read_sendgrid(j, sink);
    if (j.contains("type") && j.contains("recipient")) return read_kumomta(j, sink);
    return LogLineKind::other;
}

LogLineKind read_json(string_view line, Sink& sink) {
    // Known shapes only: a key that one of the supported producers always writes...
    static constexpr std::array<string_view, 8> k_keys = {
        "notificationType", "eventType",  "sg_event_id",   "\"event\"",
        "event-data",       "RecordType", "\"recipient\"", "\"email\""};
    bool known = false;
    for (string_view k : k_keys) known = known || contains(line, k);
    if (!known) return LogLineKind::other;
    // ...and a word that only failure events carry, so deliveries and opens stay unparsed.
    static constexpr std::array<string_view, 13> k_failure_words = {
        "ounce",   "omplain",    "eferred",  "DeliveryDelay",    "dropped",
        "blocked", "spamreport", "failed",   "TransientFailure", "Expiration",
        "\"OOB\"", "Feedback",   "Transient"};
    bool failure = false;
    for (string_view w : k_failure_words) failure = failure || contains(line, w);
    if (!failure) return LogLineKind::no_failure;

    const Json j = Json::parse(line.begin(), line.end(), nullptr, false);
    if (j.is_discarded()) return LogLineKind::other;
    if (j.is_array()) {
        LogLineKind kind = LogLineKind::other;
        for (const Json& item : j) {
            if (sink.full()) break;
            const LogLineKind k = read_json_value(item, sink, 0);
            if (k == LogLineKind::failure || kind == LogLineKind::other) kind = k;
        }
        return kind;
    }
    const std::size_t before = sink.events.size();
    const LogLineKind k = read_json_value(j, sink, 0);
    if (k == LogLineKind::failure && sink.events.size() == before) return LogLineKind::no_failure;
    return k;
}

// ---------------------------------------------------------------------------------------------
// Dispatch

LogLineKind read_syslog_message(const SyslogLine& s, State* state, Sink& sink) {
    const string_view p = s.program;
    if (contains(p, "postfix")) return read_postfix(s.timestamp, p, s.message, sink);
    if (starts_with(p, "sendmail") || starts_with(p, "sm-mta") || starts_with(p, "sm-msp"))
        return read_sendmail(s.timestamp, s.message, sink);
    if (p == "smtpd") return read_opensmtpd(s.timestamp, s.message, sink);
    if (starts_with(p, "qmail")) {
        string_view m = s.message;
        if (const std::size_t n = qmail_timestamp_length(m); n > 0) m = m.substr(n + 1);
        return read_qmail(s.timestamp, m, state, sink);
    }
    if (starts_with(p, "exim")) {
        std::size_t stamp_end = 0;
        const std::size_t n = exim_timestamp_length(s.message, stamp_end);
        if (n > 0) return read_exim_body(s.message.substr(0, stamp_end), s.message.substr(n), sink);
        const LogLineKind k = read_exim_body(s.timestamp, s.message, sink);
        return k == LogLineKind::other ? LogLineKind::no_failure : k;
    }
    if (p == "haraka" || p == "Haraka") return read_haraka(s.timestamp, s.message, sink);
    if (is_mail_noise_program(p)) return LogLineKind::no_failure;
    // A Postfix instance with its own syslog_name ("postfix-out" is caught above, "mta/smtp" is
    // not): recognise the record by its fields.
    if (find_key(s.message, "status=") != npos && contains(s.message, "to=<"))
        return read_postfix(s.timestamp, p, s.message, sink);
    return LogLineKind::other;
}

LogLineKind read_line(string_view line, State* state, std::vector<LogEvent>& events,
                      bool first_only) {
    line = strip(line);
    if (line.empty()) return LogLineKind::other;
    Sink sink{events, first_only};
    const char c = line.front();

    if (c == '{' || c == '[') {
        if (c == '[' && is_haraka_level(line)) {
            const LogLineKind k = read_haraka({}, line, sink);
            return k;
        }
        return read_json(line, sink);
    }
    if (c == '#') {
        // Exchange message-tracking header lines: "#Software: Microsoft Exchange Server",
        // "#Fields: date-time,client-ip,...".
        if (starts_with(line, "#Fields: ")) {
            if (state) read_exchange_header(line.substr(9), *state);
            return LogLineKind::no_failure;
        }
        if (starts_with(line, "#Software: ") || starts_with(line, "#Version: ") ||
            starts_with(line, "#Log-type: ") || starts_with(line, "#Date: "))
            return LogLineKind::no_failure;
        return LogLineKind::other;
    }
    if (c == '@' || is_digit(c)) {
        if (const std::size_t n = qmail_timestamp_length(line); n > 0) {
            string_view m = line.substr(n + 1);
            if (c == '@' || is_qmail_send_message(m))
                return read_qmail(line.substr(0, n), m, state, sink);
        }
    }
    std::vector<string_view> local_fields;
    std::vector<string_view>& fields = state ? state->fields : local_fields;
    if (starts_with(line, "type,") && contains(line, "rcpt")) {
        if (state) read_powermta_header(line, *state);
        return LogLineKind::no_failure;
    }
    if (c == '"' &&
        (starts_with(line, "\"RunspaceId\"") || starts_with(line, "\"Timestamp\"") ||
         starts_with(line, "\"PSComputerName\"")) &&
        contains(line, "EventId")) {
        if (state) read_exchange_header(line, *state);
        return LogLineKind::no_failure;
    }
    if (is_alpha(c) && looks_like_powermta_record(line))
        return read_powermta(line, state, fields, sink);
    if ((is_digit(c) || c == '"') && looks_like_exchange_record(line))
        return read_exchange(line, state, fields, sink);
    // After a PowerShell export's header (Get-MessageTrackingLog | Export-Csv) every quoted
    // record is a tracking record, whatever its first column (the RunspaceId GUID).
    if (c == '"' && state && state->have_exchange_header)
        return read_exchange(line, state, fields, sink);

    if (is_digit(c)) {
        std::size_t stamp_end = 0;
        if (const std::size_t n = exim_timestamp_length(line, stamp_end); n > 0)
            return read_exim_body(line.substr(0, stamp_end), line.substr(n), sink);
    }
    SyslogLine syslog;
    if (parse_syslog(line, syslog)) return read_syslog_message(syslog, state, sink);

    // Haraka's own log file: "[NOTICE] [uuid] [outbound] ..." optionally after an ISO time.
    if (is_digit(c)) {
        const std::size_t sp = line.find(' ');
        if (sp != npos && is_haraka_level(line.substr(sp + 1)))
            return read_haraka(line.substr(0, sp), line.substr(sp + 1), sink);
    }
    return LogLineKind::other;
}

}  // namespace

LogReader::LogReader() : m_state(std::make_unique<State>()) {}
LogReader::~LogReader() = default;

LogLineKind LogReader::read(std::string_view line, std::vector<LogEvent>& events) {
    return read_line(line, m_state.get(), events, false);
}

std::optional<LogEvent> extract_log_event(std::string_view line) {
    std::vector<LogEvent> events;
    if (read_line(line, nullptr, events, true) != LogLineKind::failure || events.empty())
        return std::nullopt;
    return std::move(events.front());
}

LogLineKind classify_log_line(std::string_view line) {
    std::vector<LogEvent> events;
    return read_line(line, nullptr, events, true);
}

}  // namespace bouncediag
