// Diagnosis of whole inputs: a reply line, a log event or a bounce email becomes one Result per
// failure, carrying the parsed reply, the classification and where it came from.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bouncediag/bounce_email.h"
#include "bouncediag/classifier.h"
#include "bouncediag/log_line.h"
#include "bouncediag/reply.h"

namespace bouncediag {

struct Result {
    // Where it came from.
    std::string input;        // the file as given, "-" for stdin, "argument N" for a reply
    std::size_t line = 0;     // 1-based line within the input (line inputs), 0 otherwise
    std::size_t message = 0;  // 1-based message within the input (email inputs), 0 otherwise
    std::string format;       // "reply", "postfix", "rfc3464", ...

    Reply reply;
    Diagnosis diagnosis;

    // Bounce-email and log context; empty when the input does not say.
    std::string recipient;
    std::string original_recipient;
    std::string dsn_action;
    std::string dsn_status;
    std::string reporting_mta;
    std::string remote_mta;
    std::string last_attempt_date;
    std::string queue_id;
    std::string timestamp;
    std::string feedback_type;
    ReturnedMessage original;
    // Who received the message: the provider that runs the replying host, else the one that
    // holds the recipient's domain (bouncediag/providers.h); empty when neither is known.
    std::string_view receiving_provider;

    // True when a rule (or the report itself: feedback, auto-reply, delivery) explains it.
    bool diagnosed() const { return diagnosis.matched() || diagnosis.reason != "undefined"; }
};

// One reply as a user pastes it.
Result diagnose_reply(std::string_view text, const Classifier& classifier);

// One failure recorded by a log line.
Result diagnose_log_event(const LogEvent& event, const Classifier& classifier);

class ReplyCache;  // (src/reply_cache.h)
// Line mode: the same through a thread's cache of classifications (an event passed as an
// rvalue gives up its strings; one seen through views is copied from).
Result diagnose_log_event(LogEvent&& event, ReplyCache& cache);
Result diagnose_log_event(const LogEventView& event, ReplyCache& cache);
Result diagnose_reply(std::string_view text, ReplyCache& cache);

// Every recipient of a bounce email, in order; empty when the email is not a bounce.
std::vector<Result> diagnose_email(const BounceEmail& email, const Classifier& classifier);

}  // namespace bouncediag
