// Summaries and suppression lists: exact text and JSON renderings, address normalization.
#include "bouncediag/summary.h"

#include <gtest/gtest.h>

#include <string>

namespace bouncediag {
namespace {

Summary small_summary() {
    Summary s;
    s.add_input();
    s.add_input();
    s.add_skipped(40);
    s.add_skipped();
    for (int i = 0; i < 2; ++i)
        s.add({"hard", "bad-address", "userunknown", "suppress", "Google Gmail", "Google Gmail",
               "User" + std::to_string(i) + "@Gmail.COM", "", "gmail.user-unknown"});
    s.add({"soft", "greylisting", "blocked", "retry", "", "", "ann@example.net", "", "rfc.4.7.1"});
    s.add({"unknown", "unknown", "undefined", "none", "", "", "", "", ""});
    return s;
}

TEST(Summary, CountsByDimensionMostFrequentFirst) {
    const Summary s = small_summary();
    EXPECT_EQ(s.results(), 4u);
    EXPECT_EQ(s.inputs(), 2u);
    EXPECT_EQ(s.skipped(), 41u);
    const auto types = s.counts(SummaryDimension::type);
    ASSERT_EQ(types.size(), 3u);
    EXPECT_EQ(types[0].value, "hard");
    EXPECT_EQ(types[0].count, 2u);
    // Ties are ordered by value.
    EXPECT_EQ(types[1].value, "soft");
    EXPECT_EQ(types[2].value, "unknown");
    const auto domains = s.counts(SummaryDimension::recipient_domain);
    ASSERT_EQ(domains.size(), 2u);
    EXPECT_EQ(domains[0].value, "gmail.com");
    EXPECT_EQ(domains[0].count, 2u);
    EXPECT_EQ(s.missing(SummaryDimension::recipient_domain), 1u);
    EXPECT_EQ(s.missing(SummaryDimension::provider), 2u);
    EXPECT_EQ(s.missing(SummaryDimension::rule), 1u);
    EXPECT_EQ(s.missing(SummaryDimension::type), 0u);
}

TEST(Summary, TextIsAlignedTablesWithBars) {
    const std::string expected =
        "4 results from 2 inputs (41 lines without a failure skipped)\n"
        "\n"
        "Type\n"
        "  hard                    2   50.0%  "
        "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\n"
        "  soft                    1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "  unknown                 1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "\n"
        "Cause\n"
        "  bad-address             2   50.0%  "
        "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\n"
        "  greylisting             1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "  unknown                 1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "\n"
        "Reason\n"
        "  userunknown             2   50.0%  "
        "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\n"
        "  blocked                 1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "  undefined               1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "\n"
        "Action\n"
        "  suppress                2   50.0%  "
        "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\n"
        "  none                    1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "  retry                   1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "\n"
        "Provider\n"
        "  Google Gmail            2   50.0%  "
        "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\n"
        "\n"
        "Receiving provider\n"
        "  Google Gmail            2   50.0%  "
        "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\n"
        "\n"
        "Recipient domain\n"
        "  gmail.com               2   50.0%  "
        "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\n"
        "  example.net             1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "  (no recipient)          1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "\n"
        "Blocklist\n"
        "  (none)\n"
        "\n"
        "Rule\n"
        "  gmail.user-unknown      2   50.0%  "
        "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\n"
        "  rfc.4.7.1               1   25.0%  \u2588\u2588\u2588\u2588\u2588\n"
        "  (no rule matched)       1   25.0%  \u2588\u2588\u2588\u2588\u2588\n";
    // 47 columns leave the minimum bar of 10 cells.
    EXPECT_EQ(render_summary_text(small_summary(), false, 47), expected);
}

TEST(Summary, TextFillsTheWidthAndStaysWithinIt) {
    const std::string text = render_summary_text(small_summary(), false, 72);
    // "  hard" row: 2 + 18 + 2 + 5 + 2 + 6 + 2 = 37 columns before a bar of 35 cells.
    const std::size_t row = text.find("  hard ");
    ASSERT_NE(row, std::string::npos);
    const std::string line = text.substr(row, text.find('\n', row) - row);
    std::size_t columns = 0;
    for (char c : line)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++columns;
    EXPECT_EQ(columns, 72u);
}

TEST(Summary, ColorOnlyWhenAsked) {
    EXPECT_EQ(render_summary_text(small_summary(), false, 80).find('\033'), std::string::npos);
    const std::string colored = render_summary_text(small_summary(), true, 80);
    EXPECT_NE(colored.find("\033[1mType\033[0m"), std::string::npos);
    EXPECT_NE(colored.find("\033[31m\u2588"), std::string::npos);  // hard bars are red
}

TEST(Summary, LongTablesShowTheirTop10) {
    Summary s;
    s.add_input();
    for (int i = 0; i < 14; ++i)
        for (int n = 0; n <= i; ++n)
            s.add({"hard", "bad-address", "userunknown", "suppress", "", "",
                   "a@d" + std::to_string(100 + i) + ".example", "", "rfc.5.1.1"});
    const std::string text = render_summary_text(s, false, 80);
    EXPECT_NE(text.find("Recipient domain (top 10 of 14)\n  d113.example"), std::string::npos);
    EXPECT_NE(text.find("  \u2026 4 more with 10 results\n"), std::string::npos);
    EXPECT_EQ(text.find("d100.example"), std::string::npos);
}

TEST(Summary, LongLabelsAreCut) {
    Summary s;
    s.add({"hard", "policy", "blocked", "none", "", "", "x@example.com", "",
           "a-very-long-rule-identifier.that-goes-on-and-on-forever"});
    const std::string text = render_summary_text(s, false, 100);
    EXPECT_NE(text.find("  a-very-long-rule-identifier.tha\u2026  "), std::string::npos);
}

TEST(Summary, NothingFound) {
    Summary s;
    s.add_input();
    s.add_skipped(3);
    EXPECT_EQ(render_summary_text(s, true, 80),
              "No delivery failures found (1 input, 3 lines without a failure skipped).\n");
}

TEST(Summary, Json) {
    EXPECT_EQ(
        render_summary_json(small_summary()),
        R"({"inputs":2,"lines_skipped":41,"results":4,)"
        R"("type":{"hard":2,"soft":1,"unknown":1},)"
        R"("cause":{"bad-address":2,"greylisting":1,"unknown":1},)"
        R"("reason":{"userunknown":2,"blocked":1,"undefined":1},)"
        R"("action":{"suppress":2,"none":1,"retry":1},)"
        R"("provider":{"Google Gmail":2},"receiving_provider":{"Google Gmail":2},)"
        R"("recipient_domain":{"gmail.com":2,"example.net":1},)"
        R"("blocklist":{},)"
        R"("rule":{"gmail.user-unknown":2,"rfc.4.7.1":1},)"
        R"("without":{"provider":2,"receiving_provider":2,"recipient_domain":1,"blocklist":4,"rule":1}})"
        "\n");
}

TEST(Summary, JsonSurvivesInvalidUtf8) {
    Summary s;
    s.add({"hard", "unknown", "undefined", "none", "Bad\xff", "", "a@b.example", "", ""});
    EXPECT_NE(render_summary_json(s).find("Bad\xef\xbf\xbd"), std::string::npos);
}

struct AddressCase {
    const char* input;
    const char* normalized;
    const char* domain;
};

const AddressCase k_addresses[] = {
    {"john@example.com", "john@example.com", "example.com"},
    {"<John.Doe@Example.COM>", "John.Doe@example.com", "example.com"},
    {"rfc822; ann@Example.net", "ann@example.net", "example.net"},
    {"  x@example.org.  ", "x@example.org", "example.org"},
    {"\"quoted@local\"@example.com", "\"quoted@local\"@example.com", "example.com"},
    {"postmaster", "", ""},
    {"", "", ""},
    {"@example.com", "", ""},
    {"a@", "", ""},
    {"two words@example.com", "", ""},
};

TEST(Addresses, NormalizeAndDomain) {
    for (const AddressCase& c : k_addresses) {
        EXPECT_EQ(normalize_address(c.input), c.normalized) << c.input;
        EXPECT_EQ(recipient_domain(c.input), c.domain) << c.input;
    }
}

TEST(SuppressionList, UniqueInFirstSeenOrder) {
    SuppressionList list;
    EXPECT_TRUE(list.add("b@example.com"));
    EXPECT_TRUE(list.add("<A@Example.COM>"));
    EXPECT_FALSE(list.add("b@EXAMPLE.com"));
    EXPECT_FALSE(list.add("a@example.com"));  // same address, other case
    EXPECT_FALSE(list.add("not an address"));
    EXPECT_TRUE(list.add("c@example.net"));
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list.addresses()[0], "b@example.com");
    EXPECT_EQ(list.addresses()[1], "A@example.com");
    EXPECT_EQ(list.addresses()[2], "c@example.net");
}

TEST(Summary, ItemOfAResult) {
    Rule rule;
    rule.id = "gmail.no-such-user";
    Result result;
    result.recipient = "<Bob@Gmail.com>";
    result.diagnosis.type = "hard";
    result.diagnosis.reason = "userunknown";
    result.diagnosis.cause = "bad-address";
    result.diagnosis.action = "suppress";
    result.diagnosis.provider = "Google Gmail";
    result.diagnosis.rule = &rule;
    const SummaryItem item = summary_item(result);
    EXPECT_EQ(item.type, "hard");
    EXPECT_EQ(item.reason, "userunknown");
    EXPECT_EQ(item.cause, "bad-address");
    EXPECT_EQ(item.action, "suppress");
    EXPECT_EQ(item.provider, "Google Gmail");
    EXPECT_EQ(item.rule, "gmail.no-such-user");
    Summary s;
    s.add(item);
    EXPECT_EQ(s.counts(SummaryDimension::recipient_domain)[0].value, "gmail.com");
    EXPECT_TRUE(should_suppress(result));

    result.diagnosis.rule = nullptr;
    EXPECT_EQ(summary_item(result).rule, "");
    result.recipient = "";
    EXPECT_FALSE(should_suppress(result));  // nothing to list
    result.recipient = "bob@gmail.com";
    result.diagnosis.action = "fix-authentication";
    EXPECT_FALSE(should_suppress(result));
}

}  // namespace
}  // namespace bouncediag
