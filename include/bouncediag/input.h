// Whole inputs: decides what an input holds (one email, an mbox, or lines of replies and log
// records) and diagnoses it, result by result, in input order.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bouncediag/classifier.h"
#include "bouncediag/diagnose.h"
#include "bouncediag/log_line.h"

namespace bouncediag {

enum class InputMode {
    detect,  // look at the content: mbox, email, else lines
    email,   // one email
    mbox,    // an mbox of emails
    lines,   // each line is a reply or a log record (plain replies forced)
};

// What one input gave.
struct InputStats {
    std::size_t results = 0;      // results emitted
    std::size_t undiagnosed = 0;  // results no rule explained
    std::size_t skipped = 0;      // lines or messages that carried no failure
    std::size_t messages = 0;     // emails read (email and mbox inputs)
    std::size_t lines = 0;        // lines read (line inputs)
    std::size_t bytes = 0;        // bytes read (stream inputs)
};

// Called by diagnose_stream after each block it reads, with the counts so far.
using ProgressCallback = std::function<void(const InputStats&)>;

using ResultSink = std::function<void(Result&&)>;

// Renders results to text on the threads that diagnose them, for a line input read with
// jobs > 1: the reading thread then only writes, and each result is freed by the thread that
// made it (formatting and freeing every result on the reading thread made it the bottleneck,
// and its reads of strings made on other cores were cache misses). `render` appends a result's
// text to `out` (nothing for a result the caller leaves out) and runs on any thread; `write`
// receives the text of a batch of results, in input order, on the calling thread.
struct ResultRenderer {
    std::function<void(const Result& result, std::string& out)> render;
    std::function<void(std::string_view text)> write;
};

// Decides the mode of a whole content for InputMode::detect.
InputMode detect_input_mode(std::string_view head);

// Diagnoses an input read from a file descriptor as it arrives: lines are diagnosed as soon as
// they are complete (a pipe from `tail -f` streams), and memory stays bounded by the read block
// and the largest single email of an mbox. Throws Error on a read error, after diagnosing all
// that was read before it.
// With `jobs` > 1, the lines of a regular file are diagnosed on that many threads while it is
// read (`jobs` - 1 workers, and the calling thread when it is ahead of them; results still come
// in input order, on the calling thread); a pipe is diagnosed line by line so that each result
// comes out as soon as its line arrives.
// With a `renderer`, the results of those threads go to it instead of `sink` (all other
// results still go to `sink`).
InputStats diagnose_stream(int fd, const std::string& name, InputMode mode,
                           const Classifier& classifier, const ResultSink& sink,
                           const ProgressCallback& progress = {}, unsigned jobs = 1,
                           const ResultRenderer* renderer = nullptr);

// Diagnoses a whole input held in memory.
InputStats diagnose_content(std::string_view content, const std::string& name, InputMode mode,
                            const Classifier& classifier, const ResultSink& sink);

// Diagnoses the lines of one line input, one at a time (it remembers log state such as CSV
// headers). A log record gives its failures; a known record of no failure is skipped; any other
// line is a reply when it carries a code or a rule recognises its text, else it is skipped.
// With `force_reply` (--input lines) every non-empty line is a reply.
class LineDiagnoser {
  public:
    LineDiagnoser(const Classifier& classifier, std::string name, bool force_reply);
    ~LineDiagnoser();
    LineDiagnoser(const LineDiagnoser&) = delete;
    LineDiagnoser& operator=(const LineDiagnoser&) = delete;

    // Diagnoses line `number` (1-based); returns how many results it emitted (0: skipped), or
    // k_held for a line that continues a multi-line reply ("550-..."), which is diagnosed with
    // the lines that follow it, under its first line's number.
    std::size_t diagnose(std::string_view line, std::size_t number, const ResultSink& sink);
    // Diagnoses a multi-line reply still held at the end of the input; returns results emitted.
    std::size_t finish(const ResultSink& sink);

    static constexpr std::size_t k_held = std::size_t(-1);

    // diagnose() in two steps, so that the costly one can run on other threads while the
    // lines are read on in order: collect() reads a line (log state, multi-line replies) into
    // work items; run() diagnoses one item, on any thread.
    struct WorkItem {
        std::optional<LogEvent> event;  // a log record's failure, else
        std::string reply;              // a reply's text
        std::size_t number = 0;         // its line
    };
    // Appends the work of line `number` to `items`; false when the line is held (k_held).
    bool collect(std::string_view line, std::size_t number, std::vector<WorkItem>& items);
    // Appends the work of a multi-line reply still held at the end of the input.
    void collect_finish(std::vector<WorkItem>& items);
    // The result of one item (whose strings it takes); `is_bounce` is false when its line is no
    // bounce after all (the result is then to be dropped). `cache` is the calling thread's own.
    // (A Result is returned, not an optional: moving one into an optional cost line mode ~5 %
    // of its instructions.)
    Result run(WorkItem& item, ReplyCache& cache, bool& is_bounce) const;
    // The same for a work item seen through views (whose strings live elsewhere).
    struct WorkView {
        std::optional<LogEventView> event;
        std::string_view reply;
        std::size_t number = 0;
    };
    Result run(const WorkView& item, ReplyCache& cache, bool& is_bounce) const;

  private:
    // Runs m_items in order, handing each result to `sink`; returns how many it handed on.
    std::size_t run_items(const ResultSink& sink);
    // What run() gives `result` of the item of line `number`; sets `is_bounce`.
    Result completed(Result&& result, bool is_event, std::size_t number, bool& is_bounce) const;

    const Classifier& m_classifier;
    std::string m_name;
    bool m_force_reply;
    std::unique_ptr<LogReader> m_reader;
    std::unique_ptr<ReplyCache> m_cache;  // diagnose()'s
    std::vector<LogEvent> m_events;
    std::vector<WorkItem> m_items;  // diagnose()'s work, kept to reuse its memory
    std::string m_held;             // the lines of a multi-line reply seen so far
    int m_held_code = 0;
    std::size_t m_held_line = 0;
};

}  // namespace bouncediag
