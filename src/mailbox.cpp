#include "bouncediag/mailbox.h"

#include <algorithm>
#include <cctype>

namespace bouncediag {

namespace {

// Position just after the line that starts at `pos` (past LF, CRLF or a bare CR).
std::size_t next_line(std::string_view data, std::size_t pos) {
    // The line's end: its LF, or a CR before it (found by memchr-based finds rather than a
    // byte loop: every header line and every mbox line comes through here).
    if (pos < data.size()) {
        const std::size_t lf = std::min(data.find('\n', pos), data.size());
        pos = std::min(data.substr(0, lf).find('\r', pos), lf);
    }
    if (pos < data.size() && data[pos] == '\r') {
        ++pos;
        if (pos < data.size() && data[pos] == '\n') ++pos;
    } else if (pos < data.size()) {
        ++pos;
    }
    return pos;
}

bool is_blank_line_at(std::string_view data, std::size_t pos) {
    return pos < data.size() && (data[pos] == '\n' || data[pos] == '\r');
}

}  // namespace

bool looks_like_mbox(std::string_view data) {
    return data.starts_with("From ");
}

// A header field name as mail software writes them: a letter, then letters, digits and '-'
// (RFC 5322 allows more, but nothing that writes emails uses it). Returns the name, or "".
std::string_view header_field_name(std::string_view line) {
    std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos ||
        !std::isalpha(static_cast<unsigned char>(line[0])))
        return {};
    for (std::size_t i = 0; i < colon; ++i) {
        unsigned char c = static_cast<unsigned char>(line[i]);
        if (!std::isalnum(c) && c != '-') return {};
    }
    return line.substr(0, colon);
}

// Header fields only a message (not a DSN fragment or a log) starts with.
bool is_message_header(std::string_view name) {
    static constexpr std::string_view k_names[] = {"Return-Path",
                                                   "Received",
                                                   "From",
                                                   "To",
                                                   "Cc",
                                                   "Date",
                                                   "Subject",
                                                   "Message-ID",
                                                   "MIME-Version",
                                                   "Content-Type",
                                                   "Delivered-To",
                                                   "Reply-To",
                                                   "Sender",
                                                   "DKIM-Signature",
                                                   "Authentication-Results",
                                                   "X-Original-To",
                                                   "Envelope-To",
                                                   "Auto-Submitted",
                                                   "Precedence",
                                                   "References",
                                                   "In-Reply-To",
                                                   "Thread-Topic",
                                                   "Thread-Index",
                                                   "ARC-Seal"};
    for (std::string_view k : k_names)
        if (name.size() == k.size() &&
            std::equal(name.begin(), name.end(), k.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            }))
            return true;
    return name.size() > 2 && (name[0] == 'X' || name[0] == 'x') && name[1] == '-';
}

// An email starts with header fields: at least two before the first blank line (or one before
// a malformed line), one of them a message header; a pasted DSN fragment ("Status: 5.1.1") or a
// JSON log line is not an email.
bool looks_like_email(std::string_view data) {
    std::size_t pos = 0;
    while (pos < data.size() && is_blank_line_at(data, pos)) pos = next_line(data, pos);
    int fields = 0;
    bool message_header = false;
    for (int n = 0; n < 64 && pos < data.size() && !is_blank_line_at(data, pos); ++n) {
        std::size_t end = next_line(data, pos);
        std::string_view line = data.substr(pos, end - pos);
        pos = end;
        if (line[0] == ' ' || line[0] == '\t') {
            if (fields == 0) return false;
            continue;  // a folded continuation of the previous field
        }
        std::string_view name = header_field_name(line);
        // A malformed line after a message header (a broken fold) still ends a header block.
        if (name.empty()) return message_header;
        ++fields;
        message_header = message_header || is_message_header(name);
    }
    return fields >= 2 && message_header;
}

MboxSplitter::MboxSplitter(std::string_view data) : m_data(data) {}

bool MboxSplitter::next(std::string_view& message) {
    while (m_pos < m_data.size()) {
        // Skip the envelope line (and any junk before the first one).
        std::size_t start =
            m_data.substr(m_pos).starts_with("From ") ? next_line(m_data, m_pos) : m_pos;
        // The message runs until a "From " line preceded by an empty line.
        std::size_t pos = start;
        bool prev_blank = false;
        std::size_t end = m_data.size();
        while (pos < m_data.size()) {
            if (prev_blank && m_data.substr(pos).starts_with("From ")) {
                end = pos;
                break;
            }
            prev_blank = is_blank_line_at(m_data, pos);
            pos = next_line(m_data, pos);
        }
        m_pos = end;
        std::string_view msg = m_data.substr(start, end - start);
        if (msg.find_first_not_of("\r\n \t") == std::string_view::npos) continue;
        message = msg;
        return true;
    }
    return false;
}

}  // namespace bouncediag
