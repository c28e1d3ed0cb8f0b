#include "cli.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bouncediag/classifier.h"
#include "bouncediag/error.h"
#include "bouncediag/explain.h"
#include "bouncediag/input.h"
#include "bouncediag/mailbox.h"
#include "bouncediag/output.h"
#include "bouncediag/rule_table.h"
#include "bouncediag/summary.h"
#include "ordered_parallel.h"
#include "output_stream.h"
#include "progress.h"

namespace bouncediag::cli {
namespace fs = std::filesystem;

void add_options(CLI::App& app, Options& o) {
    // Options given after a subcommand name belong to the main command (subcommands created
    // below inherit this).
    app.fallthrough();
    app.add_option("inputs", o.inputs,
                   "Replies to diagnose, or files: bounce emails, mbox files, maildir folders, "
                   "mail logs ('-' is stdin). With none, read stdin.");
    app.add_option("-f,--format", o.format, "Output: text (for people), json (JSON lines), tsv")
        ->check(CLI::IsMember({"text", "json", "tsv"}));
    app.add_option("--color", o.color, "Colour the text output: auto, always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_option("--rules", o.rules_file, "Use this rule file instead of the built-in table");
    app.add_option("--extra-rules", o.extra_rules,
                   "Layer this rule file on top (a rule with an existing id replaces it)")
        ->allow_extra_args(false);
    app.add_option("--input", o.input_mode,
                   "What the inputs hold: auto, email, mbox, lines (each line a reply)")
        ->check(CLI::IsMember({"auto", "email", "mbox", "lines"}));
    app.add_option("--fields", o.fields, "TSV columns, comma-separated (see docs)")
        ->delimiter(',')
        ->allow_extra_args(false);
    app.add_option("--type", o.types, "Only results of these types: hard, soft, none, unknown")
        ->delimiter(',')
        ->allow_extra_args(false);
    app.add_option("--cause", o.causes, "Only results with these causes")
        ->delimiter(',')
        ->allow_extra_args(false);
    app.add_option("--action", o.actions, "Only results with these actions")
        ->delimiter(',')
        ->allow_extra_args(false);
    app.add_flag("--line-buffered", o.line_buffered, "Flush after every result");
    app.add_flag("-q,--quiet", o.quiet, "No prompts or progress on stderr");
    app.add_option("-j,--jobs", o.jobs,
                   "Threads for many input files or one large log file (default: the number "
                   "of cores)")
        ->check(CLI::Range(1, 256));

    CLI::App* explain =
        app.add_subcommand("explain", "Explain a reply code: 550, 5.7.26, '550 5.7.26'");
    explain->add_option("code", o.explain_codes, "The code(s) to explain")->required();
    explain->footer(
        "Examples:\n  bouncediag explain 550\n  bouncediag explain 5.7.26\n"
        "  bouncediag explain '550 5.7.26' 421 --format json");

    CLI::App* rules = app.add_subcommand("rules", "Inspect and check rule tables");
    rules->require_subcommand(1);
    rules->footer(
        "Examples:\n  bouncediag rules check               # the built-in table\n"
        "  bouncediag rules check my-rules.json  # your own rule file (docs/rules.md)\n"
        "  bouncediag rules list | grep -i gmail\n  bouncediag rules show gmail.dmarc-policy");
    CLI::App* check = rules->add_subcommand(
        "check",
        "Validate a rule file (default: the built-in table) and run every rule's examples");
    check->add_option("file", o.rules_file_to_check, "The rule file to check");
    rules->add_subcommand("list", "List the rules: id, type, reason, cause, action, provider");
    CLI::App* show = rules->add_subcommand("show", "Show one rule");
    show->add_option("id", o.rule_id, "The rule id")->required();

    CLI::App* summary = app.add_subcommand(
        "summary",
        "Count many bounces by type, cause, reason, action, provider, domain, blocklist, rule");
    summary->add_option("inputs", o.summary_inputs, "Files or replies (none: stdin)");
    summary->footer(
        "Examples:\n  bouncediag summary /var/log/mail.log*\n"
        "  grep status=bounced /var/log/mail.log | bouncediag summary\n"
        "  bouncediag summary --format json ~/Maildir/.Bounces | jq .reason");
    CLI::App* suppress = app.add_subcommand(
        "suppress", "Print each dead address once (action suppress), for list cleaning");
    suppress->add_option("inputs", o.suppress_inputs, "Files or replies (none: stdin)");
    suppress->footer(
        "Only permanent failures of the address itself are listed, never policy, reputation or\n"
        "blocklist refusals. Examples:\n  bouncediag suppress bounces.mbox > remove.txt\n"
        "  bouncediag suppress /var/log/mail.log | wc -l   # each address once");
}

namespace {

// Everything decided before any work starts.
struct Plan {
    std::unique_ptr<RuleTable> owned_table;
    const RuleTable* table = nullptr;
    std::unique_ptr<Classifier> classifier;
    bool color = false;
    std::vector<std::string> fields;
};

bool stdout_wants_color(const std::string& choice) {
    if (choice == "always") return true;
    if (choice == "never") return false;
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && *no_color != '\0') return false;
    const char* term = std::getenv("TERM");
    if (term != nullptr && std::string_view(term) == "dumb") return false;
    return isatty(STDOUT_FILENO) != 0;
}

const RuleTable& load_rules(const Options& o, std::unique_ptr<RuleTable>& owned) {
    if (o.rules_file.empty() && o.extra_rules.empty()) return RuleTable::embedded();
    owned = std::make_unique<RuleTable>(o.rules_file.empty() ? RuleTable::embedded()
                                                             : RuleTable::load_file(o.rules_file));
    for (const std::string& extra : o.extra_rules) owned->layer(RuleTable::load_file(extra));
    return *owned;
}

Plan make_plan(const Options& o) {
    Plan plan;
    plan.table = &load_rules(o, plan.owned_table);
    plan.classifier = std::make_unique<Classifier>(*plan.table);
    plan.color = stdout_wants_color(o.color);
    plan.fields = o.fields.empty() ? default_tsv_fields() : o.fields;
    check_tsv_fields(plan.fields);
    return plan;
}

InputMode input_mode(const std::string& name) {
    if (name == "email") return InputMode::email;
    if (name == "mbox") return InputMode::mbox;
    if (name == "lines") return InputMode::lines;
    return InputMode::detect;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) throw Error(fmt::format("{}: read error: {}", path, std::strerror(errno)));
    return content.str();
}

// An open input file; a folder or an unreadable file is an Error naming it.
class InputFile {
  public:
    explicit InputFile(const std::string& path) : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
        if (m_fd < 0) throw Error(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
        struct stat info {};
        if (fstat(m_fd, &info) == 0 && S_ISDIR(info.st_mode)) {
            ::close(m_fd);
            throw Error(fmt::format("{}: is a directory", path));
        }
    }
    ~InputFile() { ::close(m_fd); }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    int fd() const { return m_fd; }

  private:
    int m_fd;
};

// The files of a maildir folder: cur/ then new/, each sorted by name.
std::vector<std::string> maildir_files(const std::string& dir) {
    std::vector<std::string> files;
    bool is_maildir = false;
    for (const char* sub : {"cur", "new"}) {
        fs::path p = fs::path(dir) / sub;
        std::error_code ec;
        if (!fs::is_directory(p, ec)) continue;
        is_maildir = true;
        std::vector<std::string> part;
        for (const auto& entry : fs::directory_iterator(p, ec))
            if (entry.is_regular_file(ec)) part.push_back(entry.path().string());
        std::sort(part.begin(), part.end());
        files.insert(files.end(), part.begin(), part.end());
    }
    if (!is_maildir)
        throw Error(fmt::format("{}: is a directory, not a maildir (no cur/ or new/)", dir));
    return files;
}

// Runs the default command: diagnose replies, files and stdin.
// What the default command and its two relatives do with each result.
enum class Command { diagnose, summary, suppress };

// The width of the terminal on stdout, or 80.
int terminal_width() {
    struct winsize size {};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    if (const char* columns = std::getenv("COLUMNS")) {
        int n = std::atoi(columns);
        if (n > 0) return n;
    }
    return 80;
}

class Diagnoser {
  public:
    Diagnoser(const Options& o, Plan& plan, Command command)
        : m_options(o), m_plan(plan), m_command(command), m_out(o.line_buffered) {}

    int run() {
        if (m_command == Command::diagnose && m_options.format == "tsv")
            m_out.write(format_tsv_header(m_plan.fields) + "\n");
        InputMode mode = input_mode(m_options.input_mode);
        if (m_options.inputs.empty()) {
            diagnose_stdin(mode);
        }
        // Consecutive files are diagnosed together (in parallel with -j), everything in
        // argument order.
        std::vector<std::string> files;
        std::size_t argument = 0;
        for (const std::string& in : m_options.inputs) {
            ++argument;
            if (in != "-" && is_file_argument(in)) {
                add_path(in, files);
                continue;
            }
            diagnose_files(files, mode);
            if (in == "-") {
                diagnose_stdin(mode);
            } else {
                diagnose_argument(in, argument);
            }
        }
        diagnose_files(files, mode);
        if (m_command == Command::summary) {
            m_out.write(m_options.format == "json"
                            ? render_summary_json(m_summary)
                            : render_summary_text(m_summary, m_plan.color, terminal_width()));
        }
        m_out.flush();
        flush_notes();
        if (m_failed) return 2;
        return m_unexplained ? 1 : 0;
    }

  private:
    // An argument names a file when it exists, or when it looks like a path (has a '/' and no
    // space); anything else is a reply.
    static bool is_file_argument(const std::string& arg) {
        std::error_code ec;
        if (fs::exists(arg, ec)) return true;
        return arg.find('/') != std::string::npos &&
               arg.find_first_of(" \t\n") == std::string::npos;
    }

    // Whether --type, --cause and --action keep the result.
    bool selected(const Diagnosis& d) const {
        return passes(m_options.types, d.type) && passes(m_options.causes, d.cause) &&
               passes(m_options.actions, d.action);
    }

    void emit(Result&& r) {
        const Diagnosis& d = r.diagnosis;
        if (!selected(d)) return;
        if (m_command == Command::summary) {
            m_summary.add(summary_item(r));
            return;
        }
        if (m_command == Command::suppress) {
            // Only a permanent failure of the address itself (docs: "Vocabulary").
            if (d.action == "suppress" && m_suppressions.add(r.recipient))
                m_out.write(m_suppressions.addresses().back() + "\n");
            return;
        }
        if (m_options.format == "json" || m_options.format == "tsv") {
            m_out.write_with([this, &r](std::string& out) { render_row(r, out); });
        } else {
            m_out.write((m_results_written > 0 ? "\n" : "") + format_text(r, m_plan.color));
        }
        ++m_results_written;
    }

    static bool passes(const std::vector<std::string>& allowed, std::string_view value) {
        return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
    }

    ResultSink sink() {
        return [this](Result&& r) { emit(std::move(r)); };
    }

    // One JSON line or TSV row for `r`, appended to `out`.
    void render_row(const Result& r, std::string& out) const {
        if (m_options.format == "json") {
            append_json(out, r);
        } else {
            out += format_tsv(r, m_plan.fields);
        }
        out += '\n';
    }

    // JSON lines and TSV rows need no state between results, so the -j workers of a large log
    // render them (input.h, ResultRenderer); null for the other outputs.
    std::unique_ptr<ResultRenderer> renderer() {
        if (m_command != Command::diagnose ||
            (m_options.format != "json" && m_options.format != "tsv"))
            return {};
        auto r = std::make_unique<ResultRenderer>();
        r->render = [this](const Result& result, std::string& out) {
            if (selected(result.diagnosis)) render_row(result, out);
        };
        r->write = [this](std::string_view text) { m_out.write(text); };
        return r;
    }

    void account(const InputStats& stats, const std::string& name) {
        m_summary.add_input();
        m_summary.add_skipped(stats.skipped);
        if (stats.undiagnosed > 0) m_unexplained = true;
        if (stats.skipped > 0 && stats.results > 0 && !m_options.quiet &&
            m_command == Command::diagnose) {
            m_notes.push_back(fmt::format("{}: {} {} carried no bounce (skipped)", name,
                                          stats.skipped,
                                          stats.messages > 0 ? "message(s)" : "line(s)"));
        }
        if (stats.results == 0) {
            m_unexplained = true;
            if (m_options.format == "text" && m_command == Command::diagnose)
                m_notes.push_back(fmt::format("{}: no bounce or SMTP reply found", name));
        }
    }

    void diagnose_argument(const std::string& reply, std::size_t argument) {
        Result r = diagnose_reply(reply, *m_plan.classifier);
        r.input = fmt::format("argument {}", argument);
        m_summary.add_input();
        if (!r.diagnosed()) m_unexplained = true;
        emit(std::move(r));
    }

    // A file, or the files of a maildir folder, to diagnose.
    void add_path(const std::string& path, std::vector<std::string>& files) {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            files.push_back(path);
            return;
        }
        // A bad folder is reported in its place in the output order.
        diagnose_files(files, InputMode::detect);
        try {
            std::vector<std::string> inside = maildir_files(path);
            files.insert(files.end(), inside.begin(), inside.end());
        } catch (const Error& e) {
            report(e.what());
        }
    }

    // What diagnosing one file gave, kept until its turn to be written.
    struct FileOutcome {
        std::vector<Result> results;
        InputStats stats;
        std::string error;
    };

    FileOutcome diagnose_one_file(const std::string& path, InputMode mode) const {
        FileOutcome outcome;
        try {
            InputFile file(path);
            outcome.stats =
                diagnose_stream(file.fd(), path, mode, *m_plan.classifier,
                                [&](Result&& r) { outcome.results.push_back(std::move(r)); });
        } catch (const Error& e) {
            outcome.error = e.what();
        }
        return outcome;
    }

    // One file, results written as they come (bounded memory whatever the file's size).
    void stream_file(const std::string& path, InputMode mode) {
        try {
            InputFile file(path);
            stream_input(file.fd(), path, mode);
        } catch (const Error& e) {
            report(e.what());
        }
    }

    // One open input, results written as they come; a read error is reported in its place.
    void stream_input(int fd, const std::string& name, InputMode mode) {
        InputStats stats;
        try {
            std::unique_ptr<ResultRenderer> rendering = renderer();
            stats = diagnose_stream(fd, name, mode, *m_plan.classifier, sink(),
                                    m_progress.start(name), m_options.jobs, rendering.get());
            m_progress.clear();
        } catch (const Error& e) {
            report(e.what());
            return;
        }
        account(stats, name);
        flush_notes();
    }

    void write_file_outcome(const std::string& path, FileOutcome&& outcome) {
        if (!outcome.error.empty()) {
            report(outcome.error);
            return;
        }
        for (Result& r : outcome.results) emit(std::move(r));
        account(outcome.stats, path);
        flush_notes();
    }

    // Diagnoses `files` (then clears it): on m_options.jobs threads when there are several,
    // with the output in file order either way.
    void diagnose_files(std::vector<std::string>& files, InputMode mode) {
        if (m_options.jobs <= 1 || files.size() < 2) {
            for (const std::string& f : files) stream_file(f, mode);
        } else {
            // Chunks of up to 16 files, but at least 16 chunks per thread so that an uneven
            // mix of sizes still spreads.
            const std::size_t jobs = m_options.jobs;
            const std::size_t chunk = std::clamp<std::size_t>(files.size() / (16 * jobs), 1, 16);
            ordered_parallel<FileOutcome>(
                files.size(), m_options.jobs, std::max<std::size_t>(4, 2 * chunk) * jobs, chunk,
                [&](std::size_t i) { return diagnose_one_file(files[i], mode); },
                [&](std::size_t i, FileOutcome&& outcome) {
                    write_file_outcome(files[i], std::move(outcome));
                });
        }
        files.clear();
    }

    // Stdin: a terminal gets a prompt and one pasted reply; a pipe is read as a whole when it
    // holds an email or mbox, and line by line (streaming) otherwise.
    void diagnose_stdin(InputMode mode) {
        const std::string name = "-";
        if (isatty(STDIN_FILENO)) {
            if (!m_options.quiet)
                std::fputs("Paste a bounce reply or email, then press Ctrl-D on a new line:\n",
                           stderr);
            std::string pasted = read_all(std::cin);
            if (mode == InputMode::detect && detect_input_mode(pasted) == InputMode::lines) {
                Result r = diagnose_reply(pasted, *m_plan.classifier);
                r.input = name;
                m_summary.add_input();
                if (!r.diagnosed()) m_unexplained = true;
                emit(std::move(r));
                return;
            }
            account(diagnose_content(pasted, name, mode, *m_plan.classifier, sink()), name);
            return;
        }
        stream_input(STDIN_FILENO, name, mode);
    }

    static std::string read_all(std::istream& in) {
        std::ostringstream content;
        content << in.rdbuf();
        return content.str();
    }

    void report(const std::string& message) {
        m_progress.clear();
        m_out.flush();
        fmt::print(stderr, "bouncediag: {}\n", message);
        m_failed = true;
    }

    void flush_notes() {
        for (const std::string& note : m_notes) {
            m_out.flush();
            fmt::print(stderr, "bouncediag: {}\n", note);
        }
        m_notes.clear();
    }

    const Options& m_options;
    Plan& m_plan;
    Command m_command;
    OutputStream m_out;
    Summary m_summary;
    SuppressionList m_suppressions;
    Progress m_progress{m_options.quiet};
    std::size_t m_results_written = 0;
    std::vector<std::string> m_notes;
    bool m_unexplained = false;
    bool m_failed = false;
};

std::string rule_line(const Rule& rule) {
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}", rule.id, rule.type, rule.reason, rule.cause,
                       rule.action, rule.provider.empty() ? "-" : rule.provider);
}

// A string, or null when empty.
nlohmann::ordered_json optional_string(std::string_view s) {
    return s.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s);
}

nlohmann::ordered_json rule_json(const Rule* rule) {
    if (rule == nullptr) return nullptr;
    nlohmann::ordered_json j;
    j["id"] = rule->id;
    j["type"] = rule->type;
    j["reason"] = rule->reason;
    j["cause"] = rule->cause;
    j["action"] = rule->action;
    j["meaning"] = rule->meaning;
    j["fix"] = rule->fix;
    j["provider"] = optional_string(rule->provider);
    j["blocklist"] = optional_string(rule->blocklist);
    return j;
}

int run_explain(const Options& o, Plan& plan) {
    OutputStream out(false);
    const Paint paint{plan.color};
    bool first = true;
    for (const std::string& code : o.explain_codes) {
        Explanation ex = explain_code(code, *plan.table, *plan.classifier);
        if (o.format == "json") {
            nlohmann::ordered_json j;
            j["code"] = code;
            j["basic_code"] =
                ex.codes.basic_code ? nlohmann::ordered_json(ex.codes.basic_code) : nullptr;
            j["enhanced_code"] = optional_string(ex.codes.enhanced_code);
            j["type"] = std::string(ex.codes.code_class_type());
            j["best"] = rule_json(ex.best);
            j["basic"] = rule_json(ex.basic);
            j["enhanced"] = rule_json(ex.enhanced);
            j["subject"] = rule_json(ex.subject);
            j["class"] = rule_json(ex.klass);
            j["wordings"] = nlohmann::ordered_json::array();
            for (const Rule* r : ex.wordings) j["wordings"].push_back(rule_json(r));
            out.write(j.dump() + "\n");
            continue;
        }
        std::string text = first ? "" : "\n";
        first = false;
        std::string_view type = ex.codes.code_class_type();
        text += paint("1", code) + "  " +
                (type == "hard"   ? paint("1;31", "permanent failure (hard bounce)")
                 : type == "soft" ? paint("1;33", "temporary failure (soft bounce)")
                                  : paint("1;32", "success")) +
                "\n";
        auto section = [&](std::string_view label, const Rule* rule) {
            if (rule == nullptr) return;
            text +=
                fmt::format("  {} {}\n", paint("1", fmt::format("{:<9}", label)), rule->meaning);
        };
        section("class", ex.klass);
        section("subject", ex.subject);
        if (ex.basic != ex.best) section("basic", ex.basic);
        if (ex.enhanced != ex.best) section("enhanced", ex.enhanced);
        section("meaning", ex.best);
        if (ex.best != nullptr) {
            text += fmt::format("  {} {} ({}, {}): {}\n", paint("1", "action   "), ex.best->action,
                                ex.best->reason, ex.best->cause, action_advice(ex.best->action));
            text += fmt::format("  {} {}\n", paint("1", "fix      "), ex.best->fix);
        }
        if (!ex.wordings.empty()) {
            text += fmt::format("  {}\n", paint("1", "known wordings with this code:"));
            for (const Rule* r : ex.wordings) {
                text += fmt::format("    - {}{}: {} [{}]\n",
                                    r->provider.empty() ? "" : std::string(r->provider) + ": ",
                                    r->reason, r->meaning, r->id);
            }
        }
        out.write(text);
    }
    out.flush();
    return 0;
}

int run_rules_check(const Options& o) {
    // Patterns are checked below, all of them, rather than stopping at the first bad one.
    auto owned = std::make_unique<RuleTable>(
        o.rules_file_to_check.empty()
            ? RuleTable::embedded_files(false)
            : RuleTable::parse(read_file(o.rules_file_to_check), o.rules_file_to_check, false));
    const RuleTable* table = owned.get();
    OutputStream out(false);
    std::vector<std::string> problems = table->pattern_problems();
    for (const std::string& problem : problems) out.write(problem + "\n");
    std::size_t failures = problems.size();
    Classifier classifier(*table);
    std::size_t examples = 0;
    std::map<std::string, int> by_provider, by_reason, by_cause;
    for (const Rule& rule : table->rules()) {
        ++by_provider[rule.provider.empty() ? "(generic)" : std::string(rule.provider)];
        ++by_reason[std::string(rule.reason)];
        ++by_cause[std::string(rule.cause)];
        for (std::size_t i = 0; i < rule.examples.size(); ++i) {
            ++examples;
            Reply reply = parse_reply(rule.examples[i]);
            const Rule* winner = classifier.best_rule(reply);
            if (winner == &rule) continue;
            ++failures;
            if (winner == nullptr) {
                out.write(fmt::format("{}: rule \"{}\": example {} matches no rule: {}\n",
                                      rule.origin, rule.id, i + 1, rule.examples[i]));
            } else {
                out.write(fmt::format(
                    "{}: rule \"{}\": example {} is shadowed by \"{}\" ({}): {}\n", rule.origin,
                    rule.id, i + 1, winner->id, winner->origin, rule.examples[i]));
            }
        }
    }
    auto counts = [&](const char* title, const std::map<std::string, int>& m) {
        std::vector<std::pair<std::string, int>> v(m.begin(), m.end());
        std::stable_sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second > b.second; });
        out.write(fmt::format("{}:\n", title));
        for (auto& [k, n] : v) out.write(fmt::format("  {:>5}  {}\n", n, k));
    };
    out.write(fmt::format("{} rules, {} examples, {} problems\n", table->rules().size(), examples,
                          failures));
    counts("rules per provider", by_provider);
    counts("rules per reason", by_reason);
    counts("rules per cause", by_cause);
    out.flush();
    return failures == 0 ? 0 : 1;
}

int run_rules_list(const Plan& plan) {
    OutputStream out(false);
    out.write("id\ttype\treason\tcause\taction\tprovider\n");
    for (const Rule& rule : plan.table->rules()) out.write(rule_line(rule) + "\n");
    out.flush();
    return 0;
}

int run_rules_show(const Options& o, const Plan& plan) {
    const Rule* rule = plan.table->find(o.rule_id);
    if (rule == nullptr) throw Error(fmt::format("rules show: no rule with id \"{}\"", o.rule_id));
    nlohmann::ordered_json j = rule_json(rule);
    j["origin"] = rule->origin;
    j["examples"] = rule->examples;
    j["patterns"] = rule->text;
    OutputStream out(false);
    out.write(j.dump(2) + "\n");
    out.flush();
    return 0;
}

// Leaves the classifier to the process's exit: freeing its compiled patterns one by one (hundreds
// of RE2 programs after a run over many emails) cost ~2 % of such a run. Kept reachable, so
// leak checkers do not count it.
void keep_until_exit(std::unique_ptr<Classifier> classifier) {
    static auto* const kept = new std::vector<std::unique_ptr<Classifier>>();
    kept->push_back(std::move(classifier));
}

int run_diagnoser(const Options& o, Plan& plan, Command command) {
    const int status = Diagnoser(o, plan, command).run();
    keep_until_exit(std::move(plan.classifier));
    return status;
}

}  // namespace

int run(const CLI::App& app, const Options& o) {
    if (const CLI::App* rules = app.get_subcommand("rules"); rules->parsed()) {
        if (rules->get_subcommand("check")->parsed()) return run_rules_check(o);
        Plan plan = make_plan(o);
        if (rules->get_subcommand("list")->parsed()) return run_rules_list(plan);
        return run_rules_show(o, plan);
    }
    Plan plan = make_plan(o);
    if (app.get_subcommand("explain")->parsed()) return run_explain(o, plan);
    Options inputs_from_subcommand = o;
    if (app.get_subcommand("summary")->parsed()) {
        inputs_from_subcommand.inputs = o.summary_inputs;
        return run_diagnoser(inputs_from_subcommand, plan, Command::summary);
    }
    if (app.get_subcommand("suppress")->parsed()) {
        inputs_from_subcommand.inputs = o.suppress_inputs;
        return run_diagnoser(inputs_from_subcommand, plan, Command::suppress);
    }
    return run_diagnoser(o, plan, Command::diagnose);
}

}  // namespace bouncediag::cli
