#include "bouncediag/providers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <string>

namespace bouncediag {
namespace {

TEST(ProviderOfHost, MatchesWholeLabelsAtTheEnd) {
    EXPECT_EQ(provider_of_host("gmail-smtp-in.l.google.com"), "Google Gmail");
    EXPECT_EQ(provider_of_host("google.com"), "Google Gmail");
    EXPECT_EQ(provider_of_host("notgoogle.com"), "");
    EXPECT_EQ(provider_of_host("google.com.example.net"), "");
    EXPECT_EQ(provider_of_host("mx.example.com"), "");
    EXPECT_EQ(provider_of_host("192.0.2.1"), "");
    EXPECT_EQ(provider_of_host(""), "");
}

TEST(ProviderOfHost, IgnoresCaseAndTheRootDot) {
    EXPECT_EQ(provider_of_host("MTA7.AM0.YahooDNS.NET."), "Yahoo");
}

// Microsoft's consumer service and its business one share outlook.com: the longer suffix
// decides.
TEST(ProviderOfHost, TheLongestListedSuffixWins) {
    EXPECT_EQ(provider_of_host("hotmail-com.olc.protection.outlook.com"), "Outlook.com");
    EXPECT_EQ(provider_of_host("example-com.mail.protection.outlook.com"), "Microsoft 365");
    EXPECT_EQ(provider_of_host("am0pr01mb1234.eurprd01.prod.outlook.com"), "Microsoft 365");
}

TEST(ProviderOfDomain, KnowsListedMailDomainsOnly) {
    EXPECT_EQ(provider_of_domain("gmail.com"), "Google Gmail");
    EXPECT_EQ(provider_of_domain("Hotmail.COM"), "Outlook.com");
    EXPECT_EQ(provider_of_domain("web.de"), "GMX/Web.de");
    EXPECT_EQ(provider_of_domain("sub.gmail.com"), "");
    EXPECT_EQ(provider_of_domain("example.com"), "");
}

// A domain's mail can be run by another company (aol.com by Yahoo's servers, a company's
// domain by Google): the server that replied is the better witness.
TEST(ReceivingProvider, TheReplyingHostComesBeforeTheRecipientDomain) {
    EXPECT_EQ(receiving_provider("mx-aol.mail.gm0.yahoodns.net", "ann@aol.com"), "Yahoo");
    EXPECT_EQ(receiving_provider("", "ann@aol.com"), "AOL");
    EXPECT_EQ(receiving_provider("aspmx.l.google.com", "ann@company.example"), "Google Gmail");
    EXPECT_EQ(receiving_provider("mx.company.example", "ann@gmail.com"), "Google Gmail");
    EXPECT_EQ(receiving_provider("mx.company.example", "ann@company.example"), "");
    EXPECT_EQ(receiving_provider("", "not an address"), "");
}

// The directory the binary embeds: every key lower case, with no final dot, and listed once,
// so that no entry silently hides another.
TEST(ProviderDirectory, EveryHostAndDomainIsListedOnceInLowerCase) {
    std::ifstream in(std::string(BOUNCEDIAG_SOURCE_DIR) + "/data/providers.json");
    ASSERT_TRUE(in) << "data/providers.json";
    nlohmann::json doc = nlohmann::json::parse(in);
    ASSERT_EQ(doc.at("schema"), 1);
    std::set<std::string> names;
    for (const char* list : {"hosts", "domains"}) {
        std::set<std::string> seen;
        for (const nlohmann::json& p : doc.at("providers")) {
            names.insert(p.at("name").get<std::string>());
            for (const nlohmann::json& key : p.at(list)) {
                std::string k = key.get<std::string>();
                EXPECT_FALSE(k.empty());
                EXPECT_TRUE(seen.insert(k).second) << k << " is listed twice in " << list;
                for (char c : k) EXPECT_FALSE(c >= 'A' && c <= 'Z') << k;
                EXPECT_NE(k.back(), '.') << k;
                // Each listed key finds its own provider.
                std::string_view found =
                    std::string(list) == "hosts" ? provider_of_host(k) : provider_of_domain(k);
                EXPECT_EQ(found, p.at("name").get<std::string>()) << k;
            }
        }
    }
    EXPECT_EQ(names.size(), doc.at("providers").size()) << "a provider is listed twice";
}

}  // namespace
}  // namespace bouncediag
