#include "bouncediag/input.h"

#include "bouncediag/mailbox.h"
#include "text_util.h"

namespace bouncediag {

InputMode detect_input_mode(std::string_view head) {
    if (looks_like_mbox(head)) return InputMode::mbox;
    if (looks_like_email(head)) return InputMode::email;
    return InputMode::lines;
}

LineDiagnoser::LineDiagnoser(const Classifier& classifier, std::string name, bool force_reply)
    : m_classifier(classifier),
      m_name(std::move(name)),
      m_force_reply(force_reply),
      m_reader(std::make_unique<LogReader>()) {}

LineDiagnoser::~LineDiagnoser() = default;

std::size_t LineDiagnoser::diagnose(std::string_view line, std::size_t number,
                                    const ResultSink& sink) {
    line = trim(line);
    if (line.empty()) return 0;
    auto emit = [&](Result&& result) {
        result.input = m_name;
        result.line = number;
        sink(std::move(result));
    };
    if (!m_force_reply) {
        m_events.clear();
        switch (m_reader->read(line, m_events)) {
            case LogLineKind::failure:
                for (const LogEvent& event : m_events) emit(diagnose_log_event(event, m_classifier));
                return m_events.size();
            case LogLineKind::no_failure:
                return 0;
            case LogLineKind::other:
                break;
        }
    }
    Result result = diagnose_reply(line, m_classifier);
    // Ordinary text (a note, a log line of an unknown kind without a reply) is no bounce.
    if (!m_force_reply && !result.reply.has_code() && !result.diagnosed()) return 0;
    emit(std::move(result));
    return 1;
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
            LineDiagnoser lines(classifier, name, requested == InputMode::lines);
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
                if (lines.diagnose(content.substr(start, end - start), ++number, counting) == 0)
                    ++stats.skipped;
                start = end + 1;
            }
            break;
        }
    }
    return stats;
}

}  // namespace bouncediag
