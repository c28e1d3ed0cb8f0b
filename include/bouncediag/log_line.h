// MTA log-line extraction: finds the delivery failure in one log line (Postfix, Exim, Sendmail,
// qmail, OpenSMTPD, Haraka, Exchange tracking CSV, PowerMTA CSV, KumoMTA JSON, ESP event JSON).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bouncediag {

struct LogReaderState;  // what a LogReader remembers between lines (log_line.cpp)

// One delivery failure (or complaint) that a log line records.
struct LogEvent {
    std::string format;     // "postfix", "exim", "sendmail", "qmail", "opensmtpd", "haraka",
                            // "exchange", "powermta", "kumomta", "ses", "sendgrid", "mailgun",
                            // "postmark"
    std::string recipient;  // bare address, empty when the line does not name it
    std::string reply;      // the reply text to parse and classify, as the log gives it
    std::string status;     // the log's own status: an enhanced code when it has one (dsn=5.1.1,
                            // SES "status"), else its own word ("Permanent/General", "HardBounce")
    std::string queue_id;   // queue id, message id or delivery id
    std::string timestamp;  // as the log writes it
    std::string relay;      // the remote host name (its address when no name is logged)
    std::string kind = "bounce";  // "bounce" (permanent), "deferral" (temporary) or "complaint"
                                  // (feedback-loop report: no SMTP reply, reply holds its type)
};

// A LogEvent seen through views (line mode packs the events of a batch into one buffer).
struct LogEventView {
    std::string_view format, recipient, reply, status, queue_id, timestamp, relay, kind;
};

// What a line is, as far as log reading can tell.
enum class LogLineKind {
    other,       // no known log format: the caller may read it as a plain reply
    no_failure,  // a known log record that records no failure (sent, arrival, connect, ...)
    failure,     // a record of one or more failures: events were appended
};

// Reads log lines in input order. Some formats spread what a failure needs over several lines:
// PowerMTA accounting and Exchange message-tracking CSV name their columns once in a header
// line, and qmail names the recipient only on the "starting delivery N" line that precedes
// "delivery N: failure". A reader remembers those (bounded memory); use one per input.
// Without a header, CSV records are read with the products' default column order.
class LogReader {
  public:
    LogReader();
    ~LogReader();
    LogReader(const LogReader&) = delete;
    LogReader& operator=(const LogReader&) = delete;

    // Appends the failures `line` records to `events` (several for a Sendmail line with many
    // recipients, an Exchange record with many recipients or a JSON array of webhook events).
    // Never throws on malformed input. A line that is rejected early allocates nothing.
    LogLineKind read(std::string_view line, std::vector<LogEvent>& events);

  private:
    std::unique_ptr<LogReaderState> m_state;
};

// The first failure a log line records, or nothing for a line that records no delivery failure.
// Stateless: CSV records are read with default columns, qmail failures carry no recipient.
std::optional<LogEvent> extract_log_event(std::string_view line);

// What `line` is (see LogLineKind), without keeping state.
LogLineKind classify_log_line(std::string_view line);

}  // namespace bouncediag
