// Progress on stderr for long inputs (bytes, lines/s, results), shown only when stderr is a
// terminal that stdout does not share, and never with --quiet.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "bouncediag/input.h"

namespace bouncediag::cli {

class Progress {
  public:
    explicit Progress(bool quiet)
        : m_enabled(!quiet && isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO)) {}
    ~Progress() { clear(); }

    // Starts a new input; the callback reports its progress.
    ProgressCallback start(const std::string& name) {
        if (!m_enabled) return {};
        m_started = Clock::now();
        m_last = m_started;
        return [this, name](const InputStats& stats) { update(name, stats); };
    }

    // Removes the progress line (before other stderr output, and at the end).
    void clear() {
        if (!m_shown) return;
        std::fputs("\r\x1b[K", stderr);
        m_shown = false;
    }

  private:
    using Clock = std::chrono::steady_clock;

    void update(const std::string& name, const InputStats& stats) {
        const auto now = Clock::now();
        // Quick inputs show nothing; long ones refresh five times a second.
        if (now - m_started < std::chrono::seconds(1) ||
            now - m_last < std::chrono::milliseconds(200))
            return;
        m_last = now;
        const double seconds = std::chrono::duration<double>(now - m_started).count();
        fmt::print(stderr,
                   "\r\x1b[Kbouncediag: {}: {:.1f} MB, {} lines ({:.0f} lines/s), {} results", name,
                   double(stats.bytes) / 1e6, stats.lines, double(stats.lines) / seconds,
                   stats.results);
        std::fflush(stderr);
        m_shown = true;
    }

    bool m_enabled;
    bool m_shown = false;
    Clock::time_point m_started;
    Clock::time_point m_last;
};

}  // namespace bouncediag::cli
