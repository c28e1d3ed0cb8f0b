// The literal prefilter (src/prefilter.h) and the classifier built on it: the prefilter may
// let through patterns that do not match, never drop one that does.
#include "prefilter.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>

#include "bouncediag/classifier.h"
#include "bouncediag/error.h"
#include "bouncediag/reply.h"
#include "bouncediag/rule_table.h"

namespace bouncediag {
namespace {

RE2::Options case_insensitive() {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    return options;
}

bool contains(const std::string& folded, std::string_view atom) {
    return folded.find(atom) != std::string::npos;
}

template <typename Strings>
std::vector<std::string> to_strings(const Strings& items) {
    return std::vector<std::string>(items.begin(), items.end());
}

// What the classifier does with a pattern's prefilter: may `text` match it?
bool admitted(const PatternPrefilter& p, std::string_view text) {
    std::string folded;
    fold_for_atoms(text, folded);
    if (p.atoms.empty()) {
        return !p.needs_non_ascii || std::any_of(text.begin(), text.end(), [](char c) {
            return static_cast<unsigned char>(c) >= 0x80;
        });
    }
    bool any = std::any_of(p.atoms.begin(), p.atoms.end(),
                           [&](std::string_view a) { return contains(folded, a); });
    bool all_required = std::all_of(p.required.begin(), p.required.end(),
                                    [&](std::string_view a) { return contains(folded, a); });
    return any && all_required;
}

TEST(Prefilter, LiteralPatternNeedsItsText) {
    PatternPrefilter p = prefilter_of("User Unknown");
    EXPECT_EQ(p.atoms, std::vector<std::string>{"user unknown"});
    EXPECT_TRUE(admitted(p, "550 5.1.1 USER UNKNOWN"));
    EXPECT_FALSE(admitted(p, "550 5.1.1 mailbox unavailable"));
}

TEST(Prefilter, AlternativesGiveOneAtomEach) {
    PatternPrefilter p = prefilter_of("(no such|unknown) (user|mailbox)");
    EXPECT_TRUE(admitted(p, "No such mailbox here"));
    EXPECT_TRUE(admitted(p, "unknown user"));
    EXPECT_FALSE(admitted(p, "mailbox full"));
}

TEST(Prefilter, WordsAroundAGapAreAllRequired) {
    PatternPrefilter p = prefilter_of("isn't\\s+aligned\\s+with");
    EXPECT_FALSE(p.required.empty());
    // One word alone does not make the pattern a candidate.
    EXPECT_FALSE(admitted(p, "the message is not aligned"));
    EXPECT_TRUE(admitted(p, "From header isn't   aligned with"));
}

TEST(Prefilter, PatternsWithoutLiteralsAreAlwaysTried) {
    for (const char* pattern : {"^4", "\\d{3}", ".*"}) {
        PatternPrefilter p = prefilter_of(pattern);
        EXPECT_TRUE(p.atoms.empty()) << pattern;
        EXPECT_FALSE(p.needs_non_ascii) << pattern;
    }
}

TEST(Prefilter, CasedNonAsciiLettersNeedANonAsciiText) {
    // Cyrillic has case: an atom "пользователь" would miss "ПОЛЬЗОВАТЕЛЬ".
    PatternPrefilter p = prefilter_of("пользователь не найден");
    EXPECT_TRUE(p.atoms.empty());
    EXPECT_TRUE(p.needs_non_ascii);
    EXPECT_TRUE(admitted(p, "ПОЛЬЗОВАТЕЛЬ НЕ НАЙДЕН"));
    EXPECT_FALSE(admitted(p, "user not found"));
    // Japanese has no case: its text is a usable atom.
    PatternPrefilter jp = prefilter_of("宛先が見つかりません");
    EXPECT_FALSE(jp.atoms.empty());
}

// An accented Latin letter has case, so an atom holding it cannot be compared with a folded
// text; the longest part of it without such letters can, and keeps the pattern out of the
// replies that lack it (before, such patterns were tried on every reply).
TEST(Prefilter, AccentedAtomsLeaveTheirUnaccentedPart) {
    PatternPrefilter p = prefilter_of("d[ée]passement de quota");
    EXPECT_FALSE(p.atoms.empty());
    EXPECT_TRUE(admitted(p, "552 D\u00c9PASSEMENT DE QUOTA"));
    EXPECT_TRUE(admitted(p, "552 dépassement de quota"));
    EXPECT_TRUE(admitted(p, "552 depassement de quota"));
    EXPECT_FALSE(admitted(p, "552 quota exceeded"));
    PatternPrefilter de =
        prefilter_of("benutzer hat das speichervolumen (?:ue|\u00fc)berschritten");
    EXPECT_TRUE(admitted(de, "Benutzer hat das Speichervolumen \u00dcberschritten"));
    EXPECT_FALSE(admitted(de, "mailbox full"));
}

TEST(Prefilter, KelvinSignAndLongSFoldToAscii) {
    // RE2 folds U+212A with k and U+017F with s; so does the text folding.
    PatternPrefilter p = prefilter_of("mailbox unknown");
    EXPECT_TRUE(
        RE2::PartialMatch("MAILBOX UN\u212ANOWN", RE2("mailbox unknown", case_insensitive())));
    EXPECT_TRUE(admitted(p, "MAILBOX UN\u212ANOWN"));
    EXPECT_TRUE(admitted(prefilter_of("address"), "addre\u017F\u017F"));
}

TEST(Prefilter, InvalidPatternIsAnError) {
    EXPECT_THROW(prefilter_of("(unclosed"), Error);
}

TEST(Prefilter, AtomIndexFindsEveryOccurringAtomOnce) {
    std::vector<std::string> atoms = {"unknown", "user unknown", "own", "full"};
    AtomIndex index;
    for (const std::string& a : atoms) index.intern(a);
    EXPECT_EQ(index.intern("own"), 2u);
    index.finish();
    std::vector<std::uint32_t> found;
    std::vector<std::uint8_t> marks;
    index.lookup().find("user unknown, unknown owner", found, marks);
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, (std::vector<std::uint32_t>{0, 1, 2}));
    EXPECT_TRUE(marks[0] && marks[1] && marks[2] && !marks[3]);
}

// Every example of the default table, and case variants of it, passes the prefilter of every
// pattern that matches it.
TEST(Prefilter, NeverDropsAMatchOnTheDefaultTable) {
    const RuleTable& table = RuleTable::embedded();
    std::vector<std::string> texts;
    for (const Rule& rule : table.rules()) {
        for (std::string_view example : rule.examples) {
            texts.emplace_back(example);
            std::string upper(example);
            std::transform(upper.begin(), upper.end(), upper.begin(),
                           [](char c) { return c >= 'a' && c <= 'z' ? char(c - 32) : c; });
            texts.push_back(upper);
        }
    }
    std::size_t checked = 0;
    for (const Rule& rule : table.rules()) {
        for (std::size_t k = 0; k < rule.text.size(); ++k) {
            RE2 re(rule.text[k], case_insensitive());
            ASSERT_TRUE(re.ok()) << rule.id;
            const PatternPrefilter prefilter = prefilter_of(rule.text[k]);
            for (const std::string& text : texts) {
                if (!RE2::PartialMatch(text, re)) continue;
                ++checked;
                EXPECT_TRUE(admitted(prefilter, text))
                    << rule.id << " pattern " << k << " dropped: " << text;
            }
        }
    }
    EXPECT_GT(checked, 2000u);
}

// The rules compiled into the binary are the ones the rule files give today (their index:
// classifier_index_test.cpp).
TEST(Prefilter, EmbeddedTableMatchesItsRuleFiles) {
    const RuleTable& compiled = RuleTable::embedded();
    RuleTable files = RuleTable::embedded_files(false);
    ASSERT_EQ(compiled.rules().size(), files.rules().size());
    for (std::size_t i = 0; i < files.rules().size(); ++i) {
        const Rule& a = compiled.rules()[i];
        const Rule& b = files.rules()[i];
        ASSERT_EQ(a.id, b.id);
        EXPECT_EQ(to_strings(a.text), to_strings(b.text)) << a.id;
        EXPECT_EQ(to_strings(a.examples), to_strings(b.examples)) << a.id;
        EXPECT_EQ(a.meaning, b.meaning) << a.id;
        EXPECT_EQ(a.origin, b.origin) << a.id;
        EXPECT_EQ(a.specificity(), b.specificity()) << a.id;
        EXPECT_EQ(a.type, b.type) << a.id;
        EXPECT_EQ(a.reason, b.reason) << a.id;
        EXPECT_EQ(a.cause, b.cause) << a.id;
        EXPECT_EQ(a.action, b.action) << a.id;
        EXPECT_EQ(a.fix, b.fix) << a.id;
        EXPECT_EQ(a.provider, b.provider) << a.id;
        EXPECT_EQ(a.blocklist, b.blocklist) << a.id;
        EXPECT_EQ(a.remote_host, b.remote_host) << a.id;
        EXPECT_EQ(to_strings(a.command), to_strings(b.command)) << a.id;
    }
}

// The classifier's walk in precedence order picks what trying every rule would pick.
class BruteForce {
  public:
    explicit BruteForce(const RuleTable& table) : m_table(table) {
        for (const Rule& rule : table.rules()) {
            auto& compiled = m_text.emplace_back();
            for (std::string_view p : rule.text)
                compiled.push_back(std::make_unique<RE2>(p, case_insensitive()));
            m_host.push_back(rule.remote_host.empty()
                                 ? nullptr
                                 : std::make_unique<RE2>(rule.remote_host, case_insensitive()));
        }
    }

    const Rule* best(const Reply& reply) const {
        const Rule* best = nullptr;
        for (std::size_t i = 0; i < m_table.rules().size(); ++i) {
            const Rule& rule = m_table.rules()[i];
            if (!holds(i, reply)) continue;
            if (best == nullptr || rule.specificity() > best->specificity() ||
                (rule.specificity() == best->specificity() && rule.priority > best->priority))
                best = &rule;
        }
        return best;
    }

  private:
    bool holds(std::size_t i, const Reply& reply) const {
        const Rule& rule = m_table.rules()[i];
        auto basic = [&](const BasicCodePattern& p) { return p.matches(reply.basic_code); };
        auto enhanced = [&](const EnhancedCodePattern& p) {
            return p.matches(reply.enhanced_code);
        };
        auto text = [&](const std::unique_ptr<RE2>& re) {
            return RE2::PartialMatch(reply.text, *re);
        };
        return (rule.basic.empty() || std::any_of(rule.basic.begin(), rule.basic.end(), basic)) &&
               (rule.enhanced.empty() ||
                std::any_of(rule.enhanced.begin(), rule.enhanced.end(), enhanced)) &&
               (rule.command.empty() || std::find(rule.command.begin(), rule.command.end(),
                                                  reply.smtp_command) != rule.command.end()) &&
               (!m_host[i] ||
                (!reply.remote_host.empty() && RE2::PartialMatch(reply.remote_host, *m_host[i]))) &&
               (m_text[i].empty() || std::any_of(m_text[i].begin(), m_text[i].end(), text));
    }

    const RuleTable& m_table;
    std::vector<std::vector<std::unique_ptr<RE2>>> m_text;
    std::vector<std::unique_ptr<RE2>> m_host;
};

TEST(Classifier, PrefilteredChoiceEqualsTryingEveryRule) {
    const RuleTable& table = RuleTable::embedded();
    const Classifier classifier(table);
    const BruteForce brute_force(table);
    std::size_t compared = 0;
    // Each example once, said at one SMTP stage or another (rules can match the stage).
    const char* const commands[] = {"", "RCPT TO", "DATA", "MAIL FROM", "CONNECT"};
    for (const Rule& rule : table.rules()) {
        for (std::string_view example : rule.examples) {
            Reply reply = parse_reply(example);
            reply.smtp_command = commands[compared % std::size(commands)];
            const Rule* expected = brute_force.best(reply);
            const Rule* got = classifier.best_rule(reply);
            EXPECT_EQ(expected ? expected->id : "-", got ? got->id : "-")
                << example << " (at " << reply.smtp_command << ")";
            ++compared;
        }
    }
    EXPECT_GT(compared, 1000u);
}

}  // namespace
}  // namespace bouncediag
