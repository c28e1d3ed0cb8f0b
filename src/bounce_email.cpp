#include "bouncediag/bounce_email.h"

#include <re2/re2.h>

#include <algorithm>
#include <initializer_list>
#include <optional>

#include "bounce_formats.h"
#include "mime.h"
#include "text_util.h"

namespace bouncediag {

namespace {

using detail::clean_address;

BounceEmail read_email(std::string_view raw, int depth);

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

bool icontains(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                          [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
    return it != hay.end();
}

// "smtp; 550 ..." -> "550 ..."; "dns; mx.example.com" -> "mx.example.com" (RFC 3464 2.1.2).
std::string strip_type(std::string_view value) {
    std::string v = mime::unfold(value);
    std::size_t semi = v.find(';');
    if (semi != std::string::npos && semi < 20) {
        std::string_view type = trim(std::string_view(v).substr(0, semi));
        bool is_type = !type.empty() && std::all_of(type.begin(), type.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        });
        if (is_type) return std::string(trim(std::string_view(v).substr(semi + 1)));
    }
    return std::string(trim(v));
}

// One group of DSN fields ("per-message" or "per-recipient", RFC 3464 section 2).
struct DsnRecipient {
    std::string final_recipient, original_recipient, action, status, diagnostic, remote_mta,
        last_attempt;
    std::string actual_recipient;  // Sendmail's X-Actual-Recipient: the program or file, as is
    bool has_diagnostic_field = false;
};

struct Dsn {
    std::string reporting_mta, queue_id;
    std::vector<DsnRecipient> recipients;
};

void read_dsn_paragraph(std::string_view paragraph, Dsn& dsn) {
    mime::Headers fields = mime::parse_headers(paragraph);
    // Some MTAs (Facebook, for one) write recipient fields before Final-Recipient: move the
    // paragraph's first recipient field to its front so they apply to that recipient.
    auto is_recipient_field = [](const mime::Field& f) {
        return iequals(f.name, "Final-Recipient") || iequals(f.name, "Original-Recipient");
    };
    auto first = std::find_if(fields.fields.begin(), fields.fields.end(), is_recipient_field);
    if (first != fields.fields.end()) std::rotate(fields.fields.begin(), first, first + 1);
    DsnRecipient* cur = nullptr;
    for (const mime::Field& f : fields.fields) {
        // Field names compare in any case (no lower-case copy per field).
        auto is = [&f](std::string_view name) { return iequals(f.name, name); };
        bool starts_recipient = is("final-recipient") || is("original-recipient");
        if (starts_recipient) {
            bool repeat = cur && ((is("final-recipient") && !cur->final_recipient.empty()) ||
                                  (is("original-recipient") && !cur->original_recipient.empty()));
            if (!cur || repeat) {
                dsn.recipients.emplace_back();
                cur = &dsn.recipients.back();
            }
            std::string addr = clean_address(strip_type(f.value));
            if (is("final-recipient"))
                cur->final_recipient = addr;
            else
                cur->original_recipient = addr;
            continue;
        }
        if (is("reporting-mta")) {
            dsn.reporting_mta = strip_type(f.value);
        } else if (is("x-postfix-queue-id") || is("x-queue-id")) {
            dsn.queue_id = mime::unfold(f.value);
        } else if (!cur) {
            continue;
        } else if (is("action")) {
            cur->action = to_lower(trim(mime::unfold(f.value)));
            if (std::size_t sp = cur->action.find_first_of(" ("); sp != std::string::npos)
                cur->action.resize(sp);
        } else if (is("status")) {
            std::string st = mime::unfold(f.value);
            std::size_t sp = st.find_first_of(" (");
            cur->status = std::string(trim(std::string_view(st).substr(0, sp)));
        } else if (is("diagnostic-code")) {
            cur->diagnostic = strip_type(f.value);
            cur->has_diagnostic_field = true;
            // "X-Unix; 71", "x-unix; procmail: Couldn't create ...": a local delivery program
            // failed (RFC 3464 section 2.3.6 diagnostic-type). Keep the type: it is the one
            // thing that says the text is not an SMTP server's reply.
            std::string unfolded = mime::unfold(f.value);
            if (istarts_with(trim(unfolded), "x-unix") && !cur->diagnostic.empty() &&
                trim(unfolded).size() > cur->diagnostic.size())
                cur->diagnostic = "X-Unix; " + cur->diagnostic;
        } else if (is("x-actual-recipient")) {
            cur->actual_recipient = strip_type(f.value);
        } else if (is("remote-mta")) {
            cur->remote_mta = strip_type(f.value);
        } else if (is("last-attempt-date")) {
            cur->last_attempt = mime::unfold(f.value);
        }
    }
}

void read_dsn(std::string_view body, Dsn& dsn) {
    // Groups are separated by blank lines (RFC 3464 section 2); a repeated recipient field
    // inside one paragraph also starts a new group, for MTAs that omit the blank line.
    std::size_t pos = 0;
    while (pos < body.size()) {
        std::size_t end = body.find("\n\n", pos);
        if (end == std::string_view::npos) end = body.size();
        read_dsn_paragraph(body.substr(pos, end - pos), dsn);
        pos = end + 2;
    }
}

// Where the first match of `re` in `text` starts (npos when none). Asking for the whole match
// only keeps RE2 on its DFAs; a capture group would add a capturing pass.
std::size_t match_start(std::string_view text, const RE2& re) {
    re2::StringPiece m;
    if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED, &m,
                  1))
        return std::string_view::npos;
    return static_cast<std::size_t>(m.data() - text.data());
}

// Offset of the first line of `text` that starts with one of `prefixes` (ignoring ASCII case
// when `any_case`); npos when none. Plain field names need no regex.
std::size_t first_line_starting(std::string_view text,
                                std::initializer_list<std::string_view> prefixes, bool any_case) {
    for (std::size_t pos = 0; pos < text.size();) {
        std::string_view line = text.substr(pos);
        for (std::string_view p : prefixes)
            if (any_case ? istarts_with(line, p) : line.starts_with(p)) return pos;
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) break;
        pos = eol + 1;
    }
    return std::string_view::npos;
}

// DSN fields written into the text itself: reports whose MIME headers were lost, or MTAs
// that print the fields without a message/delivery-status part.
std::string_view inline_dsn(std::string_view text) {
    // The field names are matched in any case (their letters have no non-ASCII case variants).
    std::size_t start = first_line_starting(
        text, {"Reporting-MTA:", "Final-Recipient:", "Original-Recipient:"}, true);
    if (start == std::string_view::npos) return {};
    std::string_view rest = text.substr(start);
    // Only worth reading when it names a recipient.
    if (!icontains(rest, "Final-Recipient:") && !icontains(rest, "Original-Recipient:")) return {};
    // The fields end where a MIME boundary or the returned message's headers start.
    std::size_t stop = first_line_starting(
        rest,
        {"--", "Return-Path:", "Received:", "From:", "To:", "Subject:", "Date:", "Message-ID:",
         "Message-Id:", "DKIM-Signature:", "Content-Type:", "MIME-Version:"},
        false);
    if (stop != std::string_view::npos) rest = rest.substr(0, stop);
    return rest;
}

// The first block of "> "-quoted lines, unquoted, when it looks like a quoted email (starts
// with header fields); empty otherwise.
std::string unquote_forwarded(std::string_view text) {
    std::string out;
    std::size_t pos = 0, quoted = 0;
    bool started = false;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) eol = text.size();
        std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        if (!line.starts_with(">")) {
            if (started && !trim(line).empty()) break;
            continue;
        }
        started = true;
        line.remove_prefix(1);
        if (line.starts_with(" ")) line.remove_prefix(1);
        out.append(line).push_back('\n');
        ++quoted;
    }
    if (quoted < 5 || !RE2::PartialMatch(out, "^[A-Za-z-]+:")) return {};
    return out;
}

// RFC 3834 auto-replies and the vacation wording of mailers that do not set Auto-Submitted.
bool looks_like_vacation(const mime::Headers& h, std::string_view subject, std::string_view text) {
    std::string_view auto_submitted = h.get("Auto-Submitted");
    if (icontains(auto_submitted, "auto-replied")) return true;
    if (h.has("X-Autoreply") || h.has("X-Autorespond") ||
        icontains(h.get("X-Auto-Response-Suppress"), "oof") || h.has("X-Vacation"))
        return true;
    static const RE2 k_subject(
        "(?i)(out of (the )?office|auto(matic|matisch)?[- ]?(reply|response|antwort|"
        "respuesta|risposta)|r[ée]ponse automatique|respuesta autom[aá]tica|risposta "
        "automatica|abwesenheit|vacation|away from|on leave|absence|自動応答|自動返信|不在)");
    if (RE2::PartialMatch(subject, k_subject)) return true;
    static const RE2 k_body(
        "(?i)(i am (currently )?(out of the office|away|on (vacation|holiday|leave))|"
        "i('m| am) out of (the )?office|ich bin (derzeit )?(nicht im büro|abwesend)|"
        "je suis absent)");
    return RE2::PartialMatch(text.substr(0, 2000), k_body);
}

// A Sieve "reject" (RFC 5429) and Dovecot's own refusals ("Quota exceeded (mailbox for user is
// full)") come back as an MDN whose disposition is "automatic-action/...; deleted", marked
// "Auto-Submitted: auto-replied (rejected)" (Dovecot, Pigeonhole) or titled "Rejected: ..."
// (Dovecot) or "Automatically rejected mail" (Cyrus): the message was refused at delivery,
// which is a failure, unlike a read receipt or Outlook's "deleted without being read".
bool is_rejection_mdn(const mime::Message& msg, std::string_view subject) {
    static const RE2 k_rejected_subject("(?i)^\\s*(?:rejected:|automatically rejected mail)");
    if (!icontains(msg.headers.get("Auto-Submitted"), "rejected") &&
        !RE2::PartialMatch(subject, k_rejected_subject))
        return false;
    for (const mime::Part& p : msg.parts) {
        if (p.type != "message/disposition-notification") continue;
        std::string disposition =
            to_lower(mime::unfold(mime::parse_headers(p.text).get("Disposition")));
        if (disposition.find("automatic-action") != std::string::npos &&
            disposition.find("deleted") != std::string::npos)
            return true;
    }
    return false;
}

// The refused recipient of a rejection MDN (its Final-Recipient) and the reason its text gives:
// Dovecot writes "Your message to <a@b> was automatically rejected:" and the reason on the
// lines after it, Cyrus "The following reason was given:"; without such a line the whole text
// is the reason.
void read_rejection_mdn(const mime::Message& msg, BounceEmail& result) {
    BounceRecipient r;
    std::string_view said;
    for (const mime::Part& p : msg.parts) {
        if (p.type == "message/disposition-notification" && r.recipient.empty()) {
            mime::Headers f = mime::parse_headers(p.text);
            r.recipient = clean_address(strip_type(f.get("Final-Recipient")));
            if (r.recipient.empty())
                r.recipient = clean_address(strip_type(f.get("Original-Recipient")));
        } else if (p.role == mime::PartRole::text && !p.is_html && said.empty()) {
            said = trim(p.text);
        }
    }
    if (r.recipient.empty()) return;
    // The reason follows the line that announces the rejection.
    static const RE2 k_announce("(?i)(?:rejected|reason was given)[^\\n]*:[ \\t]*\\n");
    re2::StringPiece rest(said.data(), said.size());
    if (RE2::FindAndConsume(&rest, k_announce) &&
        !trim(std::string_view(rest.data(), rest.size())).empty())
        said = std::string_view(rest.data(), rest.size());
    r.format = "mdn-rejection";
    r.diagnostic = mime::unfold(said.substr(0, std::min(said.size(), std::size_t{1000})));
    r.dsn_action = "failed";
    result.recipients.push_back(std::move(r));
}

// Exchange lists the recipients it resolved in the directory by display name and date ("Bob
// Remote on 3/15/2024 10:00 AM") among those it lists by address: the returned message's To:
// field says whose names they are. Adds those the text reader did not name.
void add_dated_display_names(std::string_view text, BounceEmail& result) {
    if (result.original.to.empty() || result.original.to.find(',') == std::string::npos) return;
    for (detail::NamedRecipient& named :
         detail::returned_recipients_named(text, result.original.to)) {
        bool listed = std::any_of(
            result.recipients.begin(), result.recipients.end(),
            [&](const BounceRecipient& r) { return iequals(r.recipient, named.address); });
        if (!named.by_dated_name || listed || named.diagnostic.empty()) continue;
        BounceRecipient r;
        r.format = result.recipients.front().format;
        r.recipient = std::move(named.address);
        r.diagnostic = std::move(named.diagnostic);
        r.dsn_action = result.recipients.front().dsn_action;
        result.recipients.push_back(std::move(r));
    }
}

// The fields of the returned message, from its headers.
void fill_original(const mime::Headers& h, ReturnedMessage& out) {
    if (out.message_id.empty())
        out.message_id = std::string(trim(mime::unfold(h.get("Message-ID"))));
    if (out.from.empty()) out.from = mime::decode_header(h.get("From"));
    if (out.to.empty()) out.to = mime::decode_header(h.get("To"));
    if (out.subject.empty()) out.subject = mime::decode_header(h.get("Subject"));
    if (out.date.empty()) out.date = mime::unfold(h.get("Date"));
}

// Returned headers quoted inline in the text after the report ("--- Below this line is a
// copy of the message." and similar): the first header block after the report section.
void original_from_text(std::string_view text, ReturnedMessage& out, std::string& return_path) {
    std::string_view report = detail::report_section(text);
    std::string_view rest = text.substr(report.size());
    static const RE2 k_header_start(
        "(?im)^((?:Return-Path|Received|Message-I[Dd]|From|To|Subject|Date|DKIM-Signature|"
        "MIME-Version|Delivered-To|Reply-To|Content-Type):[ \t])");
    std::size_t start = match_start(rest, k_header_start);
    if (start == std::string_view::npos) return;
    std::string_view block = rest.substr(start);
    std::size_t blank = block.find("\n\n");
    if (blank != std::string_view::npos) block = block.substr(0, blank + 1);
    mime::Headers h = mime::parse_headers(block);
    fill_original(h, out);
    return_path = clean_address(h.get("Return-Path"));
}

bool same_address(std::string_view a, std::string_view b) {
    return iequals(a, b);
}

}  // namespace

BounceEmail read_bounce_email(std::string_view raw) {
    return read_email(raw, 0);
}

namespace {

BounceEmail read_email(std::string_view raw, int depth) {
    BounceEmail result;
    try {
        std::string normalized;
        std::string_view email = raw;
        if (mime::needs_normalizing(raw)) {
            normalized = mime::normalize_line_endings(raw);
            email = normalized;
        }
        mime::Message msg = mime::scan(email);
        std::string subject = mime::decode_header(msg.headers.get("Subject"));
        std::string from = mime::decode_header(msg.headers.get("From"));

        // The report's own text: plain parts first; HTML only when there is no plain text.
        std::string text;
        std::vector<const mime::Part*> html_parts;
        std::vector<const mime::Part*> dsn_parts, arf_parts;
        bool have_returned_headers = false;
        const mime::Headers* returned_headers = nullptr;
        for (const mime::Part& p : msg.parts) {
            switch (p.role) {
                case mime::PartRole::text:
                    if (p.is_html)
                        html_parts.push_back(&p);
                    else
                        text.append(p.text).append("\n");
                    break;
                case mime::PartRole::delivery_status:
                    dsn_parts.push_back(&p);
                    break;
                case mime::PartRole::feedback_report:
                    arf_parts.push_back(&p);
                    break;
                case mime::PartRole::returned_headers:
                    if (!returned_headers) returned_headers = &p.headers;
                    fill_original(p.headers, result.original);
                    have_returned_headers = true;
                    break;
                default:
                    break;
            }
        }
        if (text.find_first_not_of(" \n\t") == std::string::npos) {
            text.clear();
            for (const mime::Part* p : html_parts)
                text.append(mime::html_to_text(p->text)).append("\n");
        }
        std::string return_path =
            returned_headers ? clean_address(returned_headers->get("Return-Path")) : std::string();
        if (!have_returned_headers) original_from_text(text, result.original, return_path);

        detail::TextContext ctx{subject,    from, text, result.original.to, result.original.from,
                                return_path};

        // ARF feedback reports (RFC 5965 section 3.1).
        if (!arf_parts.empty() || msg.content_type.report_type == "feedback-report") {
            for (const mime::Part* p : arf_parts) {
                mime::Headers f = mime::parse_headers(p->text);
                std::vector<std::string> rcpts;
                for (const mime::Field& field : f.fields)
                    if (iequals(field.name, "Original-Rcpt-To") ||
                        iequals(field.name, "Removal-Recipient"))
                        if (std::string a = clean_address(strip_type(field.value)); !a.empty())
                            rcpts.push_back(a);
                if (rcpts.empty()) rcpts.push_back(clean_address(result.original.to));
                for (const std::string& rcpt : rcpts) {
                    BounceRecipient r;
                    r.kind = ReportKind::feedback;
                    r.format = "arf";
                    r.feedback_type = to_lower(trim(mime::unfold(f.get("Feedback-Type"))));
                    r.recipient = rcpt;
                    r.reporting_mta = strip_type(f.get("Reporting-MTA"));
                    r.diagnostic = "feedback report: " + r.feedback_type;
                    result.recipients.push_back(std::move(r));
                }
            }
            if (!result.recipients.empty()) return result;
        }
        // Complaint loops that forward the complained-about message without an ARF part
        // (Hotmail's JMRP): the subject says so and the message is attached.
        static const RE2 k_complaint("(?i)^\\s*(complaint about message|abuse report|spam report)");
        if (arf_parts.empty() && dsn_parts.empty() && returned_headers &&
            RE2::PartialMatch(subject, k_complaint)) {
            BounceRecipient r;
            r.kind = ReportKind::feedback;
            r.format = "complaint";
            r.feedback_type = "abuse";
            r.recipient = clean_address(returned_headers->get("X-HmXmrOriginalRecipient"));
            if (r.recipient.empty()) r.recipient = clean_address(result.original.to);
            r.diagnostic = "feedback report: abuse";
            if (!r.recipient.empty()) {
                result.recipients.push_back(std::move(r));
                return result;
            }
        }

        // A message disposition notification (RFC 8098: a read receipt, "deleted without
        // being read") says what a reader did with a delivered message: no delivery failed. Its
        // "Final-Recipient:" field must not be read as a DSN's.
        if (msg.content_type.report_type == "disposition-notification" && dsn_parts.empty()) {
            if (is_rejection_mdn(msg, subject)) read_rejection_mdn(msg, result);
            return result;
        }

        // JSON event notifications sent as mail (Amazon SES via SNS).
        if (std::vector<detail::JsonRecipient> json; detail::read_json_notification(text, json)) {
            for (detail::JsonRecipient& j : json) {
                BounceRecipient r;
                r.kind = j.complaint ? ReportKind::feedback : ReportKind::bounce;
                r.format = "json-notification";
                r.recipient = std::move(j.address);
                r.status = std::move(j.status);
                r.dsn_action = std::move(j.action);
                r.diagnostic = std::move(j.diagnostic);
                r.reporting_mta = std::move(j.reporting_mta);
                r.feedback_type = std::move(j.feedback_type);
                result.recipients.push_back(std::move(r));
            }
            return result;
        }

        // RFC 3464 delivery status notifications.
        Dsn dsn;
        for (const mime::Part* p : dsn_parts) read_dsn(p->text, dsn);
        if (dsn_parts.empty()) read_dsn(inline_dsn(text), dsn);
        std::vector<detail::TextRecipient> text_recipients;
        std::string text_format;
        bool text_read = false;
        auto read_text = [&]() -> std::vector<detail::TextRecipient>& {
            if (!text_read) {
                text_recipients = detail::read_text_bounce(ctx, text_format);
                text_read = true;
            }
            return text_recipients;
        };
        std::string text_command;                      // "-": the text names no command at all
        std::optional<detail::Transcript> transcript;  // read on first need
        auto names = [](const detail::TextRecipient& t, const DsnRecipient& o) {
            return same_address(t.address, o.final_recipient) ||
                   same_address(t.address, o.original_recipient);
        };
        // How many DSN recipients the text's only recipient names: counted once, not once per
        // DSN recipient (a DSN may list 100,000).
        std::optional<std::size_t> named_by_only_text_recipient;
        for (DsnRecipient& d : dsn.recipients) {
            BounceRecipient r;
            r.format = "rfc3464";
            r.recipient = d.final_recipient.empty() ? d.original_recipient : d.final_recipient;
            r.original_recipient = d.original_recipient;
            r.dsn_action = d.action;
            r.status = d.status;
            r.diagnostic = d.diagnostic;
            r.remote_mta = d.remote_mta;
            r.reporting_mta = dsn.reporting_mta;
            r.last_attempt_date = d.last_attempt;
            r.queue_id = dsn.queue_id;
            // A delivery to a program or file ("|/usr/bin/procmail", X-Actual-Recipient):
            // the text names the program, to which Sendmail's DSN appends "@host".
            if (r.diagnostic.empty() && d.actual_recipient.find_first_of("|/") == 0) {
                std::string_view program = d.actual_recipient;
                if (std::size_t at = program.rfind('@'); at != std::string_view::npos)
                    program = program.substr(0, at);
                r.diagnostic = detail::text_near(text, program);
            }
            r.smtp_command = detail::smtp_command_of(r.diagnostic);
            // The human-readable part usually says more: the reply when the DSN has no
            // Diagnostic-Code, and which command it answered.
            if (r.smtp_command.empty() && text_command.empty()) {
                text_command = detail::smtp_command_of(text);
                if (text_command.empty()) text_command = "-";
            }
            // A Diagnostic-Code without a reply code (Sendmail's "X-Unix; 77" exit status) says
            // less than a text that quotes the server's reply.
            bool codeless = !detail::has_reply_code(r.diagnostic);
            if (codeless || (r.smtp_command.empty() && text_command != "-")) {
                // The text's only recipient stands for this one unless the DSN lists it as
                // another recipient (a report of one failure among delivered or delayed ones).
                auto another_recipient = [&](const detail::TextRecipient& only) {
                    if (!named_by_only_text_recipient)
                        named_by_only_text_recipient = std::size_t(
                            std::count_if(dsn.recipients.begin(), dsn.recipients.end(),
                                          [&](const DsnRecipient& o) { return names(only, o); }));
                    return *named_by_only_text_recipient > (names(only, d) ? 1u : 0u);
                };
                for (const detail::TextRecipient& t : read_text()) {
                    if (same_address(t.address, r.recipient) ||
                        same_address(t.address, r.original_recipient) ||
                        (read_text().size() == 1 && !another_recipient(t))) {
                        if (r.diagnostic.empty() ||
                            (codeless && detail::has_reply_code(t.diagnostic)))
                            r.diagnostic = t.diagnostic;
                        if (r.smtp_command.empty()) r.smtp_command = t.smtp_command;
                        if (r.remote_mta.empty()) r.remote_mta = t.remote_mta;
                        break;
                    }
                }
            }
            // "X-Unix; 255" gives a local program's exit status only; Sendmail's summary line
            // closing the transcript gives the reply codes it reported for it. Keep the
            // diagnostic type after the codes: it says no remote server replied.
            if (dsn.recipients.size() == 1 && istarts_with(r.diagnostic, "X-Unix;") &&
                !detail::has_reply_code(r.diagnostic)) {
                std::string summary = detail::sendmail_transcript_summary(text);
                if (!summary.empty()) {
                    std::size_t text_at = summary.find(' ', 4);
                    r.diagnostic = summary.substr(0, text_at) + " " + r.diagnostic + " (" +
                                   summary.substr(text_at + 1) + ")";
                }
            }
            if (r.smtp_command.empty()) {
                if (!transcript) transcript.emplace(text);
                r.smtp_command = transcript->command_for(r.recipient, r.diagnostic);
            }
            if (r.diagnostic.empty()) {
                r.diagnostic = detail::text_near(text, r.recipient);
            } else if (!d.has_diagnostic_field && !detail::has_basic_code(r.diagnostic)) {
                // The text's recipient list gave a bare status ("Status: 5.0.0": DSN fields
                // printed in the text); the paragraph naming the recipient may quote the reply.
                std::string near = detail::text_near(text, r.recipient);
                if (detail::has_basic_code(near)) r.diagnostic = std::move(near);
            }
            if (r.diagnostic.empty() && !r.original_recipient.empty())
                r.diagnostic = detail::text_near(text, r.original_recipient);
            if (r.recipient.empty()) continue;
            result.recipients.push_back(std::move(r));
        }
        if (!result.recipients.empty()) return result;

        // Notices of the fml mailing-list server (X-MLServer: fml ...): its first paragraph is
        // the reason ("You are not a member of this mailing list <list@...>.", "Duplicated
        // Message-ID in <list@...>."), and the address it names is the list that refused.
        if (istarts_with(trim(msg.headers.get("X-MLServer")), "fml")) {
            std::string_view body = trim(text);
            std::string_view first = body.substr(0, std::min(body.find("\n\n"), body.size()));
            BounceRecipient r;
            r.format = "fml";
            r.recipient = clean_address(first);
            if (r.recipient.empty()) r.recipient = clean_address(msg.headers.get("To"));
            r.diagnostic = mime::unfold(first);
            r.dsn_action = "failed";
            if (!r.recipient.empty() && !r.diagnostic.empty()) {
                result.recipients.push_back(std::move(r));
                return result;
            }
        }

        // MTA-specific human-readable formats.
        bool is_report = msg.content_type.type == "multipart/report" ||
                         msg.headers.has("X-Failed-Recipients") ||
                         detail::looks_like_failure_report(ctx);
        // Without a DSN part only the wording tells a warning from a failure.
        const char* text_action = "failed";
        if (is_report && !read_text().empty() && detail::looks_like_delay_notice(ctx))
            text_action = "delayed";
        if (is_report)
            for (detail::TextRecipient& t : read_text()) {
                BounceRecipient r;
                r.format = text_format;
                r.recipient = std::move(t.address);
                r.diagnostic = std::move(t.diagnostic);
                r.remote_mta = std::move(t.remote_mta);
                r.status = std::move(t.status);
                r.smtp_command = std::move(t.smtp_command);
                r.dsn_action = text_action;
                result.recipients.push_back(std::move(r));
            }
        if (!result.recipients.empty()) {
            add_dated_display_names(text, result);
            return result;
        }

        // Exim names the failed recipients in its own header field, "X-Failed-Recipients: a@b,
        // c@d": when the text lists none in a shape the formats know, the field still does.
        if (std::string failed = mime::unfold(msg.headers.get("X-Failed-Recipients"));
            !failed.empty()) {
            std::string report = detail::report_diagnostic(text);
            for (std::size_t pos = 0; pos < failed.size();) {
                std::size_t comma = std::min(failed.find(',', pos), failed.size());
                BounceRecipient r;
                r.format = "x-failed-recipients";
                r.recipient = clean_address(std::string_view(failed).substr(pos, comma - pos));
                pos = comma + 1;
                if (r.recipient.empty()) continue;
                r.diagnostic = detail::text_near(text, r.recipient);
                if (!detail::has_reply_code(r.diagnostic)) r.diagnostic = report;
                r.dsn_action = "failed";
                result.recipients.push_back(std::move(r));
            }
            // The command the text names is the one recipient's ("SMTP error from remote mail
            // server after RCPT TO:"); with several, it could be any one's.
            if (result.recipients.size() == 1)
                result.recipients[0].smtp_command =
                    detail::smtp_command_of(detail::report_section(text));
            if (!result.recipients.empty()) return result;
        }

        // A bounce forwarded as an attachment (a user or a gateway passing it on): read the
        // attached message as the report.
        if (depth < 3)
            for (const mime::Part& p : msg.parts)
                if (p.role == mime::PartRole::returned_headers && !p.raw.empty() &&
                    p.headers.has("Content-Type")) {
                    BounceEmail inner = read_email(p.raw, depth + 1);
                    bool real = std::any_of(
                        inner.recipients.begin(), inner.recipients.end(), [](const auto& r) {
                            return r.kind == ReportKind::bounce && r.format != "returned-message";
                        });
                    if (real) return inner;
                }

        // A bounce forwarded inline with "> " quoting ("Begin forwarded message:"): unquote the
        // quoted block and read it as an email of its own.
        if (depth < 3) {
            std::string unquoted = unquote_forwarded(text);
            if (!unquoted.empty()) {
                BounceEmail inner = read_email(unquoted, depth + 1);
                bool real = std::any_of(inner.recipients.begin(), inner.recipients.end(),
                                        [](const auto& r) { return r.kind == ReportKind::bounce; });
                if (real) {
                    // The views of `inner` own their strings; nothing points into `unquoted`.
                    return inner;
                }
            }
        }

        // A failure report that names no recipient in a shape the formats know (old Sendmail,
        // Exchange 2003's display names, some gateways): the recipients of the returned message
        // that the report mentions failed; when it mentions none, its first recipient did.
        if (detail::looks_like_failure_text(ctx) || !dsn_parts.empty()) {
            std::string diagnostic = detail::report_diagnostic(text);
            for (detail::NamedRecipient& named :
                 detail::returned_recipients_named(text, result.original.to)) {
                BounceRecipient r;
                r.format = "returned-message";
                r.recipient = std::move(named.address);
                // The paragraph naming it, when it quotes a reply; else the report's reply.
                bool own = detail::has_reply_code(named.diagnostic) || diagnostic.empty();
                r.diagnostic = own ? std::move(named.diagnostic) : diagnostic;
                r.dsn_action = "failed";
                if (!r.diagnostic.empty()) result.recipients.push_back(std::move(r));
            }
            if (!result.recipients.empty()) return result;
            std::string rcpt = clean_address(result.original.to);
            if (!rcpt.empty() && !diagnostic.empty()) {
                BounceRecipient r;
                r.format = "returned-message";
                r.recipient = rcpt;
                r.diagnostic = diagnostic;
                r.dsn_action = "failed";
                result.recipients.push_back(std::move(r));
                return result;
            }
        }

        // Apple Mail's unsubscribe button mails the List-Unsubscribe address with
        // "X-Apple-Unsubscribe: true": the recipient asks to be taken off the list, which is
        // feedback about the mailing, not an auto-reply.
        if (iequals(trim(msg.headers.get("X-Apple-Unsubscribe")), "true")) {
            BounceRecipient r;
            r.kind = ReportKind::feedback;
            r.format = "apple-unsubscribe";
            r.feedback_type = "unsubscribe";
            r.recipient = clean_address(from);
            r.diagnostic = "feedback report: unsubscribe";
            if (!r.recipient.empty()) {
                result.recipients.push_back(std::move(r));
                return result;
            }
        }

        // Auto-replies: the recipient is whoever answered.
        if (looks_like_vacation(msg.headers, subject, text) && !is_report) {
            BounceRecipient r;
            r.kind = ReportKind::vacation;
            r.format = "rfc3834";
            r.recipient = clean_address(from);
            r.diagnostic = subject;
            result.recipients.push_back(std::move(r));
        }
    } catch (...) {
        // Malformed input must never escape as an exception (bad_alloc included): whatever was
        // read so far is the answer.
    }
    return result;
}

}  // namespace

}  // namespace bouncediag
