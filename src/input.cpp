#include "bouncediag/input.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "bouncediag/error.h"
#include "bouncediag/mailbox.h"
#include "reply_cache.h"
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
      m_reader(std::make_unique<LogReader>()),
      m_cache(std::make_unique<ReplyCache>(classifier)) {}

LineDiagnoser::~LineDiagnoser() = default;

namespace {

// The code a line of a multi-line reply starts with ("550-" or "550 "), or 0.
int reply_line_code(std::string_view line, char& separator) {
    if (line.size() < 4 || !(line[0] >= '2' && line[0] <= '5')) return 0;
    for (int i = 1; i < 3; ++i)
        if (line[std::size_t(i)] < '0' || line[std::size_t(i)] > '9') return 0;
    separator = line[3];
    if (separator != '-' && separator != ' ') return 0;
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

}  // namespace

bool LineDiagnoser::collect(std::string_view line, std::size_t number,
                            std::vector<WorkItem>& items) {
    line = trim(line);
    if (line.empty()) {
        collect_finish(items);
        return true;
    }
    if (!m_force_reply) {
        m_events.clear();
        switch (m_reader->read(line, m_events)) {
            case LogLineKind::failure:
                collect_finish(items);
                for (LogEvent& event : m_events)
                    items.push_back(WorkItem{std::move(event), {}, number});
                return true;
            case LogLineKind::no_failure:
                collect_finish(items);
                return true;
            case LogLineKind::other:
                break;
        }
    }
    // RFC 5321 section 4.2.1: "550-..." lines continue a reply that a "550 ..." line ends.
    char separator = 0;
    int code = reply_line_code(line, separator);
    if (!m_held.empty() && code != m_held_code) collect_finish(items);
    if (code != 0 && (separator == '-' || !m_held.empty())) {
        if (m_held.empty()) m_held_line = number;
        m_held_code = code;
        m_held += std::string(line) + "\n";
        if (separator == '-') return false;
        collect_finish(items);
        return true;
    }
    items.push_back(WorkItem{std::nullopt, std::string(line), number});
    return true;
}

void LineDiagnoser::collect_finish(std::vector<WorkItem>& items) {
    if (m_held.empty()) return;
    items.push_back(WorkItem{std::nullopt, std::move(m_held), m_held_line});
    m_held.clear();
    m_held_code = 0;
}

Result LineDiagnoser::run(WorkItem& item, ReplyCache& cache, bool& is_bounce) const {
    Result result = item.event ? diagnose_log_event(std::move(*item.event), cache)
                               : diagnose_reply(item.reply, cache);
    return completed(std::move(result), item.event.has_value(), item.number, is_bounce);
}

Result LineDiagnoser::run(const WorkView& item, ReplyCache& cache, bool& is_bounce) const {
    Result result =
        item.event ? diagnose_log_event(*item.event, cache) : diagnose_reply(item.reply, cache);
    return completed(std::move(result), item.event.has_value(), item.number, is_bounce);
}

Result LineDiagnoser::completed(Result&& result, bool is_event, std::size_t number,
                                bool& is_bounce) const {
    // Ordinary text (a note, a log line of an unknown kind without a reply) is no bounce.
    is_bounce = is_event || m_force_reply || result.reply.has_code() || result.diagnosed();
    result.input = m_name;
    result.line = number;
    return std::move(result);
}

std::size_t LineDiagnoser::diagnose(std::string_view line, std::size_t number,
                                    const ResultSink& sink) {
    m_items.clear();
    bool complete = collect(line, number, m_items);
    std::size_t emitted = run_items(sink);
    return complete ? emitted : k_held;
}

std::size_t LineDiagnoser::finish(const ResultSink& sink) {
    m_items.clear();
    collect_finish(m_items);
    return run_items(sink);
}

std::size_t LineDiagnoser::run_items(const ResultSink& sink) {
    std::size_t emitted = 0;
    for (WorkItem& item : m_items) {
        bool is_bounce = false;
        Result r = run(item, *m_cache, is_bounce);
        if (is_bounce) {
            sink(std::move(r));
            ++emitted;
        }
    }
    return emitted;
}

namespace {

void diagnose_email_message(std::string_view message, const std::string& name, std::size_t number,
                            const Classifier& classifier, const ResultSink& sink,
                            InputStats& stats) {
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

// Reads from a file descriptor into a growing buffer, one read() at a time, so that whatever
// a pipe has delivered can be handled at once.
class BlockReader {
  public:
    BlockReader(int fd, const std::string& name, std::function<void(std::size_t)> on_read)
        : m_fd(fd), m_name(name), m_on_read(std::move(on_read)) {}

    bool eof() const { return m_eof; }

    // Appends the next block to `buffer`; false at end of input.
    bool read_some(std::string& buffer) {
        // One block per thread, read into and appended from: growing `buffer` by a block
        // before each read() zero-filled a megabyte per call, twice per small email.
        constexpr std::size_t k_block = 1 << 18;
        thread_local const std::unique_ptr<char[]> block(new char[k_block]);
        while (!m_eof) {
            ssize_t n = ::read(m_fd, block.get(), k_block);
            if (n > 0) buffer.append(block.get(), std::size_t(n));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw Error(m_name + ": read error: " + std::strerror(errno));
            if (n == 0) m_eof = true;
            if (n > 0) m_on_read(std::size_t(n));
            return n > 0;
        }
        return false;
    }

  private:
    int m_fd;
    const std::string& m_name;
    std::function<void(std::size_t)> m_on_read;
    bool m_eof = false;
};

// Offset of the last mbox envelope line ("From " after an empty line) in `data` at or after
// `from`, or 0: everything before it is complete messages.
std::size_t last_envelope(std::string_view data, std::size_t from) {
    std::size_t found = 0;
    for (std::size_t at = data.find("\nFrom ", from); at != std::string_view::npos;
         at = data.find("\nFrom ", at + 1)) {
        std::size_t line_start = data.rfind('\n', at == 0 ? 0 : at - 1);
        std::string_view before =
            data.substr(line_start == std::string_view::npos ? 0 : line_start,
                        at - (line_start == std::string_view::npos ? 0 : line_start));
        if (trim(before).empty() && line_start != std::string_view::npos) found = at + 1;
    }
    return found;
}

// Whether a first line could start an email or an mbox ("From ", "Name: value").
bool could_start_email(std::string_view line) {
    if (line.starts_with("From ")) return true;
    std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    for (std::size_t i = 0; i < colon; ++i)
        if (is_space(line[i])) return false;
    return true;
}

// Reads just enough to tell what the input holds: its first line, and the header block when
// that line could start an email, so that a quiet pipe of log lines streams at once.
void read_head(BlockReader& reader, std::string& buffer) {
    constexpr std::size_t k_max_head = 1 << 16;
    while (true) {
        std::size_t start = buffer.find_first_not_of(" \t\r\n");
        std::size_t newline = start == std::string::npos ? start : buffer.find('\n', start);
        if (newline != std::string::npos) {
            if (!could_start_email(trim(std::string_view(buffer).substr(start, newline - start))))
                return;
            if (buffer.find("\n\n", start) != std::string::npos ||
                buffer.find("\n\r\n", start) != std::string::npos || buffer.size() >= k_max_head)
                return;
        }
        if (!reader.read_some(buffer)) return;
    }
}

// Rendered-text buffers handed between the workers and the reading thread and kept for reuse:
// a fresh ~512 KiB buffer per batch, made on a worker and freed on the reader, cost a thread
// arena's heap a shrink and regrowth per batch (10,000 more page faults per million lines).
class TextBuffers {
  public:
    std::string take() {
        std::lock_guard lock(m_mutex);
        if (m_spare.empty()) return {};
        std::string buffer = std::move(m_spare.back());
        m_spare.pop_back();
        return buffer;
    }
    void give_back(std::string&& buffer) {
        // (a batch's text is ~512 KiB; one that held a huge line is not kept)
        if (buffer.capacity() > k_kept_capacity) return;
        buffer.clear();
        std::lock_guard lock(m_mutex);
        m_spare.push_back(std::move(buffer));
    }

  private:
    static constexpr std::size_t k_kept_capacity = std::size_t(4) << 20;
    std::mutex m_mutex;
    std::vector<std::string> m_spare;
};

// The work items of a batch, packed by the reading thread for a worker: their strings one after
// another in one buffer, reused batch after batch. (Handing the items themselves over cost
// -j 2 a quarter more CPU than -j 1: the reader allocated every string of a batch and freed
// them all together when the batch came back, through glibc's slow paths, and the worker read
// them scattered over the heap.)
class PackedItems {
  public:
    void add(const LineDiagnoser::WorkItem& item) {
        Packed packed;
        packed.number = item.number;
        packed.is_event = item.event.has_value();
        packed.start = m_text.size();
        std::size_t k = 0;
        auto append = [&](std::string_view field) {
            packed.length[k++] = field.size();
            m_text += field;
        };
        if (const std::optional<LogEvent>& e = item.event) {
            for (const std::string* field : {&e->format, &e->recipient, &e->reply, &e->status,
                                             &e->queue_id, &e->timestamp, &e->relay, &e->kind})
                append(*field);
        } else {
            append(item.reply);
        }
        m_items.push_back(packed);
    }

    std::size_t size() const { return m_items.size(); }

    LineDiagnoser::WorkView view(std::size_t i) const {
        const Packed& packed = m_items[i];
        std::size_t at = packed.start;
        auto next = [&, k = 0]() mutable {
            std::string_view field = std::string_view(m_text).substr(at, packed.length[k]);
            at += packed.length[k++];
            return field;
        };
        LineDiagnoser::WorkView work;
        work.number = packed.number;
        if (!packed.is_event) {
            work.reply = next();
            return work;
        }
        LogEventView& e = work.event.emplace();
        for (std::string_view* field : {&e.format, &e.recipient, &e.reply, &e.status, &e.queue_id,
                                        &e.timestamp, &e.relay, &e.kind})
            *field = next();
        return work;
    }

    // Empties the batch, keeping its memory (unless a huge line grew it).
    void clear() {
        if (m_text.capacity() > k_kept_capacity) m_text = std::string();
        m_text.clear();
        m_items.clear();
    }

  private:
    struct Packed {
        std::size_t number = 0;
        std::size_t start = 0;                // of its first string in m_text
        std::array<std::size_t, 8> length{};  // of its strings (a reply: one)
        bool is_event = false;
    };

    // (a batch's strings take ~200 KiB)
    static constexpr std::size_t k_kept_capacity = std::size_t(4) << 20;
    std::string m_text;
    std::vector<Packed> m_items;
};

// What a worker made of one batch: its results, or with a renderer their text.
struct BatchOutput {
    std::vector<std::optional<Result>> results;  // per item (without a renderer)
    std::string text;                            // rendered results (with one)
    std::vector<std::uint8_t> made;              // per item: whether it gave a result (with one)
    std::size_t results_made = 0;
    std::size_t undiagnosed = 0;
};

// A few threads that run batches of line work, started once per input: a thread per batch
// (std::async) cost ~20 % more CPU than one thread, in thread starts and cold per-thread state.
// Each thread keeps its own cache of classifications over one table of templates.
class BatchWorkers {
  public:
    using Results = BatchOutput;
    using Task = std::packaged_task<Results(ReplyCache&)>;

    BatchWorkers(unsigned count, const Classifier& classifier)
        : m_templates(ReplyCache::make_templates()) {
        for (unsigned i = 0; i < count; ++i) {
            m_threads.emplace_back([this, &classifier, templates = m_templates] {
                Classifier::use_own_patterns_on_this_thread();
                ReplyCache cache(classifier, templates);
                work(cache);
            });
        }
    }
    ~BatchWorkers() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        for (std::thread& t : m_threads) t.join();
    }

    // The table of templates the workers share.
    const std::shared_ptr<ReplyCache::Templates>& templates() const { return m_templates; }

    // Runs one waiting task on the calling thread, if there is one.
    bool run_waiting(ReplyCache& cache) {
        Task task;
        {
            std::lock_guard lock(m_mutex);
            if (m_tasks.empty()) return false;
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        task(cache);
        return true;
    }

    std::future<Results> submit(Task task) {
        std::future<Results> results = task.get_future();
        {
            std::lock_guard lock(m_mutex);
            m_tasks.push_back(std::move(task));
        }
        m_wake.notify_one();
        return results;
    }

  private:
    void work(ReplyCache& cache) {
        while (true) {
            Task task;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_stop || !m_tasks.empty(); });
                if (m_tasks.empty()) return;  // stopping, nothing left
                task = std::move(m_tasks.front());
                m_tasks.pop_front();
            }
            task(cache);  // an exception is kept in the future
        }
    }

    std::shared_ptr<ReplyCache::Templates> m_templates;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Task> m_tasks;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

// Feeds the lines of one input to a LineDiagnoser and keeps the input's counts. With several
// jobs, lines are collected in batches whose items are diagnosed on worker threads (at most
// 4 * `jobs` batches at a time) while reading goes on; results are handed on in line order.
class LineInput {
  public:
    LineInput(const Classifier& classifier, const std::string& name, bool force_reply,
              const ResultSink& sink, InputStats& stats, unsigned jobs,
              const ResultRenderer* renderer = nullptr)
        : m_classifier(classifier),
          m_renderer(renderer),
          m_lines(classifier, name, force_reply),
          m_stats(stats),
          m_counting([&sink, &stats](Result&& r) {
              ++stats.results;
              if (!r.diagnosed()) ++stats.undiagnosed;
              sink(std::move(r));
          }),
          m_jobs(jobs) {}

    ~LineInput() {
        // After an error, let running batches end before what they use goes away.
        for (Running& r : m_running) r.results.wait();
    }

    // Diagnoses every complete line of `text`; returns where its unfinished last line starts.
    std::size_t complete_lines(std::string_view text) {
        std::size_t start = 0;
        for (std::size_t nl = text.find('\n'); nl != std::string_view::npos;
             nl = text.find('\n', start)) {
            line(text.substr(start, nl - start));
            start = nl + 1;
        }
        return start;
    }

    // The input's end, with its last line if it has no line break.
    void finish(std::string_view last_line) {
        if (!last_line.empty()) line(last_line);
        if (m_jobs <= 1) {
            m_lines.finish(m_counting);
            return;
        }
        m_line_items.clear();
        m_lines.collect_finish(m_line_items);
        // (like finish() above, the input's end is no line: it never counts as skipped)
        add_line(false);
        dispatch();
        while (!m_running.empty()) hand_on_oldest();
    }

  private:
    // What one line gave: how many work items, and whether it is complete (not held).
    struct LineWork {
        std::size_t items;
        bool complete;
    };
    struct Batch {
        std::shared_ptr<PackedItems> items;
        std::vector<LineWork> lines;
    };
    struct Running {
        std::shared_ptr<PackedItems> items;  // kept for reuse once the batch is done
        std::vector<LineWork> lines;
        std::future<BatchOutput> results;
    };
    static constexpr std::size_t k_batch_items = 512;
    static constexpr std::size_t k_in_flight_per_job = 4;

    void line(std::string_view text) {
        ++m_stats.lines;
        if (m_jobs <= 1) {
            if (m_lines.diagnose(text, ++m_number, m_counting) == 0) ++m_stats.skipped;
            return;
        }
        // (the line's items are freed at the next line, by this thread: no slow path in glibc)
        m_line_items.clear();
        bool complete = m_lines.collect(text, ++m_number, m_line_items);
        add_line(complete);
        if (m_batch.items->size() >= k_batch_items) dispatch();
    }

    // Packs m_line_items, the work of one line, into the batch.
    void add_line(bool complete) {
        if (!m_batch.items) {
            if (m_spare_items.empty()) {
                m_batch.items = std::make_shared<PackedItems>();
            } else {
                m_batch.items = std::move(m_spare_items.back());
                m_spare_items.pop_back();
            }
        }
        for (const LineDiagnoser::WorkItem& item : m_line_items) m_batch.items->add(item);
        m_batch.lines.push_back(LineWork{m_line_items.size(), complete});
    }

    void dispatch() {
        if (m_batch.lines.empty()) return;
        // A few batches per worker in flight, so that neither the reading thread nor a worker
        // waits for the other (memory stays bounded by k_in_flight_per_job * jobs batches).
        if (m_running.size() >= k_in_flight_per_job * m_jobs) hand_on_oldest();
        std::shared_ptr<const PackedItems> items = m_batch.items;
        const LineDiagnoser& lines = m_lines;
        if (!m_workers) {
            // The reading thread diagnoses batches too when it is ahead (hand_on_oldest), so
            // `jobs` threads in all: one more worker made three threads share two cores, and
            // cost about a third more CPU than -j 1.
            m_workers = std::make_unique<BatchWorkers>(m_jobs - 1, m_classifier);
            m_helper_cache = std::make_unique<ReplyCache>(m_classifier, m_workers->templates());
        }
        const ResultRenderer* renderer = m_renderer;
        TextBuffers& buffers = m_text_buffers;
        auto task = [items, &lines, renderer, &buffers](ReplyCache& cache) mutable {
            BatchOutput out;
            if (!renderer) {
                out.results.reserve(items->size());
                for (std::size_t i = 0; i < items->size(); ++i) {
                    bool is_bounce = false;
                    Result r = lines.run(items->view(i), cache, is_bounce);
                    out.results.push_back(is_bounce ? std::optional<Result>(std::move(r))
                                                    : std::nullopt);
                }
                return out;
            }
            // Results are rendered and freed here: glibc frees a block made by another thread
            // under that thread's arena lock.
            out.made.reserve(items->size());
            out.text = buffers.take();
            // (a JSON result is ~1 KiB: room for most batches at once, no regrowth copies)
            out.text.reserve(items->size() * 1024);
            for (std::size_t i = 0; i < items->size(); ++i) {
                bool is_bounce = false;
                const Result r = lines.run(items->view(i), cache, is_bounce);
                out.made.push_back(is_bounce ? 1 : 0);
                if (!is_bounce) continue;
                ++out.results_made;
                if (!r.diagnosed()) ++out.undiagnosed;
                renderer->render(r, out.text);
            }
            return out;
        };
        m_running.push_back(Running{std::move(m_batch.items), std::move(m_batch.lines),
                                    m_workers->submit(BatchWorkers::Task(std::move(task)))});
        m_batch = Batch();
    }

    void hand_on_oldest() {
        Running running = std::move(m_running.front());
        m_running.pop_front();
        // While the oldest batch is not done, this thread diagnoses waiting ones.
        while (running.results.wait_for(std::chrono::seconds(0)) != std::future_status::ready &&
               m_workers->run_waiting(*m_helper_cache)) {
        }
        BatchOutput output = running.results.get();
        running.items->clear();
        m_spare_items.push_back(std::move(running.items));
        if (m_renderer) {
            m_stats.results += output.results_made;
            m_stats.undiagnosed += output.undiagnosed;
            std::size_t next = 0;
            for (const LineWork& line : running.lines) {
                std::size_t emitted = 0;
                for (std::size_t k = 0; k < line.items; ++k, ++next) emitted += output.made[next];
                if (line.complete && emitted == 0) ++m_stats.skipped;
            }
            if (!output.text.empty()) m_renderer->write(output.text);
            m_text_buffers.give_back(std::move(output.text));
            return;
        }
        std::vector<std::optional<Result>>& results = output.results;
        std::size_t next = 0;
        for (const LineWork& line : running.lines) {
            std::size_t emitted = 0;
            for (std::size_t k = 0; k < line.items; ++k, ++next) {
                if (!results[next]) continue;
                m_counting(std::move(*results[next]));
                ++emitted;
            }
            if (line.complete && emitted == 0) ++m_stats.skipped;
        }
    }

    const Classifier& m_classifier;
    const ResultRenderer* m_renderer;  // for batches, when set
    LineDiagnoser m_lines;
    InputStats& m_stats;
    ResultSink m_counting;
    std::size_t m_number = 0;
    unsigned m_jobs;
    Batch m_batch;
    std::vector<LineDiagnoser::WorkItem> m_line_items;        // one line's work (reused)
    std::vector<std::shared_ptr<PackedItems>> m_spare_items;  // of batches done, for reuse
    std::deque<Running> m_running;
    TextBuffers m_text_buffers;                  // outlives the workers (declared before them)
    std::unique_ptr<BatchWorkers> m_workers;     // started with the first batch
    std::unique_ptr<ReplyCache> m_helper_cache;  // this thread's, for the batches it runs
};

bool is_regular_file(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

InputStats diagnose_stream(int fd, const std::string& name, InputMode mode,
                           const Classifier& classifier, const ResultSink& sink,
                           const ProgressCallback& progress, unsigned jobs,
                           const ResultRenderer* renderer) {
    InputStats stats;
    BlockReader reader(fd, name, [&](std::size_t bytes) {
        stats.bytes += bytes;
        if (progress) progress(stats);
    });
    std::string buffer;
    read_head(reader, buffer);
    const InputMode requested = mode;
    if (mode == InputMode::detect) mode = detect_input_mode(buffer);
    if (mode == InputMode::email) {
        while (reader.read_some(buffer)) {
        }
        diagnose_email_message(buffer, name, 1, classifier, sink, stats);
        return stats;
    }
    if (mode == InputMode::mbox) {
        // Complete messages (those followed by another envelope line) are diagnosed and
        // dropped; the last one waits for more input.
        std::size_t number = 0;
        std::size_t scanned = 0;
        bool more = true;
        while (true) {
            std::size_t cut = more ? last_envelope(buffer, scanned) : buffer.size();
            if (cut > 0) {
                MboxSplitter splitter(std::string_view(buffer).substr(0, cut));
                std::string_view message;
                while (splitter.next(message))
                    diagnose_email_message(message, name, ++number, classifier, sink, stats);
                buffer.erase(0, cut);
            }
            scanned = buffer.size() > 8 ? buffer.size() - 8 : 0;
            if (!more) break;
            more = reader.read_some(buffer);
        }
        return stats;
    }
    LineInput lines(classifier, name, requested == InputMode::lines, sink, stats,
                    is_regular_file(fd) ? jobs : 1, renderer);
    do {
        buffer.erase(0, lines.complete_lines(buffer));
    } while (reader.read_some(buffer));
    lines.finish(buffer);
    return stats;
}

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
            LineInput lines(classifier, name, requested == InputMode::lines, sink, stats, 1);
            lines.finish(content.substr(lines.complete_lines(content)));
            break;
        }
    }
    return stats;
}

}  // namespace bouncediag
