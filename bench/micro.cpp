// Micro-benchmarks of the hot paths: reply parsing, classification, log-line reading and the
// whole line pipeline (parse, classify, JSON), on a mix of real-shaped replies and log lines.
// Run: build-bench/bench/bouncediag_micro [--benchmark_filter=REGEX]
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "bouncediag/classifier.h"
#include "bouncediag/embedded_rules.h"
#include "bouncediag/input.h"
#include "bouncediag/log_line.h"
#include "bouncediag/output.h"
#include "bouncediag/reply.h"
#include "bouncediag/rule_table.h"

namespace {

using namespace bouncediag;

// A mix of replies as they reach the classifier: provider wordings, blocklists, greylisting,
// rate limits, multi-line Gmail replies, wrapper forms, text without codes, non-English text.
const std::vector<std::string> k_replies = {
    "550 5.1.1 <john@example.com>: Recipient address rejected: User unknown in virtual mailbox "
    "table",
    "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 "
    "double-checking the recipient's email address for typos or 550 5.1.1 unnecessary spaces. "
    "https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp",
    "552 5.2.2 The email account that you tried to reach is over quota. a1si123 - gsmtp",
    "550 5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC "
    "policy. a1si123 - gsmtp",
    "421 4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP "
    "address. a1si123 - gsmtp",
    "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). "
    "[AM5EUR03FT012.eop-EUR03.prod.protection.outlook.com]",
    "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your "
    "Internet service provider since part of their network is on our block list (S3150).",
    "451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77714)",
    "554 5.7.9 Message not accepted for policy reasons.  See "
    "https://postmaster.yahooinc.com/error-codes",
    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or "
    "user complaints - 4.16.55.1",
    "554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0]",
    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; "
    "https://www.spamhaus.org/query/ip/192.0.2.1",
    "554 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation; "
    "http://www.barracudanetworks.com/reputation/?pr=1&ip=192.0.2.1",
    "450 4.2.0 <ann@example.net>: Recipient address rejected: Greylisted, see "
    "http://postgrey.schweikert.ch/help/example.net.html",
    "451 4.7.1 Greylisting in action, please come back later",
    "421 4.7.0 Too many connections from your IP, try again later",
    "552 5.3.4 Message size exceeds fixed maximum message size",
    "554 5.7.1 <x@example.com>: Relay access denied",
    "host mx.example.com[203.0.113.5] said: 550 5.1.1 No such user (in reply to RCPT TO "
    "command)",
    "SMTP error from remote mail server after RCPT TO:<c@example.com>: 550 5.7.1 Service "
    "unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org",
    "smtp; 550 5.1.1 <bob@example.com>... User unknown",
    "connect to mx.example.net[198.51.100.7]:25: Connection timed out",
    "Host or domain name not found. Name service error for name=example.invalid type=MX: Host "
    "not found",
    "550 5.1.1 <a@example.de>: Empfaengeradresse abgelehnt: Benutzer unbekannt",
    "550 5.1.1 宛先のメールアドレスは存在しません",
    "mailbox full",
};

const std::vector<std::string> k_log_lines = {
    "Mar  1 00:23:52 mail2 postfix/smtp[54789]: 3DE38ED01D86: to=<yuki221@gmail.com>, "
    "relay=gmail-smtp-in.l.google.com[142.250.27.26]:25, delay=0.9, delays=0.1/0/0.38/0.58, "
    "dsn=5.1.1, status=bounced (host gmail-smtp-in.l.google.com[142.250.27.26] said: 550-5.1.1 "
    "The email account that you tried to reach does not exist. 550 5.1.1 a1si123 - gsmtp (in "
    "reply to RCPT TO command))",
    "Mar  1 00:19:29 mail3 postfix/qmgr[40468]: E7A507947E5: removed",
    "Mar  1 00:13:08 mail1 postfix/smtpd[28935]: connect from client461.example.net[192.0.2.44]",
    "Mar  1 00:13:08 mail1 postfix/smtp[2935]: 9056A4AD683: to=<li@example.net>, "
    "relay=mail.example.net[192.0.2.44]:25, delay=0.31, delays=0.01/0/0.2/0.3, dsn=2.0.0, "
    "status=sent (250 2.0.0 Ok: queued as 12AB34CD)",
    "2025-03-01 00:12:35 1J3K6K-MW5Y3W-WX Completed",
    "2025-03-01 00:56:37 1idXD0-46TWPY-C5 => noreply645@example.com R=dnslookup T=remote_smtp "
    "H=mx.example.com [192.0.2.6] C=\"250 2.0.0 OK id=AAFUHP2UMSA8\"",
    "2024-01-15 10:23:45 1rPqXY-0001Ab-Cd ** john@example.com R=dnslookup T=remote_smtp "
    "H=mx.example.com [203.0.113.5]: SMTP error from remote mail server after RCPT "
    "TO:<john@example.com>: 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using "
    "zen.spamhaus.org",
    "2024-01-15 10:23:45 1rPqXZ-0002Bc-De == ann@example.net R=dnslookup T=remote_smtp defer "
    "(-44) H=mx.example.net [198.51.100.7]: SMTP error from remote mail server after RCPT "
    "TO:<ann@example.net>: 451 4.7.1 Greylisted, please try again later",
};

const Classifier& classifier() {
    static const Classifier instance(RuleTable::embedded());
    return instance;
}

void BM_parse_reply(benchmark::State& state) {
    std::size_t i = 0;
    for (auto _ : state) {
        Reply reply = parse_reply(k_replies[i++ % k_replies.size()]);
        benchmark::DoNotOptimize(reply);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_parse_reply);

void BM_classify(benchmark::State& state) {
    std::vector<Reply> replies;
    for (const auto& text : k_replies) replies.push_back(parse_reply(text));
    const Classifier& c = classifier();
    std::size_t i = 0;
    for (auto _ : state) {
        Diagnosis d = c.classify(replies[i++ % replies.size()]);
        benchmark::DoNotOptimize(d);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_classify);

// Parse and classify together: what one pasted reply costs once the table is ready.
void BM_parse_and_classify(benchmark::State& state) {
    const Classifier& c = classifier();
    std::size_t i = 0;
    for (auto _ : state) {
        Diagnosis d = c.classify(parse_reply(k_replies[i++ % k_replies.size()]));
        benchmark::DoNotOptimize(d);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_parse_and_classify);

// The start-up cost of a one-line call: parsing the embedded JSON rule files.
void BM_rule_table_parse(benchmark::State& state) {
    for (auto _ : state) {
        RuleTable table;
        for (const EmbeddedFile& file : embedded_rule_files())
            table.append(RuleTable::parse(file.content, std::string(file.name)));
        benchmark::DoNotOptimize(table);
    }
}
BENCHMARK(BM_rule_table_parse)->Unit(benchmark::kMillisecond);

// The other start-up cost: compiling the table's patterns (lazy compilation shows up here).
void BM_classifier_construct(benchmark::State& state) {
    const RuleTable& table = RuleTable::embedded();
    for (auto _ : state) {
        Classifier c(table);
        benchmark::DoNotOptimize(&c);
    }
}
BENCHMARK(BM_classifier_construct)->Unit(benchmark::kMillisecond);

// A fresh classifier's first classification (what a one-reply process pays in total).
void BM_classifier_first_call(benchmark::State& state) {
    const RuleTable& table = RuleTable::embedded();
    const Reply reply = parse_reply(k_replies[0]);
    for (auto _ : state) {
        Classifier c(table);
        Diagnosis d = c.classify(reply);
        benchmark::DoNotOptimize(d);
    }
}
BENCHMARK(BM_classifier_first_call)->Unit(benchmark::kMillisecond);

void BM_log_reader(benchmark::State& state) {
    LogReader reader;
    std::vector<LogEvent> events;
    std::size_t i = 0;
    for (auto _ : state) {
        events.clear();
        LogLineKind kind = reader.read(k_log_lines[i++ % k_log_lines.size()], events);
        benchmark::DoNotOptimize(kind);
        benchmark::DoNotOptimize(events);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_log_reader);

// The whole per-line work of `bouncediag --format json LOG`: read, parse, classify, format.
void BM_line_pipeline_json(benchmark::State& state) {
    LineDiagnoser diagnoser(classifier(), "bench.log", false);
    std::size_t bytes = 0;
    const ResultSink sink = [&bytes](Result&& r) { bytes += format_json(r).size(); };
    std::size_t i = 0;
    for (auto _ : state) {
        const std::string& line = k_log_lines[i % k_log_lines.size()];
        diagnoser.diagnose(line, ++i, sink);
    }
    benchmark::DoNotOptimize(bytes);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_line_pipeline_json);

}  // namespace

BENCHMARK_MAIN();
