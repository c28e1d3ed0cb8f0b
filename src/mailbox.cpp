#include "bouncediag/mailbox.h"

namespace bouncediag {

namespace {

// Position just after the line that starts at `pos` (past LF, CRLF or a bare CR).
std::size_t next_line(std::string_view data, std::size_t pos) {
    while (pos < data.size() && data[pos] != '\n' && data[pos] != '\r') ++pos;
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

bool looks_like_email(std::string_view data) {
    std::size_t pos = 0;
    while (is_blank_line_at(data, pos)) ++pos;
    std::string_view line = data.substr(pos, next_line(data, pos) - pos);
    std::size_t i = 0;
    while (i < line.size() && line[i] > 32 && line[i] < 127 && line[i] != ':') ++i;
    return i > 0 && i < line.size() && line[i] == ':';
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
