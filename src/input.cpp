#include "bouncediag/input.h"

#include "bouncediag/mailbox.h"
#include "text_util.h"

namespace bouncediag {

InputMode detect_input_mode(std::string_view head) {
    if (looks_like_mbox(head)) return InputMode::mbox;
    if (looks_like_email(head)) return InputMode::email;
    return InputMode::lines;
}

bool diagnose_line(std::string_view line, const std::string& name, std::size_t line_number,
                   bool force_reply, const Classifier& classifier, const ResultSink& sink) {
    line = trim(line);
    if (line.empty()) return false;
    Result result;
    if (!force_reply) {
        if (std::optional<LogEvent> event = extract_log_event(line)) {
            result = diagnose_log_event(*event, classifier);
        } else {
            result = diagnose_reply(line, classifier);
            // Ordinary text (a log line about a connection, a note) is no bounce.
            if (!result.reply.has_code() && !result.diagnosed()) return false;
        }
    } else {
        result = diagnose_reply(line, classifier);
    }
    result.input = name;
    result.line = line_number;
    sink(std::move(result));
    return true;
}

namespace {

void diagnose_email_message(std::string_view message, const std::string& name,
                            std::size_t number, const Classifier& classifier,
                            const ResultSink& sink, InputStats& stats) {
    ++stats.messages;
    std::vector<Result> results = diagnose_email(read_bounce_email(message), classifier);
    if (results.empty()) ++stats.skipped;
    for (Result& r : results) {
        r.input = name;
        r.message = number;
        ++stats.results;
        if (!r.diagnosed()) ++stats.undiagnosed;
        sink(std::move(r));
    }
}

}  // namespace

InputStats diagnose_content(std::string_view content, const std::string& name, InputMode mode,
                            const Classifier& classifier, const ResultSink& sink) {
    InputStats stats;
    const InputMode requested = mode;
    if (mode == InputMode::detect) mode = detect_input_mode(content);
    switch (mode) {
        case InputMode::email:
            diagnose_email_message(content, name, 1, classifier, sink, stats);
            break;
        case InputMode::mbox: {
            MboxSplitter splitter(content);
            std::string_view message;
            for (std::size_t n = 1; splitter.next(message); ++n)
                diagnose_email_message(message, name, n, classifier, sink, stats);
            break;
        }
        case InputMode::lines:
        case InputMode::detect: {
            const bool force = requested == InputMode::lines;
            const ResultSink counting = [&](Result&& r) {
                ++stats.results;
                if (!r.diagnosed()) ++stats.undiagnosed;
                sink(std::move(r));
            };
            std::size_t number = 0;
            std::size_t start = 0;
            while (start < content.size()) {
                std::size_t end = content.find('\n', start);
                if (end == std::string_view::npos) end = content.size();
                ++number;
                if (!diagnose_line(content.substr(start, end - start), name, number, force,
                                   classifier, counting))
                    ++stats.skipped;
                start = end + 1;
            }
            break;
        }
    }
    return stats;
}

}  // namespace bouncediag
