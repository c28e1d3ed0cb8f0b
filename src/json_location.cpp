#include "json_location.h"

#include <algorithm>

namespace bouncediag {
namespace {

// A forward-only scanner over JSON text that already parsed successfully.
class JsonScanner {
  public:
    explicit JsonScanner(std::string_view text) : m_text(text) {}

    // Offsets of the elements of the array at `path` (empty if it is not an array).
    std::vector<std::size_t> elements(const JsonPath& path) {
        std::vector<std::size_t> out;
        locate(path);
        skip_space();
        if (peek() != '[') return out;
        ++m_pos;
        while (true) {
            skip_space();
            if (at_end() || peek() == ']') break;
            out.push_back(m_pos);
            skip_value();
            skip_space();
            if (peek() != ',') break;
            ++m_pos;
        }
        return out;
    }

    std::size_t locate(const JsonPath& path) {
        skip_space();
        for (const JsonPathStep& step : path) {
            if (!enter(step)) break;
        }
        return m_pos;
    }

  private:
    bool at_end() const { return m_pos >= m_text.size(); }
    char peek() const { return at_end() ? '\0' : m_text[m_pos]; }

    void skip_space() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++m_pos;
    }

    // Reads a string token (positioned on its quote) and returns its raw contents.
    std::string_view read_string() {
        std::size_t start = ++m_pos;
        while (!at_end() && peek() != '"') m_pos += peek() == '\\' ? 2 : 1;
        std::string_view raw = m_text.substr(start, std::min(m_pos, m_text.size()) - start);
        ++m_pos;
        return raw;
    }

    void skip_value() {
        skip_space();
        char c = peek();
        if (c == '"') {
            read_string();
        } else if (c == '{' || c == '[') {
            int depth = 0;
            while (!at_end()) {
                char d = peek();
                if (d == '"') {
                    read_string();
                    continue;
                }
                if (d == '{' || d == '[') ++depth;
                if (d == '}' || d == ']') {
                    if (--depth == 0) {
                        ++m_pos;
                        return;
                    }
                }
                ++m_pos;
            }
        } else {
            while (!at_end() && peek() != ',' && peek() != '}' && peek() != ']') ++m_pos;
        }
    }

    // Moves to the value named by `step` inside the current container; false if absent.
    bool enter(const JsonPathStep& step) {
        skip_space();
        std::size_t container = m_pos;
        if (const std::string* key = std::get_if<std::string>(&step)) {
            if (peek() != '{') return false;
            ++m_pos;
            while (true) {
                skip_space();
                if (peek() != '"') break;
                std::string_view name = read_string();
                skip_space();
                if (peek() == ':') ++m_pos;
                skip_space();
                if (name == *key) return true;
                skip_value();
                skip_space();
                if (peek() != ',') break;
                ++m_pos;
            }
        } else {
            std::size_t index = std::get<std::size_t>(step);
            if (peek() != '[') return false;
            ++m_pos;
            for (std::size_t i = 0;; ++i) {
                skip_space();
                if (peek() == ']' || at_end()) break;
                if (i == index) return true;
                skip_value();
                skip_space();
                if (peek() != ',') break;
                ++m_pos;
            }
        }
        m_pos = container;
        return false;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

}  // namespace

std::size_t json_value_offset(std::string_view json, const JsonPath& path) {
    return JsonScanner(json).locate(path);
}

std::vector<std::size_t> json_array_offsets(std::string_view json, const JsonPath& path) {
    return JsonScanner(json).elements(path);
}

LineIndex::LineIndex(std::string_view text) {
    m_line_starts.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') m_line_starts.push_back(i + 1);
}

std::string LineIndex::line_column(std::size_t offset) const {
    auto next = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), offset);
    std::size_t line = std::size_t(next - m_line_starts.begin());
    return std::to_string(line) + ":" + std::to_string(offset - *(next - 1) + 1);
}

std::string line_column(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

std::string json_path_string(const JsonPath& path) {
    std::string out;
    for (const JsonPathStep& step : path) {
        if (const std::string* key = std::get_if<std::string>(&step)) {
            if (!out.empty()) out += '.';
            out += *key;
        } else {
            out += '[' + std::to_string(std::get<std::size_t>(step)) + ']';
        }
    }
    return out;
}

}  // namespace bouncediag
