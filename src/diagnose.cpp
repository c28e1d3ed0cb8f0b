#include "bouncediag/diagnose.h"

#include <utility>

#include "bouncediag/providers.h"

#include "reply_cache.h"

namespace bouncediag {
namespace {

// The diagnosis of a report that is not a failure (RFC 5965 feedback, RFC 3834 auto-reply,
// a DSN that reports delivery).
// (`meaning` must be static text: the diagnosis keeps a view of it.)
Diagnosis not_a_failure(std::string_view reason, std::string_view meaning) {
    Diagnosis d;
    d.type = "none";
    d.reason = reason;
    d.cause = "none";
    d.action = "none";
    d.meaning = meaning;
    return d;
}

// A failure the reporter is still retrying is temporary, whatever its text says; only a
// permanent failure proves an address dead.
void make_temporary(Diagnosis& d) {
    if (d.type != "hard") return;
    d.type = "soft";
    if (d.action == "suppress") d.action = "retry";
}

// A relay a log names is a host when it has a dot or a colon: Postfix also logs transports
// ("relay=local", "relay=virtual", "relay=none").
bool is_host_name(std::string_view relay) {
    return relay.find_first_of(".:") != std::string_view::npos;
}

// The host a DSN's Remote-MTA value names. MTAs add what they know after the name
// ("mx.example.jp [192.0.2.1]", "mx.example.jp (TCP|192.0.2.2|25) (ESMTP)", "192.0.2.3 (the
// server for the domain.)"), and some write the name fully qualified ("mx.example.jp."), so
// keep the first word, without a final dot or an address literal's brackets.
std::string_view host_of_remote_mta(std::string_view mta) {
    std::size_t start = mta.find_first_not_of(" \t");
    if (start == std::string_view::npos) return {};
    std::string_view host = mta.substr(start);
    host = host.substr(0, host.find_first_of(" \t("));
    if (!host.empty() && host.front() != '[')
        host = host.substr(0, host.find('['));  // "mx[192.0.2.1]"
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    while (!host.empty() && host.back() == '.') host.remove_suffix(1);
    return host;
}

bool is_success_action(std::string_view action) {
    return action == "delivered" || action == "relayed" || action == "expanded";
}

std::string_view success_meaning(std::string_view action) {
    if (action == "relayed") return "The report says the message was relayed, not bounced.";
    if (action == "expanded") return "The report says the message was expanded, not bounced.";
    return "The report says the message was delivered, not bounced.";
}

// What a reply's diagnosis takes: classify(reply), directly or through a cache.
template <typename Classify>
Result diagnose_reply_with(std::string_view text, Classify&& classify) {
    Result result;
    result.format = "reply";
    result.reply = parse_reply(text);
    result.diagnosis = classify(result.reply);
    result.receiving_provider = receiving_provider(result.reply.remote_host, {});
    return result;
}

// `Event` is a LogEvent, taken (moved from) when it is an rvalue, or a LogEventView.
template <typename Event, typename Classify>
Result diagnose_log_event_with(Event&& event, Classify&& classify) {
    Result result;
    result.format = std::forward<Event>(event).format;
    if (event.kind == "complaint") {
        result.diagnosis =
            not_a_failure("feedback",
                          "A recipient reported this message as spam (a feedback-loop complaint); "
                          "stop mailing this recipient.");
        result.feedback_type = std::forward<Event>(event).reply;
    } else {
        result.reply = parse_reply(event.reply);
        // The log's own dsn= code stands in for a reply that carries none.
        if (result.reply.enhanced_code.empty() && is_enhanced_code(event.status)) {
            result.reply.enhanced_code = event.status;
        }
        if (result.reply.remote_host.empty() && is_host_name(event.relay))
            result.reply.remote_host = event.relay;
        result.diagnosis = classify(result.reply);
        if (event.kind == "deferral") make_temporary(result.diagnosis);
    }
    result.recipient = std::forward<Event>(event).recipient;
    result.queue_id = std::forward<Event>(event).queue_id;
    result.timestamp = std::forward<Event>(event).timestamp;
    if (is_host_name(event.relay)) result.remote_mta = std::forward<Event>(event).relay;
    result.dsn_status = std::forward<Event>(event).status;
    result.receiving_provider = receiving_provider(result.reply.remote_host, result.recipient);
    return result;
}

}  // namespace

Result diagnose_reply(std::string_view text, const Classifier& classifier) {
    return diagnose_reply_with(text, [&](const Reply& r) { return classifier.classify(r); });
}

Result diagnose_reply(std::string_view text, ReplyCache& cache) {
    return diagnose_reply_with(text, [&](const Reply& r) { return cache.classify(r); });
}

Result diagnose_log_event(const LogEvent& event, const Classifier& classifier) {
    return diagnose_log_event_with(event, [&](const Reply& r) { return classifier.classify(r); });
}

Result diagnose_log_event(const LogEventView& event, ReplyCache& cache) {
    return diagnose_log_event_with(event, [&](const Reply& r) { return cache.classify(r); });
}

Result diagnose_log_event(LogEvent&& event, ReplyCache& cache) {
    return diagnose_log_event_with(std::move(event),
                                   [&](const Reply& r) { return cache.classify(r); });
}

namespace {

// Whether the DSN Status `status` says more than the reply's own enhanced code `own`.
bool status_is_more_precise(std::string_view status, std::string_view own) {
    if (own.empty()) return true;
    int o[3];
    int s[3];
    if (!enhanced_code_parts(own, o) || !enhanced_code_parts(status, s)) return false;
    if (o[2] != 0) return false;                   // own has a detail already
    if (o[1] == 0) return s[1] != 0 || s[2] != 0;  // X.0.0: anything more
    return s[1] == o[1] && s[2] != 0;              // X.Y.0: a detail within subject Y
}

}  // namespace

std::vector<Result> diagnose_email(const BounceEmail& email, const Classifier& classifier) {
    std::vector<Result> results;
    for (const BounceRecipient& r : email.recipients) {
        Result result;
        result.format = r.format;
        result.reply = parse_reply(r.diagnostic);
        // The DSN's Status: stands in for a reply without an enhanced code, and for a reply
        // whose code says only "other" when the Status is more precise (RFC 3463: X.0.0 is
        // any other status, X.Y.0 another status of subject Y).
        if (is_enhanced_code(r.status) &&
            status_is_more_precise(r.status, result.reply.enhanced_code))
            result.reply.enhanced_code = r.status;
        if (result.reply.remote_host.empty())
            result.reply.remote_host = host_of_remote_mta(r.remote_mta);
        if (result.reply.smtp_command.empty()) result.reply.smtp_command = r.smtp_command;
        if (r.kind == ReportKind::feedback) {
            result.diagnosis =
                not_a_failure("feedback",
                              "A recipient reported this message (a feedback report, RFC 5965), "
                              "usually as spam; stop mailing this recipient.");
        } else if (r.kind == ReportKind::vacation) {
            result.diagnosis =
                not_a_failure("vacation",
                              "An automatic reply (RFC 3834), such as an out-of-office notice; "
                              "the message was delivered.");
        } else if (is_success_action(r.dsn_action)) {
            result.diagnosis = not_a_failure("delivered", success_meaning(r.dsn_action));
        } else {
            result.diagnosis = classifier.classify(result.reply);
            // RFC 3464 section 2.3.3: "delayed" means the MTA is still trying.
            if (r.dsn_action == "delayed") make_temporary(result.diagnosis);
        }
        result.recipient = r.recipient;
        result.original_recipient = r.original_recipient;
        result.dsn_action = r.dsn_action;
        result.dsn_status = r.status;
        result.reporting_mta = r.reporting_mta;
        result.remote_mta = r.remote_mta;
        result.last_attempt_date = r.last_attempt_date;
        result.queue_id = r.queue_id;
        result.feedback_type = r.feedback_type;
        result.original = email.original;
        result.receiving_provider = receiving_provider(result.reply.remote_host, r.recipient);
        results.push_back(std::move(result));
    }
    return results;
}

}  // namespace bouncediag
