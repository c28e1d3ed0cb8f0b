#include "classifier_index.h"
#include "prefilter.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <vector>

#include "bouncediag/classifier.h"
#include "bouncediag/reply.h"
#include "bouncediag/rule_table.h"

namespace bouncediag {
namespace {

std::vector<std::uint32_t> list(std::span<const std::uint32_t> s) {
    return std::vector<std::uint32_t>(s.begin(), s.end());
}

// The index compiled into the binary is the one the classifier builds from the rule files
// today (a stale or mis-written one would pick wrong rules without failing anything else).
TEST(ClassifierIndex, CompiledIndexEqualsOneBuiltFromTheRuleFiles) {
    const ClassifierIndex* compiled = RuleTable::embedded().prebuilt_index();
    ASSERT_NE(compiled, nullptr);
    const RuleTable files = RuleTable::embedded_files(false);
    EXPECT_EQ(files.prebuilt_index(), nullptr);
    const BuiltClassifierIndex built(files);
    const ClassifierIndex& b = built.index();

    EXPECT_EQ(compiled->atoms.text, b.atoms.text);
    EXPECT_EQ(compiled->atoms.atom_count, b.atoms.atom_count);
    EXPECT_EQ(list(compiled->atoms.bucket_start), list(b.atoms.bucket_start));
    ASSERT_EQ(compiled->atoms.entries.size(), b.atoms.entries.size());
    for (std::size_t i = 0; i < b.atoms.entries.size(); ++i) {
        const AtomEntry& x = compiled->atoms.entries[i];
        const AtomEntry& y = b.atoms.entries[i];
        EXPECT_TRUE(x.head == y.head && x.head_mask == y.head_mask && x.length == y.length &&
                    x.id == y.id && x.offset == y.offset)
            << "atom entry " << i;
    }
    EXPECT_EQ(list(compiled->trigger_start), list(b.trigger_start));
    EXPECT_EQ(list(compiled->triggers), list(b.triggers));
    EXPECT_EQ(list(compiled->required_start), list(b.required_start));
    EXPECT_EQ(list(compiled->required), list(b.required));
    EXPECT_EQ(list(compiled->rank), list(b.rank));
    EXPECT_EQ(list(compiled->pattern_rule), list(b.pattern_rule));
    EXPECT_EQ(list(compiled->pattern_item), list(b.pattern_item));
    EXPECT_EQ(list(compiled->literal_offset), list(b.literal_offset));
    EXPECT_EQ(list(compiled->literal_length), list(b.literal_length));
    EXPECT_EQ(list(compiled->always_tried), list(b.always_tried));
    EXPECT_EQ(list(compiled->tried_non_ascii), list(b.tried_non_ascii));
    EXPECT_EQ(list(compiled->without_text), list(b.without_text));
}

TEST(ClassifierIndex, ChangingTheTableDropsItsPrebuiltIndex) {
    RuleTable copy = RuleTable::embedded();
    EXPECT_NE(copy.prebuilt_index(), nullptr);  // the same rules: the index still fits
    copy.layer(RuleTable::parse(R"({"schema": 1, "rules": [{"id": "x", "match": {"basic": ["550"]},
        "type": "hard", "reason": "rejected", "cause": "policy", "action": "none",
        "meaning": "m", "fix": "f", "examples": ["550 no"]}]})",
                                "x.json"));
    EXPECT_EQ(copy.prebuilt_index(), nullptr);
}

// Every pattern id leads back to a text pattern of its rule, in precedence order.
TEST(ClassifierIndex, PatternsAreNumberedInPrecedenceOrder) {
    const RuleTable& table = RuleTable::embedded();
    const ClassifierIndex& index = *table.prebuilt_index();
    ASSERT_EQ(index.pattern_rule.size(), index.pattern_item.size());
    for (std::size_t id = 0; id < index.pattern_rule.size(); ++id) {
        const Rule& rule = table.rules()[index.pattern_rule[id]];
        ASSERT_LT(index.pattern_item[id], rule.text.size());
        if (id > 0) {
            EXPECT_LE(index.rank[index.pattern_rule[id - 1]], index.rank[index.pattern_rule[id]]);
        }
    }
}

// The evidence is what RE2 itself matches: the first of the winning rule's patterns that
// matches, and its leftmost match (plain literals are found without RE2; this checks they
// agree, in upper case too).
TEST(ClassifierIndex, EvidenceIsWhatRe2Matches) {
    const RuleTable& table = RuleTable::embedded();
    const Classifier classifier(table);
    std::size_t literal_wins = 0;
    std::size_t checked = 0;
    for (const Rule& rule : table.rules()) {
        for (std::string_view example : rule.examples) {
            std::string upper(example);
            for (char& c : upper)
                if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
            for (const std::string& text : {std::string(example), upper}) {
                const Reply reply = parse_reply(text);
                const Diagnosis d = classifier.classify(reply);
                if (d.rule == nullptr || d.rule->text.empty()) continue;
                std::string expected;
                for (std::string_view pattern : d.rule->text) {
                    RE2 re(pattern, pattern_options());
                    re2::StringPiece found;
                    if (re.Match(reply.text, 0, reply.text.size(), RE2::UNANCHORED, &found, 1)) {
                        expected = std::string(found.data(), found.size());
                        literal_wins +=
                            pattern.find_first_of("\\.[](){}*+?|^$") == std::string_view::npos;
                        break;
                    }
                }
                EXPECT_EQ(d.matched_text, expected) << d.rule->id << ": " << text;
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 1500u);
    EXPECT_GT(literal_wins, 200u);  // the literal path was taken
}

}  // namespace
}  // namespace bouncediag
