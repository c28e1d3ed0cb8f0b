// The ASCII helpers that parsing leans on.
#include "../src/text_util.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace bouncediag {
namespace {

// The plain definition: the first position where the needle matches, ignoring ASCII case.
std::size_t ifind_reference(std::string_view haystack, std::string_view needle, std::size_t from) {
    for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i)
        if (iequals(haystack.substr(i, needle.size()), needle)) return i;
    return needle.empty() && from <= haystack.size() ? from : std::string_view::npos;
}

TEST(TextUtil, IfindFindsTheFirstMatchInEitherCase) {
    EXPECT_EQ(ifind("host mx.example.com REASON: 550 no", "reason: "), 20u);
    EXPECT_EQ(ifind("Reason: x reason: y", "reason: "), 0u);
    EXPECT_EQ(ifind("reason: x Reason: y", "REASON: ", 1), 10u);
    EXPECT_EQ(ifind("no such thing", "reason"), std::string_view::npos);
    EXPECT_EQ(ifind("abc", "abcd"), std::string_view::npos);
    EXPECT_EQ(ifind("abc", "", 3), 3u);
    EXPECT_EQ(ifind("abc", "", 4), std::string_view::npos);
    EXPECT_EQ(ifind("abc", "c", 5), std::string_view::npos);
    EXPECT_EQ(ifind("[1] :1", ":1"), 4u);  // a first byte that is no letter
}

TEST(TextUtil, IfindAgreesWithThePlainDefinitionOnRandomText) {
    std::mt19937 random(20261128);
    const std::string alphabet = "aAbB: 1";
    for (int round = 0; round < 20000; ++round) {
        std::string haystack, needle;
        for (std::size_t k = random() % 14; k > 0; --k) haystack += alphabet[random() % 7];
        for (std::size_t k = random() % 4; k > 0; --k) needle += alphabet[random() % 7];
        const std::size_t from = random() % 16;
        ASSERT_EQ(ifind(haystack, needle, from), ifind_reference(haystack, needle, from))
            << '"' << haystack << "\" \"" << needle << "\" from " << from;
    }
}

}  // namespace
}  // namespace bouncediag
