// Bounce email reading: turns one whole email (RFC 3464 DSN or an MTA's own human-readable
// format, an ARF report or an auto-reply) into one record per failed recipient.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bouncediag {

// What kind of report a record comes from.
enum class ReportKind { bounce, feedback, vacation };

// One recipient of a bounce email, with the reply text that explains its failure. The reply
// text is classified afterwards by the reply parser and the rule table.
struct BounceRecipient {
    ReportKind kind = ReportKind::bounce;
    std::string recipient;           // Final-Recipient (or what the format names), bare address
    std::string original_recipient;  // Original-Recipient, when given
    std::string dsn_action;          // the DSN's Action: failed, delayed, delivered, relayed, ...
    std::string status;              // the DSN's Status: field (enhanced code), if any
    std::string diagnostic;          // the reply text: Diagnostic-Code or the format's error text
    std::string smtp_command;        // the SMTP command the reply answered ("RCPT TO", "DATA"),
                                     // when the bounce shows it (a ">>> RCPT To:" transcript line)
    std::string remote_mta;
    std::string reporting_mta;
    std::string last_attempt_date;
    std::string queue_id;       // X-Postfix-Queue-ID and similar
    std::string feedback_type;  // ARF Feedback-Type (kind == feedback)
    std::string format;         // which reader recognised it: "rfc3464", "qmail", ...
};

// The message that bounced, as far as the bounce carries it.
struct ReturnedMessage {
    std::string message_id;
    std::string from;
    std::string to;
    std::string subject;
    std::string date;
};

struct BounceEmail {
    std::vector<BounceRecipient> recipients;  // in the order they appear; empty: not a bounce
    ReturnedMessage original;
};

// Reads one email (headers and body, any line endings). Never throws on malformed input.
BounceEmail read_bounce_email(std::string_view raw);

}  // namespace bouncediag
