#include "bouncediag/classifier.h"

#include <gtest/gtest.h>

#include "bouncediag/diagnose.h"
#include "bouncediag/error.h"
#include "bouncediag/input.h"
#include "bouncediag/rule_table.h"

namespace bouncediag {
namespace {

class ClassifierTest : public testing::Test {
  protected:
    ClassifierTest()
        : m_table(RuleTable::load_file(std::string(BOUNCEDIAG_SOURCE_DIR) +
                                       "/tests/data/rules/small.json")),
          m_classifier(m_table) {}

    Diagnosis classify(const std::string& reply) {
        return m_classifier.classify(parse_reply(reply));
    }

    RuleTable m_table;
    Classifier m_classifier;
};

TEST_F(ClassifierTest, TextRulesBeatCodeRules) {
    Diagnosis d = classify("550 5.1.1 User unknown");
    EXPECT_EQ(d.rule->id, "test.user-unknown-text");
    EXPECT_EQ(d.matched_text, "User unknown");
    EXPECT_EQ(d.action, "suppress");
}

TEST_F(ClassifierTest, ExactEnhancedCodeBeatsClassDefault) {
    EXPECT_EQ(classify("550 5.1.1 gone").rule->id, "test.user-unknown");
    EXPECT_EQ(classify("550 5.2.1 gone").rule->id, "test.class.5");
}

TEST_F(ClassifierTest, TypeFollowsTheReplyCodeAndSoftNeverSuppresses) {
    Diagnosis d = classify("450 4.1.1 No such user here");
    EXPECT_EQ(d.type, "soft");
    EXPECT_EQ(d.reason, "userunknown");
    EXPECT_EQ(d.action, "retry");
}

TEST_F(ClassifierTest, CodeLessTextTakesTheRuleType) {
    Diagnosis d = classify("user unknown");
    EXPECT_EQ(d.type, "hard");
    EXPECT_EQ(d.action, "suppress");
}

TEST_F(ClassifierTest, UnknownTextHasNoRule) {
    Diagnosis d = classify("the weather is nice");
    EXPECT_FALSE(d.matched());
    EXPECT_EQ(d.type, "unknown");
    EXPECT_EQ(d.reason, "undefined");
}

// A reply no rule explains still has the type its code says, and the diagnosis keeps it after
// the call (its words are views: this one once pointed into classify()'s own stack frame).
TEST_F(ClassifierTest, UnexplainedReplyKeepsTheTypeOfItsCode) {
    Diagnosis d = classify("250 2.0.0 Ok: queued");
    ASSERT_FALSE(d.matched());
    for (const char* other : {"550 5.1.1 User unknown", "421 4.7.0 Try again later"})
        EXPECT_TRUE(classify(other).matched());  // (calls that reuse the stack)
    EXPECT_EQ(d.type, "none");
    EXPECT_EQ(d.reason, "undefined");
}

TEST_F(ClassifierTest, BlocklistAndProviderComeFromTheRule) {
    Diagnosis d = classify(
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org");
    EXPECT_EQ(d.blocklist, "Spamhaus ZEN");
    EXPECT_EQ(d.action, "request-delisting");
    Diagnosis g = classify(
        "550 5.7.26 Unauthenticated email from example.com is not accepted due to the sender "
        "domain's DMARC policy");
    EXPECT_EQ(g.provider, "Google Gmail");
    EXPECT_EQ(g.action, "fix-authentication");
}

}  // namespace
}  // namespace bouncediag

namespace bouncediag {
namespace {

TEST(ClassifierEvidence, UserUnknownAfterDataIsAFilterNotADeadAddress) {
    RuleTable table =
        RuleTable::load_file(std::string(BOUNCEDIAG_SOURCE_DIR) + "/tests/data/rules/small.json");
    Classifier classifier(table);
    Diagnosis at_rcpt = classifier.classify(parse_reply(
        "host mx.example.com[192.0.2.1] said: 550 User unknown (in reply to RCPT TO command)"));
    EXPECT_EQ(at_rcpt.reason, "userunknown");
    EXPECT_EQ(at_rcpt.action, "suppress");
    Diagnosis at_data = classifier.classify(parse_reply(
        "host mx.example.com[192.0.2.1] said: 550 User unknown (in reply to end of DATA command)"));
    EXPECT_EQ(at_data.reason, "filtered");
    EXPECT_EQ(at_data.cause, "policy");
    EXPECT_EQ(at_data.action, "contact-recipient");
    // Unless the enhanced code itself says the mailbox does not exist (RFC 3463 X.1.1).
    Diagnosis coded = classifier.classify(
        parse_reply("host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to "
                    "end of DATA command)"));
    EXPECT_EQ(coded.reason, "userunknown");
    EXPECT_EQ(coded.action, "suppress");
}

// A rule can say its provider refuses unknown users only after DATA (match.command): then the
// refusal after DATA is no filter's verdict.
TEST(ClassifierDefaultTable, ProviderThatRefusesUnknownUsersAtDataKeepsUserUnknown) {
    const Classifier classifier(RuleTable::embedded());
    Diagnosis d = classifier.classify(parse_reply(
        "host mta6.am0.yahoodns.net[192.0.2.1] said: 554 delivery error: dd This user doesn't "
        "have a yahoo.com account (jane@yahoo.com) [0] - mta1047.mail.ne1.yahoo.com (in reply "
        "to end of DATA command)"));
    ASSERT_NE(d.rule, nullptr);
    EXPECT_EQ(d.rule->id, "yahoo.no-such-account-at-data");
    EXPECT_EQ(d.reason, "userunknown");
    EXPECT_EQ(d.action, "suppress");
}

}  // namespace
}  // namespace bouncediag

namespace bouncediag {
namespace {

TEST(LineDiagnoser, JoinsTheLinesOfAMultiLineReply) {
    RuleTable table =
        RuleTable::load_file(std::string(BOUNCEDIAG_SOURCE_DIR) + "/tests/data/rules/small.json");
    Classifier classifier(table);
    std::vector<Result> results;
    InputStats stats = diagnose_content(
        "550-5.7.26 Unauthenticated email from example.com is not accepted due\n"
        "550 5.7.26 to the sender domain's DMARC policy\n"
        "452-4.2.2 The mailbox is\n",
        "log", InputMode::detect, classifier, [&](Result&& r) { results.push_back(std::move(r)); });
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].line, 1u);
    EXPECT_EQ(results[0].diagnosis.rule->id, "test.dmarc");
    EXPECT_EQ(results[1].line, 3u);  // held to the end of the input, then diagnosed
    EXPECT_EQ(results[1].reply.basic_code, 452);
    EXPECT_EQ(stats.skipped, 0u);
}

}  // namespace
}  // namespace bouncediag

namespace bouncediag {
namespace {

TEST(ClassifierStage, RulesOnTheSmtpStageBeatCodesButNotWording) {
    const std::string base = R"({"type": "hard", "cause": "policy", "action": "none",
        "meaning": "m", "fix": "f", "examples": ["x"]})";
    auto rule = [&](const std::string& id, const std::string& match, const std::string& reason) {
        std::string r = base;
        r.insert(1, "\"id\": \"" + id + "\", \"match\": " + match + ", \"reason\": \"" + reason +
                        "\", ");
        return r;
    };
    RuleTable table =
        RuleTable::parse("{\"schema\": 1, \"rules\": [" +
                             rule("code", R"({"enhanced": ["5.7.1"]})", "securityerror") + "," +
                             rule("stage", R"({"command": ["CONNECT", "EHLO"]})", "blocked") + "," +
                             rule("words", R"({"text": ["relay denied"]})", "norelaying") + "]}",
                         "stage.json");
    Classifier classifier(table);
    auto reason = [&](const std::string& reply) {
        return classifier.classify(parse_reply(reply)).reason;
    };
    EXPECT_EQ(reason("SMTP error from remote mail server after initial connection: 554 5.7.1 no"),
              "blocked");
    EXPECT_EQ(reason("554 5.7.1 no"), "securityerror");
    EXPECT_EQ(reason("SMTP error from remote mail server after initial connection: 554 5.7.1 "
                     "relay denied"),
              "norelaying");
}

TEST(ClassifierStage, UnknownStageIsALoadError) {
    try {
        RuleTable::parse(R"({"schema": 1, "rules": [{"id": "x", "match": {"command": ["QUIT"]},
            "type": "hard", "reason": "blocked", "cause": "policy", "action": "none",
            "meaning": "m", "fix": "f", "examples": ["x"]}]})",
                         "stage.json");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "stage.json:1:59: rules[0].match.command[0]: unknown SMTP stage \"QUIT\" "
                     "(expected CONNECT, EHLO, HELO, STARTTLS, MAIL FROM, RCPT TO, DATA)");
    }
}

// What the line-mode cache relies on: for every rule example of the embedded table, the rule
// index classify() gives names the rule that won, and evidence() finds the same span.
TEST(ClassifierEvidence, IsTheSpanClassifyGivesForEveryExample) {
    const RuleTable& table = RuleTable::embedded();
    const Classifier classifier(table);
    std::size_t with_text = 0;
    for (const Rule& rule : table.rules()) {
        for (std::string_view example : rule.examples) {
            const Reply reply = parse_reply(example);
            std::size_t index = Classifier::k_no_rule;
            const Diagnosis d = classifier.classify(reply, index);
            ASSERT_NE(index, Classifier::k_no_rule) << example;
            EXPECT_EQ(&table.rule(index), d.rule) << example;
            std::optional<std::string_view> span = classifier.evidence(index, reply);
            if (d.rule->text.empty()) {
                EXPECT_FALSE(span) << example;
                continue;
            }
            ASSERT_TRUE(span) << example;
            EXPECT_EQ(*span, d.matched_text) << example;
            // (a view into the reply's own text)
            EXPECT_GE(span->data(), reply.text.data());
            EXPECT_LE(span->data() + span->size(), reply.text.data() + reply.text.size());
            ++with_text;
        }
    }
    EXPECT_GT(with_text, 1000u);
    // A rule whose patterns do not match the text gives no evidence.
    const Reply other = parse_reply("550 5.1.1 <a@example.com>: User unknown in virtual table");
    std::size_t index = Classifier::k_no_rule;
    classifier.classify(parse_reply("550 5.7.1 Service unavailable; Client host [192.0.2.1] "
                                    "blocked using zen.spamhaus.org"),
                        index);
    ASSERT_NE(index, Classifier::k_no_rule);
    EXPECT_FALSE(classifier.evidence(index, other));
}

}  // namespace
}  // namespace bouncediag
