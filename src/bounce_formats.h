// Readers for the human-readable parts of bounce emails: the MTAs' own formats (qmail, Exim,
// Sendmail, Gmail, Exchange, ...) described as data in bounce_formats.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bouncediag::detail {

// One failed recipient found in the text of a bounce, with the text that explains it.
struct TextRecipient {
    std::string address;
    std::string diagnostic;    // the reply text (from its code on) or the error sentence
    std::string remote_mta;    // the replying host when the text names it
    std::string status;        // an enhanced status code the format states for the recipient
    std::string smtp_command;  // see BounceRecipient::smtp_command
};

// The SMTP command a report's text says a reply answered ("in reply to RCPT TO command",
// "after end of data", a ">>> DATA" transcript line), spelt as the reply parser does: "RCPT TO",
// "MAIL FROM", "DATA", "EHLO", "STARTTLS" or "CONNECT"; empty when the text does not say.
std::string smtp_command_of(std::string_view text);

// The command the wording says ("in reply to ...", an "SMTP command" section), without reading
// a transcript.
std::string stated_command(std::string_view text);

// The replies of a Sendmail-style SMTP transcript (">>> command", "<<< reply") in a report's
// text, each paired with the command it answered. Read once per email, asked per recipient.
class Transcript {
  public:
    explicit Transcript(std::string_view text);

    // The command that the failure reply to `address` answered (the reply to the command
    // naming it, else the reply naming it, else the reply that starts like `reply`, the text
    // the report gives for the recipient, else the transcript's only failure reply); empty
    // when the transcript does not show that command.
    std::string command_for(std::string_view address, std::string_view reply = {}) const;

  private:
    // One reply and the command it answers.
    struct Reply {
        std::string_view line;          // the reply's first line, without "<<<"
        std::string command;            // the command it answers, "" when not shown
        std::string_view command_line;  // that command's line (">>> RCPT To:<a@b>"), if shown
        bool before_data = false;       // not shown, sent in the pipelined batch that ended in DATA
    };
    std::vector<Reply> m_replies;  // views into the text given to the constructor
};

// What the reader knows about the email besides the text.
struct TextContext {
    std::string_view subject;
    std::string_view from;
    std::string_view text;                  // the report's own text parts (HTML already stripped)
    std::string_view returned_to;           // To: of the returned message, when known
    std::string_view returned_from;         // From: of the returned message (its sender), if known
    std::string_view returned_return_path;  // its envelope sender (Return-Path), if known
};

// Finds the failed recipients in a human-readable bounce. `format` receives the name of the
// format that recognised the text ("generic" for the fallback).
std::vector<TextRecipient> read_text_bounce(const TextContext& ctx, std::string& format);

// Whether the text alone says this is a delivery failure report (for bounces that name no
// recipient, where the returned message's To: is the recipient).
bool looks_like_failure_text(const TextContext& ctx);

// Whether the report is a warning that delivery is still being tried (Exim's "has not yet
// been delivered", Exchange's "Delivery is delayed", Sendmail's and Postfix's "THIS IS A
// WARNING ONLY"), not a final failure; for reports without a DSN part to say so.
bool looks_like_delay_notice(const TextContext& ctx);

// The reply text of the report section as a whole (its first reply-code paragraph, else its
// first words); empty when the report says nothing.
std::string report_diagnostic(std::string_view text);

// Whether the email reads like a delivery failure report at all: failure wording in the
// subject, a mailer-daemon sender or failure wording in the report's text. Plain mail that
// happens to start a line with an address is not a bounce.
bool looks_like_failure_report(const TextContext& ctx);

// The reply text of the paragraph of the report that names `address` (for DSNs without a
// Diagnostic-Code whose text lists recipients in a shape no format reader knows).
std::string text_near(std::string_view text, std::string_view address);

// A recipient of the returned message that the report names, with the reply text it gives.
struct NamedRecipient {
    std::string address;
    std::string diagnostic;
    bool by_dated_name = false;  // named by display name and date ("Bob Remote on 3/15/2024")
};

// The recipients in the returned message's To: field (`to`, decoded) that the report section
// of `text` names: by address, or by display name at the start of a line (Exchange 2003 lists
// "Bob Remote on 3/15/2024 10:00 AM" over the reason). Each comes with the reply text of its
// paragraph. Empty when the report names none of them.
std::vector<NamedRecipient> returned_recipients_named(std::string_view text, std::string_view to);

// Whether `text` carries a 4xx/5xx reply code or a 4.x.x/5.x.x enhanced status code.
bool has_reply_code(std::string_view text);

// Whether `text` carries a 4xx/5xx basic reply code (RFC 5321).
bool has_basic_code(std::string_view text);

// The part of `text` before the returned message starts (the end-of-report markers).
std::string_view report_section(std::string_view text);

// Sendmail's own summary line closing the transcript of a local delivery ("554 5.3.0 unknown
// mailer error 255", "451 4.0.0 Operating system error"); empty unless the transcript has
// exactly one such line.
std::string sendmail_transcript_summary(std::string_view text);

// One recipient of a JSON event notification (Amazon SES through SNS and look-alikes).
struct JsonRecipient {
    std::string address, status, action, diagnostic, reporting_mta, feedback_type;
    bool complaint = false;
};

// Reads a JSON bounce, delivery or complaint notification carried as the email's text.
bool read_json_notification(std::string_view text, std::vector<JsonRecipient>& out);

// Bare address out of "rfc822; <a@b>", "\"Name\" <a@b>", "a@b." and the like.
std::string clean_address(std::string_view value);

}  // namespace bouncediag::detail
