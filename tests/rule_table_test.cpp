#include "bouncediag/rule_table.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "bouncediag/classifier.h"
#include "bouncediag/error.h"

namespace bouncediag {
namespace {

// The message a bad rule file gives, or "" when it loads.
std::string load_error(const std::string& json) {
    try {
        RuleTable::parse(json, "rules.json");
        return "";
    } catch (const Error& e) {
        return e.what();
    }
}

const char* k_good_rule = R"({"id": "x.one", "match": {"basic": ["550"]}, "type": "hard",
 "reason": "rejected", "cause": "policy", "action": "none", "meaning": "m", "fix": "f",
 "examples": ["550 no"]})";

std::string with_rules(const std::string& rules) {
    return "{\"schema\": 1, \"rules\": [" + rules + "]}";
}

TEST(RuleTable, LoadsAGoodFile) {
    RuleTable t = RuleTable::parse(with_rules(k_good_rule), "rules.json");
    ASSERT_EQ(t.rules().size(), 1u);
    EXPECT_EQ(t.rules()[0].id, "x.one");
    EXPECT_EQ(t.rules()[0].origin, "rules.json:1:25");
    EXPECT_NE(t.find("x.one"), nullptr);
}

TEST(RuleTable, ErrorsNameFileLineColumnRuleAndField) {
    std::string bad =
        "{\n  \"schema\": 1,\n  \"rules\": [\n    {\"id\": \"x\", \"match\": {\"basic\": "
        "[\"550\"]},\n     \"type\": \"hardd\"}\n  ]\n}\n";
    EXPECT_EQ(load_error(bad), "rules.json:5:14: rules[0].type: unknown bounce type \"hardd\"");
}

TEST(RuleTable, SyntaxErrorsGiveLineAndColumn) {
    EXPECT_EQ(load_error("{\n  \"schema\": 1,\n  \"rules\": [,]\n}"),
              "rules.json:3:13: invalid JSON: syntax error while parsing value - unexpected ','; "
              "expected '[', '{', or a literal");
}

TEST(RuleTable, RejectsBadFieldsWithExactMessages) {
    EXPECT_EQ(load_error("[]"),
              "rules.json:1:1: a rule file is a JSON object with \"schema\" and \"rules\"");
    EXPECT_EQ(load_error("{\"schema\": 2, \"rules\": []}"),
              "rules.json:1:12: schema: unsupported schema version (this bouncediag reads 1)");
    EXPECT_EQ(load_error(with_rules(R"({"id": "Bad Id"})")),
              "rules.json:1:32: rules[0].id: invalid id \"Bad Id\" (use a-z, 0-9, '.', '_', '-')");
    std::string rule = k_good_rule;
    EXPECT_EQ(load_error(with_rules(std::string(rule).replace(rule.find("\"550\""), 5, "\"5x0\""))),
              "rules.json:1:61: rules[0].match.basic[0]: invalid basic code pattern \"5x0\" "
              "(expected like \"550\", \"55x\", \"5xx\")");
    EXPECT_EQ(load_error(with_rules(std::string(rule).replace(rule.find("\"basic\": [\"550\"]"), 16,
                                                              "\"text\": [\"(unclosed\"]"))),
              "rules.json:1:60: rules[0].match.text[0]: invalid pattern: missing ): (unclosed");
    EXPECT_EQ(load_error(with_rules(
                  std::string(rule).replace(rule.find("\"rejected\""), 10, "\"rejectd\""))),
              "rules.json:2:12: rules[0].reason: unknown reason \"rejectd\"");
    EXPECT_EQ(load_error(with_rules(std::string(rule) + "," + rule)).substr(0, 60),
              "rules.json:3:26: rule id \"x.one\" is already used at rules.js");
}

// RE2's \b is an ASCII word boundary: after "ł" it holds before an ASCII letter, never at the
// end of the word, so a pattern that puts it beside a non-ASCII letter is refused.
TEST(RuleTable, RefusesAnAsciiBoundaryBesideANonAsciiLetter) {
    const std::string rule = k_good_rule;
    auto with_text = [&](const std::string& pattern) {
        return with_rules(std::string(rule).replace(rule.find("\"basic\": [\"550\"]"), 16,
                                                    "\"text\": [\"" + pattern + "\"]"));
    };
    for (const char* bad : {"przydział\\\\b", "(limit|przydział)\\\\b", "\\\\büber",
                            "\\\\b(?:ue|ü)ber", "[ée]\\\\b", "(zu gro(ß|ss))\\\\b"}) {
        EXPECT_NE(load_error(with_text(bad)).find("next to a non-ASCII letter"), std::string::npos)
            << bad;
    }
    for (const char* good : {"mailbox\\\\b", "\\\\bdépass", "(ü|ue)berschritten",
                             "voll\\\\b.{0,30}(ü|ue)", "[\\\\]é]x\\\\b", "\\\\(é\\\\)"}) {
        EXPECT_EQ(load_error(with_text(good)), "") << good;
    }
}

TEST(RuleTable, LayerReplacesSameIdAndAppendRejectsIt) {
    RuleTable base = RuleTable::parse(with_rules(k_good_rule), "a.json");
    std::string changed = k_good_rule;
    changed.replace(changed.find("\"meaning\": \"m\""), 14, "\"meaning\": \"changed\"");
    RuleTable extra = RuleTable::parse(with_rules(changed), "b.json");
    RuleTable layered = base;
    layered.layer(extra);
    ASSERT_EQ(layered.rules().size(), 1u);
    EXPECT_EQ(layered.rules()[0].meaning, "changed");
    EXPECT_THROW(base.append(extra), Error);
}

TEST(RuleTable, SmallTestTableChecksItsOwnExamples) {
    RuleTable t =
        RuleTable::load_file(std::string(BOUNCEDIAG_SOURCE_DIR) + "/tests/data/rules/small.json");
    Classifier c(t);
    for (const Rule& rule : t.rules()) {
        for (std::string_view example : rule.examples) {
            const Rule* winner = c.best_rule(parse_reply(example));
            ASSERT_NE(winner, nullptr) << example;
            EXPECT_EQ(winner->id, rule.id) << example;
        }
    }
}

TEST(RuleTable, MissingFileIsAClearError) {
    try {
        RuleTable::load_file("/nonexistent/rules.json");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "/nonexistent/rules.json: cannot read rule file: No such file or directory");
    }
}

// The embedded table makes each rule on first use; threads asking at once get the same rule.
TEST(RuleTable, EmbeddedRulesMadeOnFirstUseAreSharedByThreads) {
    const RuleTable& table = RuleTable::embedded();
    std::vector<std::vector<const Rule*>> seen(4);
    std::vector<std::thread> threads;
    for (auto& pointers : seen) {
        threads.emplace_back([&table, &pointers] {
            for (std::size_t i = table.size(); i-- > 0;) pointers.push_back(&table.rule(i));
        });
    }
    for (std::thread& t : threads) t.join();
    for (const auto& pointers : seen) EXPECT_EQ(pointers, seen[0]);
    const RuleTable files = RuleTable::embedded_files(false);
    ASSERT_EQ(table.size(), files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        EXPECT_EQ(table.rule(i).id, files.rule(i).id);
        EXPECT_EQ(table.rule(i).examples.size(), files.rule(i).examples.size());
    }
    // A changed copy stores its rules and leaves the original as it was.
    RuleTable copy = table;
    copy.append(RuleTable::parse(with_rules(k_good_rule), "extra.json"));
    EXPECT_EQ(copy.size(), table.size() + 1);
    EXPECT_EQ(copy.rule(0).id, table.rule(0).id);
    EXPECT_EQ(copy.find("x.one")->id, "x.one");
    EXPECT_EQ(table.find("x.one"), nullptr);
}

}  // namespace
}  // namespace bouncediag
