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
        m_buffer.append(text);
        if (m_line_buffered || m_buffer.size() >= (1 << 16)) flush();
    }

    // Lets `render` append its text to the buffer itself (no string of its own to copy).
    template <typename Render>
    void write_with(Render&& render) {
        render(m_buffer);
        if (m_line_buffered || m_buffer.size() >= (1 << 16)) flush();
    }

    void flush() {
        std::size_t done = 0;
        while (done < m_buffer.size()) {
            ssize_t n = ::write(STDOUT_FILENO, m_buffer.data() + done, m_buffer.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno == EPIPE) std::_Exit(0);  // the reader is gone: stop quietly
            if (n < 0) {
                m_buffer.clear();
                throw Error(fmt::format("cannot write output: {}", std::strerror(errno)));
            }
            done += std::size_t(n);
        }
        m_buffer.clear();
    }

  private:
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
