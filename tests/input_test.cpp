// Line inputs diagnosed on several threads (diagnose_stream with jobs > 1) give exactly what
// one thread gives: the same results in the same order, and the same counts.
#include "bouncediag/input.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "bouncediag/output.h"
#include "bouncediag/rule_table.h"

namespace bouncediag {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// A log mixing every kind of line: records of several MTAs, CSV with a header that later lines
// depend on, multi-line replies (held lines), notes that are no bounce, blank lines.
std::string mixed_log() {
    const std::string dir = BOUNCEDIAG_SOURCE_DIR "/tests/data/logs/";
    std::string log;
    for (const char* name : {"postfix.log", "exim.log", "qmail.log", "powermta.csv", "mixed.log",
                             "sendmail.log", "ses.jsonl"}) {
        log += read_file(dir + name);
        if (!log.empty() && log.back() != '\n') log += '\n';
        log +=
            "550-5.1.1 The email account that you tried to reach does not exist.\n"
            "550 5.1.1 Please try double-checking the recipient's email address.\n"
            "just a note, no bounce here\n\n";
    }
    return log;
}

struct Outcome {
    std::vector<std::string> results;
    InputStats stats;
};

Outcome diagnose_file(const std::string& path, unsigned jobs) {
    static const Classifier classifier(RuleTable::embedded());
    Outcome run;
    int fd = ::open(path.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0);
    run.stats = diagnose_stream(
        fd, "log", InputMode::detect, classifier,
        [&](Result&& r) {
            run.results.push_back(std::to_string(r.line) + " " + r.recipient + " " +
                                  (r.diagnosis.rule ? std::string(r.diagnosis.rule->id) : "-") +
                                  " " + r.reply.text);
        },
        {}, jobs);
    ::close(fd);
    return run;
}

TEST(LineInput, SeveralJobsGiveWhatOneJobGives) {
    std::string path = testing::TempDir() + "bouncediag-input-test.log";
    {
        std::ofstream out(path, std::ios::binary);
        std::string log = mixed_log();
        // Enough lines for many batches, cut at every kind of line.
        for (int i = 0; i < 60; ++i) out << log;
        out << "550-5.7.1 a reply held at the very end";  // no line break, never finished
    }
    Outcome one = diagnose_file(path, 1);
    Outcome three = diagnose_file(path, 3);
    std::remove(path.c_str());
    ASSERT_GT(one.results.size(), 1000u);
    EXPECT_EQ(one.results, three.results);
    EXPECT_EQ(one.stats.results, three.stats.results);
    EXPECT_EQ(one.stats.skipped, three.stats.skipped);
    EXPECT_EQ(one.stats.undiagnosed, three.stats.undiagnosed);
    EXPECT_EQ(one.stats.lines, three.stats.lines);
    EXPECT_GT(one.stats.skipped, 0u);
}

// With a renderer, the worker threads render their results: the text written is what the
// sink of one job gives, and so are the counts.
TEST(LineInput, RenderedOnTheWorkersAsTheSinkGivesIt) {
    std::string path = testing::TempDir() + "bouncediag-render-test.log";
    {
        std::ofstream out(path, std::ios::binary);
        std::string log = mixed_log();
        for (int i = 0; i < 40; ++i) out << log;
    }
    static const Classifier classifier(RuleTable::embedded());
    auto run = [&](unsigned jobs, const ResultRenderer* renderer, std::string& text) {
        int fd = ::open(path.c_str(), O_RDONLY);
        EXPECT_GE(fd, 0);
        InputStats stats = diagnose_stream(
            fd, "log", InputMode::detect, classifier,
            [&](Result&& r) { text += format_json(r) + "\n"; }, {}, jobs, renderer);
        ::close(fd);
        return stats;
    };
    std::string by_sink;
    InputStats one = run(1, nullptr, by_sink);
    std::string rendered;
    std::size_t writes = 0;
    ResultRenderer renderer{[](const Result& r, std::string& out) {
                                append_json(out, r);
                                out += '\n';
                            },
                            [&](std::string_view text) {
                                rendered += text;
                                ++writes;
                            }};
    InputStats two = run(2, &renderer, rendered);
    std::remove(path.c_str());
    EXPECT_GT(writes, 1u);
    EXPECT_EQ(by_sink, rendered);
    EXPECT_EQ(one.results, two.results);
    EXPECT_EQ(one.skipped, two.skipped);
    EXPECT_EQ(one.undiagnosed, two.undiagnosed);
    EXPECT_EQ(one.lines, two.lines);
}

}  // namespace
}  // namespace bouncediag
