#include "mime.h"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include "text_util.h"

namespace bouncediag::mime {

namespace {

// Nesting deeper than this is not a real bounce; stop instead of recursing (and overflowing).
constexpr int k_max_depth = 32;
// Text parts larger than this are truncated before decoding: a bounce's explanation is short.
constexpr std::size_t k_max_text = 1 << 20;

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

constexpr bool is_field_name_char(char c) {
    return c > 32 && c < 127 && c != ':';
}

// Length of the field name if `line` starts a header field ("Name:"), else 0.
std::size_t field_name_length(std::string_view line) {
    // is_field_name_char as a table: this runs for every header line.
    static constexpr auto k_name_char = [] {
        std::array<bool, 256> t{};
        for (int c = 0; c < 256; ++c) t[c] = is_field_name_char(static_cast<char>(c));
        return t;
    }();
    std::size_t i = 0;
    while (i < line.size() && k_name_char[static_cast<unsigned char>(line[i])]) ++i;
    std::size_t name_end = i;
    // Tolerate "Name :" written by some old MTAs.
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (name_end == 0 || i >= line.size() || line[i] != ':') return 0;
    return name_end;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

// iconv descriptors are costly to open; keep one per charset and thread, at most k_limit (a
// full cache starts again: it once handed out descriptors it did not keep, and leaked them).
class IconvCache {
  public:
    ~IconvCache() { close_all(); }

    iconv_t get(const std::string& charset) {
        auto it = m_open.find(charset);
        if (it != m_open.end()) return it->second;
        if (m_open.size() >= k_limit) close_all();
        iconv_t cd = iconv_open("UTF-8", charset.c_str());
        m_open.emplace(charset, cd);
        return cd;
    }

  private:
    static constexpr std::size_t k_limit = 64;

    void close_all() {
        for (auto& [name, cd] : m_open)
            if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
        m_open.clear();
    }

    std::map<std::string, iconv_t> m_open;
};

// Microsoft and Japanese mailers use charset names iconv does not know under that spelling.
std::string canonical_charset(std::string_view charset) {
    std::string name = to_lower(trim(charset));
    if (!name.empty() && name.front() == '"') name.erase(0, 1);
    if (!name.empty() && name.back() == '"') name.pop_back();
    if (name == "ks_c_5601-1987") return "cp949";
    if (name == "x-sjis" || name == "shift-jis" || name == "sjis") return "shift_jis";
    if (name == "iso-2022-jp") return "iso-2022-jp-2";
    if (name == "gb2312") return "gb18030";
    return name;
}

bool is_utf8_compatible(std::string_view charset) {
    return charset.empty() || charset == "utf-8" || charset == "utf8" || charset == "us-ascii" ||
           charset == "ascii" || charset == "unknown-8bit" || charset == "x-unknown";
}

}  // namespace

std::string_view Headers::get(std::string_view name) const {
    for (const Field& f : fields)
        if (iequals(f.name, name)) return f.value;
    return {};
}

bool Headers::has(std::string_view name) const {
    for (const Field& f : fields)
        if (iequals(f.name, name)) return true;
    return false;
}

bool needs_normalizing(std::string_view raw) {
    if (raw.find('\r') != std::string_view::npos || raw.starts_with(">From ")) return true;
    // "\n>From ", looked for from its '>' (far rarer than line ends).
    for (std::size_t gt = raw.find('>', 1); gt != std::string_view::npos;
         gt = raw.find('>', gt + 1))
        if (raw[gt - 1] == '\n' && raw.substr(gt, 6) == ">From ") return true;
    return false;
}

std::string normalize_line_endings(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    // Next CR and next '>' at or after a position (raw.size() when none), found by memchr.
    auto next = [&](char c, std::size_t from) { return std::min(raw.find(c, from), raw.size()); };
    std::size_t i = 0;
    std::size_t cr = raw.empty() ? 0 : next('\r', 0), gt = raw.empty() ? 0 : next('>', 0);
    while (i < raw.size()) {
        // Copy plain runs in one go; only CR and ">From " at a line start need work.
        if (cr < i) cr = next('\r', i);
        if (gt < i) gt = next('>', i);
        std::size_t stop = std::min(cr, gt);
        out.append(raw.substr(i, stop - i));
        i = stop;
        if (i >= raw.size()) break;
        if (raw[i] == '\r') {
            // CRLF, and the CR CR LF some gateways write, end one line; bare CRs end one each.
            std::size_t j = i;
            while (j < raw.size() && raw[j] == '\r') ++j;
            if (j < raw.size() && raw[j] == '\n') i = j;
            out.push_back('\n');
            ++i;
            continue;
        }
        // mbox quoting (">From " at a line start) hides "From " lines of the message itself.
        bool line_start = out.empty() || out.back() == '\n';
        if (!(line_start && raw.substr(i, 6) == ">From ")) out.push_back('>');
        ++i;
    }
    return out;
}

void split_entity(std::string_view entity, std::string_view& header, std::string_view& body) {
    if (!entity.empty() && entity.front() == '\n') {
        header = {};
        body = entity.substr(1);
        return;
    }
    std::size_t blank = entity.find("\n\n");
    if (blank != std::string_view::npos) {
        header = entity.substr(0, blank + 1);
        body = entity.substr(blank + 2);
        return;
    }
    if (field_name_length(entity) != 0) {
        header = entity;
        body = {};
    } else {
        header = {};
        body = entity;
    }
}

Headers parse_headers(std::string_view header) {
    Headers out;
    std::size_t pos = 0;
    bool in_field = false;
    while (pos < header.size()) {
        std::size_t eol = header.find('\n', pos);
        if (eol == std::string_view::npos) eol = header.size();
        std::string_view line = header.substr(pos, eol - pos);
        bool folded = !line.empty() && (line.front() == ' ' || line.front() == '\t');
        // Broken folding (a parameter line without leading whitespace) still continues the
        // field above it, e.g. "Content-Type: multipart/alternative;\nboundary=...".
        // The name is measured once per line (most lines start a field).
        const std::size_t name_length = folded ? 0 : field_name_length(line);
        if (!folded && in_field && !line.empty() && name_length == 0) folded = true;
        if (folded) {
            if (in_field) {
                Field& f = out.fields.back();
                const char* begin = f.value.empty() ? line.data() : f.value.data();
                f.value = std::string_view(begin, line.data() + line.size() - begin);
            }
        } else if (std::size_t n = name_length; n != 0) {
            std::size_t colon = line.find(':', n);
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                value.remove_prefix(1);
            out.fields.push_back({line.substr(0, n), value});
            in_field = true;
        } else {
            in_field = false;
        }
        pos = eol + 1;
    }
    return out;
}

std::string unfold(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    auto blank = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
    for (std::size_t i = 0; i < value.size();) {
        if (blank(value[i])) {
            // Each run of blanks and line breaks is one space (none at the start).
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
            ++i;
            continue;
        }
        std::size_t end = i + 1;
        while (end < value.size() && !blank(value[end])) ++end;
        out.append(value.substr(i, end - i));
        i = end;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string decode_header(std::string_view value) {
    std::string in = unfold(value);
    if (in.find("=?") == std::string::npos) return in;
    std::string out;
    std::size_t pos = 0;
    bool last_was_word = false;
    while (pos < in.size()) {
        std::size_t start = in.find("=?", pos);
        if (start == std::string::npos) {
            out.append(in, pos, std::string::npos);
            break;
        }
        // =?charset?E?text?=
        std::size_t q1 = in.find('?', start + 2);
        std::size_t q2 = q1 == std::string::npos ? q1 : in.find('?', q1 + 1);
        std::size_t end = q2 == std::string::npos ? q2 : in.find("?=", q2 + 1);
        if (end == std::string::npos || q2 != q1 + 2) {
            out.append(in, pos, start + 2 - pos);
            pos = start + 2;
            last_was_word = false;
            continue;
        }
        std::string_view between(in.data() + pos, start - pos);
        // Whitespace between two encoded words is not displayed (RFC 2047 section 6.2).
        if (!(last_was_word && trim(between).empty())) out.append(between);
        std::string charset(in, start + 2, q1 - start - 2);
        if (std::size_t star = charset.find('*'); star != std::string::npos) charset.resize(star);
        char enc = ascii_lower(in[q1 + 1]);
        std::string_view text(in.data() + q2 + 1, end - q2 - 1);
        std::string decoded;
        if (enc == 'b') {
            decoded = decode_base64(text);
        } else {
            std::string tmp(text);
            for (char& c : tmp)
                if (c == '_') c = ' ';
            decoded = decode_quoted_printable(tmp);
        }
        out += to_utf8(decoded, charset);
        pos = end + 2;
        last_was_word = true;
    }
    return out;
}

std::string header_parameter(std::string_view value, std::string_view name) {
    std::size_t pos = value.find(';');
    while (pos != std::string_view::npos && pos < value.size()) {
        ++pos;
        while (pos < value.size() &&
               (value[pos] == ' ' || value[pos] == '\t' || value[pos] == '\n'))
            ++pos;
        std::size_t eq = value.find('=', pos);
        if (eq == std::string_view::npos) return {};
        std::string_view key = trim(value.substr(pos, eq - pos));
        std::size_t vpos = eq + 1;
        while (vpos < value.size() && (value[vpos] == ' ' || value[vpos] == '\t')) ++vpos;
        // Only the wanted parameter's value is built; the others are skipped over.
        const bool wanted = iequals(key, name);
        std::string val;
        std::size_t next;
        if (vpos < value.size() && value[vpos] == '"') {
            std::size_t i = vpos + 1;
            while (i < value.size() && value[i] != '"') {
                if (value[i] == '\\' && i + 1 < value.size()) ++i;
                if (wanted && value[i] != '\n') val.push_back(value[i]);
                ++i;
            }
            next = value.find(';', i);
        } else {
            next = value.find(';', vpos);
            if (wanted)
                val = std::string(trim(value.substr(
                    vpos, next == std::string_view::npos ? std::string_view::npos : next - vpos)));
        }
        if (wanted) return val;
        pos = next;
    }
    return {};
}

ContentType parse_content_type(std::string_view value) {
    ContentType ct;
    std::string_view type = trim(value.substr(0, value.find(';')));
    ct.type =
        type.empty() || type.find('/') == std::string_view::npos ? "text/plain" : to_lower(type);
    // Some generators write "Content-Type: text/plain charset=..." without the semicolon.
    if (std::size_t sp = ct.type.find_first_of(" \t\n"); sp != std::string::npos)
        ct.type.resize(sp);
    ct.boundary = header_parameter(value, "boundary");
    ct.charset = canonical_charset(header_parameter(value, "charset"));
    ct.report_type = to_lower(header_parameter(value, "report-type"));
    return ct;
}

std::string decode_base64(std::string_view in) {
    std::string out;
    out.reserve(in.size() * 3 / 4);
    unsigned int acc = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=') {
            // Padding ends one encoded unit; a stray '=' mid-stream restarts the bit buffer.
            bits = 0;
            acc = 0;
            continue;
        }
        int v = base64_value(c);
        if (v < 0) continue;
        acc = (acc << 6) | static_cast<unsigned int>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

std::string decode_quoted_printable(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c != '=') {
            // Copy the run up to the next '=' in one go.
            const std::size_t stop = std::min(in.find('=', i), in.size());
            out.append(in.substr(i, stop - i));
            i = stop - 1;
            continue;
        }
        if (i + 1 < in.size() && in[i + 1] == '\n') {
            ++i;  // soft line break
            continue;
        }
        // "=  \n": soft break followed by trailing whitespace.
        std::size_t j = i + 1;
        while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
        if (j < in.size() && in[j] == '\n' && j > i + 1) {
            i = j;
            continue;
        }
        if (i + 2 < in.size()) {
            int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(c);
    }
    return out;
}

std::string decode_transfer(std::string_view body, std::string_view encoding) {
    std::string_view enc = trim(encoding);
    if (iequals(enc, "base64")) return decode_base64(body);
    if (iequals(enc, "quoted-printable")) return decode_quoted_printable(body);
    return std::string(body);
}

std::string to_utf8(std::string_view text, std::string_view charset_in) {
    std::string charset = canonical_charset(charset_in);
    // Japanese mailers send ISO-2022-JP without declaring it (in DSN parts, for one); its
    // escape sequences give it away and are never valid in ASCII or UTF-8 text.
    if (is_utf8_compatible(charset) && (text.find("\x1b$B") != std::string_view::npos ||
                                        text.find("\x1b$@") != std::string_view::npos))
        charset = "iso-2022-jp-2";
    if (is_utf8_compatible(charset)) return std::string(text);
    bool ascii = true;
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x80 || c == 0x1B) {
            ascii = false;
            break;
        }
    if (ascii) return std::string(text);
    thread_local IconvCache cache;
    iconv_t cd = cache.get(charset);
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::string(text);
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    std::string out;
    out.resize(text.size() * 4 + 16);
    char* in_ptr = const_cast<char*>(text.data());
    std::size_t in_left = text.size();
    char* out_ptr = out.data();
    std::size_t out_left = out.size();
    while (in_left > 0) {
        std::size_t r = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
        if (r != static_cast<std::size_t>(-1)) break;
        if (errno == E2BIG) {
            std::size_t used = out.size() - out_left;
            out.resize(out.size() * 2);
            out_ptr = out.data() + used;
            out_left = out.size() - used;
            continue;
        }
        // Invalid or truncated sequence: keep the byte as it is and go on.
        if (out_left == 0) continue;
        *out_ptr++ = *in_ptr++;
        --out_left;
        --in_left;
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
    out.resize(out.size() - out_left);
    return out;
}

std::string html_to_text(std::string_view html) {
    std::string out;
    out.reserve(html.size());
    std::size_t i = 0;
    while (i < html.size()) {
        char c = html[i];
        if (c == '<') {
            std::size_t end = html.find('>', i);
            if (end == std::string_view::npos) break;
            std::string_view tag = html.substr(i + 1, end - i - 1);
            std::string name;
            for (char t : tag) {
                if (t == ' ' || t == '\n' || t == '\t' || (t == '/' && !name.empty())) break;
                if (t != '/') name.push_back(ascii_lower(t));
            }
            if (name == "style" || name == "script" || name == "head") {
                if (tag.empty() || tag.front() != '/') {
                    std::string close = "</" + name;
                    std::size_t stop = html.find(close, end);
                    if (stop == std::string_view::npos) stop = html.size();
                    i = stop;
                    continue;
                }
            }
            if (name == "br" || name == "p" || name == "div" || name == "tr" || name == "li" ||
                name == "h1" || name == "h2" || name == "h3" || name == "table")
                out.push_back('\n');
            else if (name == "td" || name == "th")
                out.push_back(' ');
            i = end + 1;
            continue;
        }
        if (c == '&') {
            static const std::pair<std::string_view, std::string_view> k_entities[] = {
                {"&lt;", "<"},    {"&gt;", ">"},  {"&amp;", "&"},  {"&nbsp;", " "},
                {"&quot;", "\""}, {"&#39;", "'"}, {"&#160;", " "}, {"&apos;", "'"}};
            bool done = false;
            for (auto [ent, rep] : k_entities)
                if (istarts_with(html.substr(i), ent)) {
                    out.append(rep);
                    i += ent.size();
                    done = true;
                    break;
                }
            if (done) continue;
        }
        if (c == '\n') {
            // HTML line breaks are insignificant; keep them as spaces.
            out.push_back(' ');
            ++i;
            continue;
        }
        out.push_back(c);
        ++i;
    }
    return out;
}

namespace {

// Walks one entity; `returned` is true inside a returned (attached) message.
class Scanner {
  public:
    explicit Scanner(Message& msg) : m_msg(msg) {}

    void walk(std::string_view entity, int depth, bool returned, bool top) {
        if (depth > k_max_depth) return;
        std::string_view header, body;
        split_entity(entity, header, body);
        Headers headers = parse_headers(header);
        std::string_view ct_value = headers.get("Content-Type");
        ContentType ct = parse_content_type(ct_value);
        if (top) {
            m_msg.headers = headers;
            m_msg.content_type = ct;
        }
        std::string_view cte = headers.get("Content-Transfer-Encoding");

        if (ct.type.starts_with("multipart/")) {
            if (!ct.boundary.empty() && split_multipart(body, ct.boundary, depth, returned)) return;
            // Broken: no delimiter found. Read the body as text rather than lose it.
            ct.type = "text/plain";
        }
        if (ct.type == "message/rfc822" || ct.type == "message/global" ||
            ct.type == "message/partial" || ct.type == "message/news") {
            std::string_view inner = body;
            if (iequals(trim(cte), "base64") || iequals(trim(cte), "quoted-printable"))
                inner = own(decode_transfer(body, cte));
            std::string_view inner_header, inner_body;
            split_entity(inner, inner_header, inner_body);
            if (!returned) {
                Part p;
                p.role = PartRole::returned_headers;
                p.type = ct.type;
                p.headers = parse_headers(inner_header);
                p.raw = inner;
                m_msg.parts.push_back(std::move(p));
            }
            walk(inner, depth + 1, true, false);
            return;
        }
        Part p;
        p.type = ct.type;
        p.headers = std::move(headers);
        if (ct.type == "text/rfc822-headers" || ct.type == "text/rfc822-header") {
            if (returned) return;
            std::string_view h = body;
            if (!trim(cte).empty() && !iequals(trim(cte), "7bit") && !iequals(trim(cte), "8bit"))
                h = own(decode_transfer(body, cte));
            p.role = PartRole::returned_headers;
            p.headers = parse_headers(h);
            m_msg.parts.push_back(std::move(p));
            return;
        }
        if (returned &&
            (ct.type == "message/delivery-status" || ct.type == "message/global-delivery-status" ||
             ct.type == "message/feedback-report")) {
            // A report inside the returned message belongs to an older bounce.
            p.role = PartRole::other;
        } else if (ct.type == "message/delivery-status" ||
                   ct.type == "message/global-delivery-status") {
            p.role = PartRole::delivery_status;
        } else if (ct.type == "message/feedback-report") {
            p.role = PartRole::feedback_report;
        } else if (ct.type.starts_with("text/") || ct.type == "application/json" ||
                   ct.type == "message/disposition-notification") {
            p.role = returned ? PartRole::returned_text : PartRole::text;
            p.is_html = ct.type == "text/html";
            std::string_view disposition = p.headers.get("Content-Disposition");
            // Attached files (logs, the original as .txt) are not the report's text, except
            // when that is all there is.
            if (istarts_with(trim(disposition), "attachment") && !top && ct.type != "text/plain")
                p.role = PartRole::other;
        } else {
            p.role = PartRole::other;
        }
        if (p.role == PartRole::other || p.role == PartRole::returned_text) {
            m_msg.parts.push_back(std::move(p));
            return;
        }
        // The machine-readable status part is read whole: every recipient of a large DSN
        // counts. Only free text is capped.
        std::string_view limited =
            p.role == PartRole::delivery_status ? body : body.substr(0, k_max_text);
        std::string decoded = decode_transfer(limited, cte);
        if (std::string_view(decoded).find('\r') != std::string_view::npos)
            decoded = normalize_line_endings(decoded);
        p.text = to_utf8(decoded, ct.charset);
        // HTML stays markup here: most reports also have a plain part, so the reader strips
        // tags only when it needs the HTML.
        m_msg.parts.push_back(std::move(p));
    }

  private:
    // Returns false when no delimiter line was found.
    bool split_multipart(std::string_view body, std::string_view boundary, int depth,
                         bool returned) {
        std::string delim = "--" + std::string(boundary);
        std::size_t pos = 0;
        std::size_t part_start = std::string_view::npos;
        bool found = false;
        while (pos <= body.size()) {
            std::size_t hit = body.find(delim, pos);
            if (hit == std::string_view::npos) break;
            bool line_start = hit == 0 || body[hit - 1] == '\n';
            std::size_t after = hit + delim.size();
            bool closing = body.substr(after, 2) == "--";
            // The delimiter is the whole line, but for "--" and transport padding: "--b1"
            // must not match "--b10" (RFC 2046 section 5.1.1).
            std::size_t eol_pos = body.find('\n', after);
            std::string_view tail =
                body.substr(after + (closing ? 2 : 0), eol_pos == std::string_view::npos
                                                           ? std::string_view::npos
                                                           : eol_pos - after - (closing ? 2 : 0));
            bool whole_line = closing || tail.find_first_not_of(" \t") == std::string_view::npos;
            if (!line_start || !whole_line) {
                pos = after;
                continue;
            }
            found = true;
            if (part_start != std::string_view::npos) {
                // The newline before the delimiter belongs to the delimiter.
                std::size_t end = hit > part_start ? hit - 1 : part_start;
                walk(body.substr(part_start, end - part_start), depth + 1, returned, false);
            }
            if (closing) return true;
            std::size_t eol = body.find('\n', after);
            if (eol == std::string_view::npos) return true;
            part_start = eol + 1;
            pos = part_start;
        }
        // Truncated: the last part runs to the end.
        if (found && part_start != std::string_view::npos && part_start < body.size())
            walk(body.substr(part_start), depth + 1, returned, false);
        return found;
    }

    std::string_view own(std::string s) {
        m_msg_buffers.push_back(std::make_unique<std::string>(std::move(s)));
        return *m_msg_buffers.back();
    }

    Message& m_msg;

  public:
    std::vector<std::unique_ptr<std::string>> m_msg_buffers;
};

}  // namespace

Message scan(std::string_view email) {
    Message msg;
    Scanner scanner(msg);
    scanner.walk(email, 0, false, true);
    msg.buffers = std::move(scanner.m_msg_buffers);
    return msg;
}

}  // namespace bouncediag::mime
