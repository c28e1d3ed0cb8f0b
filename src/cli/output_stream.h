// Buffered writing to stdout that ends quietly on a closed pipe ("| head") and reports any
// other write error once.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "bouncediag/error.h"

namespace bouncediag::cli {

class OutputStream {
  public:
    explicit OutputStream(bool line_buffered)
        : m_line_buffered(line_buffered || isatty(STDOUT_FILENO)) {}
    ~OutputStream() {
        try {
            flush();
        } catch (...) {
        }
    }

    void write(std::string_view text) {
        if (text.size() >= k_flush_at) {
            // (a -j batch of rendered results: written as it is, not copied into the buffer)
            flush();
            write_all(text);
            return;
        }
        m_buffer.append(text);
        if (m_line_buffered || m_buffer.size() >= k_flush_at) flush();
    }

    // Lets `render` append its text to the buffer itself (no string of its own to copy).
    template <typename Render>
    void write_with(Render&& render) {
        render(m_buffer);
        if (m_line_buffered || m_buffer.size() >= k_flush_at) flush();
    }

    void flush() {
        if (m_buffer.empty()) return;
        try {
            write_all(m_buffer);
        } catch (...) {
            m_buffer.clear();
            throw;
        }
        m_buffer.clear();
    }

  private:
    static constexpr std::size_t k_flush_at = 1 << 16;

    static void write_all(std::string_view text) {
        std::size_t done = 0;
        while (done < text.size()) {
            ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno == EPIPE) std::_Exit(0);  // the reader is gone: stop quietly
            if (n < 0) throw Error(fmt::format("cannot write output: {}", std::strerror(errno)));
            done += std::size_t(n);
        }
    }

    bool m_line_buffered;
    std::string m_buffer;
};

// ANSI colour for text output, or nothing when colour is off.
struct Paint {
    bool on;
    std::string operator()(std::string_view code, std::string_view s) const {
        return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
    }
};

}  // namespace bouncediag::cli
