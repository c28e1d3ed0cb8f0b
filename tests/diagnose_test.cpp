// What diagnose_email() makes of a bounce's fields beyond the reply itself.
#include "bouncediag/diagnose.h"
#include "bouncediag/bounce_email.h"
#include "bouncediag/classifier.h"
#include "bouncediag/rule_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace bouncediag;

namespace {

const Classifier& embedded_classifier() {
    static const Classifier classifier(RuleTable::embedded());
    return classifier;
}

// The results of a one-recipient DSN whose Remote-MTA field holds `remote_mta` and whose
// Diagnostic-Code is `diagnostic`.
std::vector<Result> diagnose_dsn(const std::string& remote_mta, const std::string& diagnostic) {
    std::string email =
        "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail Returned to Sender\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
        "Final-Recipient: rfc822; lee@example.com\nAction: failed\nStatus: 5.1.1\n"
        "Remote-MTA: dns; " +
        remote_mta + "\nDiagnostic-Code: smtp; " + diagnostic + "\n\n--b--\n";
    return diagnose_email(read_bounce_email(email), embedded_classifier());
}

struct RemoteMtaCase {
    const char* name;
    const char* remote_mta;
    const char* host;
};

class RemoteHostFromRemoteMta : public testing::TestWithParam<RemoteMtaCase> {};

}  // namespace

// The DSN's Remote-MTA field goes out as it was written; the replying host is its host name
// alone, so that it compares with the hosts logs and reply wrappers name.
TEST_P(RemoteHostFromRemoteMta, KeepsTheHostNameAlone) {
    const RemoteMtaCase& c = GetParam();
    std::vector<Result> results = diagnose_dsn(c.remote_mta, "550 5.1.1 User unknown");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].reply.remote_host, c.host);
    EXPECT_EQ(results[0].remote_mta, c.remote_mta);
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, RemoteHostFromRemoteMta,
    testing::Values(
        RemoteMtaCase{"NameAlone", "mx.example.com", "mx.example.com"},
        RemoteMtaCase{"NameAndBracketedAddress", "mx.example.com [192.0.2.1]", "mx.example.com"},
        RemoteMtaCase{"AddressGluedToTheName", "mx.example.com[192.0.2.1]", "mx.example.com"},
        // Oracle Communications Messaging Server's connection details.
        RemoteMtaCase{"MessagingServerDetails",
                      "mx.example.jp (TCP|192.0.2.9|47323|192.0.2.25|25) (mx ESMTP)",
                      "mx.example.jp"},
        // Google's "name. (address, the server for the domain example.jp.)".
        RemoteMtaCase{"FullyQualifiedWithComment",
                      "mx.example.jp. (198.51.100.2, the server for the domain example.jp.)",
                      "mx.example.jp"},
        RemoteMtaCase{"AddressWithComment", "192.0.2.222 (192.0.2.222, the server for the domain.)",
                      "192.0.2.222"},
        RemoteMtaCase{"AddressLiteral", "[192.0.2.7]", "192.0.2.7"}),
    [](const testing::TestParamInfo<RemoteMtaCase>& param) {
        return std::string(param.param.name);
    });

// A host the reply's own wrapper names is the one that replied; Remote-MTA does not replace it.
TEST(DiagnoseEmail, ReplyWrapperHostComesFirst) {
    std::vector<Result> results =
        diagnose_dsn("relay.example.net", "host mx.example.com[192.0.2.1] said: 550 5.1.1 unknown");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].reply.remote_host, "mx.example.com");
}

// Who received the message: the replying host's provider, named even when the reply's wording
// is generic (no rule's provider).
TEST(DiagnoseEmail, NamesTheProviderThatRunsTheReplyingHost) {
    std::vector<Result> results =
        diagnose_dsn("gmail-smtp-in.l.google.com. (192.0.2.5, the server for the domain.)",
                     "550 5.1.1 User unknown");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].diagnosis.provider, "");
    EXPECT_EQ(results[0].receiving_provider, "Google Gmail");
}

TEST(DiagnoseLogEvent, NamesTheProviderFromTheRecipientDomainWithoutAHost) {
    LogEvent event;
    event.recipient = "ann@yahoo.com";
    event.reply = "550 5.1.1 User unknown";
    event.relay = "none";
    Result result = diagnose_log_event(event, embedded_classifier());
    EXPECT_EQ(result.receiving_provider, "Yahoo");
}
