// The cold form of a text pattern (src/cold_pattern.h) must find exactly what an unanchored
// search of the pattern itself finds: the classifier uses either, depending on how warm the
// pattern is, and the evidence span must not depend on that.
#include "cold_pattern.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <optional>

#include "bouncediag/reply.h"
#include "bouncediag/rule_table.h"
#include "prefilter.h"

namespace bouncediag {
namespace {

TEST(ColdPattern, GroupsBecomeNonCapturingAndNothingElseChanges) {
    EXPECT_EQ(without_capturing_groups("a(b|c)d"), "a(?:b|c)d");
    EXPECT_EQ(without_capturing_groups("(x)(?:y)(?i:z)"), "(?:x)(?:y)(?i:z)");
    EXPECT_EQ(without_capturing_groups("(a(b))"), "(?:a(?:b))");
    EXPECT_EQ(without_capturing_groups(R"(\(x\))"), R"(\(x\))");
    EXPECT_EQ(without_capturing_groups("[(]x[^(]"), "[(]x[^(]");
    EXPECT_EQ(without_capturing_groups("[]()](y)"), "[]()](?:y)");
    EXPECT_EQ(without_capturing_groups("[^](](y)"), "[^](](?:y)");
    EXPECT_EQ(without_capturing_groups(R"([\]()](y))"), R"([\]()](?:y))");
    EXPECT_EQ(without_capturing_groups(R"(\Q(a)\E(b))"), R"(\Q(a)\E(?:b))");
    EXPECT_EQ(without_capturing_groups(R"(\Q(a))"), R"(\Q(a))");
    EXPECT_EQ(without_capturing_groups("x("), "x(?:");
    EXPECT_EQ(without_capturing_groups("[[:alpha:](](y)"), "[[:alpha:](](?:y)");
    EXPECT_EQ(without_capturing_groups("[[:x](y)"), "[[:x](?:y)");
}

TEST(ColdPattern, NamedGroupsHaveNoColdForm) {
    EXPECT_FALSE(ColdPattern("(?P<name>a)b").ok());
    EXPECT_TRUE(ColdPattern("(a)b").ok());
}

// The span of an unanchored search of the pattern itself, or nullopt.
std::optional<std::string_view> reference_search(const RE2& re, std::string_view text) {
    re2::StringPiece found;
    if (!re.Match(text, 0, text.size(), RE2::UNANCHORED, &found, 1)) return std::nullopt;
    return std::string_view(found.data(), found.size());
}

std::optional<std::string_view> cold_search(const ColdPattern& cold, std::string_view text) {
    std::string_view span;
    if (!cold.search(text, span)) return std::nullopt;
    return span;
}

void expect_same_spans(std::string_view pattern, const std::vector<std::string>& texts) {
    const RE2 re(pattern, pattern_options());
    const ColdPattern cold(pattern);
    ASSERT_TRUE(cold.ok()) << pattern;
    for (const std::string& text : texts) {
        const std::optional<std::string_view> want = reference_search(re, text);
        const std::optional<std::string_view> got = cold_search(cold, text);
        ASSERT_EQ(want.has_value(), got.has_value()) << pattern << "\n" << text;
        if (!want) continue;
        // The same bytes of the same text, not merely equal strings.
        EXPECT_EQ(want->data() - text.data(), got->data() - text.data()) << pattern << "\n" << text;
        EXPECT_EQ(want->size(), got->size()) << pattern << "\n" << text;
    }
}

TEST(ColdPattern, FindsWhatTheSearchFindsForEveryTablePattern) {
    const RuleTable& table = RuleTable::embedded();
    std::size_t matched = 0;
    for (const Rule& rule : table.rules()) {
        std::vector<std::string> texts;
        for (std::string_view example : rule.examples) {
            const std::string text = parse_reply(example).text;
            texts.push_back(text);
            texts.push_back("\xff\xfe " + text);               // invalid UTF-8 before it
            texts.push_back(text + " \xc3(" + text);           // twice, with a broken sequence
            texts.push_back(text.substr(0, text.size() / 2));  // cut short
        }
        for (std::string_view pattern : rule.text) {
            expect_same_spans(pattern, texts);
            const RE2 re(pattern, pattern_options());
            for (const std::string& text : texts) matched += reference_search(re, text) ? 1 : 0;
        }
    }
    EXPECT_GT(matched, 2000u);  // (the comparison was not vacuous)
}

TEST(ColdPattern, AnchorsAndWordBoundariesKeepTheirMeaning) {
    expect_same_spans("^user unknown$", {"user unknown", "x user unknown", "user unknown x"});
    expect_same_spans(R"(\bspam\b)", {"antispam spam", "spammer", "a spam."});
    expect_same_spans("(a|ab)(c|bcd)", {"abcd", "xxabcd", "ac"});
    expect_same_spans("x*", {"", "abc", "xx"});
    expect_same_spans("[[:digit:](]+x", {"a(1x", "12(x", "x"});
}

}  // namespace
}  // namespace bouncediag
