// MTA log-line extraction: finds the delivery failure in one log line (Postfix, Exim, Sendmail,
// qmail, OpenSMTPD, Exchange tracking CSV, PowerMTA CSV, ESP event JSON, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bouncediag {

struct LogEvent {
    std::string format;     // "postfix", "exim", ...
    std::string recipient;
    std::string reply;      // the reply text to parse and classify
    std::string status;     // the log's own status word/code (dsn=5.1.1, "bounced", ...)
    std::string queue_id;
    std::string timestamp;
    std::string relay;      // the remote host, when the line names it
};

// The failure a log line records, or nothing for a line that records no delivery failure.
std::optional<LogEvent> extract_log_event(std::string_view line);

}  // namespace bouncediag
