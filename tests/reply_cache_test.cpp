#include "../src/reply_cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bouncediag/classifier.h"
#include "bouncediag/log_line.h"
#include "bouncediag/reply.h"
#include "bouncediag/rule_table.h"

namespace bouncediag {
namespace {

const Classifier& embedded_classifier() {
    static const Classifier instance(RuleTable::embedded());
    return instance;
}

constexpr std::size_t npos = std::string_view::npos;

std::string masked(std::string_view text) {
    std::string out;
    ReplyCache::mask(text, out);
    return out;
}

TEST(ReplyCacheMask, KeepsLengthsAndWordsAndMasksVariableTokens) {
    // Local parts with digits, IPv4 addresses, long tracking ids.
    EXPECT_EQ(masked("<priya561@gmail.com>: user does not exist"),
              "<xxxxxxxx@gmail.com>: user does not exist");
    EXPECT_EQ(masked("<m.rossi251@corp.example>"), "<m.xxxxxxxx@corp.example>");
    EXPECT_EQ(masked("client host [203.51.47.63] blocked"), "client host [000.00.00.00] blocked");
    EXPECT_EQ(masked("NoSuchUser m89oz6ww3r - gsmtp"), "NoSuchUser xxxxxxxxxx - gsmtp");
    EXPECT_EQ(masked("[DB6PR04MB1234.eurprd04.prod.outlook.com]"),
              "[xxxxxxxxxxxxx.eurprd04.prod.outlook.com]");
    // What rules name stays: words, short codes, enhanced codes, blocklist answers.
    EXPECT_EQ(masked("<postmaster@example.com> [TSS04] IB401 BL000001 5.7.1 127.0.0.2"),
              "<postmaster@example.com> [TSS04] IB401 BL000001 5.7.1 127.0.0.2");
    EXPECT_EQ(masked("version 1.2.3.4.5 and 10.0.0.1x"), "version 1.2.3.4.5 and 10.0.0.1x");
}

// The plain definition of the mask (its first version, byte by byte), to check the digit-driven
// scan against.
std::string reference_mask(std::string_view text) {
    auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto local = [&](char c) { return alnum(c) || std::string_view("._%+-=").find(c) != npos; };
    auto ipv4 = [&](std::size_t at) -> std::size_t {
        if (at > 0 && (alnum(text[at - 1]) || text[at - 1] == '.')) return 0;
        std::size_t i = at;
        for (int part = 0; part < 4; ++part) {
            if (part > 0) {
                if (i >= text.size() || text[i] != '.') return 0;
                ++i;
            }
            std::size_t n = 0;
            while (i < text.size() && digit(text[i]) && n < 4) ++i, ++n;
            if (n == 0 || n > 3) return 0;
        }
        if (i < text.size() &&
            (alnum(text[i]) || (text[i] == '.' && i + 1 < text.size() && digit(text[i + 1]))))
            return 0;
        return i - at;
    };
    std::string out(text);
    for (std::size_t at = text.find('@'); at != npos; at = text.find('@', at + 1)) {
        std::size_t start = at;
        while (start > 0 && local(text[start - 1])) --start;
        for (std::size_t i = start; i < at;) {
            std::size_t end = i;
            bool has_digit = false;
            for (; end < at && alnum(text[end]); ++end) has_digit = has_digit || digit(text[end]);
            if (has_digit) std::fill(out.begin() + long(i), out.begin() + long(end), 'x');
            i = end == i ? i + 1 : end;
        }
    }
    for (std::size_t i = 0; i < text.size();) {
        if (!alnum(text[i])) {
            ++i;
            continue;
        }
        if (digit(text[i])) {
            if (std::size_t n = ipv4(i); n > 0) {
                if (text.substr(i, 4) != "127.")
                    for (std::size_t k = i; k < i + n; ++k)
                        if (digit(text[k])) out[k] = '0';
                i += n;
                continue;
            }
        }
        std::size_t end = i;
        bool has_digit = false, letter = false;
        for (; end < text.size() && alnum(text[end]); ++end) {
            has_digit = has_digit || digit(text[end]);
            letter = letter || !digit(text[end]);
        }
        if (has_digit && letter && end - i >= 10)
            std::fill(out.begin() + long(i), out.begin() + long(end), 'x');
        i = end;
    }
    return out;
}

TEST(ReplyCacheMask, SameAsThePlainDefinitionOnRandomText) {
    std::mt19937 random(20261128);
    // Pieces that make tokens: digits, dots, letters, '@', separators, a non-ASCII byte.
    const std::vector<std::string> pieces = {"1", "27", "203", "0", ".", "a",        "Zq",   "x9",
                                             "@", " ",  "[",   "]", "-", "\xC3\xA9", "127.", "5."};
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        for (std::size_t k = random() % 40; k > 0; --k) text += pieces[random() % pieces.size()];
        ASSERT_EQ(masked(text), reference_mask(text)) << '"' << text << '"';
    }
}

// What the mask hides decides no rule example: each example and its masked form (a reply too:
// "<xxxxxxxx@gmail.com>", "[000.00.00.00]") are classified by the same rule. Lengths are kept
// on purpose: "recipient <a1@example.com> is invalid" is generic.invalid-recipient and the
// same reply with a longer local part is not (its pattern allows 20 characters between words).
TEST(ReplyCacheMask, NoRuleExampleDependsOnWhatTheMaskHides) {
    const Classifier& classifier = embedded_classifier();
    const RuleTable& table = RuleTable::embedded();
    std::size_t masked_examples = 0;
    for (std::size_t i = 0; i < table.size(); ++i) {
        for (std::string_view example : table.rule(i).examples) {
            const std::string hidden = masked(example);
            if (hidden == example) continue;
            EXPECT_EQ(classifier.classify(parse_reply(hidden)).rule,
                      classifier.classify(parse_reply(example)).rule)
                << example << "\n"
                << hidden;
            ++masked_examples;
        }
    }
    EXPECT_GT(masked_examples, 100u);
}

bool same(const Diagnosis& a, const Diagnosis& b) {
    return a.rule == b.rule && a.type == b.type && a.reason == b.reason && a.cause == b.cause &&
           a.action == b.action && a.meaning == b.meaning && a.fix == b.fix &&
           a.provider == b.provider && a.blocklist == b.blocklist &&
           a.matched_text == b.matched_text;
}

// Replies that share a template but differ in what the mask hides, several times each, so
// that the cache answers most of them.
std::vector<std::string> template_replies() {
    const std::vector<std::string> templates = {
        "550 5.1.1 <{local}@example.com>: Recipient address rejected: User unknown in virtual "
        "mailbox table",
        "550-5.1.1 The email account that you tried to reach does not exist. Please try "
        "double-checking the recipient's email address for typos or unnecessary spaces. "
        "https://support.google.com/mail/?p=NoSuchUser {id} - gsmtp",
        "554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; "
        "https://www.spamhaus.org/query/ip/{ip}",
        "421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected volume or "
        "user complaints - 4.16.55.1",
        "550 5.7.606 Access denied, banned sending IP [{ip}]. [{id}.eurprd04.prod.outlook.com]",
        "550 Mailbox {local}@example.org is unavailable: account is disabled",
        "550 5.1.1 {local}... User unknown",
        "452 4.2.2 <{local}@example.net>: Mailbox full",
        "550 5.7.1 {ip} is blocked",
        "550 recipient <{local}@example.com> is invalid",
        "550 5.7.1 <{local}@x.example> mailbox unavailable (IB401)",
    };
    const std::vector<std::string> locals = {"priya561", "john426",    "user7",          "mailbox1",
                                             "a1",       "postmaster", "abcdefghij12345"};
    const std::vector<std::string> ips = {"192.0.2.1", "203.51.47.163", "198.51.100.7", "1.2.3.4"};
    const std::vector<std::string> ids = {"m89oz6ww3r", "a1b2c3d4e5f6", "DB6PR04MB1234",
                                          "q1w2e3r4t5"};
    std::vector<std::string> out;
    for (int round = 0; round < 3; ++round) {
        for (std::size_t k = 0; k < 28; ++k) {
            for (std::string t : templates) {
                auto put = [&](const std::string& name, const std::string& value) {
                    for (std::size_t at = t.find(name); at != std::string::npos;
                         at = t.find(name, at))
                        t.replace(at, name.size(), value);
                };
                put("{local}", locals[(k + round) % locals.size()]);
                put("{ip}", ips[(k * 3 + round) % ips.size()]);
                put("{id}", ids[(k * 5 + round) % ids.size()]);
                out.push_back(t);
            }
        }
    }
    return out;
}

TEST(ReplyCache, AnswersAsTheClassifierDoes) {
    const Classifier& classifier = embedded_classifier();
    ReplyCache cache(classifier);
    std::vector<std::string> replies = template_replies();
    // Every reply of the test logs too.
    for (const char* name : {"postfix.log", "exim.log", "sendmail.log", "mixed.log", "qmail.log",
                             "haraka.log", "opensmtpd.log"}) {
        std::ifstream in(std::string(BOUNCEDIAG_SOURCE_DIR) + "/tests/data/logs/" + name);
        std::string line;
        while (std::getline(in, line)) {
            std::optional<LogEvent> event = extract_log_event(line);
            replies.push_back(event ? event->reply : line);
        }
    }
    for (int round = 0; round < 4; ++round) {
        for (const std::string& text : replies) {
            Reply reply = parse_reply(text);
            Diagnosis direct = classifier.classify(reply);
            Diagnosis cached = cache.classify(reply);
            ASSERT_TRUE(same(direct, cached)) << text;
        }
    }
    EXPECT_GT(cache.hits(), cache.misses());
}

// A text far longer than any template (a hostile 100 MB line) is classified directly: the
// classifier's answer, and never served from the cache.
TEST(ReplyCache, LongTextsAreClassifiedDirectly) {
    const Classifier& classifier = embedded_classifier();
    ReplyCache cache(classifier);
    Reply reply =
        parse_reply("550 5.1.1 <a@example.org>: User unknown " + std::string(100000, 'y'));
    for (int round = 0; round < 4; ++round)
        ASSERT_TRUE(same(classifier.classify(reply), cache.classify(reply)));
    EXPECT_EQ(cache.hits(), 0u);
    EXPECT_EQ(cache.misses(), 4u);
}

// The mask hides nothing these rules read: checked on every use, no template's outcome varies.
TEST(ReplyCache, MaskedTokensDoNotChangeTheOutcome) {
    const Classifier& classifier = embedded_classifier();
    ReplyCache cache(classifier, true);
    for (const std::string& text : template_replies()) {
        Reply reply = parse_reply(text);
        ASSERT_TRUE(same(classifier.classify(reply), cache.classify(reply))) << text;
    }
    EXPECT_EQ(cache.varied(), 0u);
}

// Caches of several threads sharing one table of templates answer as the classifier does, and
// what one thread learnt serves the other.
TEST(ReplyCache, ThreadsSharingTemplatesAnswerAsTheClassifierDoes) {
    const Classifier& classifier = embedded_classifier();
    const std::vector<std::string> replies = template_replies();
    std::vector<Diagnosis> direct;
    for (const std::string& text : replies)
        direct.push_back(classifier.classify(parse_reply(text)));
    std::shared_ptr<ReplyCache::Templates> templates = ReplyCache::make_templates();
    std::vector<std::size_t> wrong(3, 0), hits(3, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 3; ++t) {
        threads.emplace_back([&, t] {
            Classifier::use_own_patterns_on_this_thread();
            ReplyCache cache(classifier, templates);
            for (int round = 0; round < 3; ++round) {
                for (std::size_t k = 0; k < replies.size(); ++k) {
                    std::size_t i = (k + t * 97) % replies.size();
                    if (!same(direct[i], cache.classify(parse_reply(replies[i])))) ++wrong[t];
                }
            }
            hits[t] = cache.hits();
        });
    }
    for (std::thread& thread : threads) thread.join();
    for (std::size_t t = 0; t < 3; ++t) {
        EXPECT_EQ(wrong[t], 0u) << "thread " << t;
        EXPECT_GT(hits[t], replies.size()) << "thread " << t;
    }
}

}  // namespace
}  // namespace bouncediag
